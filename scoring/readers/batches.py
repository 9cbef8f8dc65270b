"""A flat file (CSV, Parquet) read a batch of rows at a time, each batch the rows ``read_flat`` would
give (readers/flat.py), so that a province past one machine's memory is read in bounded memory.

A file whose reading cannot go on as it began (pyarrow refuses a row halfway through a CSV file, or
bytes turn out not to be in the encoding the file's start showed) raises ``Unstreamable``: the caller
reads it whole, as ``read_flat`` does, which then reads what it can or says what is wrong.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Iterator

import pandas as pd

from scoring.errors import Unstreamable
from scoring.readers.flat import arrow_csv_options, arrow_table, reading
from scoring.readers.sources import file_encoding

_BLOCK_BYTES = 8 << 20            # what pyarrow's CSV reader parses at a time


def batches(path: Path, rows: int) -> Iterator[pd.DataFrame]:
    """The table of the flat file at ``path`` as frames of about ``rows`` rows (at least one frame,
    the last shorter); a failure to read raises the InputError ``read_flat`` would."""
    with reading(path):
        if path.suffix.lower() == ".parquet":
            yield from _parquet(path, rows)
        else:
            yield from _csv(path, rows)


def _parquet(path: Path, rows: int) -> Iterator[pd.DataFrame]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    file = pq.ParquetFile(path)
    pending, count, given = [], 0, False
    for batch in file.iter_batches(batch_size=rows):          # a row group's end may cut a batch short
        pending.append(batch)
        count += batch.num_rows
        if count >= rows:
            yield pa.Table.from_batches(pending, schema=file.schema_arrow).to_pandas()
            pending, count, given = [], 0, True
    if pending or not given:
        yield pa.Table.from_batches(pending, schema=file.schema_arrow).to_pandas()


def _csv(path: Path, rows: int) -> Iterator[pd.DataFrame]:
    """pyarrow's reader where ``read_flat`` would use it, else pandas (readers/flat.py says when)."""
    encoding = file_encoding(path)
    if encoding in ("utf-8", "utf-8-sig"):
        try:
            import pyarrow.csv

            names, options = arrow_csv_options(path)
            options["read_options"].block_size = _BLOCK_BYTES
            reader = pyarrow.csv.open_csv(path, **options)
        except (ImportError, ValueError, csv.Error):       # pyarrow.ArrowInvalid is a ValueError
            reader = None
        if reader is not None:
            yield from _arrow(path, names, reader, rows, encoding)
            return
    yield from _pandas(path, encoding, rows)


def _arrow(path: Path, names: list[str], reader, rows: int, encoding: str) -> Iterator[pd.DataFrame]:
    import pyarrow as pa

    pending, count, given = [], 0, False
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            break
        except ValueError as error:                # a row pyarrow refuses, which pandas may read
            if given:
                raise Unstreamable(f"pyarrow 读到一半无法继续（{error}），改为整表读取 / read whole") from None
            yield from _pandas(path, encoding, rows)
            return
        pending.append(batch)
        count += batch.num_rows
        if count >= rows:
            yield arrow_table(names, pa.Table.from_batches(pending))
            pending, count, given = [], 0, True
    if pending or not given:
        yield arrow_table(names, pa.Table.from_batches(pending, schema=reader.schema))


def _pandas(path: Path, encoding: str, rows: int) -> Iterator[pd.DataFrame]:
    options = {"dtype": object, "keep_default_na": False, "encoding": encoding}
    given = False
    try:
        with pd.read_csv(path, chunksize=rows, **options) as reader:
            for chunk in reader:
                yield chunk.reset_index(drop=True)
                given = True
    except UnicodeDecodeError:             # the file's start said one encoding: the whole file decides
        raise Unstreamable("文件的编码须按整个文件判断，改为整表读取 / read whole") from None
    if not given:                          # a header alone
        yield pd.read_csv(path, nrows=0, **options)

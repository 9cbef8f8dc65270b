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



def batches(path: Path, rows: int) -> Iterator[pd.DataFrame]:
    """The table of the flat file at ``path`` as frames of about ``rows`` rows (at least one frame,
    the last shorter); a failure to read raises the InputError ``read_flat`` would."""
    with reading(path):
        if path.suffix.lower() == ".parquet":
            yield from _parquet(path, rows)
        else:
            yield from _csv(path, rows)


def _parquet(path: Path, rows: int) -> Iterator[pd.DataFrame]:
    import pyarrow.parquet as pq

    file = pq.ParquetFile(path)
    for table in _tables(file.iter_batches(batch_size=rows), file.schema_arrow, rows):
        yield table.to_pandas()


def _csv(path: Path, rows: int) -> Iterator[pd.DataFrame]:
    """pyarrow's reader where ``read_flat`` would use it, else pandas (readers/flat.py says when)."""
    encoding = file_encoding(path)
    if encoding in ("utf-8", "utf-8-sig"):
        try:
            import pyarrow.csv

            names, options = arrow_csv_options(path)
            reader = pyarrow.csv.open_csv(path, **options)
        except (ImportError, ValueError, csv.Error):       # pyarrow.ArrowInvalid is a ValueError
            reader = None
        if reader is not None:
            yield from _arrow(path, names, reader, rows, encoding)
            return
    yield from _pandas(path, encoding, rows)


def _arrow(path: Path, names: list[str], reader, rows: int, encoding: str) -> Iterator[pd.DataFrame]:
    given = False
    try:
        for table in _tables(reader, reader.schema, rows):
            yield arrow_table(names, table)
            given = True
    except ValueError as error:                # a row pyarrow refuses, which pandas may read
        if given:
            raise Unstreamable(f"pyarrow 读到一半无法继续（{error}），改为整表读取 / read whole") from None
        yield from _pandas(path, encoding, rows)


def _tables(pieces, schema, rows: int) -> Iterator:
    """The record batches of ``pieces`` as pyarrow tables of ``rows`` rows (at least one table, the
    last shorter), whatever the size of the pieces."""
    import pyarrow as pa

    pending, count, given = [], 0, False
    for batch in pieces:
        pending.append(batch)
        count += batch.num_rows
        while count >= rows:
            table = pa.Table.from_batches(pending, schema=schema)
            yield table.slice(0, rows)
            pending, count, given = table.slice(rows).to_batches(), count - rows, True
    if pending or not given:
        yield pa.Table.from_batches(pending, schema=schema)


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

"""The row outputs (CSV, Parquet: one row per indicator) written a report at a time, so that the reports
of a table scored a chunk of projects at a time make the file one report of the whole table would.

    rows = row_writer("parquet", temporary)       # or "csv" with a text stream
    for report in reports:
        rows.write(report)
    rows.close()

CSV: the header once, then each report's rows. Parquet: a row group per report, one schema for all
(``parquet_schema``: text columns are text even when a report has no value in them, and the levels'
categories take 32-bit codes, however many there come to be). A reader joins the row groups'
categories of level1 and level2 in the order they come; when that order is not the sorted order of
the whole (as ``ScoreReport.to_dataframe`` gives), ``close`` writes the row groups again with the
sorted categories, so that the file reads back as the whole table's would.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TextIO

import pandas as pd

from scoring.errors import ScoringError
from scoring.report import ScoreReport
from scoring.writers.csvreport import write_report

STREAMED = ("csv", "parquet")
_LEVELS = ("level1", "level2")


def row_writer(form: str, out: TextIO | Path, spreadsheet_safe: bool = False):
    """A writer of ``form`` (one of ``STREAMED``) to ``out``: a text stream for CSV, a path for Parquet."""
    return CsvRows(out, spreadsheet_safe) if form == "csv" else ParquetRows(out)


class CsvRows:
    """The CSV report of every report written, to a text stream."""

    def __init__(self, out: TextIO, spreadsheet_safe: bool = False) -> None:
        self.out, self.safe, self.begun = out, spreadsheet_safe, False

    def write(self, report: ScoreReport) -> None:
        write_report(report, self.out, self.safe, header=not self.begun)
        self.begun = True

    def close(self) -> None:
        """Nothing to finish: the stream is the caller's."""


class ParquetRows:
    """The Parquet file of every report written, a row group each."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.schema = self.writer = None
        self.categories: dict[str, dict[str, None]] = {name: {} for name in _LEVELS}   # in the order read back

    def write(self, report: ScoreReport) -> None:
        pa, pq = _arrow()
        frame = report.to_dataframe()
        for name, seen in self.categories.items():
            seen.update(dict.fromkeys(frame[name].cat.categories.tolist()))
        if self.writer is None:
            self.schema = parquet_schema(pa.Schema.from_pandas(frame, preserve_index=False))
            self.writer = pq.ParquetWriter(self.path, self.schema)
        self.writer.write_table(pa.Table.from_pandas(frame, schema=self.schema, preserve_index=False))

    def close(self) -> None:
        if self.writer is None:
            return
        self.writer.close()
        if any(list(seen) != sorted(seen) for seen in self.categories.values()):
            self._sort_categories()

    def _sort_categories(self) -> None:
        """The file written again a row group at a time, level1 and level2 with the sorted categories."""
        pa, pq = _arrow()
        source = pq.ParquetFile(self.path)
        dtypes = {name: pd.CategoricalDtype(sorted(seen)) for name, seen in self.categories.items()}
        sorted_path = self.path.with_name(self.path.name + ".sorted")
        try:
            with pq.ParquetWriter(sorted_path, self.schema) as writer:
                for group in range(source.num_row_groups):
                    frame = source.read_row_group(group).to_pandas().astype(dtypes)
                    writer.write_table(pa.Table.from_pandas(frame, schema=self.schema, preserve_index=False))
            os.replace(sorted_path, self.path)
        finally:
            sorted_path.unlink(missing_ok=True)


def parquet_schema(found):
    """The schema of a scored table as pyarrow ``found`` it in one report, made to hold any report's:
    a column without any value (null) as text, and level1 and level2 with 32-bit codes."""
    pa, _ = _arrow()
    fields = []
    for field in found:
        if pa.types.is_null(field.type):
            field = field.with_type(pa.large_string())
        elif field.name in _LEVELS:
            field = field.with_type(pa.dictionary(pa.int32(), pa.large_string()))
        fields.append(field)
    return pa.schema(fields, metadata=found.metadata)


def _arrow():
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError:
        raise ScoringError("写 Parquet 需要 pyarrow：pip install pyarrow / the parquet format needs pyarrow") from None
    return pyarrow, pyarrow.parquet

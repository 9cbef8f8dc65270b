"""The writers: a ScoreReport → a file or a stream, in one of ``FORMATS``.

    write(report, "json", "result.json")      # a path: written whole or not at all
    write(report, "table", sys.stdout)        # a text stream, for the text formats

Writers sit above the report: they take a ScoreReport (never its JSON), and the report imports none
of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TextIO

from scoring.errors import InputError, ScoringError
from scoring.report import ScoreReport
from scoring.writers.files import ENCODINGS, encoded_write, write_whole

TEXT_FORMATS = ("table", "json", "csv", "html", "md")         # md: the 绩效自评报告 draft
FORMATS = (*TEXT_FORMATS, "xlsx", "docx", "parquet")


def write(report: ScoreReport, form: str, out: str | Path | TextIO, *, spreadsheet_safe: bool = False,
          encoding: str = "utf-8") -> None:
    """Write ``report`` as ``form`` to the path or text stream ``out``. ``spreadsheet_safe`` (CSV)
    prefixes text that a spreadsheet would run as a formula with an apostrophe; ``encoding`` (a file in
    a text format: one of ``ENCODINGS``) is the file's."""
    if form not in FORMATS:
        raise InputError(f"未知的输出格式「{form}」，可选：{'、'.join(FORMATS)} / unknown format")
    if encoding not in ENCODINGS:
        raise InputError(f"未知的编码「{encoding}」，可选：{'、'.join(ENCODINGS)} / unknown encoding")
    if form in TEXT_FORMATS:
        write_text = _text_writer(form, spreadsheet_safe)
        if isinstance(out, (str, Path)):
            write_whole(Path(out), lambda temporary: encoded_write(temporary, lambda s: write_text(report, s), encoding))
        else:
            write_text(report, out)
        return
    if not isinstance(out, (str, Path)):
        raise ScoringError(f"{form} 格式需要 -o FILE / the {form} format needs -o FILE")
    if form == "xlsx":
        from scoring.writers.xlsx import write_workbook      # openpyxl is loaded only for workbooks

        write_workbook(report, Path(out))
    elif form == "docx":
        from scoring.writers.draft_docx import write_docx

        write_docx(report, Path(out))
    else:
        _write_parquet(report, Path(out))


def format_for(path: str | Path | None, default: str = "table") -> str:
    """The format a file's suffix names (``.xlsx`` → xlsx), else ``default``."""
    suffix = Path(path).suffix.lower().lstrip(".") if path else ""
    return suffix if suffix in FORMATS and suffix != "table" else default


def _text_writer(form: str, spreadsheet_safe: bool):
    if form == "json":
        from scoring.writers.jsonreport import write_json

        return write_json
    if form == "csv":
        from scoring.writers.csvreport import write_report

        return lambda report, out: write_report(report, out, spreadsheet_safe)
    if form == "md":
        from scoring.writers.draft import write_markdown

        return write_markdown
    if form == "html":
        from scoring.writers.html import write_html

        return write_html
    from scoring.writers.table import write_table

    return write_table


def _write_parquet(report: ScoreReport, path: Path) -> None:
    """One row group, in the schema of a table written a chunk at a time (writers/chunked.py)."""
    from scoring.writers.chunked import ParquetRows

    def write(temporary: Path) -> None:
        rows = ParquetRows(temporary)
        rows.write(report)
        rows.close()

    write_whole(path, write)

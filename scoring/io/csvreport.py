"""The CSV report (``score --format csv``, docs/outputs.md): one row per indicator, as
``ScoreReport.to_dataframe()``, each distinct value encoded once (scoring/io/pieces.py)."""

from __future__ import annotations

from typing import Any, Mapping

import pandas as pd

from scoring.io.pieces import column, write_rows

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def write_csv(columns: Mapping[str, Any] | pd.DataFrame, out, spreadsheet_safe: bool = False) -> None:
    """Write the table of ``columns`` (name → its values; None: all missing) to the text stream ``out``.
    ``spreadsheet_safe`` prefixes text that a spreadsheet would run as a formula (``=100.00(%)``,
    ``+1``, ``-3%``, ``@x``) with an apostrophe."""
    field = _Field(spreadsheet_safe)
    out.write(",".join(map(field, columns)) + "\n")
    pieces = []
    for _, values in columns.items():
        pieces += [field(None) if values is None else column(values, field), ","]
    pieces[-1] = "\n"
    write_rows(out, pieces)


class _Field:
    """One value as a CSV field: empty when missing, numbers as Python writes them, and quoted (quotes
    doubled) when it holds a comma, a quote or a line break of either kind."""

    def __init__(self, spreadsheet_safe: bool) -> None:
        self.safe = spreadsheet_safe

    def __call__(self, value) -> str:
        if value is None or (isinstance(value, float) and value != value):
            return ""
        text = str(value)
        if self.safe and isinstance(value, str) and text.startswith(_FORMULA_START):
            text = "'" + text
        if any(c in text for c in _SPECIAL):
            return '"' + text.replace('"', '""') + '"'
        return text


_SPECIAL = (",", '"', "\n", "\r")

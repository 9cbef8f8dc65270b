"""The CSV report (``score --format csv``, docs/outputs.md): one row per indicator, as
``ScoreReport.to_dataframe()``, each distinct value encoded once (scoring/_columnar/pieces.py); the
explanations, which are nearly all distinct, are encoded a piece at a time."""

from __future__ import annotations

from typing import Any, Mapping

import numpy as np
import pandas as pd

from scoring._columnar.distinct import Coded, objects
from scoring._columnar.bulk import bulk
from scoring.explanations import Sentences
from scoring._columnar.pieces import Piece, column, write_rows
from scoring.report import ScoreReport
from scoring.writers.formulas import FORMULA_START



def write_csv(columns: Mapping[str, Any] | pd.DataFrame, out, spreadsheet_safe: bool = False,
              header: bool = True) -> None:
    """Write the table of ``columns`` (name → its values, or Sentences; None: all missing) to the text
    stream ``out``, after its header unless ``header`` is false (rows appended to a table begun).
    ``spreadsheet_safe`` prefixes text that a spreadsheet would run as a formula (``=100.00(%)``,
    ``+1``, ``-3%``, ``@x``) with an apostrophe."""
    field = _Field(spreadsheet_safe)
    if header:
        out.write(",".join(map(field, columns)) + "\n")
    pieces = []
    for _, values in columns.items():
        if values is None:
            pieces += [field(None), ","]
        elif isinstance(values, Sentences):
            pieces += [*field.joined(values.pieces), ","]
        else:
            pieces += [column(values, field), ","]
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
        if self.safe and isinstance(value, str) and text.startswith(FORMULA_START):
            text = "'" + text
        return '"' + _doubled(text) + '"' if _special(text) else text

    def joined(self, parts: tuple[Coded, ...]) -> list[Piece]:
        """The fields of texts given in parts (row k's text joins each part's text k), as pieces that
        write what the fields of the joined texts would be: a row is quoted when any of its parts holds
        a special character, and quotes are doubled part by part."""
        count = len(parts[0]) if parts else 0
        quoted, formula = np.zeros(count, dtype=bool), np.zeros(count, dtype=bool)
        unstarted = np.full(count, self.safe)             # rows whose text has not begun yet
        escaped = []
        for part in parts:
            table = part.table.tolist()
            quoted |= np.array(list(map(_special, table)), dtype=bool)[part.codes]
            if unstarted.any():
                codes = part.codes[unstarted]
                formula[unstarted] = np.array([text.startswith(FORMULA_START) for text in table], dtype=bool)[codes]
                unstarted[unstarted] = ~np.array([bool(text) for text in table], dtype=bool)[codes]
            escaped.append(Coded(part.codes, objects(list(map(_doubled, table)))))
        lead = Coded(quoted * 2 + formula, np.array(["", "'", '"', "\"'"], dtype=object))
        return [lead, *escaped, Coded(quoted.astype(np.int64), np.array(["", '"'], dtype=object))]


def _special(text: str) -> bool:
    """Whether a field holding ``text`` must be quoted: a comma, a quote or a line break of either kind."""
    return any(c in text for c in (",", '"', "\n", "\r"))


def _doubled(text: str) -> str:
    return text.replace('"', '""')


@bulk
def write_report(report: ScoreReport, out, spreadsheet_safe: bool = False, header: bool = True) -> None:
    """The CSV of a report: one row per indicator, the columns of ``ScoreReport.to_dataframe``."""
    write_csv(report.columns(report.sentences()), out, spreadsheet_safe, header)

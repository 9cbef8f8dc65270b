"""Stage 3, readings: each distinct target and actual text read once per run, into a memo that the
run passes along and forgets with it (parse.py does the reading)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from scoring.codes import Issue, IssueCode
from scoring.errors import ErrorCode, ExpressionError
from scoring.model import Reading
from scoring.parse import parse_actual, parse_target


@dataclass(frozen=True)
class Read:
    """A text's reading, or why it has none: the error's code, column and message (the fields, not
    the exception, whose traceback would keep the callers' frames)."""

    reading: Reading | None
    error: str | None = None
    code: ErrorCode | None = None
    column: int | None = None
    suggestions: tuple[str, ...] = ()

    def issue(self, code: IssueCode, what: str) -> Issue:
        """The issue of a row whose text has no reading: ``what`` names the text (指标值, 实际完成值)."""
        return Issue(code, f"{what}无法解读：{self.error}", self.code, self.column, self.suggestions)


class Memo:
    """The readings of one run, by text: a text read again in the run is looked up, not parsed."""

    def __init__(self) -> None:
        self._targets: dict[str, Read] = {}
        self._actuals: dict[str, Read] = {}

    def target(self, text: str) -> Read:
        found = self._targets.get(text)
        return found if found is not None else self._read(text, parse_target, self._targets)

    def actual(self, text: str) -> Read:
        found = self._actuals.get(text)
        return found if found is not None else self._read(text, parse_actual, self._actuals)

    @staticmethod
    def _read(text: str, reader, memo: dict) -> Read:
        try:
            read = Read(reader(text))
        except ExpressionError as error:
            read = Read(None, str(error), error.code, error.column, getattr(error, "suggestions", ()))
        memo[text] = read
        return read


def texts(column: pd.Series, blanks: tuple[str, ...] = ()) -> tuple[np.ndarray, list]:
    """Codes of a text column into its distinct texts, None (missing, not text, or one of ``blanks``:
    the ruleset's marks of an empty cell) first."""
    codes, uniques = pd.factorize(column.to_numpy(dtype=object))
    return codes + 1, [None] + [value if isinstance(value, str) and value not in blanks else None for value in uniques]

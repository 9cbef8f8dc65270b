"""The one exception tree of the engine; every error carries structured fields and says where.

    ScoringError                      root of everything raised on purpose
    ├── ExpressionError (ValueError)  an expression that cannot be read: text, column, code, caret
    │   └── UnknownUnitError          a unit that units.txt does not define, with near spellings
    ├── UnitMismatchError (ValueError) two units of different dimensions (小时 against 元)
    ├── InputError (ValueError)       an input file that cannot be used: file, JSON path, what was expected
    ├── RulesetError (ValueError)     a ruleset that cannot be used: file, TOML key, did you mean
    └── Unstreamable                  a flat file that cannot be read a chunk at a time: read it whole

Messages are Chinese first, with the English gist after a slash, so that a CLI user and a log reader
both understand them.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum


class ErrorCode(StrEnum):
    """Stable reason codes of expression errors (they appear in JSON output and in tests)."""

    EMPTY = "empty"
    UNEXPECTED_CHARACTER = "unexpected_character"
    UNEXPECTED_TOKEN = "unexpected_token"
    UNEXPECTED_END = "unexpected_end"
    UNKNOWN_UNIT = "unknown_unit"
    BAD_NUMBER = "bad_number"
    BAD_DATE = "bad_date"
    CONFLICTING_COMPARATORS = "conflicting_comparators"
    RANGE_UNITS = "range_units"
    RANGE_ORDER = "range_order"
    TOO_LONG = "too_long"
    NUMBER_OUT_OF_RANGE = "number_out_of_range"


class InputCode(StrEnum):
    """Stable reason codes of input errors (docs/errors.md); the limits each have their own."""

    INVALID = "invalid"                      # a value of the wrong type or shape
    UNREADABLE = "unreadable"                # missing, a directory, no permission
    EMPTY_FILE = "empty_file"
    BAD_ENCODING = "bad_encoding"            # not UTF-8 (or UTF-16 with its BOM)
    BAD_SYNTAX = "bad_syntax"                # not JSON, cut off
    DUPLICATE_KEY = "duplicate_key"          # one key twice in a JSON object
    UNKNOWN_KEY = "unknown_key"
    DUPLICATE = "duplicate"                  # two projects, ids or actuals for one thing
    NOT_FOUND = "not_found"                  # an actual for a project or indicator the targets lack
    OUT_OF_RANGE = "out_of_range"            # a number outside what its field allows
    NOT_A_WORKBOOK = "not_a_workbook"        # a damaged or mislabelled xlsx
    UNCOMPUTED_FORMULA = "uncomputed_formula"  # an xlsx formula saved without its value
    FILE_TOO_LARGE = "file_too_large"        # limits (scoring.readers.limits)
    TOO_DEEP = "too_deep"
    SHEET_TOO_LARGE = "sheet_too_large"
    UNPACKED_TOO_LARGE = "unpacked_too_large"
    CANNOT_WRITE = "cannot_write"
    OUTPUT_IS_INPUT = "output_is_input"


def display_width(text: str) -> int:
    """Terminal cells taken by ``text``: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


class ScoringError(Exception):
    """Root of every error the engine raises on purpose."""


class ExpressionError(ScoringError, ValueError):
    """An expression that cannot be read.

    ``column`` is 1-based and counts characters of ``text``; ``expected`` says what would have been
    accepted there, in Chinese.
    """

    def __init__(self, text: str, column: int, code: ErrorCode, message: str, expected: str = "") -> None:
        self.text = text
        self.column = column
        self.code = code
        self.message = message
        self.expected = expected
        super().__init__(self.render())

    def caret(self) -> str:
        """The text and a caret under the offending column, aligned for wide characters."""
        line = self.text.replace("\n", " ")
        pad = display_width(line[: self.column - 1])
        return f"  {line}\n  {' ' * pad}^"

    def render(self) -> str:
        head = f"第 {self.column} 列：{self.message}"
        if self.expected:
            head += f"（应为 {self.expected}）"
        return f"{head}\n{self.caret()}"

    def as_dict(self) -> dict:
        return {"code": str(self.code), "column": self.column, "message": self.message,
                "expected": self.expected or None}


class UnknownUnitError(ExpressionError):
    """A unit that the unit definitions do not know; ``suggestions`` lists near spellings."""

    def __init__(self, text: str, column: int, unit: str, suggestions: tuple[str, ...]) -> None:
        self.unit = unit
        self.suggestions = suggestions
        hint = f"，是否指 {'、'.join(suggestions)}" if suggestions else ""
        super().__init__(text, column, ErrorCode.UNKNOWN_UNIT,
                         f"未知单位「{unit}」{hint} / unknown unit {unit!r}", "已定义的单位")


class UnitMismatchError(ScoringError, ValueError):
    """Two units that measure different things (小时 against 元, % against 人)."""

    def __init__(self, from_unit: str, to_unit: str) -> None:
        self.from_unit = from_unit
        self.to_unit = to_unit
        super().__init__(f"单位不一致：「{from_unit or '无单位'}」无法换算为「{to_unit or '无单位'}」"
                         f" / cannot convert {from_unit!r} to {to_unit!r}")


class InputError(ScoringError, ValueError):
    """An input that cannot be used; ``where`` is ``file: $.json.path`` (or a row, a sheet cell)."""

    def __init__(self, message: str, file: str | None = None, path: str | None = None,
                 code: InputCode = InputCode.INVALID) -> None:
        self.message = message
        self.file = file
        self.path = path
        self.code = code
        super().__init__(f"{self.where}：{message}" if self.where else message)

    @property
    def where(self) -> str:
        return ": ".join(part for part in (self.file, self.path) if part)

    def as_dict(self) -> dict:
        return {"code": str(self.code), "file": self.file, "path": self.path, "message": self.message}


class RulesetError(ScoringError, ValueError):
    """A ruleset that cannot be used. ``problems`` lists (TOML key, message) pairs, all of them."""

    def __init__(self, file: str, problems: list[tuple[str, str]]) -> None:
        self.file = file
        self.problems = tuple(problems)
        lines = [f"{file}: {key}: {message}" if key else f"{file}: {message}" for key, message in problems]
        super().__init__("规则集无效 / invalid ruleset\n" + "\n".join(lines))


class Unstreamable(ScoringError):
    """A flat file that cannot be read and scored a chunk at a time (its projects' rows are apart, or
    its reading cannot go on as it began); whoever reads in chunks catches it and reads the file whole.
    The message says why, Chinese first."""

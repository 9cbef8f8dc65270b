"""Read target and actual expressions: grammar/expression.lark → Target, Actual.

Two stages. The LALR parser, with a transformer applied while it parses, turns text into small
internal nodes that remember where each piece stands (syntax.py). The builder then gives them meaning
(meaning.py). Lark stays inside this package; callers get frozen readings (model.py) or an
ExpressionError that names the column.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from lark.exceptions import UnexpectedInput

from scoring import numbers
from scoring.errors import ErrorCode, ExpressionError
from scoring.model import Actual, Reading, Target
from scoring.parse.meaning import built as _built, out_of_range
from scoring.parse.syntax import Amount, Part, parser, syntax_error

__all__ = ["parse_actual", "parse_target", "parser"]


def parse_target(text: str) -> Target:
    """Read a target value (指标值). Raises ExpressionError naming the column."""
    return _read(_checked(text), Target)


def parse_actual(text: str) -> Actual:
    """Read an actual value (实际完成值). Raises ExpressionError naming the column."""
    return _read(_checked(text), Actual)


def _checked(text: str) -> str:
    if not isinstance(text, str):
        raise TypeError(f"an expression is a str, not {type(text).__name__}")
    return text


# Every terminal treats all digits alike, so texts that differ only in their digits (≥95.00(%) and
# ≥98.50(%)) have the same syntax: it is parsed once per shape, and the builder reads the digits
# from the text itself by position.
# A text's shape, which the grammar parses: its digits made 0, and the traditional forms of the
# comparator words' characters (不低於, 超過, 以內) made simplified, one character for one.
_SHAPE = str.maketrans("123456789１２３４５６７８９於過內", "000000000０００００００００于过内")


@lru_cache(maxsize=1 << 16)
def _syntax(shape: str) -> tuple[Part, ...]:
    return parser().parse(shape)


MAX_LENGTH = 1000            # characters in a cell: the longest real ones are sentences of a few hundred


@lru_cache(maxsize=1 << 12)
def _read(text: str, cls: type[Reading]) -> Reading:
    """The reading of ``text``. Besides this cache, ``_syntax`` and ``_one_number`` hold what a shape
    reads to: clear all three to read afresh."""
    if not text.strip():
        raise ExpressionError(text, 1, ErrorCode.EMPTY, "内容为空 / empty expression", "指标值")
    if len(text) > MAX_LENGTH:
        raise ExpressionError(text[:MAX_LENGTH], MAX_LENGTH, ErrorCode.TOO_LONG,
                              f"内容超过 {MAX_LENGTH} 个字符（共 {len(text)} 个） / longer than a cell may be",
                              f"至多 {MAX_LENGTH} 个字符")
    shape = text.translate(_SHAPE)
    try:
        parts = _syntax(shape)
    except UnexpectedInput as error:
        raise syntax_error(text, error) from None
    slot = _one_number(shape)
    fields = slot.fields.get(cls) if slot is not None else None
    if fields is not None:
        value = numbers.to_decimal(text[slot.start:slot.end])
        if not numbers.in_range(value):
            raise out_of_range(text, slot.start)
        return cls(**fields, text=text, value=-value if slot.negative else value)
    reading = _built(text, cls, parts)
    if slot is not None:
        slot.fields[cls] = {name: getattr(reading, name) for name in reading.__dataclass_fields__
                            if name not in ("text", "value")}
    return reading


@dataclass
class _NumberSlot:
    """Where the one number of a shape stands, and the fields but text and value that every text of the
    shape reads to, by reading class (filled by the first text read)."""

    start: int
    end: int
    negative: bool
    fields: dict = field(default_factory=dict)


@lru_cache(maxsize=1 << 16)
def _one_number(shape: str) -> _NumberSlot | None:
    """The number slot of a shape that reads as one quantity with every digit in its number. Texts of
    one shape differ only in their digits, so all texts of such a shape read alike but for their text
    and their value."""
    parts = _syntax(shape)
    if len(parts) != 1 or parts[0].rule != "chain":
        return None
    amounts = [item for item in parts[0].items if isinstance(item, Amount)]
    if len(amounts) != 1 or amounts[0].number.type != "NUMBER":
        return None
    number, sign = amounts[0].number, amounts[0].sign
    inside = shape[number.start_pos:number.end_pos]
    if shape.count("0") + shape.count("０") != inside.count("0") + inside.count("０"):
        return None                  # a digit outside the number
    return _NumberSlot(number.start_pos, number.end_pos, sign is not None and shape[sign.start_pos] in "-−")

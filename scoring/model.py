"""Frozen dataclasses and enums of what an expression says (the reading of a target or an actual)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from scoring import numbers, units


class Kind(StrEnum):
    """What kind of statement an expression makes."""

    QUANTITY = "quantity"        # ≥95.00(%), 420分钟, 事故及差错 0
    RANGE = "range"              # 80%-90%
    QUALITATIVE = "qualitative"  # 健全, 达成预期指标
    RELATIVE = "relative"        # 小于市场价: a comparison with something that is not a number
    DATE = "date"                # 9月前, 2021年12月完成
    COMPOUND = "compound"        # 使用率 100%误差率 ≤1%


# What a reading of each kind carries, and readings of other kinds do not: a value, both bounds, a
# reference, a deadline, two or more parts.
_CARRIES = {kind: tuple(kind is carrier for carrier in (Kind.QUANTITY, Kind.RANGE, Kind.RELATIVE, Kind.DATE,
                                                       Kind.COMPOUND)) for kind in Kind}
_WORDED = frozenset({Kind.QUALITATIVE, Kind.DATE})          # the kinds that may carry words


class Op(StrEnum):
    """Comparators, by their half-width spelling."""

    GE = ">="
    LE = "<="
    EQ = "="
    GT = ">"
    LT = "<"


@dataclass(frozen=True)
class Deadline:
    """A date as written: ``2021年12月`` has no day, ``9月前`` has no year."""

    year: int | None
    month: int | None
    day: int | None

    def __post_init__(self) -> None:
        if self.year is None and self.month is None:
            raise ValueError("a deadline names at least a year or a month")
        if self.month is not None and not 1 <= self.month <= 12:
            raise ValueError(f"month out of range: {self.month}")
        if self.day is not None:
            last = calendar.monthrange(self.year or 2000, self.month)[1] if self.month else 31   # 2000: a leap year
            if not 1 <= self.day <= last:
                raise ValueError(f"day out of range: {self.day}")

    def __str__(self) -> str:
        parts = [f"{self.year}年" if self.year else "", f"{self.month}月" if self.month else "",
                 f"{self.day}日" if self.day else ""]
        return "".join(parts)


@dataclass(frozen=True)
class Compared:
    """An actual amount expressed in a target's unit, for comparison."""

    value: Fraction                                              # exact, in the target's unit: B
    rounded: Decimal                                             # for display: half-up at the finer precision
    classifier_change: tuple[tuple[str, ...], tuple[str, ...]] | None
    assumed_unit: bool = False                                   # a side's unit taken from the other


@dataclass(frozen=True)
class Reading:
    """What one expression says. Target and Actual are the two roles a reading plays.

    ``value`` is the number as written, with its precision (``95.00`` keeps two places) and before the
    multiplier in its unit (``≥6.00(万人份)``: value 6.00, unit ``万人份``, magnitude 60000 个).
    """

    text: str
    kind: Kind
    op: Op | None = None                 # as written; None when no comparator is written
    value: Decimal | None = None         # quantity
    low: Decimal | None = None           # range
    high: Decimal | None = None          # range
    unit: str = ""                       # canonical spelling as written: "%", "万人份", "次/周"
    label: str | None = None             # words before the value: 事故及差错 0
    note: str | None = None              # words or parenthesis after it: =100%(8家)
    reference: str | None = None         # relative: what is compared with (市场价)
    word: str | None = None              # qualitative words, or what a date says (前, 完成)
    deadline: Deadline | None = None     # date
    parts: tuple[Reading, ...] = field(default=())  # compound

    def __post_init__(self) -> None:
        kind = self.kind
        if not isinstance(kind, Kind):
            raise ValueError(f"a reading's kind is a Kind, not {kind!r}")
        carried = (self.value is not None, self.low is not None and self.high is not None,
                   self.reference is not None, self.deadline is not None, len(self.parts) >= 2)
        if carried != _CARRIES[kind]:
            raise ValueError(f"{kind} reading with value {self.value!r}, bounds {self.low!r} and {self.high!r}, "
                             f"reference {self.reference!r}, deadline {self.deadline!r}, {len(self.parts)} parts")
        if carried[1] and self.low > self.high:
            raise ValueError(f"range bounds out of order: {self.low} > {self.high}")
        if (self.word is None and kind is Kind.QUALITATIVE) or (self.word is not None and kind not in _WORDED):
            raise ValueError(f"{kind} reading with word {self.word!r}")
        if carried[2] and self.op is None:
            raise ValueError("a relative reading needs a comparator")
        if self.unit and units.lookup(self.unit) is None:
            raise ValueError(f"unknown unit {self.unit!r}")

    @property
    def precision(self) -> int:
        """Decimal places written in the value (or the bounds): ``95.00`` → 2, ``85`` → 0."""
        written = [n for n in (self.value, self.low, self.high) if n is not None]
        return max((max(0, -n.as_tuple().exponent) for n in written), default=0)

    @property
    def base_unit(self) -> str | None:
        info = units.lookup(self.unit) if self.kind in (Kind.QUANTITY, Kind.RANGE) else None
        return None if info is None else info.base_unit

    @property
    def magnitude(self) -> Fraction | None:
        """The value in base units, exact: ``≥6.00(万人份)`` → 60000, ``95%`` → 19/20."""
        if self.value is None:
            return None
        return Fraction(self.value) * units.lookup(self.unit).factor

    def compare_in(self, target: Reading) -> Compared:
        """This quantity in ``target``'s unit, as the engine scores it (``units.comparison``).

        ``value`` is exact and is what scoring uses: ``100分钟`` in ``≥2.00(小时)`` is 5/3, so w × B / A
        is 10 × (5/3) / 2 = 8.33. ``rounded`` is for display, half-up at the finer of the two
        precisions: 1.67 there; ``420分钟`` in ``≤8.00(小时)`` is 7.00, ``48.35%`` in ``≥100(%)`` stays
        48.35. Raises UnitMismatchError when the units measure different things.
        """
        if self.value is None:
            raise ValueError(f"not a quantity: {self.text!r}")
        found = units.comparison(self.unit, target.unit)
        exact = Fraction(self.value) * found.factor
        rounded = numbers.round_half_up(exact, max(target.precision, self.precision))
        return Compared(exact, rounded, found.classifier_change, found.assumed_unit)

    def as_dict(self) -> dict:
        """The JSON contract of ``score parse --jsonl`` (see docs/expressions.md)."""
        magnitude = self.magnitude
        return {
            "text": self.text,
            "ok": True,
            "kind": str(self.kind),
            "op": None if self.op is None else str(self.op),
            "value": _number(self.value),
            "precision": self.precision if self.kind in (Kind.QUANTITY, Kind.RANGE) else None,
            "unit": self.unit,
            "magnitude": None if magnitude is None else _number(magnitude),
            "base_unit": self.base_unit,
            "low": _number(self.low),
            "high": _number(self.high),
            "label": self.label,
            "note": self.note,
            "reference": self.reference,
            "word": self.word,
            "deadline": None if self.deadline is None else {
                "year": self.deadline.year, "month": self.deadline.month, "day": self.deadline.day},
            "parts": [part.as_dict() for part in self.parts],
        }


def _number(value: Decimal | Fraction | None) -> int | float | None:
    if value is None:
        return None
    if isinstance(value, Fraction) and value.denominator == 1:
        return int(value)
    if isinstance(value, Decimal) and value == value.to_integral_value() and abs(value) < 2**53:
        return float(value) if value.as_tuple().exponent < 0 else int(value)
    return float(value)


@dataclass(frozen=True)
class Target(Reading):
    """A target value (指标值) as read."""


@dataclass(frozen=True)
class Actual(Reading):
    """An actual value (实际完成值) as read."""

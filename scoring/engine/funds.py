"""Stage 4, funds: an indicator reported across several funds (分资金: 中央资金, 省级资金 …; 湖北 and 云南
tables) gets one actual before its outcome is decided, so that every later stage is unchanged.

"同一指标涉及多个资金的，绝对值指标按各资金完成值相加，相对值指标按资金量加权平均":

    relative values     a % or ‰ (the target's unit, else every fund's), or a rate (元/人, 小时/次):
                        weighted by each fund's money, Σ(vᵢ·mᵢ) / Σmᵢ; every fund needs its money
    absolute values     added, each converted exactly to one unit (the funds' own when they share one,
                        else the target's, else the first fund's)
    dates               the latest (``10月`` against a deadline is the month)
    words               the same word when all agree, else the word of the lowest tier

A fund reported 不适用 is left out; when all are, the indicator is 不适用. The result is an exact
decimal text in its unit that the parser reads back to the same value; a weighted mean that does not
end is rounded half-up (4 decimals at least, more where a target's bound would otherwise be met or
missed by the rounding). Funds that cannot be combined leave the row without an actual and with the
issue why (outcomes.py makes such a row ``not_scored``). The column ``combination`` says how, for the
explanation.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import NamedTuple

import numpy as np
import pandas as pd

from scoring import numbers, units
from scoring.codes import Issue, IssueCode
from scoring.columns import Fund
from scoring.engine.outcomes import as_date
from scoring.engine.qualitative import tier_of
from scoring.engine.readings import Memo
from scoring.errors import UnitMismatchError
from scoring.model import Kind, Reading
from scoring.rulesets import Ruleset

_PLACES = 4                    # a mean that does not end is written to this many decimals at least
_MOST_PLACES = 28
_WORDS = (Kind.QUALITATIVE, Kind.RELATIVE)


class Combining(StrEnum):
    """How the funds' actuals became one."""

    WEIGHTED = "weighted"                # relative values, weighted by money
    SUM = "sum"                          # absolute values, added
    LATEST = "latest"                    # dates
    LOWEST = "lowest"                    # words that differ: the lowest tier's
    SAME = "same"                        # words that agree
    NOT_APPLICABLE = "not_applicable"    # every fund 不适用


class Term(NamedTuple):
    """One fund's part in a combination, as the explanation shows it."""

    fund: str                            # its name, or 第 2 项资金
    actual: str                          # as written
    converted: str | None = None         # its value in the combination's unit, when written in another
    money: str | None = None             # its money (a weighted mean)
    tier: str | None = None              # its tier (words)


class Combination(NamedTuple):
    """How a row's funds gave its actual, or the issue why they could not."""

    rule: Combining | None
    terms: tuple[Term, ...] = ()
    actual: str | None = None            # the combined actual
    money: str | None = None             # Σ money (a weighted mean)
    exact: bool = True                   # False: rounded
    left_out: tuple[str, ...] = ()       # the funds reported 不适用
    issue: Issue | None = None


def combine(rows: pd.DataFrame, ruleset: Ruleset, memo: Memo) -> pd.DataFrame:
    """``rows`` with the actual of each row given by funds replaced by their combination, and the column
    ``combination`` (None where a row has no funds); ``rows`` itself when none has any."""
    if "funds" not in rows:
        return rows
    funds = rows["funds"].to_numpy(dtype=object)
    given = np.flatnonzero(np.not_equal(funds, None))
    if not given.size:
        return rows
    targets = rows["target"].to_numpy(dtype=object)
    actual = rows["actual"].to_numpy(dtype=object).copy()
    combination = np.full(len(rows), None, dtype=object)
    done: dict[tuple, Combination] = {}
    for i in given.tolist():
        key = (targets[i], funds[i])
        if key not in done:
            done[key] = combined(funds[i], _target(targets[i], ruleset, memo), ruleset, memo)
        combination[i] = done[key]
        actual[i] = done[key].actual
    out = rows.copy(deep=False)
    out["actual"] = pd.Series(actual, index=out.index, dtype=object)
    out["combination"] = pd.Series(combination, index=out.index, dtype=object)
    return out


def _target(text, ruleset: Ruleset, memo: Memo) -> Reading | None:
    if not isinstance(text, str) or text in ruleset.blank_words:
        return None
    return memo.target(text).reading


def combined(funds: tuple[Fund, ...], target: Reading | None, ruleset: Ruleset, memo: Memo) -> Combination:
    """The one actual of ``funds`` against ``target`` (its reading; None: none)."""
    names = [fund.fund or f"第 {k + 1} 项资金" for k, fund in enumerate(funds)]
    kept, left_out = [], []
    for name, fund in zip(names, funds):
        written = fund.actual.strip() if isinstance(fund.actual, str) else ""
        if not written or written in ruleset.blank_words:
            return _failed(IssueCode.MISSING_ACTUAL, f"「{name}」未填写实际完成值 / a fund has no actual")
        if written.lower() in ruleset.not_applicable_index:
            left_out.append(name)
        else:
            kept.append((name, fund, written))
    if not kept:
        return Combination(Combining.NOT_APPLICABLE, actual=funds[0].actual)
    readings = []
    for name, _, written in kept:
        read = memo.actual(written)
        if read.error is not None:
            return Combination(None, issue=read.issue(IssueCode.BAD_ACTUAL, f"「{name}」的实际完成值"))
        readings.append(as_date(read.reading) if target is not None and target.kind is Kind.DATE else read.reading)
    kinds = {reading.kind for reading in readings}
    if kinds == {Kind.QUANTITY}:
        result = _quantities(kept, readings, target)
    elif kinds == {Kind.DATE}:
        result = _latest(kept, readings)
    elif kinds <= set(_WORDS):
        result = _words(kept, target, ruleset)
    elif kinds & {Kind.RANGE, Kind.COMPOUND}:
        result = _failed(IssueCode.FUNDS_NOT_COMBINED, "区间或复合的实际完成值无法按资金合并 / ranges and compound actuals"
                                                       " are not combined")
    else:
        result = _failed(IssueCode.FUNDS_NOT_COMBINED, "各资金的实际完成值有数值、日期或文字之别，无法合并 / funds report "
                                                       "different kinds of actual")
    return result._replace(left_out=tuple(left_out)) if result.issue is None else result


def _failed(code: IssueCode, message: str) -> Combination:
    return Combination(None, issue=Issue(code, message))


def relative(unit: str) -> bool:
    """A unit of a relative value, which funds weight by money: a percentage or a rate per something."""
    return unit in ("%", "‰") or "/" in unit


def _quantities(kept: list, readings: list[Reading], target: Reading | None) -> Combination:
    written = [reading.unit for reading in readings]
    if len({bool(unit) for unit in written}) > 1:
        return _failed(IssueCode.UNIT_MISMATCH, f"各资金的单位不一致：有的写了单位「{next(u for u in written if u)}」，"
                                                "有的没有，无法合并 / some funds give no unit")
    target_unit = target.unit if target is not None and target.kind in (Kind.QUANTITY, Kind.RANGE) else ""
    unit = _common_unit(written, target_unit)
    if unit is None:
        shown = "」「".join(dict.fromkeys(written))
        return _failed(IssueCode.UNIT_MISMATCH, f"各资金的单位「{shown}」无法换算为同一单位，无法合并 / units that "
                                                "cannot be combined")
    places = max(_PLACES, *(reading.precision for reading in readings),
                 target.precision if target is not None else 0)
    values = [Fraction(reading.value) * units.conversion(reading.unit, unit).factor for reading in readings]
    terms = [Term(name, text, None if reading.unit == unit else _shown(value, places, unit))
             for (name, _, text), reading, value in zip(kept, readings, values)]
    if not relative(target_unit or unit):
        total = sum(values, Fraction(0))
        text, exact = _written(total, places, unit, target)
        return Combination(Combining.SUM, tuple(terms), text, exact=exact)
    missing = [name for name, fund, _ in kept if fund.money is None]
    if missing:
        return _failed(IssueCode.FUND_MONEY_MISSING, f"相对值指标按资金金额加权，而「{'」「'.join(missing)}」没有金额 / "
                                                     "a relative indicator's funds need their money")
    money = [Fraction(repr(fund.money)) for _, fund, _ in kept]          # as written: 120.5, not its binary
    total = sum(money, Fraction(0))
    if not total:
        return _failed(IssueCode.FUND_MONEY_MISSING, "各资金金额合计为 0，无法按金额加权 / the money adds up to 0")
    mean = sum((v * m for v, m in zip(values, money)), Fraction(0)) / total
    text, exact = _written(mean, places, unit, target)
    terms = [term._replace(money=_plain(_decimals(m))) for term, m in zip(terms, money)]
    return Combination(Combining.WEIGHTED, tuple(terms), text, _plain(_decimals(total)), exact)


def _common_unit(written: list[str], target_unit: str) -> str | None:
    """The unit the funds' values are combined in: their own when they share one, else the target's,
    else the first fund's, that every one converts to; None when there is none."""
    if len(set(written)) == 1:
        return written[0]
    for unit in dict.fromkeys((target_unit, *written)):
        if unit and all(_converts(one, unit) for one in written):
            return unit
    return None


def _converts(one: str, other: str) -> bool:
    try:
        units.conversion(one, other)
    except (UnitMismatchError, ValueError):
        return False
    return True


def _written(value: Fraction, places: int, unit: str, target: Reading | None) -> tuple[str, bool]:
    """``value`` as the text of an actual in ``unit``, and whether it is exact: exact when its decimals
    end, else rounded half-up at ``places``, or more places where the rounding would otherwise put it
    on another side of one of the target's bounds (or on it)."""
    ends = _decimals(value)
    if ends is not None:
        return f"{_plain(ends)}{unit}", True
    factor, bounds = Fraction(1), []
    if target is not None and target.kind in (Kind.QUANTITY, Kind.RANGE):
        try:
            factor = units.comparison(unit, target.unit).factor
            bounds = [Fraction(b) for b in (target.value, target.low, target.high) if b is not None]
        except UnitMismatchError:
            pass
    rounded = numbers.round_half_up(value, places)
    while places < _MOST_PLACES and any(_side(Fraction(rounded) * factor, b) != _side(value * factor, b)
                                        for b in bounds):
        places += 1
        rounded = numbers.round_half_up(value, places)
    return f"{_plain(rounded)}{unit}", False


def _shown(value: Fraction, places: int, unit: str) -> str:
    """A fund's value in the combination's unit, as the explanation shows it beside the value written."""
    text, exact = _written(value, places, unit, None)
    return f"{'=' if exact else '≈'} {text}"


def _decimals(value: Fraction) -> Decimal | None:
    """``value`` exactly as a Decimal when its decimals end within ``_MOST_PLACES``, else None."""
    for places in range(_MOST_PLACES + 1):
        scaled = value * 10 ** places
        if scaled.denominator == 1:
            return Decimal(f"{scaled.numerator}E-{places}")           # from text: no context rounding
    return None


def _side(value: Fraction, bound: Fraction) -> int:
    return (value > bound) - (value < bound)


def _plain(value: Decimal) -> str:
    """A decimal as short as it is, never in exponent form: 200.50 → 200.5, 2E+2 → 200."""
    text = f"{value:f}"                                # exact: no context rounding
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "0") else text


def _latest(kept: list, readings: list[Reading]) -> Combination:
    deadlines = [reading.deadline for reading in readings]
    year = max((d.year for d in deadlines if d.year), default=0)       # a date without a year: the others'
    keys = [(d.year or year, d.month or 12, d.day or 31) for d in deadlines]
    latest = max(range(len(keys)), key=keys.__getitem__)                # the first of equals
    return Combination(Combining.LATEST, tuple(Term(name, text) for name, _, text in kept), kept[latest][2])


def _words(kept: list, target: Reading | None, ruleset: Ruleset) -> Combination:
    texts = [text for _, _, text in kept]
    if len(set(texts)) == 1:
        return Combination(Combining.SAME, tuple(Term(name, text) for name, _, text in kept), texts[0])
    word, whole = ((target.word or target.reference or "", target.text) if target is not None else ("", ""))
    tiers = [tier_of(text, word, whole, ruleset)[0] for text in texts]
    unknown = [f"「{name}」的「{text}」" for (name, _, text), tier in zip(kept, tiers) if tier is None]
    if unknown:
        return _failed(IssueCode.FUNDS_NOT_COMBINED, f"各资金的完成情况不同，且无法判断{'、'.join(unknown)}的档次 / "
                                                     "the funds differ and a tier is unknown")
    low = {tier.name: tier.low for tier in ruleset.tiers}
    lowest = min(range(len(tiers)), key=lambda k: low[tiers[k]])       # the first of equals
    return Combination(Combining.LOWEST, tuple(Term(name, text, tier=tier) for (name, _, text), tier
                                               in zip(kept, tiers)), texts[lowest])

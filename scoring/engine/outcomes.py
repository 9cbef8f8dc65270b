"""Stage 5, outcomes: what each distinct (target, actual, adverse) decides, and each row's share of
its weight by the ruleset's method (methods.py, over arrays).

A number target against actuals that are quantities is set against each unit they are written in once
(the comparator, the method, the unit comparison and its flags), then each actual brings its value.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from fractions import Fraction
from functools import cache, lru_cache
from operator import attrgetter
from typing import NamedTuple

import numpy as np
import pandas as pd

from scoring import units
from scoring.codes import Flag, Issue, IssueCode, Method, Status
from scoring._columnar.distinct import objects
from scoring.engine import families
from scoring.engine.qualitative import says_none, tier_of
from scoring.engine.readings import Memo, texts
from scoring.errors import UnitMismatchError
from scoring.methods import METHODS, Measures
from scoring.model import Kind, Op, Reading
from scoring.parse import parse_actual, parse_target
from scoring.rulesets import Ruleset

_NUMERIC = (Kind.QUANTITY, Kind.RANGE)
_WORDS = (Kind.QUALITATIVE, Kind.RELATIVE)
_NONE: tuple = ()


class Outcome(NamedTuple):
    """What one (target, actual) pair gives, before weights: shared by every row with that pair (a
    tuple, as tens of thousands are made per run)."""

    status: Status = Status.SCORED
    method: str = Method.NONE
    op: Op | None = None
    a: float = math.nan
    b: float = math.nan
    low: float = math.nan
    high: float = math.nan
    strict: bool = False
    on_time: bool = False
    tier: str | None = None
    unit: str = ""
    flags: tuple = _NONE
    issues: tuple = _NONE


def assign(rows: pd.DataFrame, ruleset: Ruleset, memo: Memo) -> pd.DataFrame:
    """``rows`` with each row's outcome columns and its share. Each distinct (target, actual, adverse)
    is evaluated once; the column ``outcome`` codes it."""
    target_codes, target_values = texts(rows["target"], ruleset.blank_words)
    actual_codes, actual_values = texts(rows["actual"], ruleset.blank_words)
    targets = [memo.target(text).reading if text is not None else None for text in target_values]
    adverse = _adverse(rows, target_codes, targets, ruleset)
    keys = (target_codes.astype(np.int64) * len(actual_values) + actual_codes) * 2 + adverse
    codes, unique_keys = pd.factorize(keys)
    pairs, adverse_of = np.divmod(unique_keys, 2)
    outcomes = _outcomes(target_values, targets, actual_values, *np.divmod(pairs, len(actual_values)), adverse_of,
                         ruleset, memo)
    table = {name: objects(list(map(attrgetter(name), outcomes))) for name in Outcome._fields}    # one per outcome
    out = rows.copy(deep=False)
    out["outcome"] = codes
    for name in ("a", "b", "low", "high"):
        out[name] = table[name].astype(float)[codes]
    for name in ("strict", "on_time"):
        out[name] = table[name].astype(bool)[codes]
    method_codes, methods = pd.factorize(table["method"])
    row_method = method_codes[codes]
    columns = {name: table[name][codes] for name in ("status", "method", "op", "tier", "unit", "flags", "issues")}
    unknown = pd.isna(rows["family"].to_numpy(dtype=object))
    if unknown.any():
        columns["status"][unknown], columns["method"][unknown], row_method[unknown] = Status.NOT_SCORED, Method.NONE, -1
        columns["issues"][unknown] = objects([(Issue(IssueCode.UNKNOWN_LEVEL1, families.unknown(ruleset, name)),)
                                              for name in rows["level1"].to_numpy(dtype=object)[unknown]])
    _not_combined(rows, columns, row_method)
    evaluator = out["evaluator_score"].notna().to_numpy() & (columns["status"] == Status.SCORED) & np.isin(
        row_method, [k for k, name in enumerate(methods) if name not in (Method.QUALITATIVE, Method.COMPOUND)])
    if evaluator.any():
        columns["flags"][evaluator] = objects([f + (Flag.OVERRIDE,) for f in columns["flags"][evaluator]])
    for name, values in columns.items():
        out[name] = pd.Series(values, index=out.index, dtype=object)
    out["share"] = _shares(out, row_method, methods)
    return out


def _not_combined(rows: pd.DataFrame, columns: dict, row_method: np.ndarray) -> None:
    """Rows whose funds could not be combined (funds.py: the issue of their ``combination``) are not
    scored: their issue in place of the missing actual's."""
    if "combination" not in rows:
        return
    failed = [(k, c.issue) for k, c in enumerate(rows["combination"].to_numpy(dtype=object).tolist())
              if c is not None and c.issue is not None]
    for k, issue in failed:
        columns["status"][k], columns["method"][k], row_method[k] = Status.NOT_SCORED, Method.NONE, -1
        columns["issues"][k] = tuple(i for i in columns["issues"][k] if i.code != IssueCode.MISSING_ACTUAL) + (issue,)


def _shares(out: pd.DataFrame, row_method: np.ndarray, methods) -> np.ndarray:
    """Each row's share by its method (0 where the method is not one of methods.py)."""
    x = Measures(a=out["a"].to_numpy(), b=out["b"].to_numpy(), low=out["low"].to_numpy(),
                 high=out["high"].to_numpy(), strict=out["strict"].to_numpy(), on_time=out["on_time"].to_numpy())
    share = np.zeros(len(out))
    for k, name in enumerate(methods):
        if name in METHODS:
            chosen = row_method == k
            share[chosen] = METHODS[name](x)[chosen]
    return share


def _outcomes(targets: list, readings: list, actuals: list, target_of: np.ndarray, actual_of: np.ndarray,
              adverse_of: np.ndarray, ruleset: Ruleset, memo: Memo) -> list[Outcome]:
    """The outcome of each distinct (target, actual, adverse), from the target texts and their readings
    (None: no reading)."""
    numeric = np.array([r is not None and r.kind in _NUMERIC for r in readings], dtype=bool)[target_of]
    quantities = {}
    for a in np.unique(actual_of[numeric]).tolist():
        text = actuals[a]
        reading = None if text is None or _not_applicable(text, ruleset) else memo.actual(text).reading
        if reading is not None and reading.kind is Kind.QUANTITY:
            quantities[a] = reading
    outcomes, against = [], {}
    for t, a, adverse, number in zip(target_of.tolist(), actual_of.tolist(), adverse_of.astype(bool).tolist(),
                                     numeric.tolist()):
        r = quantities.get(a) if number else None
        if r is None:
            outcomes.append(_evaluate(targets[t], actuals[a], adverse, ruleset, memo))
            continue
        key = (t, r.unit, adverse)
        if key not in against:
            against[key] = _against(readings[t], r.unit, adverse, (), ruleset)
        outcomes.append(_valued(against[key], r.value))
    return outcomes


def _not_applicable(actual_text: str, ruleset: Ruleset) -> bool:
    return actual_text.strip().lower() in ruleset.not_applicable_index


def _evaluate(target_text: str | None, actual_text: str | None, adverse: bool, ruleset: Ruleset,
              memo: Memo) -> Outcome:
    """Everything about a row that its target and actual decide (not its weight)."""
    if target_text is None:
        return Outcome(Status.NOT_SCORED, issues=(Issue(IssueCode.MISSING_TARGET, "缺少指标值 / no target"),))
    target = memo.target(target_text)
    if target.error is not None:
        return Outcome(Status.NOT_SCORED, issues=(target.issue(IssueCode.BAD_TARGET, "指标值"),))
    t = target.reading
    if actual_text is not None and _not_applicable(actual_text, ruleset):
        return Outcome(Status.NOT_APPLICABLE, Method.NOT_APPLICABLE, unit=t.unit)
    if actual_text is None:
        return Outcome(method=Method.MISSING, unit=t.unit,
                       issues=(Issue(IssueCode.MISSING_ACTUAL, "未填写实际完成值 / no actual"),))
    if t.kind is Kind.COMPOUND:
        return Outcome(method=Method.COMPOUND)
    actual = memo.actual(actual_text)
    if actual.error is not None:
        return Outcome(Status.NOT_SCORED, unit=t.unit,
                       issues=(actual.issue(IssueCode.BAD_ACTUAL, "实际完成值"),))
    r = as_date(actual.reading) if t.kind is Kind.DATE else actual.reading
    flags = []
    if t.kind is Kind.QUANTITY and r.kind is Kind.QUALITATIVE and (t.value == 0 or t.op in (Op.LE, Op.LT)) \
            and says_none(r.word, ruleset, counted=True):
        r = parse_actual("0")                     # 无, 未发生, 无上访 against a zero or a cap: a count of zero
        flags.append(Flag.QUALITATIVE_ACTUAL)
    if t.kind is Kind.QUALITATIVE and r.kind is Kind.QUANTITY and r.unit == "%":
        return _valued(_against(_complete(), r.unit, False, (Flag.PERCENT_ACTUAL,), ruleset), r.value)
    if t.kind in _NUMERIC and r.kind is Kind.QUANTITY:
        return _valued(_against(t, r.unit, adverse, tuple(flags), ruleset), r.value)
    if t.kind is Kind.DATE and r.kind is Kind.DATE:
        return Outcome(method=ruleset.method("date"), on_time=_on_time(r, t), unit=t.unit, flags=tuple(flags))
    if t.kind in _NUMERIC and r.kind is not Kind.QUALITATIVE:
        return Outcome(Status.NOT_SCORED, unit=t.unit,
                       issues=(Issue(IssueCode.BAD_ACTUAL, "实际完成值应为数值 / the actual should be a number"),))
    tier, by_prefix = tier_of(actual_text.strip(), t.word or t.reference or "", t.text, ruleset)
    flags = [*(() if t.kind in _WORDS else (Flag.QUALITATIVE_ACTUAL,)), *((Flag.TIER_BY_PREFIX,) if by_prefix else ())]
    return Outcome(method=Method.QUALITATIVE, tier=tier, unit=t.unit, flags=tuple(flags))


@cache
def _complete() -> Reading:
    """What a qualitative target asks of an actual written as a percentage (按时限完成 against 100%)."""
    return parse_target("≥100%")


def as_date(reading: Reading) -> Reading:
    """``8月`` reported against a deadline is the month, not eight months."""
    if reading.kind is Kind.QUANTITY and reading.unit == "月" and reading.value == reading.value.to_integral_value() \
            and 1 <= reading.value <= 12:
        return parse_actual(f"{int(reading.value)}月前")
    return reading


def _adverse(rows: pd.DataFrame, target_codes: np.ndarray, readings: list, ruleset: Ruleset) -> np.ndarray:
    """Rows whose target has no comparator and whose name or target label says that less is better:
    a bare zero naming an adverse event (``做到0投诉``, ``事故及差错 0``: adverse_words), or any bare
    target naming an adverse rate (``森林火灾受害率 0.9%``: adverse_rates). The comparator assumed for
    those is all the flag decides. ``readings``: each distinct target's reading (None: none), coded by
    ``target_codes``."""
    adverse = np.zeros(len(rows), dtype=np.int64)
    bare = [r is not None and r.kind is Kind.QUANTITY and r.op is None for r in readings]
    zero = [b and r.value == 0 for b, r in zip(bare, readings)]
    for words, among in ((ruleset.adverse_words, zero), (ruleset.adverse_rates, bare)):
        chosen = np.array(among, dtype=bool)[target_codes] & (adverse == 0)
        if not words or not chosen.any():
            continue
        pattern = re.compile("|".join(map(re.escape, words)))
        labelled = np.array([r is not None and bool(pattern.search("".join(filter(None, (r.label, r.note)))))
                             for r in readings], dtype=bool)
        names = rows["name"].to_numpy(dtype=object)[chosen]
        name_codes, distinct_names = pd.factorize(names)
        named = np.array([isinstance(v, str) and bool(pattern.search(v)) for v in distinct_names] + [False], dtype=bool)
        adverse[chosen] = labelled[target_codes[chosen]] | named[name_codes]
    return adverse


class _Against(NamedTuple):
    """A number target against actuals in one unit: the outcome but B; how an actual's value becomes B
    (None: it cannot, and the outcome says why); the floor a B below it is raised to (None: none, the
    target itself being below the ruleset's floor)."""

    outcome: Outcome
    factor: Fraction | None
    floor: float | None


def _against(t: Reading, unit: str, adverse: bool, flags: tuple, ruleset: Ruleset) -> _Against:
    """The number target ``t`` against actuals written in ``unit``: the comparator (assumed where none
    is written), the method, the unit comparison and the flags they raise, after ``flags``."""
    flags = list(flags)
    op = t.op
    if t.kind is Kind.QUANTITY and op is None:
        op = ruleset.adverse_op if adverse else ruleset.assumed_op
        flags.append(Flag.ASSUMED_OP)
    comparison = _comparison(unit, t.unit)
    if isinstance(comparison, str):
        mismatch = Outcome(Status.NOT_SCORED, unit=t.unit, flags=tuple(flags),
                           issues=(Issue(IssueCode.UNIT_MISMATCH, comparison),))
        return _Against(mismatch, None, None)
    flags += ((Flag.ASSUMED_UNIT,) if comparison.assumed_unit else ()) + (
        (Flag.CLASSIFIER_CHANGE,) if comparison.classifier_change else ())
    floor = float(ruleset.negative_floor)      # for a negative actual against a target that is not itself negative
    floor = floor if float(t.value if t.value is not None else t.low) >= floor else None
    if t.kind is Kind.RANGE:
        return _Against(Outcome(method=ruleset.method("range"), op=op, low=float(t.low), high=float(t.high),
                                unit=t.unit, flags=tuple(flags)), comparison.factor, floor)
    return _Against(Outcome(method=ruleset.method(op.value), op=op, a=float(t.value), strict=op in (Op.GT, Op.LT),
                            unit=t.unit, flags=tuple(flags)), comparison.factor, floor)


@lru_cache(maxsize=1 << 12)
def _comparison(actual_unit: str, target_unit: str) -> units.Comparison | str:
    """units.comparison, or the message that says why the units cannot be compared."""
    try:
        return units.comparison(actual_unit, target_unit)
    except UnitMismatchError as error:
        return str(error)


def _valued(against: _Against, value: Decimal) -> Outcome:
    """The outcome with B: the actual's ``value`` in the target's unit, converted exactly (then the
    nearest float, so B = A stays equal)."""
    outcome, factor, floor = against
    if factor is None:
        return outcome
    if factor == 1:
        b = float(value) + 0.0       # + 0.0: -0 reads as 0, as through Fraction
    else:
        b = float(Fraction(value) * factor)
    if floor is not None and b < floor:
        return outcome._replace(b=floor, flags=outcome.flags + (Flag.NEGATIVE_ACTUAL,))
    return outcome._replace(b=b)


def _on_time(actual: Reading, target: Reading) -> bool:
    done, due = actual.deadline, target.deadline
    done_key = (done.year or due.year or 0, done.month or 12, done.day or 31)
    due_key = (due.year or done.year or 0, due.month or 12, due.day or 31)
    return done_key >= due_key if target.op is Op.GE else done_key <= due_key

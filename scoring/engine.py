"""The scoring pipeline: indicator and project frames + a ruleset → scored frames.

The stages run over whole columns, so one project and a province take the same path:

    readings   each distinct target and actual text is read once per run (parse.py)
    families   一级指标 names → the ruleset's families
    weights    cents per indicator (weights.py)
    measures   A and B in the target's unit: a number target is set against each unit its actuals are
               written in once (units.py), then each actual brings its value
    statuses   scored / not_scored / not_applicable, the method, flags and issues per row
    shares     the methods of methods.py over arrays; qualitative tiers per distinct word
    points     w × share, rounded half-up to cents; evaluators' scores; budget execution; totals

Only rows that need a person's attention carry Python objects (their flags and issues).
"""

from __future__ import annotations

import math
import re
from contextvars import ContextVar
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from operator import attrgetter
from typing import NamedTuple

import numpy as np
import pandas as pd

from scoring import numbers, units, weights
from scoring.bulk import bulk
from scoring.codes import Flag, IssueCode, Method, Status
from scoring.distinct import objects
from scoring.errors import ExpressionError, UnitMismatchError
from scoring.methods import METHODS, Measures
from scoring.model import Kind, Op, Reading
from scoring.parse import parse_actual, parse_target
from scoring.rulesets import Ruleset, available, load_ruleset

_NUMERIC = (Kind.QUANTITY, Kind.RANGE)
_WORDS = (Kind.QUALITATIVE, Kind.RELATIVE)
_NO_FLAGS: tuple = ()


@dataclass(frozen=True)
class Scored:
    """The engine's result: one row per indicator, one per project."""

    indicators: pd.DataFrame
    projects: pd.DataFrame


def half_up(values: np.ndarray, places: int | np.ndarray) -> np.ndarray:
    """Round half-up at ``places`` decimals, robust to binary representation (4.835 → 4.84)."""
    scale = np.power(10.0, places)
    scaled = np.asarray(values, dtype=float) * scale
    # A few ulps of slack: an exact .5 computed as 4.8349999999999999 still rounds up, while values
    # genuinely below .5 (9.7149999903) do not.
    return np.floor(scaled + 0.5 + 1e-12 * np.maximum(1.0, np.abs(scaled))) / scale


@bulk
def score(projects: pd.DataFrame, indicators: pd.DataFrame, ruleset: Ruleset, period: str = "year") -> Scored:
    """Score every indicator and project. ``period`` "H1" scores against 半年指标值 and the half-year plan."""
    rows = indicators.copy(deep=False)        # columns are replaced, never written in place
    if period == "H1":
        rows["target"] = rows["half_year_target"]
    keys = {name: family.key for name, family in ruleset.level1_index.items()}
    codes, names = pd.factorize(rows["level1"].to_numpy(dtype=object), use_na_sentinel=False)
    rows["family"] = pd.Series(objects([keys.get(name) for name in names])[codes], index=rows.index, dtype=object)
    cents, weight_issues = weights.assign(rows, ruleset)
    rows["weight"] = cents / 100.0
    run = _readings.set({})
    try:
        rows = _score_rows(rows, ruleset)
    finally:
        _readings.reset(run)
    scored_projects = _projects(projects, rows, ruleset, period, weight_issues)
    return Scored(rows, scored_projects)


# ---- readings --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Read:
    reading: Reading | None
    error: str | None         # the message, not the exception: its traceback would keep the callers' frames


def _target(text: str) -> _Read:
    return _read(text, parse_target)


def _actual(text: str) -> _Read:
    return _read(text, parse_actual)


_readings: ContextVar[dict | None] = ContextVar("readings", default=None)   # the run's, by (text, reader)


def _read(text: str, reader) -> _Read:
    """A reading, or the error that says why there is none (a data problem, reported per row); read
    once per run, and forgotten with it."""
    memo = _readings.get()
    if memo is not None and (text, reader) in memo:
        return memo[text, reader]
    try:
        read = _Read(reader(text), None)
    except ExpressionError as error:
        read = _Read(None, str(error))
    if memo is not None:
        memo[text, reader] = read
    return read


def _score_rows(rows: pd.DataFrame, ruleset: Ruleset) -> pd.DataFrame:
    """Status, method, share and points of every row (compound targets scored part by part)."""
    result = _score_simple(rows, ruleset)
    compound = result["method"].to_numpy(dtype=object) == Method.COMPOUND
    if compound.any():
        result = _score_compound(result, rows, compound, ruleset)
    return result


class _Outcome(NamedTuple):
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
    flags: tuple = _NO_FLAGS
    issues: tuple = _NO_FLAGS


_FIELDS = _Outcome._fields


def _score_simple(rows: pd.DataFrame, ruleset: Ruleset) -> pd.DataFrame:
    """Each distinct (target, actual, adverse) is evaluated once; the methods then run over arrays."""
    target_codes, target_values = _texts(rows["target"])
    actual_codes, actual_values = _texts(rows["actual"])
    targets = [_target(text).reading if text is not None else None for text in target_values]
    adverse = _adverse(rows, target_codes, targets, ruleset)
    keys = (target_codes.astype(np.int64) * len(actual_values) + actual_codes) * 2 + adverse
    codes, unique_keys = pd.factorize(keys)
    pairs, adverse_of = np.divmod(unique_keys, 2)
    outcomes = _outcomes(target_values, targets, actual_values, *np.divmod(pairs, len(actual_values)), adverse_of,
                         ruleset)
    table = {name: objects(list(map(attrgetter(name), outcomes))) for name in _FIELDS}     # one per outcome
    out = rows.copy(deep=False)
    out["outcome"] = codes          # rows with one (target, actual, adverse) share everything derived from it
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
        columns["issues"][unknown] = objects([((IssueCode.UNKNOWN_LEVEL1, f"规则集 {ruleset.name} 不认识一级指标「{name}」"),)
                                               for name in rows["level1"].to_numpy(dtype=object)[unknown]])
    evaluator = out["evaluator_score"].notna().to_numpy() & (columns["status"] == Status.SCORED) & np.isin(
        row_method, [k for k, name in enumerate(methods) if name not in (Method.QUALITATIVE, Method.COMPOUND)])
    if evaluator.any():
        columns["flags"][evaluator] = objects([f + (Flag.OVERRIDE,) for f in columns["flags"][evaluator]])
    for name, values in columns.items():
        out[name] = pd.Series(values, index=out.index, dtype=object)
    x = Measures(a=out["a"].to_numpy(), b=out["b"].to_numpy(), low=out["low"].to_numpy(),
                 high=out["high"].to_numpy(), strict=out["strict"].to_numpy(), on_time=out["on_time"].to_numpy())
    share = np.zeros(len(out))
    for k, name in enumerate(methods):
        if name in METHODS:
            chosen = row_method == k
            share[chosen] = METHODS[name](x)[chosen]
    out["share"] = share
    _over_achievement(out, ruleset)
    _qualitative(out, ruleset)
    _points(out)
    return out


def _texts(column: pd.Series) -> tuple[np.ndarray, list]:
    """Codes of a text column into its distinct texts, None (missing, or not text) first."""
    codes, uniques = pd.factorize(column.to_numpy(dtype=object))
    return codes + 1, [None] + [value if isinstance(value, str) else None for value in uniques]


def _outcomes(targets: list, readings: list, actuals: list, target_of: np.ndarray, actual_of: np.ndarray,
              adverse_of: np.ndarray, ruleset: Ruleset) -> list[_Outcome]:
    """The outcome of each distinct (target, actual, adverse), from the target texts and their readings
    (None: no reading). A number target against actuals that are quantities is worked out once per
    (target, unit, adverse); each actual then brings its value."""
    numeric = np.array([r is not None and r.kind in _NUMERIC for r in readings], dtype=bool)[target_of]
    quantities = {}
    for a in np.unique(actual_of[numeric]).tolist():
        text = actuals[a]
        reading = None if text is None or _not_applicable(text, ruleset) else _actual(text).reading
        if reading is not None and reading.kind is Kind.QUANTITY:
            quantities[a] = reading
    outcomes, against = [], {}
    for t, a, adverse, number in zip(target_of.tolist(), actual_of.tolist(), adverse_of.astype(bool).tolist(),
                                     numeric.tolist()):
        r = quantities.get(a) if number else None
        if r is None:
            outcomes.append(_evaluate(targets[t], actuals[a], adverse, ruleset))
            continue
        key = (t, r.unit, adverse)
        if key not in against:
            against[key] = _against(readings[t], r.unit, adverse, (), ruleset)
        outcomes.append(_valued(against[key], r.value))
    return outcomes


def _not_applicable(actual_text: str, ruleset: Ruleset) -> bool:
    return actual_text.strip().lower() in ruleset.not_applicable_index


def _evaluate(target_text: str | None, actual_text: str | None, adverse: bool, ruleset: Ruleset) -> _Outcome:
    """Everything about a row that its target and actual decide (not its weight)."""
    if target_text is None:
        return _Outcome(Status.NOT_SCORED, issues=((IssueCode.MISSING_TARGET, "缺少指标值 / no target"),))
    target = _target(target_text)
    if target.error is not None:
        return _Outcome(Status.NOT_SCORED, issues=((IssueCode.BAD_TARGET, f"指标值无法解读：{target.error}"),))
    t = target.reading
    if actual_text is not None and _not_applicable(actual_text, ruleset):
        return _Outcome(Status.NOT_APPLICABLE, Method.NOT_APPLICABLE, unit=t.unit)
    if actual_text is None:
        return _Outcome(method=Method.MISSING, unit=t.unit, issues=((IssueCode.MISSING_ACTUAL, "未填写实际完成值 / no actual"),))
    if t.kind is Kind.COMPOUND:
        return _Outcome(method=Method.COMPOUND)
    actual = _actual(actual_text)
    if actual.error is not None:
        return _Outcome(Status.NOT_SCORED, unit=t.unit, issues=((IssueCode.BAD_ACTUAL, f"实际完成值无法解读：{actual.error}"),))
    r = _as_date(actual.reading) if t.kind is Kind.DATE else actual.reading
    flags = []
    if t.kind is Kind.QUANTITY and t.value == 0 and r.kind is Kind.QUALITATIVE and _says_none(r.word, ruleset):
        r = parse_actual("0")                     # 无, 未发生, 没有发生事故: a count of zero
        flags.append(Flag.QUALITATIVE_ACTUAL)
    if t.kind in _NUMERIC and r.kind is Kind.QUANTITY:
        return _valued(_against(t, r.unit, adverse, tuple(flags), ruleset), r.value)
    if t.kind is Kind.DATE and r.kind is Kind.DATE:
        return _Outcome(method=ruleset.method("date"), on_time=_on_time(r, t), unit=t.unit, flags=tuple(flags))
    if t.kind in _NUMERIC and r.kind is not Kind.QUALITATIVE:
        return _Outcome(Status.NOT_SCORED, unit=t.unit,
                        issues=((IssueCode.BAD_ACTUAL, "实际完成值应为数值 / the actual should be a number"),))
    tier, by_prefix = _tier(actual_text.strip(), t.word or t.reference or "", t.text, ruleset)
    flags = [*(() if t.kind in _WORDS else (Flag.QUALITATIVE_ACTUAL,)), *((Flag.TIER_BY_PREFIX,) if by_prefix else ())]
    return _Outcome(method=Method.QUALITATIVE, tier=tier, unit=t.unit, flags=tuple(flags))


def _as_date(reading: Reading) -> Reading:
    """``8月`` reported against a deadline is the month, not eight months."""
    if reading.kind is Kind.QUANTITY and reading.unit == "月" and reading.value == reading.value.to_integral_value() \
            and 1 <= reading.value <= 12:
        return parse_actual(f"{int(reading.value)}月前")
    return reading


def _says_none(word: str | None, ruleset: Ruleset, adverse: bool = False) -> bool:
    """无, 零, 未发生, 没有发生安全事故: words that report that nothing happened (with ``adverse``:
    nothing of an adverse event the ruleset names)."""
    if not word:
        return False
    events = "|".join(map(re.escape, ruleset.adverse_words)) or "$^"
    tail = f".*(?:{events}).*" if adverse else f"(?:.*(?:{events}).*)?"
    return bool(re.fullmatch(rf"(?:无|零|没有|未发生|没有发生|未出现|没有出现|无重大){tail}", word))


def _adverse(rows: pd.DataFrame, target_codes: np.ndarray, readings: list, ruleset: Ruleset) -> np.ndarray:
    """Rows whose name or target label names an adverse event (事故, 差错, 投诉 …), among the rows whose
    target is a bare zero (``做到0投诉``, ``事故及差错 0``): the comparator assumed for those is all the
    flag decides. ``readings``: each distinct target's reading (None: none), coded by ``target_codes``."""
    adverse = np.zeros(len(rows), dtype=np.int64)
    if not ruleset.adverse_words:
        return adverse
    pattern = re.compile("|".join(map(re.escape, ruleset.adverse_words)))
    bare_zero = np.array([r is not None and r.kind is Kind.QUANTITY and r.op is None and r.value == 0
                          for r in readings], dtype=bool)[target_codes]
    if not bare_zero.any():
        return adverse
    labelled = np.array([r is not None and bool(pattern.search("".join(filter(None, (r.label, r.note)))))
                         for r in readings], dtype=bool)
    names = rows["name"].to_numpy(dtype=object)[bare_zero]
    name_codes, distinct_names = pd.factorize(names)
    named = np.array([isinstance(v, str) and bool(pattern.search(v)) for v in distinct_names] + [False], dtype=bool)
    adverse[bare_zero] = labelled[target_codes[bare_zero]] | named[name_codes]
    return adverse


class _Against(NamedTuple):
    """A number target against actuals in one unit: the outcome but B; how an actual's value becomes B
    (None: it cannot, and the outcome says why); the floor a B below it is raised to (None: none, the
    target itself being below the ruleset's floor)."""

    outcome: _Outcome
    factor: Fraction | None
    floor: float | None


def _against(t: Reading, unit: str, adverse: bool, flags: tuple, ruleset: Ruleset) -> _Against:
    """The number target ``t`` against actuals written in ``unit``: the comparator (assumed where none
    is written), the method, the unit conversion and the flags they raise, after ``flags``."""
    flags = list(flags)
    op = t.op
    if t.kind is Kind.QUANTITY and op is None:
        op = ruleset.adverse_op if (t.value == 0 and adverse) else ruleset.assumed_op
        flags.append(Flag.ASSUMED_OP)
    conversion = _conversion(unit, t.unit)
    if isinstance(conversion, str):
        mismatch = _Outcome(Status.NOT_SCORED, unit=t.unit, flags=tuple(flags), issues=((IssueCode.UNIT_MISMATCH, conversion),))
        return _Against(mismatch, None, None)
    factor, unit_flags = conversion
    flags += unit_flags
    floor = float(ruleset.negative_floor)      # for a negative actual against a target that is not itself negative
    floor = floor if float(t.value if t.value is not None else t.low) >= floor else None
    if t.kind is Kind.RANGE:
        return _Against(_Outcome(method=ruleset.method("range"), op=op, low=float(t.low), high=float(t.high),
                                 unit=t.unit, flags=tuple(flags)), factor, floor)
    return _Against(_Outcome(method=ruleset.method(op.value), op=op, a=float(t.value), strict=op in (Op.GT, Op.LT),
                             unit=t.unit, flags=tuple(flags)), factor, floor)


def _valued(against: _Against, value: Decimal) -> _Outcome:
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


@lru_cache(maxsize=1 << 12)
def _conversion(actual_unit: str, target_unit: str) -> tuple[Fraction, tuple[str, ...]] | str:
    """The exact factor from an actual's unit to its target's and the flags it raises; or why there is
    none.

    A missing unit on either side is taken from the other, and a bare multiplier (``<50万``) is read in
    the other side's unit (50万元 against 42.6万元): both are flagged ``assumed_unit``.
    """
    flags = []
    actual_as = units.with_multiplier(actual_unit, target_unit)
    target_as = units.with_multiplier(target_unit, actual_unit)
    if (actual_as, target_as) != (actual_unit, target_unit) or bool(actual_unit) != bool(target_unit):
        flags.append(Flag.ASSUMED_UNIT)
    factor = Fraction(1)
    if actual_as and target_as:
        try:
            conversion = units.conversion(actual_as, target_as)
        except UnitMismatchError:
            per_item = (units.per_item(target_as), units.per_item(actual_as))
            if per_item[0] and units.compatible(actual_as, per_item[0]):
                target_as = per_item[0]       # ≤2小时/次 against 90分钟: the actual is per item
            elif per_item[1] and units.compatible(per_item[1], target_as):
                actual_as = per_item[1]
            else:
                return str(UnitMismatchError(actual_unit, target_unit))
            flags.append(Flag.ASSUMED_UNIT)
            conversion = units.conversion(actual_as, target_as)
        factor = conversion.factor
        if conversion.classifier_change:
            flags.append(Flag.CLASSIFIER_CHANGE)
    return factor, tuple(flags)


def _on_time(actual: Reading, target: Reading) -> bool:
    done, due = actual.deadline, target.deadline
    done_key = (done.year or due.year or 0, done.month or 12, done.day or 31)
    due_key = (due.year or done.year or 0, due.month or 12, due.day or 31)
    return done_key >= due_key if target.op is Op.GE else done_key <= due_key


@lru_cache(maxsize=1 << 14)
def _tier(actual: str, target_word: str, target_text: str, ruleset: Ruleset) -> tuple[str | None, bool]:
    """The qualitative tier an actual's words put it in (None when it cannot be told), and whether
    only a prefix (基本…, 未…) told it.

    Whole words first, then phrases contained (negative tiers first: 未完成 before 完成), then the
    target's own words, then prefixes.
    """
    tiers = sorted(ruleset.tiers, key=lambda t: t.low)
    top = tiers[-1].name
    if actual in {tier.name for tier in tiers}:
        return actual, False
    if actual in (target_word, target_text) or _says_none(actual, ruleset, adverse=True):
        return top, False
    for tier in tiers:
        if actual in tier.words:
            return tier.name, False
    for tier in tiers:
        if any(phrase in actual for phrase in tier.contains):
            return tier.name, False
    if target_word and target_word in actual and not actual.startswith(tuple(p for t in tiers[:-1] for p in t.prefixes)):
        return top, False
    for tier in tiers:
        if actual.startswith(tier.prefixes):
            return tier.name, True
    return None, False


def _over_achievement(out: pd.DataFrame, ruleset: Ruleset) -> None:
    ratio = float(ruleset.over_ratio)
    with np.errstate(divide="ignore", invalid="ignore"):
        over = (out["op"].isin([Op.GE, Op.GT]) & (out["a"] > 0) & (out["b"] / out["a"] >= ratio - 1e-12)).to_numpy()
    if over.any():
        out.loc[over, "share"] = out.loc[over, "share"] * (1 - float(ruleset.over_deduction))
        flags = out["flags"].to_numpy(dtype=object).copy()
        flags[over] = objects([f + (Flag.OVER_ACHIEVEMENT,) for f in flags[over]])
        out["flags"] = pd.Series(flags, index=out.index, dtype=object)


def _qualitative(out: pd.DataFrame, ruleset: Ruleset) -> None:
    """Shares of qualitative rows: the tier's default points, or the evaluator's score inside its band."""
    qualitative = out["method"].to_numpy(dtype=object) == Method.QUALITATIVE
    if not qualitative.any():
        return
    bands = {tier.name: tier for tier in ruleset.tiers}
    points = {name: float(tier.points) for name, tier in bands.items()}
    tier_codes, tier_names = pd.factorize(out["tier"].to_numpy(dtype=object)[qualitative])
    defaults = np.full(len(out), math.nan)
    defaults[qualitative] = np.array([points.get(t, math.nan) for t in tier_names] + [math.nan])[tier_codes]
    share = np.where(qualitative, defaults, out["share"].to_numpy())
    given_all = out["evaluator_score"].to_numpy(dtype=float)
    attention = np.flatnonzero(qualitative & (~np.isnan(given_all) | np.isnan(defaults)))
    if not attention.size:
        out["share"] = share
        return
    status, issues, flags, tiers = (out[c].to_numpy(dtype=object).copy() for c in ("status", "issues", "flags", "tier"))
    top = max(t.high for t in ruleset.tiers)
    for i in attention:
        weight, given, tier = out["weight"].iat[i], given_all[i], tiers[i]
        has_score = given == given and weight > 0
        ratio = Decimal(str(given)) / Decimal(str(weight)) if has_score else None
        if tier not in bands and has_score:
            tier = tiers[i] = next((t.name for t in ruleset.tiers if _in_band(ratio, t, top)), None)
        if tier not in bands:
            status[i], share[i] = Status.NOT_SCORED, 0.0
            issues[i] += ((IssueCode.TIER_UNKNOWN, "无法判断达成档次，请填写「达成」「部分达成」或「未达成」，或给出得分"
                                           " / tell the tier"),)
            continue
        band = bands[tier]
        share[i] = float(band.points)
        if has_score:
            if _in_band(ratio, band, top):
                share[i] = float(ratio)
                flags[i] += (Flag.EVALUATOR_SCORE,)
            else:
                issues[i] += ((IssueCode.SCORE_OUT_OF_BAND, f"评价人得分 {given:g} 不在「{tier}」档次区间"
                                                    f" {float(band.low) * 100:g}%–{float(band.high) * 100:g}% 内"
                                                    " / outside the band"),)
    out["share"] = share
    for name, values in (("status", status), ("issues", issues), ("flags", flags), ("tier", tiers)):
        out[name] = pd.Series(values, index=out.index, dtype=object)


def _in_band(ratio: Decimal, tier, top: Decimal) -> bool:
    """Bands are [low, high), the highest one closed at its top."""
    return tier.low <= ratio and (ratio < tier.high or (tier.high == top and ratio <= tier.high))


def _points(out: pd.DataFrame) -> None:
    scored = out["status"].to_numpy(dtype=object) == Status.SCORED
    computed = np.where(scored, half_up(out["weight"].to_numpy() * out["share"].to_numpy(), 2), 0.0)
    override = out["evaluator_score"].notna().to_numpy(copy=True)     # only a row with a score is overridden
    flags = out["flags"].to_numpy(dtype=object)
    override[override] = [Flag.OVERRIDE in f for f in flags[override]]
    out["computed_score"] = computed
    out["score"] = np.where(override, half_up(out["evaluator_score"].to_numpy(dtype=float), 2), computed)


# ---- compound targets --------------------------------------------------------------------------------

def _score_compound(result: pd.DataFrame, rows: pd.DataFrame, compound: np.ndarray,
                    ruleset: Ruleset) -> pd.DataFrame:
    """Each part of a compound target takes an equal share of w; the actual gives the parts by label or
    in order (one plain actual, or a tier word, stands for every part)."""
    owners = np.flatnonzero(compound)
    parts = {name: [] for name in ("owner", "target", "actual")}
    for i, target, actual in zip(owners, rows["target"].to_numpy(dtype=object)[owners],
                                 rows["actual"].to_numpy(dtype=object)[owners]):
        target_parts = _target(target).reading.parts
        for part, part_actual in zip(target_parts, _actual_parts(actual if isinstance(actual, str) else None, target_parts)):
            parts["owner"].append(i)
            parts["target"].append(part.text)
            parts["actual"].append(part_actual)
    owner = np.array(parts["owner"])
    frame = rows.iloc[owner].reset_index(drop=True)
    frame["target"] = pd.Series(parts["target"], dtype=object)
    frame["actual"] = pd.Series(parts["actual"], dtype=object)
    frame["evaluator_score"] = np.nan
    counts = np.bincount(owner, minlength=len(rows))[owner]
    frame["weight"] = frame["weight"].to_numpy() / counts
    scored = _score_simple(frame, ruleset)
    status = scored["status"].to_numpy(dtype=object)
    share = np.where(status == Status.SCORED, scored["share"].to_numpy(), 0.0)
    by_owner = pd.DataFrame({"owner": owner, "share": share, "not_scored": status == Status.NOT_SCORED,
                             "not_applicable": status == Status.NOT_APPLICABLE}).groupby("owner", sort=False)
    summary = by_owner.agg(share=("share", "mean"), not_scored=("not_scored", "any"),
                           not_applicable=("not_applicable", "all"))
    index = summary.index.to_numpy()
    statuses = result["status"].to_numpy(dtype=object).copy()
    statuses[index] = objects([Status.SCORED, Status.NOT_SCORED, Status.NOT_APPLICABLE])[
        np.where(summary["not_applicable"], 2, np.where(summary["not_scored"], 1, 0))]
    shares = result["share"].to_numpy().copy()
    shares[index] = summary["share"].to_numpy()
    flags, issues = result["flags"].to_numpy(dtype=object).copy(), result["issues"].to_numpy(dtype=object).copy()
    given = result["evaluator_score"].to_numpy(dtype=float)
    part_lists = np.full(len(result), None, dtype=object)
    grouped: dict[int, list[int]] = {}
    for k, o in enumerate(owner):
        grouped.setdefault(int(o), []).append(k)
    part_flags, part_issues = scored["flags"].to_numpy(dtype=object), scored["issues"].to_numpy(dtype=object)
    targets, actuals = scored["target"].to_numpy(dtype=object), scored["actual"].to_numpy(dtype=object)
    for o, members in grouped.items():
        merged = tuple(dict.fromkeys(f for k in members for f in part_flags[k]))
        flags[o] = merged + ((Flag.OVERRIDE,) if given[o] == given[o] else ())
        issues[o] = issues[o] + tuple((code, f"{targets[k]}：{message}") for k in members
                                      for code, message in part_issues[k])
        part_lists[o] = tuple((targets[k], actuals[k], share[k], status[k]) for k in members)
    result["status"] = pd.Series(statuses, index=result.index, dtype=object)
    result["share"] = shares
    result["flags"] = pd.Series(flags, index=result.index, dtype=object)
    result["issues"] = pd.Series(issues, index=result.index, dtype=object)
    result["parts"] = pd.Series(part_lists, index=result.index, dtype=object)
    _points(result)
    return result


def _actual_parts(actual: str | None, target_parts: tuple[Reading, ...]) -> list[str | None]:
    if actual is None:
        return [None] * len(target_parts)
    reading = _actual(actual).reading
    if reading is not None and reading.label and any(part.label for part in target_parts):
        # one labelled actual (使用率 100%) answers only the part with that label
        return [actual if part.label == reading.label else None for part in target_parts]
    if reading is None or reading.kind is not Kind.COMPOUND:
        return [actual] * len(target_parts)
    by_label = {part.label: part.text for part in reading.parts if part.label}
    ordered = [part.text for part in reading.parts]
    return [by_label.get(part.label) if part.label in by_label else
            (ordered[k] if k < len(ordered) else None) for k, part in enumerate(target_parts)]


# ---- projects --------------------------------------------------------------------------------------

def _projects(projects: pd.DataFrame, rows: pd.DataFrame, ruleset: Ruleset, period: str,
              weight_issues: list[dict]) -> pd.DataFrame:
    out = projects.copy()
    budget_points = float(ruleset.budget_points)
    denominator = (out["budget_half_year"] if period == "H1"
                   else out["budget_adjusted"].fillna(out["budget_initial"])).to_numpy(dtype=float)
    executed = out["budget_executed"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(denominator > 0, np.maximum(executed, 0.0) / denominator, np.nan)
    out["budget_denominator"] = denominator
    out["budget_rate"] = rate
    out["budget_weight"] = budget_points
    out["budget_score"] = _budget_scores(ruleset.budget_points, executed, denominator)

    by_project = rows.groupby("project", sort=False)
    indicator_score = by_project["score"].sum()
    weight_sum = by_project["weight"].sum()
    na_weight = rows["weight"].where(rows["status"].to_numpy(dtype=object) == Status.NOT_APPLICABLE, 0.0).groupby(
        rows["project"]).sum()
    out["indicator_score"] = out["project"].map(indicator_score).fillna(0.0).round(2)
    out["indicator_weight"] = out["project"].map(weight_sum).fillna(0.0).round(2)
    out["na_weight"] = out["project"].map(na_weight).fillna(0.0).round(2)
    points = (out["budget_score"] + out["indicator_score"]).round(2)
    at_stake = (100.0 - out["na_weight"]).round(2)
    out["points"], out["points_max"] = points, at_stake
    with np.errstate(divide="ignore", invalid="ignore"):
        rescaled = np.where(at_stake > 0, half_up(points * 100.0 / at_stake, 2), 0.0)
    out["total"] = np.where(out["na_weight"] > 0, rescaled, points)
    codes, totals = pd.factorize(out["total"].to_numpy(dtype=float), use_na_sentinel=False)
    out["grade"] = pd.Series(objects([ruleset.grade(Decimal(str(t))) for t in totals.tolist()])[codes],
                             index=out.index, dtype=object)
    out["issues"] = _project_issues(out, rows, ruleset, weight_issues, budget_points)
    return out


def _budget_scores(weight: Decimal, executed: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """Budget points of every project: in floats, and exactly wherever the cents are near a tie."""
    valid = (denominator > 0) & ~np.isnan(executed)
    with np.errstate(divide="ignore", invalid="ignore"):
        cents = float(weight) * np.minimum(np.maximum(executed, 0.0) / denominator, 1.0) * 100.0
    points = np.where(valid, np.floor(cents + 0.5) / 100.0, 0.0)
    for i in np.flatnonzero(valid & (np.abs(cents - np.floor(cents) - 0.5) < 1e-6)):
        points[i] = _budget_points(weight, executed[i], denominator[i])
    return points


def _budget_points(weight: Decimal, executed: float, denominator: float) -> float:
    """weight × min(executed / budget, 1), half-up to cents, exactly (9.7149999 is 9.71, not 9.72)."""
    if not (denominator > 0) or executed != executed:
        return 0.0
    rate = min(max(Decimal(repr(float(executed))), Decimal(0)) / Decimal(repr(float(denominator))), Decimal(1))
    return float(numbers.round_half_up(Fraction(weight * rate), 2))


def _project_issues(out, rows, ruleset, weight_issues, budget_points) -> list[tuple]:
    issues: dict[int, list] = {p: [] for p in out["project"].to_numpy().tolist()}
    for issue in weight_issues:
        family = next((f.title for f in ruleset.families if f.key == issue["family"]), None)
        where = f"「{family}」" if family and ruleset.weights_by == "family" else ""
        issues[issue["project"]].append((issue["code"], f"{where}{issue['message']}"))
    unknown = rows.loc[rows["family"].isna(), ["project", "level1"]].drop_duplicates()
    for project, level1 in zip(unknown["project"], unknown["level1"]):
        knowing = [name for name in available() if load_ruleset(name).family_of(level1) is not None]
        hint = f"；认识它的规则集：{'、'.join(knowing)}" if knowing else ""
        issues[project].append((IssueCode.UNKNOWN_LEVEL1, f"规则集 {ruleset.name} 不认识一级指标「{level1}」{hint}"
                                                  " / unknown first-level name"))
    for project, at_stake in zip(out["project"], out["points_max"]):
        if at_stake <= 0:
            issues[project].append((IssueCode.NOTHING_AT_STAKE, "所有分值都不适用，无法折算总分 / nothing left to score"))
    for project, executed in zip(out["project"], out["budget_executed"]):
        if executed < 0:
            issues[project].append((IssueCode.NEGATIVE_BUDGET, f"全年执行数为负（{executed:,.2f}），按 0 计 / negative execution"))
    for project, rate, has_actuals, total_weight in zip(out["project"], out["budget_rate"], out["has_actuals"],
                                                        out["indicator_weight"]):
        if math.isnan(rate):
            issues[project].append((IssueCode.MISSING_BUDGET, "缺少全年执行数或预算数，预算执行率按 0 分计 / no budget execution"))
        if not has_actuals:
            issues[project].append((IssueCode.MISSING_PROJECT_ACTUALS, "实际完成值文件中没有这个项目 / no actuals for this project"))
        if abs(budget_points + total_weight - 100.0) > 0.005:
            issues[project].append((IssueCode.WEIGHTS_TOTAL, f"分值合计 {budget_points + total_weight:.2f}，不是 100"
                                                     " / weights do not add up to 100"))
    return [tuple(issues[p]) for p in out["project"]]

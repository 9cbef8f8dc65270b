"""Target review (目标审核): declared targets checked before the year starts, by the ruleset's [review]
data (scoring.rulesets.ReviewRules), one ``Finding`` per problem with a stable code (codes.ReviewCode),
the indicator, a Chinese message and what would fix it. Reads the engine's input frames; no I/O.

    review(projects, indicators, ruleset) -> list[Finding]

Projects first (levels, counts, the share of quantitative targets, weights), then each indicator in
table order (readable, precise, the kind its name asks for, in the project's year, not repeated).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

import numpy as np
import pandas as pd

from scoring import columns
from scoring._columnar import distinct
from scoring._columnar.bulk import bulk
from scoring.codes import ReviewCode
from scoring.engine.families import compared
from scoring.engine.readings import Memo, Read
from scoring.model import Kind, Op, Reading
from scoring.numbers import year as year_of
from scoring.rulesets import ReviewRules, Ruleset

_QUANTITATIVE = (Kind.QUANTITY, Kind.RANGE, Kind.DATE, Kind.RELATIVE)
_MEASURES = ("指数", "系数", "参数", "倍数", "比")        # names of measures without a unit, not counts
_AT_LEAST = (Op.GE, Op.GT)


@dataclass(frozen=True)
class Finding:
    """One problem of a declaration: ``indicator`` None for the project's own."""

    code: ReviewCode
    project: str
    indicator: str | None
    message: str
    fix: str

    def as_dict(self) -> dict:
        return {"code": str(self.code), "label": self.code.label, "project": self.project,
                "indicator": self.indicator, "message": self.message, "fix": self.fix}


class _Row(NamedTuple):
    """What an indicator's own findings depend on (the per-row definition's input)."""

    name: str | None
    target: str | None
    half_year_target: str | None


@bulk
def review(projects: pd.DataFrame, indicators: pd.DataFrame, ruleset: Ruleset) -> list[Finding]:
    """Every finding of the declared targets, projects in order, each project's own findings first,
    then its indicators' in table order. An indicator's findings are those of its distinct (name,
    target, half-year target, project year, half-year column used) combination, found once."""
    rules = ruleset.review
    owner = columns.owners(projects, indicators)
    order = np.argsort(owner, kind="stable")
    rows, owner, n = indicators.iloc[order], owner[order], len(projects)
    names = [row.name or row.id or "" for row in projects.itertuples()]
    years = distinct.objects([year_of(y) for y in projects["year"].tolist()])
    memo = Memo()
    declared = _any(owner, distinct.tested(rows["half_year_target"], lambda half: isinstance(half, str)), n)
    combination, first = distinct.combinations(
        [distinct.factorize(rows[key]) for key in _Row._fields] +
        [distinct.factorize(years[owner]), distinct.factorize(declared[owner])], len(rows))
    samples = [rows[key].to_numpy(dtype=object)[first].tolist() for key in _Row._fields]
    found_in = [list(_indicator(_Row(*values), _reading(memo, values[1]), years[p], bool(declared[p]), rules, ruleset,
                                memo))
                for values, p in zip(zip(*samples), owner[first].tolist())]
    repeated = rows.assign(project=owner).duplicated(["project", "level1", "level2", "name"]).to_numpy()
    by_project = [list(_project(names[p], years[p], *facts, rules, ruleset))
                  for p, *facts in _project_facts(rows, owner, n, memo, rules)]
    level1, level2, name = (rows[key].to_numpy(dtype=object) for key in ("level1", "level2", "name"))
    with_findings = np.asarray([bool(f) for f in found_in], dtype=bool)[combination] | repeated
    for k in np.flatnonzero(with_findings).tolist():
        label = " / ".join(part for part in (level1[k], level2[k], name[k]) if part)
        project = names[owner[k]]
        listed = by_project[owner[k]]
        if repeated[k]:
            listed.append(Finding(ReviewCode.DUPLICATE_INDICATOR, project, label, f"与同一项目中的「{label}」重复",
                                  "合并两条，或改写名称以区分"))
        listed += [Finding(code, project, label, message, fix) for code, message, fix in found_in[combination[k]]]
    return [f for listed in by_project for f in listed if str(f.code) not in rules.off]


def _project_facts(rows: pd.DataFrame, owner: np.ndarray, n: int, memo: Memo, rules: ReviewRules):
    """(project, levels present, whether any row has a 一级 or 二级指标, indicators, quantitative share
    or None, weights total or None) of each project."""
    count = np.bincount(owner, minlength=n)
    levelled = _any(owner, _in_columns(rows, ("level1", "level2"), lambda text: bool(text.strip())), n)
    present = [_any(owner, _in_columns(rows, level.columns,
                                       lambda text: any(word in compared(text) for word in level.words)), n)
               for level in rules.levels]
    readable = distinct.tested(rows["target"], lambda text: _read_target(memo, text) is not None)
    quantitative = distinct.tested(rows["target"], lambda text: (reading := _read_target(memo, text)) is not None
                                   and _quantitative(reading))
    read_count = np.bincount(owner, weights=readable, minlength=n)
    share = np.divide(np.bincount(owner, weights=quantitative, minlength=n), read_count,
                      out=np.full(n, np.nan), where=read_count > 0)
    weights = rows["weight"].to_numpy(dtype=float)
    finite = np.isfinite(weights)
    total = np.bincount(owner, weights=np.where(finite, weights, 0.0), minlength=n).astype(float)   # int64 when empty
    total[_any(owner, ~finite, n) | (count == 0)] = np.nan
    for p in range(n):
        yield (p, [bool(has[p]) for has in present], bool(levelled[p]), int(count[p]),
               None if np.isnan(share[p]) else float(share[p]), None if np.isnan(total[p]) else float(total[p]))


def _in_columns(rows: pd.DataFrame, names: tuple[str, ...], test) -> np.ndarray:
    """Whether each row has a text in one of the columns ``names`` that passes ``test``."""
    return np.logical_or.reduce([distinct.tested(rows[name], lambda text: isinstance(text, str) and test(text))
                                 for name in names])


def _any(owner: np.ndarray, rows: np.ndarray, n: int) -> np.ndarray:
    """Whether any row of each of the ``n`` projects is true."""
    return np.bincount(owner, weights=rows, minlength=n) > 0


def _project(name: str, year: int | None, present: list[bool], levelled: bool, count: int, share: float | None,
             total: float | None, rules: ReviewRules, ruleset: Ruleset):
    """The project's own findings from its facts (_project_facts); a table without levels (指标名称 |
    指标值 | 权重) is told so once, not once per level."""
    asked = [level for level in rules.levels
             if level.from_year is None or year is not None and year >= level.from_year]
    if count and not levelled and asked:
        yield Finding(ReviewCode.MISSING_LEVEL, name, None, "指标没有一级、二级指标，无法核对层级",
                      f"按一级、二级、三级指标填报，设置{'、'.join(level.name for level in asked)}")
        asked = []
    for level, has in zip(rules.levels, present):
        if not has and level in asked:
            yield Finding(ReviewCode.MISSING_LEVEL, name, None, f"没有{level.name}",
                          f"至少设置一个{level.name}" + (f"（{level.from_year} 年起）" if level.from_year else ""))
    if count < rules.min_indicators:
        yield Finding(ReviewCode.TOO_FEW_INDICATORS, name, None, f"只有 {count} 个三级指标",
                      f"至少设置 {rules.min_indicators} 个三级指标")
    if share is not None and rules.min_quantitative_share and share < rules.min_quantitative_share:
        yield Finding(ReviewCode.QUANTITATIVE_SHARE, name, None,
                      f"定量指标占 {share:.0%}，低于 {float(rules.min_quantitative_share):.0%}",
                      "把能计量的指标写成数值（数量、比率、时限）")
    expected = float(ruleset.indicator_points)
    if total is not None and abs(total - expected) > 0.005:
        yield Finding(ReviewCode.WEIGHTS_TOTAL, name, None, f"三级指标分值合计 {total:g}，不是 {expected:g}",
                      f"调整分值，使合计为 {expected:g}（另 {float(ruleset.budget_points):g} 分为预算执行）")


def _indicator(row, read: Read | None, year: int | None, half_declared: bool, rules: ReviewRules, ruleset: Ruleset,
               memo: Memo):
    """(code, message, fix) of each problem of one indicator."""
    name = compared(row.name or "")
    if read is None:
        yield ReviewCode.MISSING_TARGET, "没有指标值", "填写指标值"
        return
    reading = read.reading
    if reading is None:
        yield (ReviewCode.UNREADABLE_TARGET, f"指标值「{row.target}」无法解读：{read.error.splitlines()[0]}",
               "按 ≥95%、≤8小时、=0次 这样的格式填写")
        return
    text = reading.text
    vague = next((word for word in rules.vague_words if word in text), None)
    if vague:
        yield (ReviewCode.VAGUE_TARGET, f"指标值「{text}」含糊（{vague}）",
               "写出可核验的数值或状态，如 ≥95%、提高 5 个百分点、2026年12月31日前")
    for part in reading.parts or (reading,):                 # a compound's part by its own label (合格率≥95%)
        named = compared(part.label) if reading.parts and part.label else name
        yield from _value(part, named, year, rules, ruleset)
    if reading.kind is Kind.QUALITATIVE and _counted(name, rules):
        yield ReviewCode.KIND_MISMATCH, f"「{row.name}」是数量，指标值却是文字「{text}」", "写出数量及单位，如 ≥200人次"
    counted = not name.endswith(rules.rate_endings) or _adverse_name(name, ruleset)   # 投诉处理率 ≥95% is fine
    if reading.op in _AT_LEAST and counted and any(word in name for word in ruleset.adverse_words):
        yield (ReviewCode.ADVERSE_AT_LEAST, f"「{row.name}」越少越好，指标值却是「{text}」",
               "写成 ≤ 或 =，如 =0次、≤1%")
    yield from _half_year(row, reading, half_declared, memo)


def _value(reading: Reading, name: str, year: int | None, rules: ReviewRules, ruleset: Ruleset):
    """The problems of one value (a compound's part) under its name. A rate of which less is better
    (发病率, 投诉率) is often per head (≤1/10万, ≤3次/万人): it is held to 100% at most, not to a %."""
    if reading.kind is Kind.DATE and reading.deadline is not None and None not in (year, reading.deadline.year):
        if reading.deadline.year != year:
            yield (ReviewCode.DATE_OUTSIDE_YEAR, f"期限 {reading.text} 不在项目年度 {year} 年内",
                   f"写 {year} 年内的期限，跨年的工作分年设置")
    if reading.kind is not Kind.QUANTITY or reading.value is None:
        return
    unit, value = reading.unit or "", Decimal(reading.value)
    percent = unit in ("%", "‰")
    rate = name.endswith(rules.rate_endings) and not _adverse_name(name, ruleset)
    if rate and not unit:
        yield ReviewCode.RATE_WITHOUT_PERCENT, f"比率「{reading.text}」没有写 %", f"写成 {reading.text}%"
    elif not unit and not rate and value != 0 and not name.endswith(_MEASURES):   # 0 of anything
        yield ReviewCode.NO_UNIT, f"数值「{reading.text}」没有单位", "写明单位，如 次、人、万元、小时"
    if name.endswith(rules.rate_endings) and unit == "%" and value > 100:
        yield ReviewCode.RATE_OVER_100, f"比率目标 {reading.text} 超过 100%", "检查数值，比率最多为 100%"
    if rate and unit in rules.count_units:
        yield (ReviewCode.KIND_MISMATCH, f"「{name}」是比率，指标值却是计数「{reading.text}」",
               "写成百分比，或把名称改为数量")
    if _counted(name, rules) and percent:
        yield (ReviewCode.KIND_MISMATCH, f"「{name}」是计数，指标值却是百分比「{reading.text}」",
               "写成计数及单位，如 =0次；或把名称改为比率")
    if name.endswith(rules.time_endings) and percent:
        yield (ReviewCode.KIND_MISMATCH, f"「{name}」是时间，指标值却是百分比「{reading.text}」",
               "写成时长或期限，如 ≤8小时、6月30日前")
    if unit in rules.count_units and value != value.to_integral_value():
        yield ReviewCode.FRACTIONAL_COUNT, f"计数「{reading.text}」带小数", "计数写整数；需要小数的，换用更小的单位"
    floor = rules.satisfaction_floor
    if floor is not None and "满意" in name and unit == "%" and reading.op in (*_AT_LEAST, Op.EQ) and value < floor:
        yield (ReviewCode.SATISFACTION_BELOW_FLOOR, f"满意度目标 {reading.text} 低于 {floor}%",
               f"满意度目标不低于 {floor}%")


def _half_year(row, reading: Reading, declared: bool, memo: Memo):
    half = row.half_year_target
    if not isinstance(half, str) or not half.strip():
        if declared:
            yield ReviewCode.HALF_YEAR_MISSING, "没有半年指标值（同一项目的其他指标有）", "填写半年指标值"
        return
    year_part, half_part = reading, _reading(memo, half).reading
    if not isinstance(half_part, Reading) or Kind.QUANTITY not in (year_part.kind, half_part.kind):
        return
    if (year_part.kind is half_part.kind is Kind.QUANTITY and year_part.op in _AT_LEAST and half_part.op in _AT_LEAST
            and year_part.unit == half_part.unit and year_part.unit not in ("%", "‰")
            and Decimal(half_part.value) > Decimal(year_part.value)):
        yield (ReviewCode.HALF_YEAR_OVER_YEAR, f"半年指标值 {half} 大于全年指标值 {year_part.text}",
               "累计数的半年目标不应超过全年目标")


def _reading(memo: Memo, target) -> Read | None:
    """A target's reading (or why it has none) from the run's memo; None for no target."""
    return memo.target(target) if isinstance(target, str) and target.strip() else None


def _read_target(memo: Memo, target) -> Reading | None:
    """A target's reading; None for no target or one that cannot be read."""
    read = _reading(memo, target)
    return None if read is None else read.reading


def _quantitative(reading: Reading) -> bool:
    """A number, a range, a date, a comparison; a compound whose parts are all of these."""
    return all(map(_quantitative, reading.parts)) if reading.kind is Kind.COMPOUND else reading.kind in _QUANTITATIVE


def _counted(name: str, rules: ReviewRules) -> bool:
    """Whether the name is of a count (培训人数, 差错次数), not of a measure (满意指数, 安全系数)."""
    return name.endswith(rules.count_endings) and not name.endswith(_MEASURES)


def _adverse_name(name: str, ruleset: Ruleset) -> bool:
    return any(name.endswith(rate) for rate in ruleset.adverse_rates)

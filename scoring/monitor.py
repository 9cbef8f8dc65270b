"""Mid-year monitoring (运行监控, 财预〔2019〕136号: budget execution and target completion watched
together): at a date, per indicator the progress expected, the progress reported, the year-end value
it points to and a light (green / yellow / red) with its reason; per project the budget executed
against the time gone (执行进度 vs 时间进度) and a project light. Thresholds are the ruleset's
[monitor] data. Reads the engine's input frames (the progress report in the actual column); no I/O.

    monitor(projects, indicators, ruleset, as_of) -> Monitoring

A cumulative target (a count, an amount: ≥ 200人次) is expected in proportion to the time gone, or
to the 半年指标值 where one is declared (reached at 30 June, the rest after); a level target (a rate,
a ≤ limit, a word, a deadline) is expected at its value all year.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction

import numpy as np
import pandas as pd

from scoring import columns, units
from scoring._columnar import distinct
from scoring._columnar.bulk import bulk
from scoring.engine import funds
from scoring.engine.families import compared
from scoring.engine.qualitative import says_none, tier_of
from scoring.engine.readings import Memo
from scoring.errors import UnitMismatchError
from scoring.model import Kind, Op, Reading
from scoring.numbers import year as year_of
from scoring.rulesets import Ruleset

_LEVEL_UNITS = ("%", "‰")


class Light(StrEnum):
    """How an indicator or a project stands at the date (监控结果)."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"

    @property
    def label(self) -> str:
        return {"green": "绿灯（正常）", "yellow": "黄灯（关注）", "red": "红灯（预警）"}[self.value]


@dataclass(frozen=True)
class Watched:
    """One indicator's standing at the date (the per-row definition's result): expected and reported
    progress in the target's unit (None where not a number), the projected year-end value, the light
    and why."""

    target: str
    reported: str | None
    expected: float | None
    progress: float | None
    projected: float | None
    unit: str
    light: Light
    reason: str


_NUMBERS = ("expected", "progress", "projected")
INDICATOR_FRAME = {"project_id": "object", "project": "object", "indicator": "object",
                   **{field: "float64" if field in _NUMBERS else "object" for field in Watched.__dataclass_fields__}}
PROJECT_FRAME = {"project_id": "object", "project": "object", "time_progress": "float64", "execution": "float64",
                 "light": "object", "reason": "object", "red_indicators": "int64"}
INDICATOR_COLUMNS, PROJECT_COLUMNS = tuple(INDICATOR_FRAME), tuple(PROJECT_FRAME)


@dataclass(frozen=True)
class Monitoring:
    """The lights at ``as_of``: one row per project (PROJECT_COLUMNS: 时间进度, 执行进度, its light, why,
    its red indicators) and one per indicator monitored (INDICATOR_COLUMNS); lights as ``Light`` values,
    numbers NaN where there is none."""

    as_of: date
    projects: pd.DataFrame
    indicators: pd.DataFrame

    @property
    def red(self) -> pd.DataFrame:
        """The indicators lit red (the summary of 红灯 rows)."""
        return self.indicators[self.indicators["light"] == Light.RED]

    @property
    def any_red(self) -> bool:
        return bool((self.projects["light"] == Light.RED).any() or (self.indicators["light"] == Light.RED).any())

    def as_dict(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "projects": records(self.projects),
                "indicators": records(self.indicators), "red": records(self.red)}


def records(frame: pd.DataFrame) -> list[dict]:
    """The rows as dicts of plain values: None for a missing number, a light as its text."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


@bulk
def monitor(projects: pd.DataFrame, indicators: pd.DataFrame, ruleset: Ruleset, as_of: date) -> Monitoring:
    """The lights of every project and indicator at the end of ``as_of``; a row reported 不适用 is left out.
    A project's 时间进度 is that of its own year (0 before it, 1 after it; the as-of date's year when
    the project gives none). An indicator's light is that of its distinct (target, half-year target,
    progress, project year, cumulative rate or not) combination, found once; rows are found in
    ``projects`` by their project key."""
    rules = ruleset.monitor
    ids = [row.id or row.name or "" for row in projects.itertuples()]
    titles = [row.name or row.id or "" for row in projects.itertuples()]
    years = [year_of(row.year) or as_of.year for row in projects.itertuples()]
    memo = Memo()
    rows = funds.combine(indicators, ruleset, memo)             # progress by funds (分资金): one, as scored
    failed = np.full(len(rows), None, dtype=object)             # why the funds' progress could not be combined
    left_out = distinct.tested(rows["actual"], lambda text: isinstance(text, str) and
                               text.strip() in ruleset.not_applicable_words)
    if "combination" in rows:
        combined = rows["combination"].to_numpy(dtype=object)
        for k in np.flatnonzero(pd.notna(combined)).tolist():
            how = combined[k]
            failed[k] = how.issue.message if how.issue is not None else None
            left_out[k] |= how.issue is None and rows["actual"].iat[k] is None      # every fund 不适用
    rows, failed = rows[~left_out], failed[~left_out]
    owner = columns.owners(projects, rows)
    row_years = np.asarray(years, dtype=np.int64)[owner]
    deciding = ("target", "half_year_target", "actual")
    accumulates = distinct.tested(rows["name"], lambda name: isinstance(name, str) and
                                  compared(name).endswith(rules.cumulative_rates))
    code, first = distinct.combinations([*(distinct.factorize(rows[c]) for c in deciding), distinct.factorize(row_years),
                                         distinct.factorize(failed), distinct.factorize(accumulates)], len(rows))
    samples = [rows[c].to_numpy(dtype=object)[first].tolist() for c in deciding]
    found = [_watch(target, half, actual, year, as_of, rules, ruleset, memo, grows) if why is None else
             Watched(target or "", None, None, None, None, "", Light.RED, f"各资金的进展无法合并：{why}")
             for target, half, actual, year, why, grows in zip(*samples, row_years[first].tolist(),
                                                               failed[first].tolist(), accumulates[first].tolist())]
    label_code, label_first = distinct.combinations([distinct.factorize(rows[c]) for c in ("level1", "level2", "name")],
                                                    len(rows))
    labels = distinct.objects([" / ".join(part for part in parts if part) for parts in
                               zip(*(rows[c].to_numpy(dtype=object)[label_first].tolist()
                                     for c in ("level1", "level2", "name")))])
    frame = {"project_id": distinct.objects(ids)[owner], "project": distinct.objects(titles)[owner],
             "indicator": labels[label_code]}
    for field in Watched.__dataclass_fields__:
        values = [getattr(w, field) for w in found]
        table = np.array(values, dtype=float) if field in _NUMBERS else distinct.objects(values)
        frame[field] = table[code]
    watched = columns.frame(frame, INDICATOR_FRAME)
    red = np.bincount(owner[(watched["light"] == Light.RED).to_numpy()], minlength=len(projects))
    time_gone = [_time_gone(as_of, year) for year in years]
    execution = [_execution(row, ruleset) for row in projects.itertuples()]
    lit = [_project_light(*facts, rules) for facts in zip(time_gone, execution, red.tolist())]
    watches = columns.frame({"project_id": distinct.objects(ids), "project": distinct.objects(titles),
                             "time_progress": time_gone, "execution": np.array(execution, dtype=float),
                             "light": distinct.objects([light for light, _ in lit]),
                             "reason": distinct.objects([reason for _, reason in lit]), "red_indicators": red},
                            PROJECT_FRAME)
    return Monitoring(as_of, watches, watched)


def _time_gone(as_of: date, year: int) -> float:
    """时间进度 of a year at the end of ``as_of``: 0 before the year, 1 after it."""
    if as_of.year != year:
        return 0.0 if as_of.year < year else 1.0
    return as_of.timetuple().tm_yday / (366 if calendar.isleap(year) else 365)


def _expected_share(time_gone: float, half_share: float | None, year: int) -> float:
    """The share of a cumulative year target expected by now: the time gone, or through the half-year
    target's share, reached at the end of 30 June."""
    if half_share is None:
        return time_gone
    mid = _time_gone(date(year, 6, 30), year)
    if time_gone <= mid:
        return half_share * time_gone / mid
    return half_share + (1 - half_share) * (time_gone - mid) / (1 - mid)


def _watch(target, half, actual, year: int, as_of: date, rules, ruleset: Ruleset, memo: Memo,
           accumulates: bool = False) -> Watched:
    """One indicator's standing: the per-row definition (``accumulates``: its name is of a rate that
    grows through the year, [monitor] cumulative_rates)."""
    goal = _read(memo.target, target)
    reported = actual if isinstance(actual, str) and actual.strip() else None
    time_gone = _time_gone(as_of, year)

    def watched(light: Light, reason: str, expected=None, progress=None, projected=None, unit=""):
        return Watched(target or "", reported, expected, progress, projected, unit, light, reason)

    if not isinstance(goal, Reading):
        return watched(Light.RED, "指标值缺失或无法解读，无法监控")
    if reported is None:
        return watched(Light.RED, "未填报进展")
    done = _read(memo.actual, reported)
    if goal.kind is Kind.QUANTITY and goal.value is not None:
        if says_none(reported, ruleset, counted=True):
            value = 0.0                                     # 无, 未发生: none of it
        elif isinstance(done, Reading) and done.kind is Kind.QUANTITY and done.value is not None:
            try:
                value = _in_unit_of(done, goal)
            except UnitMismatchError:
                return watched(Light.RED, f"进展「{reported}」与指标值「{goal.text}」单位不一致，无法比较")
        else:
            return _worded(watched, reported, goal, ruleset)
        return _quantity(watched, goal, value, half, time_gone, year, rules, memo, accumulates)
    if goal.kind is Kind.RANGE and isinstance(done, Reading) and done.kind is Kind.QUANTITY and done.value is not None:
        try:
            value = _in_unit_of(done, goal)
        except UnitMismatchError:
            return watched(Light.RED, f"进展「{reported}」与指标值「{goal.text}」单位不一致，无法比较")
        low, high, unit = float(goal.low), float(goal.high), goal.unit or ""
        ratio = 1.0 if low <= value <= high else value / low if value < low else high / value if value else 0.0
        return watched(_light(ratio, rules), f"当前 {_shown(value)}{unit}，目标区间 {goal.text}" +
                       ("" if ratio == 1.0 else f"，差 {1 - ratio:.0%}"), None, value, value, unit)
    if goal.kind is Kind.COMPOUND:
        return _compound(watched, goal, done, reported, year, as_of, rules, ruleset, memo, accumulates)
    if goal.kind is Kind.DATE and goal.deadline is not None:
        deadline = goal.deadline
        deadline_year, month = deadline.year or year, deadline.month or 12
        day = date(deadline_year, month, deadline.day or calendar.monthrange(deadline_year, month)[1])
        tier, _ = tier_of(reported, "", goal.text, ruleset)
        if tier == _ranked(ruleset)[0]:
            return watched(Light.GREEN, f"已完成（{reported}），期限 {goal.text}")
        if as_of > day:
            return watched(Light.RED, f"已过期限 {goal.text}，进展为「{reported}」")
        return watched(Light.GREEN, f"期限 {goal.text} 未到，进展为「{reported}」")
    return _worded(watched, reported, goal, ruleset)


def _compound(watched, goal: Reading, done, reported: str, year, as_of, rules, ruleset, memo: Memo,
              accumulates: bool) -> Watched:
    """Each part against its part of the progress (by label, else in order); the worst light."""
    parts = done.parts if isinstance(done, Reading) and done.kind is Kind.COMPOUND else (done,) if done else ()
    labelled = {part.label: part for part in parts if part.label}
    paired = [labelled.get(part.label) for part in goal.parts] if labelled and all(p.label for p in goal.parts) else \
        list(parts) if len(parts) == len(goal.parts) else None
    if not paired or None in paired:
        return watched(Light.YELLOW, f"进展「{reported}」与各部分「{goal.text}」对不上，需人工判断")
    each = [_watch(part.text, None, given.text, year, as_of, rules, ruleset, memo,
                   compared(part.label).endswith(rules.cumulative_rates) if part.label else accumulates)
            for part, given in zip(goal.parts, paired)]
    worst = max((w.light for w in each), key=[Light.GREEN, Light.YELLOW, Light.RED].index)
    return watched(worst, "；".join(f"{part.label or part.text}：{w.reason}" for part, w in zip(goal.parts, each)))


def _quantity(watched, goal: Reading, value: float, half, time_gone: float, year: int, rules, memo: Memo,
              accumulates: bool) -> Watched:
    aim, unit = float(goal.value), goal.unit or ""
    if aim == 0 and goal.op in (None, Op.EQ, Op.LE, Op.LT):       # =0次: none at all, all year
        light = Light.GREEN if value <= 0 else Light.RED
        return watched(light, f"当前 {_shown(value)}{unit}，目标 {goal.text}", aim, value, value, unit)
    half_aim = _half_aim(memo, half, goal)
    if goal.op in (None, Op.GE, Op.GT, Op.EQ) and (unit not in _LEVEL_UNITS or accumulates):       # cumulative
        half_share = None if half_aim is None or not aim else half_aim / aim
        expected = aim * _expected_share(time_gone, half_share, year)
        ratio = value / expected if expected else 1.0
        projected = aim * ratio if unit != "%" else min(aim * ratio, max(aim, value, 100.0))   # a rate ends at 100%
        basis = "按半年指标值" if half_share is not None else f"按时间进度 {time_gone:.1%}"
        return watched(_light(ratio, rules), f"完成 {_shown(value)}{unit}，应完成 {_shown(expected)}{unit}（{basis}），"
                                             f"进度 {ratio:.0%}；按此进度全年约 {_shown(projected)}{unit}",
                       expected, value, projected, unit)
    if half_aim is not None and time_gone <= _time_gone(date(year, 6, 30), year):       # a level: its half-year value
        aim, basis = half_aim, f"半年指标值 {half.strip()}"
    else:
        basis = f"目标 {goal.text}"
    ratio = (aim / value if value else 1.0) if goal.op in (Op.LE, Op.LT) else value / aim if aim else 1.0
    return watched(_light(ratio, rules), f"当前 {_shown(value)}{unit}，{basis}，达成 {min(ratio, 9.99):.0%}",
                   aim, value, value, unit)


def _half_aim(memo: Memo, half, goal: Reading) -> float | None:
    """The 半年指标值 as a number in the year target's unit, where one is declared."""
    half_goal = _read(memo.target, half)
    if isinstance(half_goal, Reading) and half_goal.kind is Kind.QUANTITY and half_goal.value is not None:
        try:
            return _in_unit_of(half_goal, goal)
        except UnitMismatchError:
            return None
    return None


def _in_unit_of(reading: Reading, goal: Reading) -> float:
    """A quantity's value in ``goal``'s unit, as ``Reading.compare_in`` gives it exactly (without the
    rounding for display, which monitoring does not use); UnitMismatchError when it cannot be."""
    return float(Fraction(reading.value) * units.comparison(reading.unit, goal.unit).factor)


def _shown(number: float) -> str:
    """A number in a reason: at most two decimals (four significant digits below 1), never an exponent."""
    if abs(number) >= 1 or number == 0:
        return f"{number:.2f}".rstrip("0").rstrip(".")
    return np.format_float_positional(number, precision=4, fractional=False, trim="-")


def _worded(watched, reported: str, goal: Reading, ruleset: Ruleset) -> Watched:
    tier, _ = tier_of(reported, goal.word or "", goal.text, ruleset)
    if tier is None:
        return watched(Light.YELLOW, f"进展「{reported}」无法判断档次，需人工判断")
    lights = (Light.GREEN, Light.YELLOW, Light.RED)
    return watched(lights[min(_ranked(ruleset).index(tier), 2)], f"进展「{reported}」属于「{tier}」")


def _ranked(ruleset: Ruleset) -> list[str]:
    """The qualitative tiers, best first (达成, 部分达成, 未达成)."""
    return [t.name for t in sorted(ruleset.tiers, key=lambda t: -t.low)]


def _light(ratio: float, rules) -> Light:
    if ratio >= float(rules.green_at):
        return Light.GREEN
    return Light.YELLOW if ratio >= float(rules.yellow_at) else Light.RED


def _execution(row, ruleset: Ruleset) -> float | None:
    executed = getattr(row, "budget_executed")
    for key in ruleset.budget_denominators:
        amount = getattr(row, f"budget_{key}")
        if amount == amount and amount:               # not NaN, not 0
            return float(executed) / float(amount) if executed == executed else None
    return None


def _project_light(time_gone: float, execution: float | None, red: int, rules) -> tuple[Light, str]:
    """A project's light and why: 执行进度 against 时间进度, yellow at least with a red indicator."""
    if execution is None:
        return Light.RED, "缺少预算数或执行数，无法比较执行进度"
    behind = (time_gone - execution) * 100
    light = Light.GREEN if behind <= float(rules.behind_green) else Light.YELLOW if behind <= float(rules.behind_yellow) \
        else Light.RED
    reason = f"执行进度 {execution:.1%}，时间进度 {time_gone:.1%}" + (f"，落后 {behind:.1f} 个百分点" if behind > 0 else "")
    if red:
        reason += f"；{red} 个指标红灯"
        light = max(light, Light.YELLOW, key=[Light.GREEN, Light.YELLOW, Light.RED].index)
    return light, reason


def _read(read, text) -> Reading | None:
    """``text`` read by the run's memo (``memo.target`` or ``memo.actual``); None when absent or unreadable."""
    return read(text).reading if isinstance(text, str) and text.strip() else None

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
from functools import lru_cache

import numpy as np
import pandas as pd

from scoring.engine.qualitative import tier_of
from scoring.errors import ExpressionError
from scoring.model import Kind, Op, Reading
from scoring.parse import parse_actual, parse_target
from scoring.rulesets import Ruleset

_LEVEL_UNITS = ("%", "‰")
_AT_LEAST = (Op.GE, Op.GT, Op.EQ)


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
    """One indicator at the date: expected and reported progress in the target's unit (None where
    not a number), the projected year-end value, the light and why."""

    project: str
    indicator: str
    target: str
    reported: str | None
    expected: float | None
    progress: float | None
    projected: float | None
    unit: str
    light: Light
    reason: str

    def as_dict(self) -> dict:
        return {"project": self.project, "indicator": self.indicator, "target": self.target,
                "reported": self.reported, "expected": self.expected, "progress": self.progress,
                "projected": self.projected, "unit": self.unit, "light": str(self.light), "reason": self.reason}


@dataclass(frozen=True)
class ProjectWatch:
    """A project at the date: 执行进度 (budget executed over the budget) against 时间进度."""

    project: str
    time_progress: float
    execution: float | None
    light: Light
    reason: str
    red_indicators: int

    def as_dict(self) -> dict:
        return {"project": self.project, "time_progress": self.time_progress, "execution": self.execution,
                "light": str(self.light), "reason": self.reason, "red_indicators": self.red_indicators}


@dataclass(frozen=True)
class Monitoring:
    as_of: date
    projects: tuple[ProjectWatch, ...]
    indicators: tuple[Watched, ...]

    def as_dict(self) -> dict:
        return {"as_of": self.as_of.isoformat(), "projects": [p.as_dict() for p in self.projects],
                "indicators": [i.as_dict() for i in self.indicators],
                "red": [i.as_dict() for i in self.indicators if i.light is Light.RED]}


def monitor(projects: pd.DataFrame, indicators: pd.DataFrame, ruleset: Ruleset, as_of: date) -> Monitoring:
    rules = ruleset.monitor
    time_gone = _time_gone(as_of)
    names = {row.project: row.name or row.id or "" for row in projects.itertuples()}
    watched: list[Watched] = []
    columns = [indicators[key].to_numpy(dtype=object) for key in
               ("project", "level1", "level2", "name", "target", "half_year_target", "actual")]
    for project, level1, level2, name, target, half, actual in zip(*columns):
        label = " / ".join(part for part in (level1, level2, name) if part)
        watched.append(_watch(names[project], label, target, half, actual, time_gone, as_of, rules, ruleset))
    flagged = np.array([w.light is Light.RED for w in watched], dtype=bool)
    red = np.bincount(indicators["project"].to_numpy(dtype=np.int64)[flagged], minlength=len(projects))
    watches = []
    for row in projects.itertuples():
        execution = _execution(row, ruleset)
        watches.append(_project_light(names[row.project], time_gone, execution, int(red[row.project]), rules))
    return Monitoring(as_of, tuple(watches), tuple(watched))


def _time_gone(as_of: date) -> float:
    """时间进度: the share of the year gone by the end of ``as_of``."""
    return as_of.timetuple().tm_yday / (366 if calendar.isleap(as_of.year) else 365)


def _expected_share(time_gone: float, half_share: float | None, year: int) -> float:
    """The share of a cumulative year target expected by now: the time gone, or through the half-year
    target's share, reached at the end of 30 June."""
    if half_share is None:
        return time_gone
    mid = _time_gone(date(year, 6, 30))
    if time_gone <= mid:
        return half_share * time_gone / mid
    return half_share + (1 - half_share) * (time_gone - mid) / (1 - mid)


def _watch(project, label, target, half, actual, time_gone, as_of, rules, ruleset) -> Watched:
    goal = _read(parse_target, target)
    reported = actual if isinstance(actual, str) and actual.strip() else None

    def watched(light: Light, reason: str, expected=None, progress=None, projected=None, unit=""):
        return Watched(project, label, target or "", reported, expected, progress, projected, unit, light, reason)

    if not isinstance(goal, Reading):
        return watched(Light.RED, "指标值缺失或无法解读，无法监控")
    if reported is None:
        return watched(Light.RED, "未填报进展")
    done = _read(parse_actual, reported)
    if goal.kind is Kind.QUANTITY and isinstance(done, Reading) and done.kind is Kind.QUANTITY \
            and goal.magnitude is not None and done.magnitude is not None and goal.base_unit == done.base_unit:
        scale = float(goal.value) / float(goal.magnitude) if goal.magnitude else 1.0    # base unit → the target's
        value, aim = float(done.magnitude) * scale, float(goal.value)
        unit = goal.unit or ""
        cumulative = (goal.op in (Op.GE, Op.GT) or goal.op is None) and unit not in _LEVEL_UNITS
        if cumulative:
            half_goal = _read(parse_target, half)
            half_share = (float(half_goal.magnitude) / float(goal.magnitude)
                          if isinstance(half_goal, Reading) and half_goal.kind is Kind.QUANTITY
                          and half_goal.base_unit == goal.base_unit and goal.magnitude else None)
            expected = aim * _expected_share(time_gone, half_share, as_of.year)
            ratio = value / expected if expected else 1.0
            projected = aim * ratio                     # the year's target at the pace kept so far
            basis = "按半年指标值" if half_share is not None else f"按时间进度 {time_gone:.1%}"
            light = _light(ratio, rules)
            return watched(light, f"完成 {value:g}{unit}，应完成 {expected:.4g}{unit}（{basis}），进度 {ratio:.0%}；"
                                  f"按此进度全年约 {projected:.4g}{unit}", expected, value, projected, unit)
        if goal.op in (Op.LE, Op.LT):
            ratio = aim / value if value else 1.0
        else:
            ratio = value / aim if aim else 1.0
        light = _light(ratio, rules)
        return watched(light, f"当前 {value:g}{unit}，目标 {goal.text}，达成 {min(ratio, 9.99):.0%}", aim, value, value, unit)
    if goal.kind is Kind.QUANTITY and isinstance(done, Reading) and done.kind is Kind.QUANTITY:
        return watched(Light.RED, f"进展「{reported}」与指标值「{goal.text}」单位不一致，无法比较")
    if goal.kind is Kind.DATE and goal.deadline is not None:
        deadline = goal.deadline
        day = date(deadline.year, deadline.month or 12, deadline.day or calendar.monthrange(deadline.year, deadline.month or 12)[1])
        tier, _ = tier_of(reported, "", goal.text, ruleset)
        finished = tier == ruleset.tiers[0].name
        if finished:
            return watched(Light.GREEN, f"已完成（{reported}），期限 {goal.text}")
        if as_of > day:
            return watched(Light.RED, f"已过期限 {goal.text}，进展为「{reported}」")
        return watched(Light.GREEN, f"期限 {goal.text} 未到，进展为「{reported}」")
    tier, _ = tier_of(reported, goal.word or "", goal.text, ruleset)
    ranked = [t.name for t in sorted(ruleset.tiers, key=lambda t: -t.low)]      # 达成, 部分达成, 未达成
    if tier is None:
        return watched(Light.YELLOW, f"进展「{reported}」无法判断档次，需人工判断")
    return watched((Light.GREEN, Light.YELLOW, Light.RED)[min(ranked.index(tier), 2)], f"进展「{reported}」属于「{tier}」")


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


def _project_light(name: str, time_gone: float, execution: float | None, red: int, rules) -> ProjectWatch:
    if execution is None:
        return ProjectWatch(name, time_gone, None, Light.RED, "缺少预算数或执行数，无法比较执行进度", red)
    behind = (time_gone - execution) * 100
    light = Light.GREEN if behind <= float(rules.behind_green) else Light.YELLOW if behind <= float(rules.behind_yellow) \
        else Light.RED
    reason = f"执行进度 {execution:.1%}，时间进度 {time_gone:.1%}" + (f"，落后 {behind:.1f} 个百分点" if behind > 0 else "")
    if red:
        reason += f"；{red} 个指标红灯"
        light = max(light, Light.YELLOW, key=[Light.GREEN, Light.YELLOW, Light.RED].index)
    return ProjectWatch(name, time_gone, execution, light, reason, red)


@lru_cache(maxsize=65536)
def _read(parse, text) -> Reading | None:
    if not isinstance(text, str) or not text.strip():
        return None
    try:
        return parse(text)
    except ExpressionError:
        return None

"""The scores of one project as frozen values: its indicators, its level subtotals, its budget execution.

``ScoreReport.project_scores()`` builds them row by row from the scored frames. They are what the
table and the workbook are written from, and ``as_dict`` is the JSON contract (docs/outputs.md): the
readable version of what the JSON writer writes column by column, and the oracle of its tests.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scoring.codes import Issue
from scoring.columns import Fund


@dataclass(frozen=True)
class IndicatorScore:
    """One indicator as scored. ``score`` is None when it does not apply, 0 when it is not scored."""

    id: str | None
    level1: str            # 一级指标
    level2: str            # 二级指标
    name: str              # 三级指标
    target: str | None     # 指标值
    actual: str | None     # 实际完成值
    reason: str | None     # 偏差原因分析及改进措施
    weight: float          # 分值
    score: float | None    # 得分
    computed_score: float
    status: str
    method: str
    tier: str | None
    explanation: str
    flags: tuple[str, ...]
    issues: tuple[Issue, ...]
    funds: tuple[Fund, ...] | None = None      # 分资金, when the actual was reported across several funds

    @property
    def lost(self) -> float:
        """The points it lost (分值 less 得分, to the cent); 0 when it does not apply."""
        return 0.0 if self.score is None else max(round(self.weight - self.score, 2), 0.0)

    def as_dict(self) -> dict:
        """The indicator's JSON; ``funds`` only where they were given, after the actual they combine into."""
        return {"id": self.id, "level1": self.level1, "level2": self.level2, "name": self.name,
                "target": self.target, "actual": self.actual, **self._funds(), "reason": self.reason,
                "weight": self.weight, "score": self.score, "computed_score": self.computed_score, "status": str(self.status),
                "method": str(self.method), "tier": self.tier, "explanation": self.explanation,
                "flags": [str(flag) for flag in self.flags], "issues": [issue.as_dict() for issue in self.issues]}

    def _funds(self) -> dict:
        if self.funds is None:
            return {}
        return {"funds": [fund._asdict() for fund in self.funds]}


@dataclass(frozen=True)
class LevelScore:
    """The weights and points of the indicators under one 一级指标 (with its 二级指标) or 二级指标."""

    name: str
    weight: float
    score: float
    parts: tuple[LevelScore, ...] = ()      # a 一级指标's 二级指标, in table order

    def as_dict(self, key: str = "level1") -> dict:
        data = {key: self.name, "weight": self.weight, "score": self.score}
        return data | ({"level2": [part.as_dict("level2") for part in self.parts]} if key == "level1" else {})


@dataclass(frozen=True)
class BudgetScore:
    """Budget execution (预算执行率): the amounts, the rate, its points and the sentence behind them."""

    initial: float | None
    adjusted: float | None
    executed: float | None
    unit: str
    rate: float | None
    weight: float
    score: float
    explanation: str

    def as_dict(self) -> dict:
        return {"initial": self.initial, "adjusted": self.adjusted, "executed": self.executed, "unit": self.unit,
                "rate": None if self.rate is None else round(self.rate, 6), "weight": self.weight,
                "score": self.score, "explanation": self.explanation}


@dataclass(frozen=True)
class ProjectScore:
    """One project as scored: ``total`` out of 100 decides the ``grade``; ``points`` are earned out of
    ``points_max`` (100 less the weights that do not apply)."""

    id: str | None
    name: str | None
    total: float
    grade: str
    points: float
    points_max: float
    budget: BudgetScore
    levels: tuple[LevelScore, ...]
    indicators: tuple[IndicatorScore, ...]
    issues: tuple[Issue, ...]

    def as_dict(self) -> dict:
        return {"id": self.id, "name": self.name, "total": self.total, "max": 100.0, "grade": self.grade,
                "points": self.points, "points_max": self.points_max, "budget": self.budget.as_dict(),
                "levels": [level.as_dict() for level in self.levels],
                "indicators": [indicator.as_dict() for indicator in self.indicators],
                "issues": [issue.as_dict() for issue in self.issues]}


def money(value: float | None) -> float | None:
    """A sum of points or money as the outputs show it: rounded to cents; None when missing."""
    return None if value is None or value != value else round(float(value), 2)


def optional(value: float | None) -> float | None:
    """A number, None when missing (NaN)."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def budget_explanation(rate: float, executed: float, denominator: float, weight: float, points: float,
                       title: str = "执行率") -> str:
    """``执行率 500,000.00 / 515,827.00 = 96.93%：10 × 96.93% = 9.69 分`` (``title``: 支出进度 …)."""
    if math.isnan(rate):
        return "缺少全年执行数或预算数：0 分"
    capped = "（超过 100% 按 100% 计）" if rate > 1 else ""
    return (f"{title} {executed:,.2f} / {denominator:,.2f} = {rate * 100:.2f}%{capped}："
            f"{weight:g} × {min(rate, 1) * 100:.2f}% = {points:.2f} 分")

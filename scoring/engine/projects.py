"""Stage 10, projects: budget execution (预算执行率) points, the indicators' points added, the total
out of 100 (rescaled when indicators are 不适用), the grade, and each project's issues."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction
from typing import Mapping

import numpy as np
import pandas as pd

from scoring import numbers
from scoring.codes import Issue, IssueCode, Status
from scoring._columnar.distinct import objects
from scoring.engine import families
from scoring.engine.points import half_up
from scoring.rulesets import Ruleset


def score(projects: pd.DataFrame, rows: pd.DataFrame, ruleset: Ruleset, period: str,
          weight_issues: list[dict], level1_owners: Mapping[str, tuple[str, ...]]) -> pd.DataFrame:
    """Budget execution, points, the total out of 100, the grade and the issues of every project.
    ``level1_owners``: for an unknown 一级指标, the rulesets that know it (the caller's hint)."""
    out = projects.copy()
    budget_points = float(ruleset.budget_points)
    denominator = _denominator(out, ("half_year",) if period == "H1" else ruleset.budget_denominators)
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
    out["issues"] = _project_issues(out, rows, ruleset, weight_issues, budget_points, level1_owners)
    return out


_AMOUNT_NAMES = {"adjusted": "预算数", "initial": "预算数", "allocated": "下达额度"}


def _denominator(projects: pd.DataFrame, fields: tuple[str, ...]) -> np.ndarray:
    """What the budget rate divides by: the first of the ruleset's budget amounts a project gives
    (全年预算数, else 年初预算数, by default)."""
    amounts = [projects[f"budget_{field}"].to_numpy(dtype=float) for field in fields]
    denominator = amounts[0]
    for more in amounts[1:]:
        denominator = np.where(np.isnan(denominator), more, denominator)
    return denominator


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


def _project_issues(out, rows, ruleset, weight_issues, budget_points, level1_owners) -> list[tuple]:
    issues: dict[int, list] = {p: [] for p in out["project"].to_numpy().tolist()}
    for issue in weight_issues:
        family = next((f.title for f in ruleset.families if f.key == issue["family"]), None)
        where = f"「{family}」" if family and ruleset.weights_by == "family" else ""
        issues[issue["project"]].append(Issue(issue["code"], f"{where}{issue['message']}"))
    unknown = rows.loc[rows["family"].isna(), ["project", "level1"]].drop_duplicates()
    for project, level1 in zip(unknown["project"], unknown["level1"]):
        knowing = level1_owners.get(level1, ())
        hint = f"；认识它的规则集：{'、'.join(knowing)}" if knowing else ""
        issues[project].append(Issue(IssueCode.UNKNOWN_LEVEL1, families.unknown(ruleset, level1, hint)
                                                                     + " / unknown first-level name"))
    for project, at_stake in zip(out["project"], out["points_max"]):
        if at_stake <= 0:
            issues[project].append(Issue(IssueCode.NOTHING_AT_STAKE, "所有分值都不适用，无法折算总分 / nothing left to score"))
    for project, executed in zip(out["project"], out["budget_executed"]):
        if executed < 0:
            issues[project].append(Issue(IssueCode.NEGATIVE_BUDGET, f"全年执行数为负（{executed:,.2f}），按 0 计 / negative execution"))
    for project, rate, has_actuals, total_weight in zip(out["project"], out["budget_rate"], out["has_actuals"],
                                                        out["indicator_weight"]):
        if math.isnan(rate):
            amounts = "、".join(dict.fromkeys(_AMOUNT_NAMES[field] for field in ruleset.budget_denominators))
            issues[project].append(Issue(IssueCode.MISSING_BUDGET, f"缺少全年执行数或{amounts}，{ruleset.budget_title}按 0 分计"
                                                                   " / no budget execution"))
        if not has_actuals:
            issues[project].append(Issue(IssueCode.MISSING_PROJECT_ACTUALS, "实际完成值文件中没有这个项目 / no actuals for this project"))
        if abs(budget_points + total_weight - 100.0) > 0.005:
            issues[project].append(Issue(IssueCode.WEIGHTS_TOTAL, f"分值合计 {budget_points + total_weight:.2f}，不是 100"
                                                     " / weights do not add up to 100"))
    return [tuple(issues[p]) for p in out["project"]]

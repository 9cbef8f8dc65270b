"""Check a filled 自评表: recompute every row under a ruleset and list what departs from the rules.

Published tables show scores that do not follow the rules: proportional in one row, lenient in the
next, points off a met target, a printed total that is not the sum of its rows. ``check`` scores the
table with the unit's own 得分 given as the evaluator's scores, then compares. Findings are a contract
(docs/excel.md): ``{"project", "indicator", "code", "message", "expected", "found"}``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from scoring import weights
from scoring.api import scored_frames
from scoring.codes import Flag, IssueCode, Status
from scoring.explanations import explanations
from scoring.readers.xlsx import read_workbook
from scoring.rulesets import Ruleset, available

TOLERANCE = 0.01


@dataclass(frozen=True)
class Fit:
    """How well a ruleset explains a filled table: of the ``rows`` with a printed 得分, how many it
    scores as printed (``agreeing``)."""

    ruleset: str
    agreeing: int
    rows: int

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class Finding:
    project: str
    indicator: str | None      # the 三级指标 name; None for project-level findings
    code: str
    message: str
    expected: float | str | None
    found: float | str | None

    def as_dict(self) -> dict:
        return asdict(self)


def filled(path: Path) -> tuple[dict, dict]:
    """A filled 自评表 read once: its data with the unit's own 得分, and what it prints per project
    (the budget score and the 总分)."""
    data = read_workbook(path, keep_scores=True)
    return data, data.pop("x-printed")


def check(path: Path, ruleset: str | Path | Ruleset | None = None) -> list[Finding]:
    return findings(*filled(path), ruleset)


def fits(path: Path, rulesets: list[str] | None = None) -> tuple[list[Fit], list[tuple[str, str]]]:
    return ranked(filled(path)[0], rulesets)


def ranked(data: dict, rulesets: list[str] | None = None) -> tuple[list[Fit], list[tuple[str, str]]]:
    """Each shipped ruleset (or each of ``rulesets``) by how many printed row scores it gives, best
    first, and the rows none of them gives, as (project, 三级指标): the evaluator's own departures."""
    found, explained, rows = [], None, None
    for name in rulesets or available():
        _, scored = scored_frames(data, None, name)
        rows = scored.indicators
        agreeing = _agreeing(rows)
        explained = agreeing if explained is None else explained | agreeing
        found.append(Fit(name, int(agreeing.sum()), int(rows["evaluator_score"].notna().sum())))
    found.sort(key=lambda fit: -fit.agreeing)
    if rows is None:
        return found, []
    names = scored.projects.set_index("project")["name"]
    left = rows[rows["evaluator_score"].notna().to_numpy() & ~explained]
    return found, [(names[p], name) for p, name in zip(left["project"], left["name"])]


def _agreeing(rows: pd.DataFrame) -> np.ndarray:
    """Rows whose printed 得分 the ruleset gives: as it computes them, or inside a qualitative tier's band."""
    printed, computed = rows["evaluator_score"].to_numpy(dtype=float), rows["computed_score"].to_numpy(dtype=float)
    in_band = np.array([Flag.EVALUATOR_SCORE in flags for flags in rows["flags"]], dtype=bool)
    scored = rows["status"].to_numpy(dtype=object) == Status.SCORED
    return scored & ~np.isnan(printed) & ((np.abs(printed - computed) <= TOLERANCE) | in_band)


def findings(data: dict, printed: dict, ruleset: str | Path | Ruleset | None = None) -> list[Finding]:
    """The findings of a filled table read as ``read_workbook(..., keep_scores=True)`` gives it."""
    ruleset, scored = scored_frames(data, None, ruleset)
    out: list[Finding] = []
    rows = scored.indicators.assign(explanation=explanations(scored.indicators, ruleset).texts())
    projects = scored.projects.set_index("project")
    for row in rows.to_dict("records"):
        out += _row_findings(row, projects.at[row["project"], "name"])
    for project in scored.projects.to_dict("records"):
        group = rows[rows["project"] == project["project"]]
        out += _project_findings(project, group, printed.get(project["id"], {}), ruleset)
    return out


def _row_findings(row: dict, project: str) -> list[Finding]:
    name, weight, found = row["name"], row["weight"], row["evaluator_score"]
    out = []

    def add(code, message, expected=None, value=None):
        out.append(Finding(project, name, code, message, expected, value))

    has_score = found == found
    if has_score and found > weight + TOLERANCE / 2:
        add("score_above_weight", f"得分 {found:.2f} 超过分值 {weight:.2f}", weight, found)
    if row["status"] == Status.NOT_SCORED:
        reasons = "；".join(issue.message.splitlines()[0] for issue in row["issues"])
        add("cannot_recompute", f"无法按规则重算：{reasons}", None, found if has_score else None)
    elif row["status"] == Status.SCORED and has_score and Flag.OVERRIDE in row["flags"]:
        if abs(found - row["computed_score"]) > TOLERANCE:
            add("score_mismatch", f"按规则应得 {row['computed_score']:.2f} 分，表中为 {found:.2f} 分："
                                  f"{row['explanation'].split('；采用评价人得分')[0]}", row["computed_score"], found)
    for issue in row["issues"]:
        if issue.code == IssueCode.SCORE_OUT_OF_BAND:
            add(issue.code, issue.message, row["tier"], found)
    earned = found if has_score else row["score"]
    below = earned == earned and earned < weight - TOLERANCE / 2 and row["status"] == Status.SCORED
    if (below or Flag.OVER_ACHIEVEMENT in row["flags"]) and not (row["reason"] or "").strip():
        why = "超额完成" if Flag.OVER_ACHIEVEMENT in row["flags"] else "未得满分"
        add("missing_reason", f"{why}，但没有填写偏差原因分析及改进措施", "偏差原因", None)
    return out


def _project_findings(project: dict, group: pd.DataFrame, printed: dict, ruleset: Ruleset) -> list[Finding]:
    name, out = project["name"], []

    def add(code, message, expected, found, indicator=None):
        out.append(Finding(name, indicator, code, message, expected, found))

    if ruleset.weights_by == "family":
        derived = group.assign(weight=np.nan)
        cents, _ = weights.assign(derived, ruleset)
        expected = pd.Series(cents / 100.0, index=group.index).groupby(group["level1"], sort=False).sum()
        given = group.groupby("level1", sort=False)["weight"].sum()
        for level1, value in given.items():
            if abs(value - expected[level1]) > TOLERANCE:
                add("weights_not_adding", f"一级指标「{level1}」分值合计 {value:.2f}，按规则集 {ruleset.name} 应为 "
                                          f"{expected[level1]:.2f}", round(float(expected[level1]), 2), round(float(value), 2))
    total_weight = float(project["budget_weight"] + group["weight"].sum())
    if abs(total_weight - 100) > TOLERANCE:
        add("weights_total", f"分值合计 {total_weight:.2f}，不是 100", 100.0, round(total_weight, 2))
    row_scores = group["evaluator_score"].fillna(0).sum()
    budget_score = printed.get("budget_score")
    if budget_score is not None and not math.isnan(budget_score):
        if abs(budget_score - project["budget_score"]) > TOLERANCE:
            add("budget_score_mismatch", f"预算执行得分应为 {project['budget_score']:.2f}（{project['budget_rate']:.2%}）",
                round(float(project["budget_score"]), 2), budget_score)
    printed_total = printed.get("score")
    if printed_total is not None:
        expected_total = round(float(row_scores + (budget_score or 0.0)), 2)
        if abs(printed_total - expected_total) > TOLERANCE:
            add("total_mismatch", f"表中总分 {printed_total:.2f} 不是各行得分之和 {expected_total:.2f}",
                expected_total, printed_total)
    return out

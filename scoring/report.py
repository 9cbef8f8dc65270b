"""Scored frames → the report users read: explanations, level subtotals, budget execution, totals.

``ScoreReport`` is what ``scoring.score`` returns. It publishes pandas frames (``to_dataframe``,
``totals``, ``levels``, ``budget``), frozen per-project values (``project_scores``) and the JSON
contract (``to_json``, docs/outputs.md); it keeps the engine's working frames to itself. Writers
(scoring/writers) turn a report into files; the report imports none of them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from html import escape
from itertools import chain

import numpy as np
import pandas as pd

from scoring._columnar.bulk import bulk
from scoring._columnar.distinct import factorize, objects
from scoring.codes import Method, Status
from scoring.explanations import Sentences, explanations
from scoring.rulesets import Ruleset
from scoring.scores import BudgetScore, IndicatorScore, LevelScore, ProjectScore, budget_explanation, money, optional

DATAFRAME_COLUMNS = ("project_id", "project_name", "indicator_id", "level1", "level2", "name", "target", "actual",
                     "weight", "score", "status", "method", "flags", "issues", "explanation")
TOTALS_COLUMNS = ("project_id", "project_name", "total", "grade", "budget_score", "indicator_score", "issues")
CODES = {"status": pd.CategoricalDtype([str(s) for s in Status]),    # every code: reports concatenate as categories
         "method": pd.CategoricalDtype([str(m) for m in Method])}


@dataclass(frozen=True)
class ScoreReport:
    """Scores of one or many projects under one ruleset."""

    ruleset: Ruleset
    _indicators: pd.DataFrame = field(repr=False)     # the engine's scored rows, one per indicator
    _projects: pd.DataFrame = field(repr=False)       # the engine's scored projects
    period: str = "year"

    # ---- frames ------------------------------------------------------------------------------------

    @cached_property
    def explanations(self) -> list[str]:
        """Each indicator's explanation, in table order."""
        return self.sentences().texts()

    def sentences(self, escape=None, factorize=None) -> Sentences:
        """The explanations as pieces, for a writer (``escape`` applied once per template)."""
        return explanations(self._indicators, self.ruleset, escape=escape, factorize=factorize)

    @bulk
    def to_dataframe(self, explain: bool = True) -> pd.DataFrame:
        """One row per indicator, the columns of ``DATAFRAME_COLUMNS``: level1 and level2 categories of
        the names found, status and method categories of every code (``CODES``), weight and score float
        (score NaN where 不适用)."""
        frame = pd.DataFrame(self.columns(self.explanations if explain else None)).reset_index(drop=True)
        return frame.astype({"level1": "category", "level2": "category", **CODES})

    def columns(self, explained: list[str] | Sentences | None) -> dict:
        """The columns of ``to_dataframe`` by name, with the explanations as given (a writer may pass
        them as pieces)."""
        frame = self._indicators
        projects = self._projects.set_index("project")
        values = {
            "project_id": frame["project"].map(projects["id"]),
            "project_name": frame["project"].map(projects["name"]),
            "indicator_id": frame["id"], "level1": frame["level1"], "level2": frame["level2"],
            "name": frame["name"], "target": frame["target"], "actual": frame["actual"],
            "weight": frame["weight"], "score": frame["score"].where(frame["status"] != Status.NOT_APPLICABLE),
            "status": frame["status"], "method": frame["method"], "flags": _per_distinct(frame["flags"], ",".join),
            "issues": _per_distinct(frame["issues"], _codes),
            "explanation": explained,
        }
        return {name: values[name] for name in DATAFRAME_COLUMNS}

    def totals(self) -> pd.DataFrame:
        """One row per project, the columns of ``TOTALS_COLUMNS``; ``grade`` is an ordered category
        (差 < 中 < 良 < 优, as the ruleset names them), so that grades sort and compare."""
        p = self._projects
        grades = pd.CategoricalDtype([grade for grade, _ in reversed(self.ruleset.grades)], ordered=True)
        return pd.DataFrame({"project_id": p["id"], "project_name": p["name"], "total": p["total"],
                             "grade": p["grade"].astype(grades), "budget_score": p["budget_score"],
                             "indicator_score": p["indicator_score"],
                             "issues": _per_distinct(p["issues"], _codes)})

    def about(self) -> pd.DataFrame:
        """What each project is, as declared: project_id, project_name, kind, year, department (主管部门),
        unit (实施单位), goal (年度总体目标的预期目标) and achieved (实际完成情况)."""
        p = self._projects
        return pd.DataFrame({"project_id": p["id"], "project_name": p["name"], "kind": p["kind"], "year": p["year"],
                             "department": p["department"], "unit": p["unit"], "goal": p["goal"],
                             "achieved": p["achieved"]}).reset_index(drop=True)

    def levels(self, by: str = "level1") -> pd.DataFrame:
        """Weights and points added per project and 一级指标 (``by="level2"``: and 二级指标), in table
        order, rounded to cents: project_id, level1[, level2], weight, score."""
        one, two = self._levels
        frame = one if by == "level1" else two
        ids = self._projects["id"].to_numpy(dtype=object)[frame["project"].to_numpy()]
        return frame.drop(columns=["project", "parent"], errors="ignore").assign(project_id=ids)[
            ["project_id", *(["level1"] if by == "level1" else ["level1", "level2"]), "weight", "score"]]

    @cached_property
    def _levels(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """The level subtotals: per (project, 一级指标), and per (project, 一级指标, 二级指标) with the
        row of its 一级指标 (``parent``); ``project`` is the project's place."""
        rows = self._indicators
        project = pd.Index(self._projects["project"]).get_indexer(rows["project"])
        level1, level1_names = factorize(rows["level1"])
        level2, level2_names = factorize(rows["level2"])
        key = project * (len(level1_names) + 1) + level1 + 1
        first, first_rows = _groups(key)
        second, second_rows = _groups(key * (len(level2_names) + 1) + level2 + 1)
        weight, points = rows["weight"].to_numpy(dtype=float), rows["score"].to_numpy(dtype=float)
        one = pd.DataFrame({"project": project[first_rows], "level1": _texts(rows["level1"], first_rows),
                            "weight": _cents(np.bincount(first, weight, len(first_rows))),
                            "score": _cents(np.bincount(first, points, len(first_rows)))})
        two = pd.DataFrame({"project": project[second_rows], "parent": first[second_rows],
                            "level1": _texts(rows["level1"], second_rows),
                            "level2": _texts(rows["level2"], second_rows),
                            "weight": _cents(np.bincount(second, weight, len(second_rows))),
                            "score": _cents(np.bincount(second, points, len(second_rows)))})
        return one, two

    def budget(self) -> pd.DataFrame:
        """Budget execution per project: project_id, initial, adjusted, executed, unit, rate, weight,
        score, explanation."""
        p = self._projects
        title = self.ruleset.budget_title.removeprefix("预算")
        explained = [budget_explanation(*values, title=title) for values in zip(
            *(p[c].to_numpy(dtype=float) for c in ("budget_rate", "budget_executed", "budget_denominator",
                                                   "budget_weight", "budget_score")))]
        return pd.DataFrame({"project_id": p["id"], "initial": p["budget_initial"], "adjusted": p["budget_adjusted"],
                             "executed": p["budget_executed"], "unit": p["budget_unit"], "rate": p["budget_rate"],
                             "weight": p["budget_weight"], "score": p["budget_score"],
                             "explanation": pd.Series(explained, index=p.index, dtype=object)})

    def issue_rows(self, limit: int | None = None) -> pd.DataFrame:
        """One row per issue (问题), the first ``limit`` (default all): each indicator's in table order,
        then each project's (no level or ``name``); columns project_id, project_name, level1, level2,
        name, code, message."""
        projects = self._projects.set_index("project")
        parts = []
        for frame, named in ((self._indicators, True), (self._projects, False)):
            counts = np.fromiter(map(len, frame["issues"]), dtype=np.int64, count=len(frame))
            rows = np.flatnonzero(counts)[:limit]
            each = np.repeat(rows, counts[rows])                        # a row per issue
            owner = frame["project"].to_numpy()[each]
            issues = list(chain.from_iterable(frame["issues"].to_numpy()[rows]))
            place = {key: frame[key].to_numpy()[each] if named else np.full(len(each), None, dtype=object)
                     for key in ("level1", "level2", "name")}
            parts.append(pd.DataFrame({"project_id": projects["id"].reindex(owner).to_numpy(),
                                       "project_name": projects["name"].reindex(owner).to_numpy(), **place,
                                       "code": [str(issue.code) for issue in issues],
                                       "message": [issue.message for issue in issues]}))
        rows = pd.concat(parts, ignore_index=True)
        return rows if limit is None else rows.head(limit)

    def issue_counts(self) -> dict[str, int]:
        """How many issues of each code the report has, by code."""
        issues = chain.from_iterable((*self._indicators["issues"], *self._projects["issues"]))
        return dict(sorted(Counter(str(issue.code) for issue in issues).items()))

    @property
    def has_issues(self) -> bool:
        return any(map(len, self._projects["issues"])) or any(map(len, self._indicators["issues"]))

    def _repr_html_(self, rows: int = 20) -> str:
        """A notebook's view: the counts, the first ``rows`` projects' totals and the first project's
        indicators (pandas tables, every text escaped)."""
        totals = self.totals()
        grades = totals["grade"].value_counts().reindex([g for g, _ in self.ruleset.grades], fill_value=0)
        head = (f"<p><b>ScoreReport</b> · {escape(self.ruleset.name)} · {len(totals):,} 个项目 · {len(self):,} 个指标"
                f" · 平均总分 {totals['total'].mean():.2f} · " + "，".join(f"{escape(g)} {n}" for g, n in grades.items())
                + "</p>") if len(totals) else "<p><b>ScoreReport</b> · 没有项目</p>"
        parts = [head, totals.head(rows).to_html(index=False, na_rep="", float_format="{:.2f}".format)]
        if len(totals) > rows:
            parts.append(f"<p>…… 共 {len(totals):,} 个项目（report.totals()）</p>")
        if len(totals):
            first = self.to_dataframe(explain=False)
            first = first[first["project_id"].astype(object) == totals["project_id"].iloc[0]]
            shown = first[["level1", "level2", "name", "target", "actual", "weight", "score", "status"]].head(rows * 2)
            parts += [f"<p>项目 {escape(str(totals['project_name'].iloc[0]))}（report.to_dataframe()）</p>",
                      shown.fillna({"target": "", "actual": ""}).to_html(index=False, na_rep="", float_format="{:.2f}".format)]
        return "<div>" + "".join(parts) + "</div>"

    def __len__(self) -> int:
        """The number of indicators scored."""
        return len(self._indicators)

    # ---- values ------------------------------------------------------------------------------------

    def project_scores(self) -> tuple[ProjectScore, ...]:
        """Every project as frozen values, indicators in table order (built row by row)."""
        rows = self._indicators
        p = self._projects
        position = pd.Index(p["project"]).get_indexer(rows["project"])
        order = np.argsort(position, kind="stable")
        owner = position[order]
        bounds = np.searchsorted(owner, np.arange(len(p) + 1))
        indicators = self._indicator_scores()
        indicators = [indicators[k] for k in order.tolist()]
        one, two = self._levels
        parts: dict[int, list[LevelScore]] = {}
        for parent, level2, weight, score in zip(two["parent"], two["level2"], two["weight"], two["score"]):
            parts.setdefault(int(parent), []).append(LevelScore(level2, weight, score))
        levels: dict[int, list[LevelScore]] = {}
        for k, (project, level1, weight, score) in enumerate(zip(one["project"], one["level1"], one["weight"],
                                                                 one["score"])):
            levels.setdefault(int(project), []).append(LevelScore(level1, weight, score, tuple(parts.get(k, ()))))
        budgets = self.budget()
        out = []
        for k, (project, budget) in enumerate(zip(p.to_dict("records"), budgets.to_dict("records"))):
            out.append(ProjectScore(
                id=project["id"], name=project["name"], total=money(project["total"]), grade=project["grade"],
                points=money(project["points"]), points_max=money(project["points_max"]),
                budget=BudgetScore(optional(budget["initial"]), optional(budget["adjusted"]),
                                   optional(budget["executed"]), budget["unit"], optional(budget["rate"]),
                                   money(budget["weight"]), money(budget["score"]), budget["explanation"]),
                levels=tuple(levels.get(k, ())), indicators=tuple(indicators[bounds[k]:bounds[k + 1]]),
                issues=tuple(project["issues"])))
        return tuple(out)

    def _indicator_scores(self) -> list[IndicatorScore]:
        rows = self._indicators
        names = ("id", "level1", "level2", "name", "target", "actual", "reason", "weight", "score", "computed_score",
                 "status", "method", "tier", "flags", "issues", "funds")
        out = []
        for values, explanation in zip(zip(*(rows[c].to_numpy(dtype=object).tolist() if c in rows else [None] * len(rows)
                                             for c in names)), self.explanations):
            row = dict(zip(names, values))
            status = row["status"]
            out.append(IndicatorScore(
                id=row["id"], level1=row["level1"], level2=row["level2"], name=row["name"], target=row["target"],
                actual=row["actual"], reason=row["reason"] if isinstance(row["reason"], str) else None,
                weight=row["weight"],
                score=row["score"] if status == Status.SCORED else (None if status == Status.NOT_APPLICABLE else 0.0),
                computed_score=row["computed_score"], status=status, method=row["method"],
                tier=row["tier"] if isinstance(row["tier"], str) else None, explanation=explanation,
                flags=tuple(row["flags"]), issues=tuple(row["issues"]), funds=row["funds"]))
        return out

    def ruleset_json(self) -> dict:
        return self.ruleset.describe() | {"period": self.period}

    def to_json(self) -> dict:
        """The JSON contract of ``score --format json`` (docs/outputs.md), as Python data."""
        return {"ruleset": self.ruleset_json(), "projects": [p.as_dict() for p in self.project_scores()]}


def _texts(column: pd.Series, rows: np.ndarray) -> pd.Series:
    """The texts of ``rows``, kept as the scored frame's objects (not copied into a string array)."""
    return pd.Series(column.to_numpy(dtype=object)[rows], dtype=object)


def _groups(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's group (numbered in order of first appearance) and each group's first row."""
    codes, _ = pd.factorize(keys)
    return codes, np.unique(codes, return_index=True)[1]


def _cents(values: np.ndarray) -> np.ndarray:
    """``round(v, 2)`` of each value, in numpy: away from a half cent, rounding the float v × 100 finds
    the same whole number of cents as Python's rounding of v's exact decimal, and dividing it by 100
    rounds to the same float; values within reach of a half cent, or too large, are rounded by Python."""
    values = np.asarray(values, dtype=float)
    scaled = values * 100
    cents = np.round(scaled) / 100
    with np.errstate(invalid="ignore"):                   # inf and NaN are rounded by Python
        near = ~(np.abs(np.abs(scaled - np.floor(scaled)) - 0.5) > 1e-4) | ~(np.abs(values) < 1e7)
    cents[near] = [round(v, 2) for v in values[near].tolist()]
    return cents


def _codes(issues) -> str:
    return ",".join(issue.code for issue in issues)


def _per_distinct(column: pd.Series, text) -> np.ndarray:
    """``text(value)`` of each row's value, worked out once per distinct value."""
    codes, uniques = factorize(column, use_na_sentinel=False)
    return objects([text(value) for value in uniques])[codes]

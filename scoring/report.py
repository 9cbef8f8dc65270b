"""Scored frames → the report users read: explanations, levels, totals, and JSON / CSV / table output.

``ScoreReport`` is what ``scoring.score`` returns. Its JSON form is a contract (docs/outputs.md).
Explanations are Chinese sentences a person can check by hand, e.g.
``实际 92% < 目标 ≥95%：5.00 × 92 / 95 = 4.84 分``.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from scoring._columnar.bulk import bulk
from scoring.codes import Flag, Status
from scoring._columnar.distinct import factorize, objects
from scoring.errors import display_width
from scoring.explanations import Sentences, explanations
from scoring.writers.csvreport import write_csv
from scoring.writers.jsonreport import write_json
from scoring.rulesets import Ruleset

@dataclass(frozen=True)
class ScoreReport:
    """Scores of one or many projects under one ruleset."""

    ruleset: Ruleset
    indicators: pd.DataFrame   # one row per indicator (engine columns)
    projects: pd.DataFrame     # one row per project
    period: str = "year"

    @cached_property
    def explanations(self) -> list[str]:
        return explanations(self.indicators, self.ruleset).texts()

    @bulk
    def to_dataframe(self, explain: bool = True) -> pd.DataFrame:
        """One row per indicator: project, levels, target, actual, weight, score, status, flags, explanation."""
        return pd.DataFrame(self._columns(self.explanations if explain else None)).reset_index(drop=True)

    def _columns(self, explained: list[str] | Sentences | None
                 ) -> dict[str, pd.Series | np.ndarray | list | Sentences | None]:
        """The columns of ``to_dataframe``, with the explanations as given."""
        frame = self.indicators
        projects = self.projects.set_index("project")
        return {
            "project_id": frame["project"].map(projects["id"]),
            "project_name": frame["project"].map(projects["name"]),
            "indicator_id": frame["id"], "level1": frame["level1"], "level2": frame["level2"],
            "name": frame["name"], "target": frame["target"], "actual": frame["actual"],
            "weight": frame["weight"], "score": frame["score"].where(frame["status"] != "not_applicable"),
            "status": frame["status"],
            "method": frame["method"], "flags": _per_distinct(frame["flags"], ",".join),
            "issues": _per_distinct(frame["issues"], lambda issues: ",".join(code for code, _ in issues)),
            "explanation": explained,
        }

    def totals(self) -> pd.DataFrame:
        """One row per project: total, grade, budget points, indicator points, issues."""
        p = self.projects
        return pd.DataFrame({"project_id": p["id"], "project_name": p["name"], "total": p["total"],
                             "grade": p["grade"], "budget_score": p["budget_score"],
                             "indicator_score": p["indicator_score"],
                             "issues": _per_distinct(p["issues"], lambda issues: ",".join(code for code, _ in issues))})

    @property
    def has_issues(self) -> bool:
        return any(map(len, self.projects["issues"])) or any(map(len, self.indicators["issues"]))

    def to_json(self) -> dict:
        """The JSON contract of ``score --format json`` (docs/outputs.md)."""
        buffer = io.StringIO()
        self.write_json(buffer)
        return json.loads(buffer.getvalue())

    def ruleset_json(self) -> dict:
        return self.ruleset.describe() | {"period": self.period}

    @bulk
    def write_json(self, out) -> None:
        """The JSON of ``to_json`` written to a text stream a block of rows at a time."""
        write_json(self, out)

    # ---- text outputs ------------------------------------------------------------------------------

    def to_csv(self, spreadsheet_safe: bool = False) -> str:
        """One row per indicator. The data is exact by default; ``spreadsheet_safe`` prefixes text that a
        spreadsheet would run as a formula (``=100.00(%)``, ``+1``, ``-3%``, ``@x``) with an apostrophe."""
        buffer = io.StringIO()
        self.write_csv(buffer, spreadsheet_safe)
        return buffer.getvalue()

    @bulk
    def write_csv(self, out, spreadsheet_safe: bool = False) -> None:
        """The CSV of ``to_csv`` written to a text stream a block of rows at a time."""
        write_csv(self._columns(explanations(self.indicators, self.ruleset)), out, spreadsheet_safe)

    def to_table(self) -> str:
        """A readable table per project, aligned for Chinese characters."""
        blocks = []
        data = self.to_json()
        for project in data["projects"]:
            head = (f"项目 {project['id'] or ''} {project['name'] or ''}  总分 {project['total']:.2f}  "
                    f"等级 {project['grade']}  （规则集 {data['ruleset']['name']}）")
            lines = [head.strip(), f"  预算执行：{project['budget']['explanation']}"]
            header = ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分", "状态"]
            table = [[i["level1"], i["level2"], i["name"], i["target"] or "", i["actual"] or "",
                      f"{i['weight']:.2f}", "" if i["score"] is None else f"{i['score']:.2f}",
                      Status(i["status"]).label] for i in project["indicators"]]
            lines += ["  " + line for line in _aligned([header, *table])]
            lines.append("  说明：")
            for number, indicator in enumerate(project["indicators"], 1):
                notes = [Flag(f).label for f in indicator["flags"]]
                notes += [f"问题 {issue['code']}" for issue in indicator["issues"]]
                suffix = f"  [{'；'.join(notes)}]" if notes else ""
                lines.append(f"  {number:>3}. {indicator['name']}：{indicator['explanation']}{suffix}")
            for issue in project["issues"]:
                lines.append(f"  问题 [{issue['code']}] {issue['message']}")
            for level in project["levels"]:
                lines.append(f"  小计 {level['level1']}：{level['score']:.2f} / {level['weight']:.2f}")
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks) + "\n"


def _aligned(rows: list[list[str]], limit: int = 28) -> list[str]:
    cells = [[_clip(cell, limit) for cell in row] for row in rows]
    widths = [max(display_width(row[c]) for row in cells) for c in range(len(cells[0]))]
    return ["  ".join(cell + " " * (widths[c] - display_width(cell)) for c, cell in enumerate(row)).rstrip()
            for row in cells]


def _clip(text: str, limit: int) -> str:
    if display_width(text) <= limit:
        return text
    out = ""
    for ch in text:
        if display_width(out + ch) > limit - 1:
            break
        out += ch
    return out + "…"


def _per_distinct(column: pd.Series, text) -> np.ndarray:
    """``text(value)`` of each row's value, worked out once per distinct value."""
    codes, uniques = factorize(column, use_na_sentinel=False)
    return objects([text(value) for value in uniques])[codes]

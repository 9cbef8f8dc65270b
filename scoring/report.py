"""Scored frames → the report users read: explanations, levels, totals, and JSON / CSV / table output.

``ScoreReport`` is what ``scoring.score`` returns. Its JSON form is a contract (docs/outputs.md).
Explanations are Chinese sentences a person can check by hand, e.g.
``实际 92% < 目标 ≥95%：5.00 × 92 / 95 = 4.84 分``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property

import numpy as np
import pandas as pd

from scoring.errors import display_width
from scoring.model import Op
from scoring.rulesets import Ruleset

FLAG_NAMES = {
    "assumed_op": "未写比较符，按规则集假定",
    "assumed_unit": "一方未写单位，按另一方单位比较",
    "classifier_change": "量词不同，按计数比较",
    "over_achievement": "超额完成，需说明原因",
    "negative_actual": "实际值为负，按 0 计",
    "override": "采用评价人得分",
    "evaluator_score": "采用评价人在档次区间内的得分",
    "qualitative_actual": "数值指标以文字填报，按档次评分",
}
STATUS_NAMES = {"scored": "已评分", "not_scored": "未评分", "not_applicable": "不适用"}
_OP_SIGNS = {Op.GE: "≥", Op.LE: "≤", Op.GT: ">", Op.LT: "<", Op.EQ: "="}
_EXPLAINED = ["weight", "score", "computed_score", "status", "method", "target", "actual", "issues", "flags",
              "op", "tier", "share", "parts", "a", "b", "low", "high", "unit"]
_INDICATOR_FIELDS = ["id", "level1", "level2", "name", "target", "actual", "reason", "weight", "score",
                     "computed_score", "status", "method", "tier", "flags", "issues"]


def _num(value: float) -> str:
    """A number as short as it is, at most four decimals: 92.0 → 92, 97.2 → 97.2, 3.068493… → 3.0685."""
    return f"{Decimal(repr(round(value, 4))).normalize():f}" if value == value else "?"


def explain(row: dict, ruleset: Ruleset) -> str:
    """The sentence behind one indicator's points."""
    w, points = row["weight"], row["score"]
    status, method = row["status"], row["method"]
    target, actual = row["target"], row["actual"]
    if status == "not_applicable":
        return f"实际「{actual}」：不适用，不计分，项目得分按 100 分折算"
    if status == "not_scored" or (row["share"] != row["share"]):
        reasons = "；".join(message.splitlines()[0] for _, message in row["issues"]) or "无法评分"
        return f"未评分：{reasons}"
    if method == "missing":
        return f"未填写实际完成值：0 分（分值 {w:.2f}）"
    prefix = ""
    if "assumed_op" in row["flags"] and row["op"] in _OP_SIGNS:
        prefix = f"未写比较符，按 {_OP_SIGNS[row['op']]} 计；"
    if method == "qualitative":
        tier = ruleset.tier(row["tier"])
        band = f"{float(tier.low) * 100:g}%–{float(tier.high) * 100:g}%"
        sentence = (f"实际「{actual}」属「{tier.name}」（{band}）：{w:.2f} × {row['share'] * 100:g}% = "
                    f"{row['computed_score']:.2f} 分")
    elif method == "compound":
        pieces = "；".join(f"{t} → {a or '未填'}（{s * 100:.0f}%）" for t, a, s, _ in row["parts"])
        sentence = f"复合指标，各部分平分分值：{pieces}；{w:.2f} × {row['share'] * 100:.2f}% = {row['computed_score']:.2f} 分"
    elif method == "deadline":
        sentence = (f"实际 {actual} 未晚于期限 {target}：{w:.2f} 分" if row["share"]
                    else f"实际 {actual} 晚于期限 {target}：0 分")
    else:
        sentence = _numeric(row, w)
    if "override" in row["flags"]:
        sentence += f"；采用评价人得分 {points:.2f} 分（计算得分 {row['computed_score']:.2f}）"
    if "over_achievement" in row["flags"]:
        sentence += f"；实际/目标 = {row['b'] / row['a']:.2f}，超额完成，需说明原因"
    return prefix + sentence


def _numeric(row: dict, w: float) -> str:
    a, b, method = row["a"], row["b"], row["method"]
    unit, written = row["unit"], (row["actual"] or "").strip()
    converted = f"{_num(b)}{unit}"
    got = f"实际 {written}" if converted == written else f"实际 {written}（= {converted}）"
    goal = f"目标 {row['target']}"
    computed = row["computed_score"]
    if method == "range":
        low, high = row["low"], row["high"]
        if low <= b <= high:
            return f"{got} 在 {goal} 内：满分 {w:.2f} 分"
        if b < low:
            return f"{got} 低于 {goal}：{w:.2f} × {_num(b)} / {_num(low)} = {computed:.2f} 分"
        return f"{got} 高于 {goal}：{w:.2f} × {_num(high)} / {_num(b)} = {computed:.2f} 分"
    if row["share"] >= 1:
        return f"{got} 达到 {goal}：满分 {w:.2f} 分"
    if "over_achievement" in row["flags"] and b >= a:
        return f"{got} 超过 {goal}：{w:.2f} × {row['share'] * 100:g}%（超额完成扣分后） = {computed:.2f} 分"
    if a == 0 or row["share"] == 0:
        return f"{got} 未达到 {goal}：0 分"
    if method in ("proportional", "exact_or_more"):
        return f"{got} < {goal}：{w:.2f} × {_num(b)} / {_num(a)} = {computed:.2f} 分"
    if method == "ratio":
        return f"{got} > {goal}：{w:.2f} × {_num(a)} / {_num(b)} = {computed:.2f} 分"
    return (f"{got} > {goal}：{w:.2f} × (1 − ({_num(b)} − {_num(a)}) / {_num(a)}) = "
            f"{computed:.2f} 分")


@dataclass(frozen=True)
class ScoreReport:
    """Scores of one or many projects under one ruleset."""

    ruleset: Ruleset
    indicators: pd.DataFrame   # one row per indicator (engine columns)
    projects: pd.DataFrame     # one row per project
    period: str = "year"

    @cached_property
    def explanations(self) -> list[str]:
        frame = self.indicators
        columns = [c for c in _EXPLAINED if c in frame]
        arrays = [frame[c].to_numpy(dtype=object) for c in columns]
        return [explain(dict(zip(columns, values)), self.ruleset) for values in zip(*arrays)]

    def to_dataframe(self, explain: bool = True) -> pd.DataFrame:
        """One row per indicator: project, levels, target, actual, weight, score, status, flags, explanation."""
        frame = self.indicators
        projects = self.projects.set_index("project")
        out = pd.DataFrame({
            "project_id": frame["project"].map(projects["id"]),
            "project_name": frame["project"].map(projects["name"]),
            "indicator_id": frame["id"], "level1": frame["level1"], "level2": frame["level2"],
            "name": frame["name"], "target": frame["target"], "actual": frame["actual"],
            "weight": frame["weight"], "score": frame["score"].where(frame["status"] != "not_applicable"),
            "status": frame["status"],
            "method": frame["method"], "flags": [",".join(f) for f in frame["flags"]],
            "issues": [",".join(code for code, _ in i) for i in frame["issues"]],
            "explanation": self.explanations if explain else None,
        })
        return out.reset_index(drop=True)

    def totals(self) -> pd.DataFrame:
        """One row per project: total, grade, budget points, indicator points, issues."""
        p = self.projects
        return pd.DataFrame({"project_id": p["id"], "project_name": p["name"], "total": p["total"],
                             "grade": p["grade"], "budget_score": p["budget_score"],
                             "indicator_score": p["indicator_score"],
                             "issues": [",".join(code for code, _ in i) for i in p["issues"]]})

    @property
    def has_issues(self) -> bool:
        return bool(any(self.projects["issues"].map(len)) or any(self.indicators["issues"].map(len)))

    def to_json(self) -> dict:
        """The JSON contract of ``score --format json`` (docs/outputs.md)."""
        return {"ruleset": self.ruleset_json(), "projects": list(self.project_objects())}

    def ruleset_json(self) -> dict:
        return self.ruleset.describe() | {"period": self.period}

    def write_json(self, out) -> None:
        """The JSON of ``to_json`` written project by project, never held whole in memory."""
        out.write('{"ruleset": ' + json.dumps(self.ruleset_json(), ensure_ascii=False) + ', "projects": [')
        for number, project in enumerate(self.project_objects()):
            out.write((", " if number else "") + json.dumps(project, ensure_ascii=False))
        out.write("]}\n")

    def project_objects(self):
        """The projects of ``to_json``, one at a time, in input order."""
        rows = self.indicators
        columns = [rows[name].to_numpy(dtype=object) for name in _INDICATOR_FIELDS]
        explanations = self.explanations
        owner = rows["project"].to_numpy()
        order = np.argsort(owner, kind="stable")
        bounds = np.searchsorted(owner[order], self.projects["project"].to_numpy(), side="left")
        ends = np.searchsorted(owner[order], self.projects["project"].to_numpy(), side="right")
        levels = self._levels()
        for p, start, end in zip(self.projects.to_dict("records"), bounds, ends):
            indicators = [self._indicator_json(*(column[k] for column in columns), explanations[k])
                          for k in order[start:end]]
            yield self._project_json(p, indicators, levels.get(int(p["project"]), []))

    def _levels(self) -> dict[int, list]:
        """Per project, the 一级指标 in table order with their 二级指标: weights and points added."""
        rows = self.indicators
        if rows.empty:
            return {}
        first = rows.groupby(["project", "level1"], sort=False)[["weight", "score"]].sum()
        second = rows.groupby(["project", "level1", "level2"], sort=False)[["weight", "score"]].sum()
        nested: dict[tuple, list] = {}
        for (project, level1, level2), weight, points in zip(second.index, second["weight"], second["score"]):
            nested.setdefault((project, level1), []).append(
                {"level2": level2, "weight": _money(weight), "score": _money(points)})
        out: dict[int, list] = {}
        for (project, level1), weight, points in zip(first.index, first["weight"], first["score"]):
            out.setdefault(int(project), []).append({"level1": level1, "weight": _money(weight),
                                                     "score": _money(points),
                                                     "level2": nested[(project, level1)]})
        return out

    def _project_json(self, p: dict, indicators: list, levels: list) -> dict:
        return {
            "id": p["id"], "name": p["name"],
            "total": _money(p["total"]), "max": 100.0, "grade": p["grade"],
            "points": _money(p["points"]), "points_max": _money(p["points_max"]),
            "budget": {"initial": _optional(p["budget_initial"]), "adjusted": _optional(p["budget_adjusted"]),
                       "executed": _optional(p["budget_executed"]), "unit": p["budget_unit"],
                       "rate": None if math.isnan(p["budget_rate"]) else round(float(p["budget_rate"]), 6),
                       "weight": _money(p["budget_weight"]), "score": _money(p["budget_score"]),
                       "explanation": self._budget_explanation(p)},
            "levels": levels,
            "indicators": indicators,
            "issues": [{"code": code, "message": message} for code, message in p["issues"]],
        }

    @staticmethod
    def _indicator_json(id_, level1, level2, name, target, actual, reason, weight, points, computed, status,
                        method, tier, flags, issues, explanation: str) -> dict:
        # weights and points are already whole cents (k / 100 as the nearest float)
        return {
            "id": id_, "level1": level1, "level2": level2, "name": name,
            "target": target, "actual": actual, "reason": reason if isinstance(reason, str) else None,
            "weight": float(weight),
            "score": float(points) if status == "scored" else (None if status == "not_applicable" else 0.0),
            "computed_score": float(computed),
            "status": status, "method": method, "tier": tier if isinstance(tier, str) else None,
            "explanation": explanation, "flags": list(flags),
            "issues": [{"code": code, "message": message} for code, message in issues],
        }

    def _budget_explanation(self, p) -> str:
        rate = p["budget_rate"]
        if math.isnan(rate):
            return "缺少全年执行数或预算数：0 分"
        capped = "（超过 100% 按 100% 计）" if rate > 1 else ""
        return (f"执行率 {p['budget_executed']:,.2f} / {p['budget_denominator']:,.2f} = {rate * 100:.2f}%{capped}："
                f"{p['budget_weight']:g} × {min(rate, 1) * 100:.2f}% = {p['budget_score']:.2f} 分")

    # ---- text outputs ------------------------------------------------------------------------------

    def to_csv(self, spreadsheet_safe: bool = False) -> str:
        """One row per indicator. The data is exact by default; ``spreadsheet_safe`` prefixes text that a
        spreadsheet would run as a formula (``=100.00(%)``, ``+1``, ``-3%``, ``@x``) with an apostrophe."""
        frame = self.to_dataframe()
        if spreadsheet_safe:
            for column in frame.columns[frame.dtypes == object]:
                frame[column] = frame[column].map(_neutral)
        return frame.to_csv(index=False, lineterminator="\n")

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
                      STATUS_NAMES[i["status"]]] for i in project["indicators"]]
            lines += ["  " + line for line in _aligned([header, *table])]
            lines.append("  说明：")
            for number, indicator in enumerate(project["indicators"], 1):
                notes = [FLAG_NAMES.get(f, f) for f in indicator["flags"]]
                notes += [f"问题 {issue['code']}" for issue in indicator["issues"]]
                suffix = f"  [{'；'.join(notes)}]" if notes else ""
                lines.append(f"  {number:>3}. {indicator['name']}：{indicator['explanation']}{suffix}")
            for issue in project["issues"]:
                lines.append(f"  问题 [{issue['code']}] {issue['message']}")
            for level in project["levels"]:
                lines.append(f"  小计 {level['level1']}：{level['score']:.2f} / {level['weight']:.2f}")
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks) + "\n"


def _neutral(value):
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@", "\t", "\r")):
        return "'" + value
    return value


def _optional(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return float(value) if isinstance(value, (int, float)) else value


def _money(value: float) -> float:
    return round(float(value), 2)


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

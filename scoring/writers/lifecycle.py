"""The year before the score as text: the findings of a target review (score review) and a mid-year
monitoring (score monitor) as a table for people, JSON, or (monitoring) CSV with formula-like text
kept from running."""

from __future__ import annotations

import csv
import io
import json

from scoring.monitor import Light, Monitoring
from scoring.review import Finding
from scoring.writers.formulas import formula_like


def findings_text(findings: list[Finding], form: str) -> str:
    if form == "json":
        return json.dumps({"findings": [f.as_dict() for f in findings]}, ensure_ascii=False, indent=2) + "\n"
    if not findings:
        return "未发现问题。\n"
    return "\n".join(f"[{f.code}] {f.project}" + (f" / {f.indicator}" if f.indicator else "") + f"：{f.message}。{f.fix}"
                     for f in findings) + "\n"


def monitoring_text(watched: Monitoring, ruleset: str, form: str) -> str:
    if form == "json":
        return json.dumps(watched.as_dict(), ensure_ascii=False, indent=2) + "\n"
    if form == "csv":
        buffer = io.StringIO()
        rows = [w.as_dict() for w in watched.indicators]
        table = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["project"], lineterminator="\n")
        table.writeheader()
        table.writerows({k: "'" + v if isinstance(v, str) and formula_like(v) else v for k, v in row.items()}
                        for row in rows)
        return buffer.getvalue()
    lines = [f"运行监控（截至 {watched.as_of.isoformat()}，规则集 {ruleset}）"]
    for project in watched.projects:
        lines.append(f"项目 {project.project}：{project.light.label}　{project.reason}")
        lines += [f"  {w.light.label}　{w.indicator}（{w.target}）：{w.reason}" for w in watched.indicators
                  if w.project == project.project]
    red = [w for w in watched.indicators if w.light is Light.RED]
    shown = "；".join(f"{w.project} / {w.indicator}" for w in red[:20]) + ("……" if len(red) > 20 else "")
    lines.append(f"红灯指标 {len(red)} 个" + (f"：{shown}" if red else "。"))
    return "\n".join(lines) + "\n"

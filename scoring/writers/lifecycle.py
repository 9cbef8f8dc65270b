"""The year before the score as output: the findings of a target review (score review) and a mid-year
monitoring (score monitor) as a table for people, JSON, a workbook, or (monitoring) CSV; formula-like
text is kept from running in the CSV and the workbook."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from scoring.errors import ScoringError
from scoring.monitor import Light, Monitoring, records
from scoring.review import Finding
from scoring.writers.files import write_stdout, write_text
from scoring.writers.formulas import formula_like


def emit(result, form: str, output: str | None, as_text, as_tables, forms: tuple[str, ...],
         encoding: str = "utf-8") -> None:
    """A review's or a monitoring's output in one of ``forms``: a workbook (an output path needed), or
    ``as_text(result, form)`` to the path or stdout, in ``encoding``."""
    if form not in forms:
        raise ScoringError(f"此命令的输出格式为 {'、'.join(forms)}，而不是 {form}（由 -o 的扩展名判断） / unsupported format")
    if form == "xlsx":
        if not output:
            raise ScoringError("xlsx 格式需要 -o FILE / the xlsx format needs -o FILE")
        from scoring.writers.xlsx import write_tables

        write_tables(as_tables(result), Path(output))
    elif output:
        write_text(Path(output), as_text(result, form), encoding)
    else:
        write_stdout(as_text(result, form), encoding)


def findings_tables(findings: list[Finding]) -> list[tuple[str, list[str], list[list]]]:
    """The findings as one sheet for writers.xlsx.write_tables."""
    return [("目标审核", ["项目", "指标", "代码", "问题", "说明", "如何修改"],
             [[f.project, f.indicator or "（项目）", str(f.code), f.code.label, f.message, f.fix] for f in findings])]


def monitoring_tables(watched: Monitoring) -> list[tuple[str, list[str], list[list]]]:
    """A monitoring as sheets for writers.xlsx.write_tables: the projects, the indicators, the red ones."""
    heads = ["项目", "指标", "指标值", "进展", "应完成", "已完成", "全年预计", "单位", "监控结果", "说明"]

    def rows(frame, columns):
        lit = frame.assign(light=[Light(light).label for light in frame["light"]])
        return [list(row.values()) for row in records(lit[list(columns)])]

    return [("项目", ["项目", "时间进度", "执行进度", "红灯指标", "监控结果", "说明"],
             rows(watched.projects, ("project", "time_progress", "execution", "red_indicators", "light", "reason"))),
            *((sheet, heads, rows(frame, ("project", "indicator", "target", "reported", "expected", "progress",
                                          "projected", "unit", "light", "reason")))
              for sheet, frame in (("指标", watched.indicators), ("红灯", watched.red)))]


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
    indicators = watched.indicators
    if form == "csv":
        buffer = io.StringIO()
        table = csv.writer(buffer, lineterminator="\n")
        table.writerow(indicators.columns)
        table.writerows(["'" + v if isinstance(v, str) and formula_like(v) else "" if v is None else v
                         for v in row.values()] for row in records(indicators))
        return buffer.getvalue()
    lines = [f"运行监控（截至 {watched.as_of.isoformat()}，规则集 {ruleset}）"]
    by_project: dict[str, list[str]] = {}
    for project_id, light, indicator, target, reason in zip(
            *(indicators[c].tolist() for c in ("project_id", "light", "indicator", "target", "reason"))):
        by_project.setdefault(project_id, []).append(f"  {Light(light).label}　{indicator}（{target}）：{reason}")
    for project, light, reason, project_id in zip(
            *(watched.projects[c].tolist() for c in ("project", "light", "reason", "project_id"))):
        lines.append(f"项目 {project}：{Light(light).label}　{reason}")
        lines += by_project.get(project_id, [])
    red = watched.red
    shown = "；".join(f"{p} / {i}" for p, i in zip(red["project"].tolist()[:20], red["indicator"].tolist()[:20]))
    lines.append(f"红灯指标 {len(red)} 个" + (f"：{shown}" + ("……" if len(red) > 20 else "") if len(red) else "。"))
    return "\n".join(lines) + "\n"

"""The readable text report (``score`` with no ``--format``): a table per project, aligned for Chinese
characters, then every indicator's explanation, its flags and issues, and the level subtotals."""

from __future__ import annotations

from scoring.codes import Flag, Status
from scoring.errors import display_width
from scoring.report import ScoreReport

HEADER = ["一级指标", "二级指标", "三级指标", "指标值", "实际完成值", "分值", "得分", "状态"]


def to_table(report: ScoreReport) -> str:
    blocks = []
    for project in report.project_scores():
        head = (f"项目 {project.id or ''} {project.name or ''}  总分 {project.total:.2f}  "
                f"等级 {project.grade}  （规则集 {report.ruleset.name}）")
        lines = [head.strip(), f"  预算执行：{project.budget.explanation}"]
        table = [[i.level1, i.level2, i.name, i.target or "", i.actual or "", f"{i.weight:.2f}",
                  "" if i.score is None else f"{i.score:.2f}", Status(i.status).label] for i in project.indicators]
        lines += ["  " + line for line in _aligned([HEADER, *table])]
        lines.append("  说明：")
        for number, indicator in enumerate(project.indicators, 1):
            notes = [Flag(f).label for f in indicator.flags] + [f"问题 {issue.code}" for issue in indicator.issues]
            suffix = f"  [{'；'.join(notes)}]" if notes else ""
            lines.append(f"  {number:>3}. {indicator.name}：{indicator.explanation}{suffix}")
        lines += [f"  问题 [{issue.code}] {issue.message}" for issue in project.issues]
        lines += [f"  小计 {level.name}：{level.score:.2f} / {level.weight:.2f}" for level in project.levels]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def write_table(report: ScoreReport, out) -> None:
    out.write(to_table(report))


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

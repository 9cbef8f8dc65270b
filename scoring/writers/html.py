"""The HTML report (``--format html``): one self-contained page, styles and SVG charts inline, no
script and nothing fetched. It opens on a summary of the projects (totals, grades, the distribution of
totals, the indicators that lost most points), then shows each project: its 自评表, a bar per 一级 and
二级指标, every deduction with its explanation and 偏差原因, its flags and issues. Every text from the
input is escaped."""

from __future__ import annotations

from datetime import date
from html import escape

import numpy as np

from scoring.codes import Flag, Status
from scoring.report import ScoreReport
from scoring.scores import IndicatorScore, ProjectScore
from scoring.writers import svg

SHOWN_PROJECTS = 200            # projects drawn in full; the summary lists every project
LOSSES = 15
GRADE_COLOURS = ("#2f7d4f", "#5b8c3a", "#c98a14", "#b8412c")

STYLE = """
:root{--ink:#1f2933;--muted:#5f6b7a;--line:#d8dde3;--soft:#f4f6f8;--accent:#1f5f99}
*{box-sizing:border-box}
body{margin:0;font:14px/1.6 "Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",
  "WenQuanYi Micro Hei",sans-serif;color:var(--ink);background:#fff}
main{max-width:1100px;margin:0 auto;padding:24px 28px 64px}
h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:40px 0 6px;padding-top:12px;border-top:3px solid var(--accent)}
h3{font-size:15px;margin:22px 0 8px}
.meta{color:var(--muted);margin:0 0 12px}
.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{border:1px solid var(--line);border-radius:6px;padding:10px 16px;min-width:120px;background:var(--soft)}
.card b{display:block;font-size:22px}
table{border-collapse:collapse;width:100%;margin:6px 0 12px;font-size:13px}
th,td{border:1px solid var(--line);padding:4px 7px;text-align:left;vertical-align:top}
th{background:var(--soft);font-weight:600}
td.n,th.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
tr.lost td{background:#fff7f5}
table.sheet td:nth-child(-n+2){min-width:6.5em}table.sheet td:nth-child(3){min-width:9em}
table.sheet td:nth-child(4),table.sheet td:nth-child(5){min-width:6em}
.grade{display:inline-block;min-width:1.6em;text-align:center;border-radius:4px;color:#fff;padding:0 4px}
.tag{display:inline-block;font-size:12px;border:1px solid var(--line);border-radius:3px;padding:0 4px;margin:1px 2px;
  color:var(--muted)}
.issue{color:#9a2f1c}
.todo{color:var(--muted);font-style:italic}
ul.deductions li{margin:0 0 8px}
svg text{font:12px sans-serif;fill:var(--ink)}svg text.sub{fill:var(--muted)}svg text.value{fill:var(--muted)}
a{color:var(--accent)}
@media print{main{max-width:none;padding:0}section.project{break-before:page}svg{max-width:100%}}
"""


def to_html(report: ScoreReport, shown: int = SHOWN_PROJECTS) -> str:
    """The whole page; the first ``shown`` projects get a section each."""
    projects = report.project_scores()
    about = report.about()
    body = [_summary(report, projects, shown)]
    body += [_project(k, project, about.iloc[k]) for k, project in enumerate(projects[:shown])]
    if len(projects) > shown:
        body.append(f'<p class="todo">另有 {len(projects) - shown:,} 个项目未逐一展开；它们的得分在上方的汇总表中，'
                    '全部明细请用 --format json 或 csv。</p>')
    title = "绩效自评评分报告"
    return (f'<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
            f'<style>{STYLE}</style></head><body><main><h1>{title}</h1>' + "".join(body) + "</main></body></html>\n")


def write_html(report: ScoreReport, out) -> None:
    out.write(to_html(report))


def _summary(report: ScoreReport, projects: tuple[ProjectScore, ...], shown: int) -> str:
    ruleset = report.ruleset
    totals = np.array([p.total for p in projects], dtype=float)
    grades = [grade for grade, _ in ruleset.grades]
    counts = {grade: sum(p.grade == grade for p in projects) for grade in grades}
    period = "半年" if report.period == "H1" else "全年"
    parts = [f'<p class="meta">规则集：{_e(ruleset.title)}（{_e(ruleset.name)}）· {period}指标值 · '
             f'{len(projects):,} 个项目 · {len(report):,} 个指标 · 生成于 {date.today().isoformat()}</p>',
             '<section id="summary"><div class="cards">',
             _card("项目", f"{len(projects):,}"), _card("平均总分", f"{totals.mean():.2f}" if len(totals) else "—"),
             _card("最低 / 最高", f"{totals.min():.2f} / {totals.max():.2f}" if len(totals) else "—"),
             *(_card(f"等级 {_e(g)}", f"{n:,}") for g, n in counts.items()), "</div>"]
    if len(projects) > 1:
        parts.append(svg.histogram(_bins(totals, ruleset.grades), "总分分布"))
    parts.append('<h3>各项目得分</h3><table><tr><th>项目</th><th class="n">总分</th><th>等级</th>'
                 '<th class="n">失分</th><th class="n">问题</th></tr>')
    for k, p in enumerate(projects):
        name = _e(p.name or p.id or f"项目 {k + 1}")
        link = f'<a href="#p{k}">{name}</a>' if k < shown else name
        issues = len(p.issues) + sum(len(i.issues) for i in p.indicators)
        parts.append(f'<tr><td>{link}</td><td class="n">{p.total:.2f}</td><td>{_grade(p.grade, grades)}</td>'
                     f'<td class="n">{100 - p.total:.2f}</td><td class="n">{issues}</td></tr>')
    parts.append("</table>")
    parts.append(_losses(projects))
    return "".join(parts) + "</section>"


def _losses(projects: tuple[ProjectScore, ...]) -> str:
    lost = sorted(((i.lost, p, i) for p in projects for i in p.indicators if i.lost), key=lambda row: -row[0])[:LOSSES]
    if not lost:
        return "<h3>失分最多的指标</h3><p>没有失分的指标。</p>"
    rows = "".join(f'<tr><td>{_e(p.name or p.id)}</td><td>{_e(i.name)}</td><td class="n">{i.weight:.2f}</td>'
                   f'<td class="n">{i.score:.2f}</td><td class="n">{points:.2f}</td><td>{_e(i.explanation)}</td></tr>'
                   for points, p, i in lost)
    return ('<h3>失分最多的指标</h3><table><tr><th>项目</th><th>指标</th><th class="n">分值</th><th class="n">得分</th>'
            f'<th class="n">失分</th><th>说明</th></tr>{rows}</table>')


def _project(k: int, project: ProjectScore, about) -> str:
    facts = [("项目编号", project.id), ("主管部门", about["department"]), ("实施单位", about["unit"]),
             ("年度", None if about["year"] != about["year"] else int(about["year"]))]
    meta = " · ".join(f"{name}：{_e(value)}" for name, value in facts if value not in (None, ""))
    parts = [f'<section class="project" id="p{k}"><h2>{_e(project.name or project.id or f"项目 {k + 1}")}</h2>',
             f'<p class="meta">{meta}</p><div class="cards">',
             _card("总分", f"{project.total:.2f}"), _card("等级", _e(project.grade)),
             _card("指标得分", f"{project.points:.2f} / {project.points_max:.2f}"),
             _card("预算执行", f"{project.budget.score:.2f} / {project.budget.weight:.2f}"), "</div>",
             f"<p>{_e(project.budget.explanation)}</p>"]
    chart = [row for level in project.levels
             for row in [(level.name, level.score, level.weight, 0),
                         *((part.name, part.score, part.weight, 1) for part in level.parts)]]
    if chart:
        parts += ["<h3>各级指标得分</h3>", svg.bars(chart, "各级指标得分：已得 / 分值")]
    parts += ["<h3>自评表</h3>", _table(project.indicators), _deductions(project.indicators)]
    issues = [f'<li class="issue">[{_e(i.code)}] {_e(i.message)}</li>' for i in project.issues]
    issues += [f'<li class="issue">{_e(ind.name)}：[{_e(i.code)}] {_e(i.message)}</li>'
               for ind in project.indicators for i in ind.issues]
    if issues:
        parts.append("<h3>问题</h3><ul>" + "".join(issues) + "</ul>")
    return "".join(parts) + "</section>"


def _table(indicators: tuple[IndicatorScore, ...]) -> str:
    rows = ['<table class="sheet"><tr><th>一级指标</th><th>二级指标</th><th>三级指标</th><th>指标值</th><th>实际完成值</th>'
            '<th class="n">分值</th><th class="n">得分</th><th>偏差原因</th><th>标记</th></tr>']
    above: tuple = (None, None)
    for i in indicators:
        level1 = "" if i.level1 == above[0] else _e(i.level1)
        level2 = "" if (i.level1, i.level2) == above else _e(i.level2)
        above = (i.level1, i.level2)
        score = "—" if i.score is None else f"{i.score:.2f}"
        lost = ' class="lost"' if i.lost else ""
        tags = [Flag(f).label for f in i.flags] + ([Status(i.status).label] if i.status != Status.SCORED else [])
        rows.append(f'<tr{lost}><td>{level1}</td><td>{level2}</td><td>{_e(i.name)}</td><td>{_e(i.target)}</td>'
                    f'<td>{_e(i.actual)}</td><td class="n">{i.weight:.2f}</td><td class="n">{score}</td>'
                    f'<td>{_e(i.reason)}</td><td>{"".join(f"<span class=tag>{_e(t)}</span>" for t in tags)}</td></tr>')
    return "".join(rows) + "</table>"


def _deductions(indicators: tuple[IndicatorScore, ...]) -> str:
    lost = [i for i in indicators if i.lost]
    if not lost:
        return "<h3>扣分</h3><p>没有扣分的指标。</p>"
    items = []
    for i in lost:
        reason = _e(i.reason) if i.reason else '<span class="todo">未填写偏差原因</span>'
        items.append(f"<li><b>{_e(i.name)}</b>（扣 {i.lost:.2f} 分）：{_e(i.explanation)}"
                     f"<br>偏差原因：{reason}</li>")
    return f'<h3>扣分（{len(lost)} 项）</h3><ul class="deductions">' + "".join(items) + "</ul>"


def _bins(totals: np.ndarray, grades) -> list[tuple[str, int, str]]:
    edges = sorted({0.0, 60.0, 70.0, 80.0, 90.0} | {float(floor) for _, floor in grades})
    bounds = [*edges, float("inf")]
    out = []
    for low, high in zip(bounds, bounds[1:]):
        colour = next((GRADE_COLOURS[min(k, 3)] for k, (_, floor) in enumerate(grades) if low >= float(floor)),
                      GRADE_COLOURS[-1])
        label = f"{low:g}–{high:g}" if high != float("inf") else f"≥{low:g}"
        out.append((label if low else f"<{high:g}", int(((totals >= low) & (totals < high)).sum()), colour))
    return out


def _grade(grade: str, grades: list[str]) -> str:
    colour = GRADE_COLOURS[min(grades.index(grade), 3)] if grade in grades else "#5f6b7a"
    return f'<span class="grade" style="background:{colour}">{_e(grade)}</span>'


def _card(name: str, value: str) -> str:
    return f'<div class="card">{name}<b>{value}</b></div>'


def _e(value) -> str:
    return "" if value is None or value != value else escape(str(value), quote=True)

"""Scored workbooks: a summary and one 自评表 per project, and the findings of ``score check``.

openpyxl does the file format. Cells written from text that starts with ``=``, ``+``, ``-`` or ``@``
(a target such as ``=100.00(%)``) are always written as text, never as formulas.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from scoring.codes import Status
from scoring.errors import display_width
from scoring.report import ScoreReport
from scoring.scores import ProjectScore
from scoring.writers.files import write_whole
from scoring.writers.formulas import formula_like


_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def put(sheet, row: int, column: int, value: Any, number_format: str | None = None):
    """Write one cell; text that would start a formula is kept as text."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str) and formula_like(value):
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    cell.border = _BORDER
    cell.alignment = _WRAP
    return cell


def write_workbook(report: ScoreReport, path: Path) -> None:
    """A scored report → a workbook: a summary and one 自评表 per project."""
    book = Workbook()
    summary = book.active
    summary.title = "汇总"
    projects = report.project_scores()
    _summary(summary, projects, report.ruleset.name)
    used = {"汇总"}
    for project in projects:
        title = _sheet_title(project.name or project.id or "项目", used)
        _project_sheet(book.create_sheet(title), project, report.ruleset.name)
    _save(book, path)


def _sheet_title(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", name)[:28] or "项目"
    title, n = base, 2
    while title in used:
        title, n = f"{base[:26]}{n}", n + 1
    used.add(title)
    return title


def _summary(sheet, projects: tuple[ProjectScore, ...], ruleset: str) -> None:
    heads = ["项目编号", "项目名称", "总分", "等级", "预算执行得分", "指标得分", "需关注", "问题"]
    sheet.append([])
    put(sheet, 1, 1, f"绩效自评汇总（规则集 {ruleset}）").font = Font(bold=True, size=13)
    for c, head in enumerate(heads, 1):
        cell = put(sheet, 2, c, head)
        cell.fill, cell.font, cell.alignment = _HEAD, Font(bold=True), _CENTER
    for r, project in enumerate(projects, 3):
        flagged = sum(1 for i in project.indicators if i.flags or i.issues)
        issues = "；".join(str(i.code) for i in project.issues)
        values = [project.id, project.name, project.total, project.grade, project.budget.score,
                  round(sum(i.score or 0 for i in project.indicators), 2), flagged, issues]
        for c, value in enumerate(values, 1):
            put(sheet, r, c, value, "0.00" if c in (3, 5, 6) else None)
    _fit(sheet, {2: 40, 8: 50})
    sheet.freeze_panes = "A3"
    _landscape(sheet)


def _project_sheet(sheet, project: ProjectScore, ruleset: str) -> None:
    width = 11
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    put(sheet, 1, 1, "项目支出绩效自评表").font = Font(bold=True, size=14)
    sheet.cell(1, 1).alignment = _CENTER
    put(sheet, 2, 1, "项目名称")
    put(sheet, 2, 2, project.name)
    sheet.merge_cells(start_row=2, start_column=2, end_row=2, end_column=width)
    put(sheet, 3, 1, "项目编号")
    put(sheet, 3, 2, project.id)
    put(sheet, 3, 4, "规则集")
    put(sheet, 3, 5, ruleset)
    budget = project.budget
    heads = ["", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    for c, head in enumerate(heads, 1):
        cell = put(sheet, 4, c, head)
        cell.fill, cell.font, cell.alignment = _HEAD, Font(bold=True), _CENTER
    put(sheet, 4, 1, f"项目资金（{budget.unit}）")
    put(sheet, 5, 1, "")
    put(sheet, 5, 2, "年度资金总额")
    for column, key in ((3, "initial"), (4, "adjusted"), (5, "executed")):
        put(sheet, 5, column, getattr(budget, key), "#,##0.00")
    put(sheet, 5, 6, budget.weight, "0.00")
    put(sheet, 5, 7, None if budget.rate is None else round(budget.rate, 6), "0.00%")
    put(sheet, 5, 8, budget.score, "0.00")
    put(sheet, 5, 9, budget.explanation)
    sheet.merge_cells(start_row=5, start_column=9, end_row=5, end_column=width)
    grid = ["", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "状态",
            "说明（计分依据、需关注事项）", "偏差原因分析及改进措施"]
    top = 7
    for c, head in enumerate(grid, 1):
        cell = put(sheet, top, c, head)
        cell.fill, cell.font, cell.alignment = _HEAD, Font(bold=True), _CENTER
    first = top + 1
    indicators = project.indicators
    for r, item in enumerate(indicators, first):
        put(sheet, r, 1, "绩效指标")
        put(sheet, r, 2, item.level1)
        put(sheet, r, 3, item.level2)
        put(sheet, r, 4, item.name)
        put(sheet, r, 5, item.target)
        put(sheet, r, 6, item.actual)
        put(sheet, r, 7, item.weight, "0.00")
        put(sheet, r, 8, item.score, "0.00")
        put(sheet, r, 9, Status(item.status).label)
        notes = [item.explanation, *(i.message.splitlines()[0] for i in item.issues)]
        put(sheet, r, 10, "\n".join(notes))
        put(sheet, r, 11, item.reason)
        if item.flags or item.issues:
            codes = ", ".join([*map(str, item.flags), *(str(i.code) for i in item.issues)])
            sheet.cell(r, 8).comment = Comment(f"需关注：{codes}", "scoring")
    last = first + len(indicators) - 1
    _merge_runs(sheet, first, last, 1, lambda i: "绩效指标")
    _merge_runs(sheet, first, last, 2, lambda i: indicators[i].level1)
    _merge_runs(sheet, first, last, 3, lambda i: (indicators[i].level1, indicators[i].level2))
    r = last + 1
    for level in project.levels:
        put(sheet, r, 2, f"小计：{level.name}")
        sheet.merge_cells(start_row=r, start_column=2, end_row=r, end_column=6)
        put(sheet, r, 7, level.weight, "0.00")
        put(sheet, r, 8, level.score, "0.00")
        r += 1
    put(sheet, r, 1, "总分")
    sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=6)
    put(sheet, r, 7, 100.0, "0.00")
    put(sheet, r, 8, project.total, "0.00").font = Font(bold=True)
    put(sheet, r, 9, f"等级：{project.grade}")
    if project.points_max < 100:
        put(sheet, r, 10, f"含不适用指标：得分 {project.points:.2f} / {project.points_max:.2f}，折算为百分制")
    for issue in project.issues:
        r += 1
        put(sheet, r, 1, "问题")
        put(sheet, r, 2, f"[{issue.code}] {issue.message}")
        sheet.merge_cells(start_row=r, start_column=2, end_row=r, end_column=width)
    _fit(sheet, {1: 14, 2: 14, 3: 16, 4: 34, 5: 16, 6: 16, 10: 60, 11: 40})
    sheet.freeze_panes = sheet.cell(first, 1)
    _landscape(sheet)


def _landscape(sheet) -> None:
    """Print one page wide, landscape."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _merge_runs(sheet, first: int, last: int, column: int, key) -> None:
    start = first
    for r in range(first, last + 2):
        if r > last or key(r - first) != key(start - first):
            if r - 1 > start:
                sheet.merge_cells(start_row=start, start_column=column, end_row=r - 1, end_column=column)
                sheet.cell(start, column).alignment = _CENTER
            start = r


def _fit(sheet, limits: dict[int, int]) -> None:
    """Column widths that fit Chinese text (two cells a character), within each column's limit."""
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None or type(cell).__name__ == "MergedCell":
                continue
            longest = max((display_width(line) for line in str(cell.value).split("\n")), default=0)
            widths[cell.column] = max(widths.get(cell.column, 0), longest)
    final = {}
    for column, width in widths.items():
        final[column] = min(width + 2, limits.get(column, 24)) + 1
        sheet.column_dimensions[get_column_letter(column)].width = final[column]
    merged = {(r, c) for cells in sheet.merged_cells.ranges for r, c in cells.cells}
    for row in sheet.iter_rows():
        lines = 1
        for cell in row:
            if cell.value is None or (cell.row, cell.column) in merged:
                continue
            room = max(final.get(cell.column, 10) - 2, 4)
            lines = max(lines, sum(math.ceil(max(display_width(part), 1) / room)
                                   for part in str(cell.value).split("\n")))
        if lines > 1:
            sheet.row_dimensions[row[0].row].height = 15 * lines


def write_tables(tables: list[tuple[str, list[str], list[list]]], path: Path) -> None:
    """Sheets of plain tables, each (title, header, rows): the review's findings, a monitoring's lights."""
    book = Workbook()
    for k, (title, heads, rows) in enumerate(tables):
        sheet = book.active if k == 0 else book.create_sheet()
        sheet.title = title
        for c, head in enumerate(heads, 1):
            cell = put(sheet, 1, c, head)
            cell.fill, cell.font, cell.alignment = _HEAD, Font(bold=True), _CENTER
        for r, row in enumerate(rows, 2):
            for c, value in enumerate(row, 1):
                put(sheet, r, c, value, "0.00" if isinstance(value, float) else None)
        sheet.freeze_panes = "A2"
        _fit(sheet, {c: 40 for c in range(1, len(heads) + 1)})
    _save(book, path)


def write_findings(findings: list[dict], path: Path, fits: list[dict] = (), unexplained: list[dict] = ()) -> None:
    """The findings of ``score check`` as a workbook: the findings, and the shipped rulesets by how many
    printed scores each gives (``fits``) with the rows none explains (``unexplained``)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "检查结果"
    heads = ["项目", "三级指标", "代码", "说明", "应为", "表中"]
    for c, head in enumerate(heads, 1):
        cell = put(sheet, 1, c, head)
        cell.fill, cell.font, cell.alignment = _HEAD, Font(bold=True), _CENTER
    for r, finding in enumerate(findings, 2):
        for c, key in enumerate(("project", "indicator", "code", "message", "expected", "found"), 1):
            put(sheet, r, c, finding[key], "0.00" if key in ("expected", "found") and
                isinstance(finding[key], float) else None)
    _fit(sheet, {1: 30, 2: 30, 4: 70})
    if fits:
        ranking = book.create_sheet("规则集")
        for c, head in enumerate(["规则集", "相符的行", "有得分的行"], 1):
            cell = put(ranking, 1, c, head)
            cell.fill, cell.font, cell.alignment = _HEAD, Font(bold=True), _CENTER
        for r, fit in enumerate(fits, 2):
            for c, key in enumerate(("ruleset", "agreeing", "rows"), 1):
                put(ranking, r, c, fit[key])
        below = len(fits) + 3
        put(ranking, below, 1, "没有规则集能解释的得分（评价人自定）").font = Font(bold=True)
        for r, row in enumerate(unexplained, below + 1):
            put(ranking, r, 1, row["project"])
            put(ranking, r, 2, row["indicator"])
        _fit(ranking, {1: 30, 2: 30})
    _save(book, path)


def _save(book: Workbook, path: Path) -> None:
    write_whole(path, book.save)

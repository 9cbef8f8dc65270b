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
    for project, about in zip(projects, report.about().to_dict("records")):
        title = _sheet_title(project.name or project.id or "项目", used)
        _project_sheet(book.create_sheet(title), project, about, report.ruleset.name)
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
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(heads))
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
    sheet.print_title_rows = "2:2"
    _a4(sheet, "绩效自评汇总")


def _project_sheet(sheet, project: ProjectScore, about, ruleset: str) -> None:
    """The official block order: 项目名称, 主管部门 and 实施单位, 项目资金, 年度总体目标 (预期目标 | 实际完成情况),
    绩效指标, 总分; printed on A4 with the grid's header on every page."""
    width = len(GRID)

    def line(row: int, *cells: tuple[int, int, Any]) -> None:
        """Cells of one row, each (first column, last column, value), merged across its columns."""
        for first, last, value in cells:
            put(sheet, row, first, value)
            if last > first:
                sheet.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)

    def heads(row: int, *columns: int) -> None:
        for column in columns:
            cell = sheet.cell(row, column)
            cell.fill, cell.font, cell.alignment = _HEAD, Font(bold=True), _CENTER

    line(1, (1, width, "项目支出绩效自评表"))
    sheet.cell(1, 1).font, sheet.cell(1, 1).alignment = Font(bold=True, size=14), _CENTER
    year = about["year"]
    line(2, (1, width, f"（{int(year)}年度）" if isinstance(year, (int, float)) and year == year else ""))
    sheet.cell(2, 1).alignment = _CENTER
    line(3, (1, 1, "项目名称"), (2, width, project.name))
    line(4, (1, 1, "主管部门"), (2, 5, _given(about["department"])), (6, 6, "实施单位"), (7, width, _given(about["unit"])))
    line(5, (1, 1, "项目编号"), (2, 5, project.id), (6, 6, "规则集"), (7, width, ruleset))
    heads(3, 1), heads(4, 1, 6), heads(5, 1, 6)
    budget = project.budget
    line(6, (1, 1, f"项目资金（{budget.unit}）"), (2, 2, ""), (3, 3, "年初预算数"), (4, 4, "全年预算数"), (5, 5, "全年执行数"),
         (6, 6, "分值"), (7, 7, "执行率"), (8, 8, "得分"), (9, width, "计分依据"))
    heads(6, *range(1, 10))
    line(7, (1, 1, ""), (2, 2, "年度资金总额"), (9, width, budget.explanation))
    sheet.merge_cells(start_row=6, start_column=1, end_row=7, end_column=1)
    for column, value, form in ((3, budget.initial, "#,##0.00"), (4, budget.adjusted, "#,##0.00"),
                                (5, budget.executed, "#,##0.00"), (6, budget.weight, "0.00"),
                                (7, None if budget.rate is None else round(budget.rate, 6), "0.00%"),
                                (8, budget.score, "0.00")):
        put(sheet, 7, column, value, form)
    line(8, (1, 1, "年度总体目标"), (2, 6, "预期目标"), (7, width, "实际完成情况"))
    line(9, (1, 1, ""), (2, 6, _given(about["goal"])), (7, width, _given(about["achieved"])))
    sheet.merge_cells(start_row=8, start_column=1, end_row=9, end_column=1)
    heads(8, 1, 2, 7)
    top = 10
    line(top, *((c, c, head) for c, head in enumerate(GRID, 1)))
    heads(top, *range(1, width + 1))
    first = top + 1
    indicators = project.indicators
    for r, item in enumerate(indicators, first):
        notes = [item.explanation, *(i.message.splitlines()[0] for i in item.issues)]
        for c, value, form in ((1, "绩效指标", None), (2, item.level1, None), (3, item.level2, None), (4, item.name, None),
                               (5, item.target, None), (6, item.actual, None), (7, item.weight, "0.00"),
                               (8, item.score, "0.00"), (9, Status(item.status).label, None), (10, "\n".join(notes), None),
                               (11, item.reason, None)):
            put(sheet, r, c, value, form)
        if item.flags or item.issues:
            codes = ", ".join([*map(str, item.flags), *(str(i.code) for i in item.issues)])
            sheet.cell(r, 8).comment = Comment(f"需关注：{codes}", "scoring")
    last = first + len(indicators) - 1
    _merge_runs(sheet, first, last, 1, lambda i: "绩效指标")
    _merge_runs(sheet, first, last, 2, lambda i: indicators[i].level1)
    _merge_runs(sheet, first, last, 3, lambda i: (indicators[i].level1, indicators[i].level2))
    r = last + 1
    for level in project.levels:
        line(r, (2, 6, f"小计：{level.name}"))
        put(sheet, r, 7, level.weight, "0.00")
        put(sheet, r, 8, level.score, "0.00")
        r += 1
    line(r, (1, 6, "总分"))
    put(sheet, r, 7, 100.0, "0.00")
    put(sheet, r, 8, project.total, "0.00").font = Font(bold=True)
    put(sheet, r, 9, f"等级：{project.grade}")
    if project.points_max < 100:
        put(sheet, r, 10, f"含不适用指标：得分 {project.points:.2f} / {project.points_max:.2f}，折算为百分制")
    for issue in project.issues:
        r += 1
        line(r, (1, 1, "问题"), (2, width, f"[{issue.code}] {issue.message}"))
    _fit(sheet, PROJECT_WIDTHS, exact=True)
    sheet.freeze_panes = sheet.cell(first, 1)
    sheet.print_title_rows = f"{top}:{top}"
    _a4(sheet, f"{project.name or project.id or ''} 绩效自评表")


GRID = ("", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "状态",
        "说明（计分依据、需关注事项）", "偏差原因分析及改进措施")
# Column widths (characters) that sum to what A4 landscape prints at about 85%: names and texts wrap.
PROJECT_WIDTHS = {1: 10, 2: 11, 3: 12, 4: 22, 5: 13, 6: 13, 7: 8, 8: 8, 9: 8, 10: 36, 11: 28}


def _given(value) -> str:
    return value if isinstance(value, str) else ""


def _a4(sheet, title: str) -> None:
    """Print on A4 landscape, one page wide and as many high as the rows need, centred, with the title
    above and the page number below every page."""
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.75
    sheet.page_margins.header = sheet.page_margins.footer = 0.3
    sheet.oddHeader.center.text = title.replace("&", "&&")
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"


def _merge_runs(sheet, first: int, last: int, column: int, key) -> None:
    start = first
    for r in range(first, last + 2):
        if r > last or key(r - first) != key(start - first):
            if r - 1 > start:
                sheet.merge_cells(start_row=start, start_column=column, end_row=r - 1, end_column=column)
                sheet.cell(start, column).alignment = _CENTER
            start = r


def _fit(sheet, limits: dict[int, int], exact: bool = False) -> None:
    """Column widths that fit Chinese text (two cells a character) within each column's limit, or the
    limits themselves (``exact``); rows as high as their wrapped text, a merged cell across its columns."""
    final = dict(limits) if exact else {}
    if not exact:
        widths: dict[int, int] = {}
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is None or type(cell).__name__ == "MergedCell":
                    continue
                longest = max((display_width(line) for line in str(cell.value).split("\n")), default=0)
                widths[cell.column] = max(widths.get(cell.column, 0), longest)
        final = {column: min(width + 2, limits.get(column, 24)) + 1 for column, width in widths.items()}
    for column, width in final.items():
        sheet.column_dimensions[get_column_letter(column)].width = width
    spans = {(m.min_row, m.min_col): (m.max_col, m.max_row - m.min_row + 1) for m in sheet.merged_cells.ranges}
    for row in sheet.iter_rows():
        lines = 1
        for cell in row:
            if cell.value is None or type(cell).__name__ == "MergedCell":
                continue
            last, rows = spans.get((cell.row, cell.column), (cell.column, 1))
            room = max(sum(final.get(c, 10) for c in range(cell.column, last + 1)) - 2, 4)
            needed = sum(math.ceil(max(display_width(part), 1) / room) for part in str(cell.value).split("\n"))
            lines = max(lines, math.ceil(needed / rows))
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

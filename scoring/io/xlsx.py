"""Excel workbooks: read the official 项目支出绩效自评表 (or a flat sheet) and write scored workbooks.

Reading gives the same data as targets.json (docs/inputs.md), with actuals, 分值, 得分 and 偏差原因 in
each indicator when the table holds them, so one filled 自评表 can be scored or checked by itself.
openpyxl does the file format; this module owns the layouts. Cells written from text that starts with
``=``, ``+``, ``-`` or ``@`` (a target such as ``=100.00(%)``) are always written as text, never as
formulas.
"""

from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from scoring.codes import Status
from scoring.errors import InputError, display_width
from scoring.io.files import write_whole
from scoring.io.flat import COLUMNS, column_key

_GRID = {"level1": ("一级指标",), "level2": ("二级指标",), "name": ("三级指标",),
         "target": ("年度指标值", "指标值", "全年指标值"), "actual": ("实际完成值",), "weight": ("分值",),
         "score": ("得分",), "reason": ("偏差原因分析及改进措施", "偏差原因分析及改进措施（原因及措施）", "偏差原因")}
_BUDGET = {"initial": "年初预算数", "adjusted": "全年预算数", "executed": "全年执行数", "weight": "分值",
           "rate": "执行率", "score": "得分"}
_FORMULA_START = ("=", "+", "-", "@")


# ---- reading -----------------------------------------------------------------------------------------

def read_workbook(path: Path, keep_scores: bool = False) -> dict:
    """Every sheet of an official 自评表 or flat layout → targets.json-shaped data.

    The unit's own 得分 are kept in each indicator's ``score`` only with ``keep_scores`` (for checking
    a filled table); scoring computes them afresh. The printed totals go to ``x-printed``.
    """
    try:
        book = load_workbook(path, data_only=True)
        written = load_workbook(path, data_only=False)   # what was typed, for targets saved as formulas
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise InputError(f"不是可读的 xlsx 文件 / not a readable xlsx workbook ({type(error).__name__})",
                         str(path)) from None
    projects, printed, skipped = [], {}, []
    for sheet, typed in zip(book.worksheets, written.worksheets):
        grid = _values(sheet, typed)
        if _find(grid, "一级指标") and _find(grid, "三级指标") and _find(grid, "项目名称"):
            project, totals = _official(grid, str(path), sheet.title)
            projects.append(project)
            printed[project["id"]] = totals
        elif _flat_header(grid) is not None:
            projects += _flat(grid, str(path), sheet.title)
        else:
            skipped.append(sheet.title)
    if not projects:
        raise InputError(f"工作簿中没有自评表（含 项目名称、一级指标、三级指标）或带表头的指标清单；"
                         f"已查看：{'、'.join(skipped) or '无工作表'} / no self-assessment sheet found", str(path))
    if not keep_scores:
        for project in projects:
            for indicator in project["indicators"]:
                indicator.pop("score", None)
    return {"projects": projects, "x-printed": printed}


def _values(sheet, typed) -> list[list[Any]]:
    """The sheet's values with every merged range filled from its top-left cell.

    A cell typed as ``=100.00(%)`` is saved as a formula that has no value; its text is the target.
    """
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    for r, row in enumerate(typed.iter_rows(values_only=True)):
        for c, value in enumerate(row):
            if rows[r][c] is None and isinstance(value, str) and value.startswith("="):
                rows[r][c] = value
    for merged in sheet.merged_cells.ranges:
        value = sheet.cell(merged.min_row, merged.min_col).value
        for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
            for c in range(merged.min_col - 1, merged.max_col):
                if c < len(rows[r]):
                    rows[r][c] = value
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    return rows


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _norm(value: Any) -> str:
    return re.sub(r"[\s:：]", "", _text(value)).replace("（", "(").replace("）", ")")


def _find(grid, label: str) -> tuple[int, int] | None:
    for r, row in enumerate(grid):
        for c, value in enumerate(row):
            if _norm(value) == label:
                return r, c
    return None


def _right_of(grid, label: str) -> str | None:
    """The first value right of ``label`` that differs from it (merged label cells repeat it)."""
    found = _find(grid, label)
    if found is None:
        return None
    r, c = found
    for value in grid[r][c + 1:]:
        if _text(value) and _norm(value) != label:
            return _text(value)
    return None


def _official(grid, file: str, sheet: str) -> tuple[dict, dict]:
    where = f"工作表「{sheet}」"
    name = _right_of(grid, "项目名称")
    if not name:
        raise InputError(f"{where}缺少项目名称 / no project name", file)
    project: dict = {"id": _right_of(grid, "项目编号") or sheet, "name": name}
    for label, key in (("主管部门", "department"), ("实施单位", "unit")):
        if _right_of(grid, label):
            project[key] = _right_of(grid, label)
    totals: dict = {}
    header = next((r for r, row in enumerate(grid) if any(_norm(v) == "年初预算数" for v in row)), None)
    funds = _find(grid, "年度资金总额")
    if header is not None and funds is not None:
        columns = {key: next((c for c, v in enumerate(grid[header]) if _norm(v) == label), None)
                   for key, label in _BUDGET.items()}
        row = grid[funds[0]]
        budget = {key: _number(row[c]) for key, c in columns.items()
                  if key in ("initial", "adjusted", "executed") and c is not None and _number(row[c]) is not None}
        around = grid[max(header - 1, 0): funds[0] + 1]          # the block's label says 元 or 万元
        budget["unit"] = "万元" if any("万元" in _text(v) for line in around for v in line) else "元"
        project["budget"] = budget
        for key in ("weight", "score"):
            if columns.get(key) is not None:
                totals[f"budget_{key}"] = _number(row[columns[key]])
    goal = _find(grid, "预期目标")
    if goal is not None and goal[0] + 1 < len(grid):
        goal_text = _text(grid[goal[0] + 1][goal[1]])
        if goal_text:
            project["goal"] = goal_text
    grid_row = next((r for r, row in enumerate(grid)
                     if {"一级指标", "三级指标"} <= {_norm(v) for v in row}), None)
    columns = {key: next((c for c, v in enumerate(grid[grid_row]) if _norm(v) in labels), None)
               for key, labels in _GRID.items()}
    missing = [labels[0] for key, labels in _GRID.items() if columns[key] is None and key in ("level1", "name", "target")]
    if missing:
        raise InputError(f"{where}的指标表缺少列：{'、'.join(missing)} / missing columns", file)
    indicators = []
    for r in range(grid_row + 1, len(grid)):
        row = grid[r] + [None] * (len(grid[grid_row]) - len(grid[r]))
        first = next((_norm(v) for v in row if _text(v)), "")
        if first.startswith("小计"):
            continue
        if first in ("总分", "合计", "总计"):
            totals["weight"] = _number(row[columns["weight"]]) if columns["weight"] is not None else None
            totals["score"] = _number(row[columns["score"]]) if columns["score"] is not None else None
            break
        name = _text(row[columns["name"]])
        if not name or name == "三级指标":
            continue
        level1 = _text(row[columns["level1"]])
        level2 = _text(row[columns["level2"]]) if columns["level2"] is not None else ""
        if indicators and not level1:          # blank continuation cells carry the levels above
            level1, level2 = indicators[-1]["level1"], level2 or indicators[-1]["level2"]
        elif indicators and not level2 and level1 == indicators[-1]["level1"]:
            level2 = indicators[-1]["level2"]
        item = {"id": str(len(indicators) + 1), "level1": level1, "level2": level2,
                "name": name, "target": _text(row[columns["target"]]) or None,
                "source": {"file": file, "sheet": sheet, "row": r + 1}}
        for key in ("actual", "weight", "score", "reason"):
            if columns[key] is not None:
                value = row[columns[key]]
                item[key] = _number(value) if key in ("weight", "score") else (_text(value) or None)
        indicators.append(item)
    project["indicators"] = indicators
    return project, totals


def _flat_header(grid) -> int | None:
    return next((r for r, row in enumerate(grid[:10]) if sum(_column_key(v) is not None for v in row) >= 3), None)


def _flat(grid, file: str, sheet: str) -> list[dict]:
    header_row = _flat_header(grid)
    columns = {}
    for c, value in enumerate(grid[header_row]):
        key = _column_key(value)
        if key is not None and key not in columns:
            columns[key] = c
    for required in ("level1", "name"):
        if required not in columns:
            raise InputError(f"工作表「{sheet}」缺少列 {required}（{COLUMNS[required][-1]}） / missing column", file)
    projects: dict[str, dict] = {}
    for r in range(header_row + 1, len(grid)):
        row = grid[r] + [None] * (len(grid[header_row]) - len(grid[r]))
        cell = {key: row[c] for key, c in columns.items()}
        if not _text(cell.get("name")):
            continue
        key = _text(cell.get("project_id")) or _text(cell.get("project")) or sheet
        project = projects.setdefault(key, {"id": _text(cell.get("project_id")) or None,
                                            "name": _text(cell.get("project")) or key, "indicators": []})
        budget = {k[7:]: _number(cell[k]) for k in ("budget_initial", "budget_adjusted", "budget_executed")
                  if k in cell and _number(cell[k]) is not None}
        if budget:
            project.setdefault("budget", {"unit": _text(cell.get("budget_unit")) or "元"}).update(budget)
        item = {"id": _text(cell.get("indicator_id")) or str(len(project["indicators"]) + 1),
                "level1": _text(cell["level1"]), "level2": _text(cell.get("level2")), "name": _text(cell["name"]),
                "source": {"file": file, "sheet": sheet, "row": r + 1}}
        for k in ("target", "half_year_target", "actual", "reason"):
            if k in cell:
                item[k] = _text(cell[k]) or None
        for k in ("weight", "score"):
            if k in cell:
                item[k] = _number(cell[k])
        project["indicators"].append(item)
    for project in projects.values():
        if project["id"] is None:
            project.pop("id")
    return list(projects.values())


def _column_key(value: Any) -> str | None:
    key = column_key(_norm(value))
    return {"project_name": "project"}.get(key, key)


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return None if math.isnan(value) else float(value)
    text = _text(value).replace(",", "").replace("，", "")
    percent = text.endswith("%")
    try:
        number = float(text.rstrip("%"))
    except ValueError:
        return None
    return number / 100 if percent else number


# ---- writing -----------------------------------------------------------------------------------------

_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD = PatternFill("solid", fgColor="DDEBF7")
_WRAP = Alignment(wrap_text=True, vertical="center")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def put(sheet, row: int, column: int, value: Any, number_format: str | None = None):
    """Write one cell; text that would start a formula is kept as text."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        cell.data_type = "s"
    if number_format:
        cell.number_format = number_format
    cell.border = _BORDER
    cell.alignment = _WRAP
    return cell


def write_workbook(data: dict, path: Path) -> None:
    """A scored report's JSON (ScoreReport.to_json) → a workbook: a summary and one 自评表 per project."""
    book = Workbook()
    summary = book.active
    summary.title = "汇总"
    _summary(summary, data)
    used = {"汇总"}
    for project in data["projects"]:
        title = _sheet_title(project["name"] or project["id"] or "项目", used)
        _project_sheet(book.create_sheet(title), project, data["ruleset"])
    _save(book, path)


def _sheet_title(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", name)[:28] or "项目"
    title, n = base, 2
    while title in used:
        title, n = f"{base[:26]}{n}", n + 1
    used.add(title)
    return title


def _summary(sheet, data: dict) -> None:
    heads = ["项目编号", "项目名称", "总分", "等级", "预算执行得分", "指标得分", "需关注", "问题"]
    sheet.append([])
    put(sheet, 1, 1, f"绩效自评汇总（规则集 {data['ruleset']['name']}）").font = Font(bold=True, size=13)
    for c, head in enumerate(heads, 1):
        cell = put(sheet, 2, c, head)
        cell.fill, cell.font, cell.alignment = _HEAD, Font(bold=True), _CENTER
    for r, project in enumerate(data["projects"], 3):
        flagged = sum(1 for i in project["indicators"] if i["flags"] or i["issues"])
        issues = "；".join(f"{i['code']}" for i in project["issues"])
        values = [project["id"], project["name"], project["total"], project["grade"], project["budget"]["score"],
                  round(sum(i["score"] or 0 for i in project["indicators"]), 2), flagged, issues]
        for c, value in enumerate(values, 1):
            put(sheet, r, c, value, "0.00" if c in (3, 5, 6) else None)
    _fit(sheet, {2: 40, 8: 50})
    sheet.freeze_panes = "A3"
    _landscape(sheet)


def _project_sheet(sheet, project: dict, ruleset: dict) -> None:
    width = 11
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    put(sheet, 1, 1, "项目支出绩效自评表").font = Font(bold=True, size=14)
    sheet.cell(1, 1).alignment = _CENTER
    put(sheet, 2, 1, "项目名称")
    put(sheet, 2, 2, project["name"])
    sheet.merge_cells(start_row=2, start_column=2, end_row=2, end_column=width)
    put(sheet, 3, 1, "项目编号")
    put(sheet, 3, 2, project["id"])
    put(sheet, 3, 4, "规则集")
    put(sheet, 3, 5, ruleset["name"])
    budget = project["budget"]
    heads = ["", "", "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"]
    for c, head in enumerate(heads, 1):
        cell = put(sheet, 4, c, head)
        cell.fill, cell.font, cell.alignment = _HEAD, Font(bold=True), _CENTER
    put(sheet, 4, 1, f"项目资金（{budget['unit']}）")
    put(sheet, 5, 1, "")
    put(sheet, 5, 2, "年度资金总额")
    for column, key in ((3, "initial"), (4, "adjusted"), (5, "executed")):
        put(sheet, 5, column, budget[key], "#,##0.00")
    put(sheet, 5, 6, budget["weight"], "0.00")
    put(sheet, 5, 7, budget["rate"], "0.00%")
    put(sheet, 5, 8, budget["score"], "0.00")
    put(sheet, 5, 9, budget["explanation"])
    sheet.merge_cells(start_row=5, start_column=9, end_row=5, end_column=width)
    grid = ["", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "状态",
            "说明（计分依据、需关注事项）", "偏差原因分析及改进措施"]
    top = 7
    for c, head in enumerate(grid, 1):
        cell = put(sheet, top, c, head)
        cell.fill, cell.font, cell.alignment = _HEAD, Font(bold=True), _CENTER
    first = top + 1
    for r, item in enumerate(project["indicators"], first):
        put(sheet, r, 1, "绩效指标")
        put(sheet, r, 2, item["level1"])
        put(sheet, r, 3, item["level2"])
        put(sheet, r, 4, item["name"])
        put(sheet, r, 5, item["target"])
        put(sheet, r, 6, item["actual"])
        put(sheet, r, 7, item["weight"], "0.00")
        put(sheet, r, 8, item["score"], "0.00")
        put(sheet, r, 9, Status(item["status"]).label)
        notes = [item["explanation"], *(i["message"].splitlines()[0] for i in item["issues"])]
        put(sheet, r, 10, "\n".join(notes))
        put(sheet, r, 11, item["reason"])
        if item["flags"] or item["issues"]:
            codes = ", ".join([*item["flags"], *(i["code"] for i in item["issues"])])
            sheet.cell(r, 8).comment = Comment(f"需关注：{codes}", "scoring")
    last = first + len(project["indicators"]) - 1
    _merge_runs(sheet, first, last, 1, lambda i: "绩效指标")
    _merge_runs(sheet, first, last, 2, lambda i: project["indicators"][i]["level1"])
    _merge_runs(sheet, first, last, 3, lambda i: (project["indicators"][i]["level1"], project["indicators"][i]["level2"]))
    r = last + 1
    for level in project["levels"]:
        put(sheet, r, 2, f"小计：{level['level1']}")
        sheet.merge_cells(start_row=r, start_column=2, end_row=r, end_column=6)
        put(sheet, r, 7, level["weight"], "0.00")
        put(sheet, r, 8, level["score"], "0.00")
        r += 1
    put(sheet, r, 1, "总分")
    sheet.merge_cells(start_row=r, start_column=1, end_row=r, end_column=6)
    put(sheet, r, 7, 100.0, "0.00")
    put(sheet, r, 8, project["total"], "0.00").font = Font(bold=True)
    put(sheet, r, 9, f"等级：{project['grade']}")
    if project["points_max"] < 100:
        put(sheet, r, 10, f"含不适用指标：得分 {project['points']:.2f} / {project['points_max']:.2f}，折算为百分制")
    for issue in project["issues"]:
        r += 1
        put(sheet, r, 1, "问题")
        put(sheet, r, 2, f"[{issue['code']}] {issue['message']}")
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


def write_findings(findings: list[dict], path: Path) -> None:
    """The findings of ``score check`` as a workbook of one sheet."""
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
    _save(book, path)


def _save(book: Workbook, path: Path) -> None:
    write_whole(path, book.save)

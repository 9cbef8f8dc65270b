"""Excel workbooks in: the official 项目支出绩效自评表 (or a flat sheet) → targets.json-shaped data.

It gives the same data as targets.json (docs/inputs.md), with actuals, 分值, 得分 and 偏差原因 in each
indicator when the table holds them, so one filled 自评表 can be scored or checked by itself. openpyxl
does the file format; this module owns the layouts. Header names are those of columns.toml.
"""

from __future__ import annotations

import math
import re
import zipfile
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from scoring.columns import column_of, label
from scoring.errors import InputError

_GRID = ("level1", "level2", "name", "target", "actual", "weight", "score", "reason")   # columns of the grid
_BUDGET = {"budget_initial": "initial", "budget_adjusted": "adjusted", "budget_executed": "executed",
           "weight": "weight", "score": "score"}                                   # the budget block's columns


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
        if _is_official(grid):
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


def _is_official(grid) -> bool:
    """An official 自评表: a 项目名称 label above the indicator grid (a flat sheet has it in its header)."""
    level1, name = _find(grid, "一级指标"), _find(grid, "项目名称")
    return bool(level1 and name and _find(grid, "三级指标")) and name[0] < level1[0]


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
    for heading, key in (("主管部门", "department"), ("实施单位", "unit")):
        if _right_of(grid, heading):
            project[key] = _right_of(grid, heading)
    totals: dict = {}
    header = next((r for r, row in enumerate(grid) if any(_norm(v) == "年初预算数" for v in row)), None)
    funds = _find(grid, "年度资金总额")
    if header is not None and funds is not None:
        columns = {key: next((c for c, v in enumerate(grid[header]) if column_of(_norm(v)) == name), None)
                   for name, key in _BUDGET.items()}
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
    columns = {key: next((c for c, v in enumerate(grid[grid_row]) if column_of(_norm(v)) == key), None)
               for key in _GRID}
    missing = [label(key) for key in ("level1", "name", "target") if columns[key] is None]
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
            raise InputError(f"工作表「{sheet}」缺少列 {required}（{label(required)}） / missing column", file)
    projects: dict[str, dict] = {}
    for r in range(header_row + 1, len(grid)):
        row = grid[r] + [None] * (len(grid[header_row]) - len(grid[r]))
        cell = {key: row[c] for key, c in columns.items()}
        if not _text(cell.get("name")):
            continue
        key = _text(cell.get("project_id")) or _text(cell.get("project")) or sheet
        project = projects.setdefault(key, {"id": _text(cell.get("project_id")) or None,
                                            "name": _text(cell.get("project")) or key, "indicators": []})
        budget = {k[7:]: _number(cell[k]) for k in ("budget_initial", "budget_adjusted", "budget_executed",
                                                     "budget_half_year") if k in cell and _number(cell[k]) is not None}
        if _text(cell.get("budget_unit")):
            budget["unit"] = _text(cell["budget_unit"])
        if budget:
            project.setdefault("budget", {"unit": "元"}).update(budget)
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
    key = column_of(_norm(value))
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

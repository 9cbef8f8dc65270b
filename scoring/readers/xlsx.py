"""Excel workbooks in: the official 项目支出绩效自评表 (or a flat sheet) → targets.json-shaped data.

It gives the same data as targets.json (docs/inputs.md), with actuals, 分值, 得分 and 偏差原因 in each
indicator when the table holds them, so one filled 自评表 can be scored or checked by itself. openpyxl
does the file format; this module owns the layouts. Header names are those of columns.toml. A header
may take two rows (年度指标值 over 指标性质 | 指标值 | 度量单位); a split target is composed into one
(readers/natures.py, the cells kept in ``source.target_cells``); a 得分 or 分值 merged over several rows
is shared by them (readers/spans.py); a table without 一级指标 (指标名称 | 指标值 | 权重 …) is level-less.
The file is checked and loaded by readers/workbook.py; a formula is read as the value the spreadsheet
saved, or without one as readers/uncomputed.py says.
"""

from __future__ import annotations

import math
import re
import unicodedata
from itertools import zip_longest
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from scoring.columns import BUDGET_AMOUNTS, TARGET_PARTS, column_of, label, normalized
from scoring.errors import InputError
from scoring.numbers import year as year_of
from scoring.readers.funds import fund_groups
from scoring.readers.natures import compose
from scoring.readers.spans import Merge, spread
from scoring.readers.uncomputed import Uncomputed, saved_without_value
from scoring.readers.workbook import Formulas, load

_REPEATED = ("level1", "level2", "name", "target", "half_year_target", "weight", "score")   # by a fund's rows
_TITLE_YEAR = re.compile(r"(?<!\d)((?:19|20|21)\d\d)\s*年(?:度|(?=[^\d月]*自评))")   # (2024年度), 2024年项目…自评表
_LABELS = ("项目名称", "部门名称")                                # the label before a table's project name
_BUDGET = {**{f"budget_{key}": key for key in BUDGET_AMOUNTS}, "weight": "weight", "score": "score"}   # the block's columns


# ---- reading -----------------------------------------------------------------------------------------

def read_workbook(path: Path, keep_scores: bool = False) -> dict:
    """Every sheet of an official 自评表 or flat layout → targets.json-shaped data.

    The unit's own 得分 are kept in each indicator's ``score`` only with ``keep_scores`` (for checking
    a filled table); scoring computes them afresh. The printed totals go to ``x-printed``.
    """
    book, formulas = load(path)
    projects, printed, skipped = [], {}, []
    for sheet in book.worksheets:
        grid, merges = _values(sheet, formulas.get(sheet.title, {}), str(path))
        if _is_official(grid):
            project, totals = _official(grid, merges, str(path), sheet.title)
            projects.append(project)
            printed[project["id"]] = totals
        elif _flat_header(grid) is not None:
            projects += _flat(grid, merges, str(path), sheet.title)
        else:
            skipped.append(sheet.title)
    if not projects:
        raise InputError(f"工作簿中没有自评表（含 项目名称、三级指标或指标名称）或带表头的指标清单；"
                         f"已查看：{'、'.join(skipped) or '无工作表'} / no self-assessment sheet found", str(path))
    if not keep_scores:
        for project in projects:
            for indicator in project["indicators"]:
                indicator.pop("score", None)
    return {"projects": projects, "x-printed": printed}


def _is_official(grid) -> bool:
    """An official 自评表: a 项目名称 (部门名称) label above the indicator grid (a flat sheet has it in its
    header)."""
    label, header = _project_label(grid), _grid_header(grid)
    return label is not None and header is not None and label[0] < header


def _project_label(grid) -> tuple[int, int] | None:
    return next((found for found in (_find(grid, label) for label in _LABELS) if found), None)


def _grid_header(grid) -> int | None:
    """The indicator grid's header row: the first naming the 三级指标 (指标名称) and two more columns."""
    for r, row in enumerate(grid):
        keys = [_column_key(v) for v in row]
        if "name" in keys and sum(key is not None for key in set(keys)) >= 3:
            return r
    return None


def _values(sheet, formulas: Formulas, file: str) -> tuple[list[list[Any]], list[Merge]]:
    """The sheet's values with every merged range filled from its top-left cell, and the ranges.

    A formula saved without a value is its text when it only spells a value (a target typed as
    ``=100.00(%)``), else an Uncomputed that refuses to be read. One saved with a type and an empty
    value (``t="str"``: a spreadsheet computed ``""``) was computed: it is blank.
    """
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    for (r, c), formula in formulas.items():
        if r < len(rows) and c < len(rows[r]) and rows[r][c] is None and _untyped(sheet.cell(r + 1, c + 1)):
            rows[r][c] = saved_without_value(formula, file, f"工作表「{sheet.title}」{get_column_letter(c + 1)}{r + 1}")
    merges = []
    for merged in sheet.merged_cells.ranges:
        top, left = merged.min_row - 1, merged.min_col - 1
        value = rows[top][left] if top < len(rows) and left < len(rows[top]) else None
        for r in range(merged.min_row - 1, min(merged.max_row, len(rows))):
            for c in range(merged.min_col - 1, merged.max_col):
                if c < len(rows[r]):
                    rows[r][c] = value
        merges.append(Merge(merged.min_row - 1, merged.max_row - 1, merged.min_col - 1, merged.max_col - 1,
                            merged.coord))
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    return rows, merges


def _untyped(cell) -> bool:
    """A cell saved with no type (or ``t="n"``), as a program writes a formula it has not computed.
    Excel and LibreOffice save a computed text, boolean or error with its type (``t="str"``, ``b``,
    ``e``), an empty value too: ``""`` is ``<c t="str"><f>…</f><v></v></c>``; a computed number always
    has digits. openpyxl reads an empty value as None either way, keeping the saved type."""
    return cell.data_type == "n"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Uncomputed):
        value.refuse()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _norm(value: Any) -> str:
    """A label as compared, as headers are (columns.normalized: 項目名稱 is 项目名称); a formula without
    a value is no label."""
    return "" if isinstance(value, Uncomputed) else normalized(_text(value))


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


def _stated_year(grid) -> int | None:
    """The year of an official table: a 年度 beside its label, else in its title ((2024年度), 2024年度项目支出
    绩效自评表) above the project's name."""
    stated = year_of(_right_of(grid, "年度"))
    if stated is not None:
        return stated
    label = _project_label(grid)
    for row in grid[:label[0] if label else 0]:
        for value in row:
            found = _TITLE_YEAR.search(unicodedata.normalize("NFKC", _norm(value)))
            if found:
                return int(found.group(1))
    return None


def _official(grid, merges: list[Merge], file: str, sheet: str) -> tuple[dict, dict]:
    where = f"工作表「{sheet}」"
    name = next((found for found in (_right_of(grid, label) for label in _LABELS) if found), None)
    if not name:
        raise InputError(f"{where}缺少项目名称 / no project name", file)
    project: dict = {"id": _right_of(grid, "项目编号") or sheet, "name": name}
    year = _stated_year(grid)
    if year is not None:
        project["year"] = year
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
                  if key in BUDGET_AMOUNTS and c is not None and _number(row[c]) is not None}
        around = grid[max(header - 1, 0): funds[0] + 1]          # the block's label says 元 or 万元
        budget["unit"] = "万元" if any("万元" in _norm(v) for line in around for v in line) else "元"
        project["budget"] = budget
        for key in ("weight", "score"):
            if columns.get(key) is not None:
                totals[f"budget_{key}"] = _number(row[columns[key]])
    grid_row = _grid_header(grid)
    for heading, key in (("预期目标", "goal"), ("实际完成情况", "achieved")):   # 年度总体目标: the cell below each,
        found = _find(grid, heading)                                          # above the indicators
        if found is not None and found[0] + 1 < grid_row and _text(grid[found[0] + 1][found[1]]):
            project[key] = _text(grid[found[0] + 1][found[1]])
    columns, first_row = _header(grid, grid_row)
    missing = [label(key) for key in ("name", "target") if key not in columns
               and not (key == "target" and "adjusted_target" in columns)]
    if missing:
        raise InputError(f"{where}的指标表缺少列：{'、'.join(missing)} / missing columns", file)
    indicators = []
    for r in range(first_row, len(grid)):
        row = grid[r] + [None] * (len(grid[grid_row]) - len(grid[r]))
        first = next((_norm(v) for v in row if _text(v)), "")
        if first.startswith("小计"):
            continue
        if first in ("总分", "合计", "总计"):
            totals["weight"] = _number(row[columns["weight"]]) if "weight" in columns else None
            totals["score"] = _number(row[columns["score"]]) if "score" in columns else None
            break
        name = _text(row[columns["name"]])
        if not name or _column_key(name) == "name":           # a header repeated on a new page
            continue
        level1 = _text(row[columns["level1"]]) if "level1" in columns else ""
        level2 = _text(row[columns["level2"]]) if "level2" in columns else ""
        if indicators and not level1:          # blank continuation cells carry the levels above
            level1, level2 = indicators[-1]["level1"], level2 or indicators[-1]["level2"]
        elif indicators and not level2 and level1 == indicators[-1]["level1"]:
            level2 = indicators[-1]["level2"]
        item = {"id": str(len(indicators) + 1), "level1": level1, "level2": level2, "name": name,
                "source": {"file": file, "sheet": sheet, "row": r + 1}}
        _put_target(item, row, columns, where)
        for key in ("actual", "weight", "score", "reason"):
            if key in columns:
                value = row[columns[key]]
                item[key] = _number(value) if key in ("weight", "score") else (_text(value) or None)
        indicators.append(item)
    _whole_levels(indicators, where)
    spread(indicators, merges, columns)
    project["indicators"] = indicators
    return project, totals


def _header(grid, r: int) -> tuple[dict[str, int], int]:
    """The column of each key named in header row ``r``, and the row the data starts on. A second
    header row under it that names a part of a split target (年度指标值 over 指标性质 | 指标值 | 度量单位)
    names the columns it has a name for; the first column of a key is its column."""
    keys = [_column_key(v) for v in grid[r]]
    below = [_column_key(v) for v in grid[r + 1]] if r + 1 < len(grid) else []
    two_rows = any(key in TARGET_PARTS for key in below)
    if two_rows:
        keys = [under or key for key, under in zip_longest(keys, below)]
    columns: dict[str, int] = {}
    for c, key in enumerate(keys):
        if key is not None and key not in columns:
            columns[key] = c
    return columns, r + (2 if two_rows else 1)


def _put_target(item: dict, row: list, columns: dict[str, int], where: str) -> None:
    """The row's target: its 年度指标值 cell, or composed from its 指标性质 | 指标值 | 度量单位 (and
    调整指标值, which wins over the initial value when given), those cells kept in the source; a
    半年指标值 beside a split target is composed with the same nature and unit."""
    cells = {key: _text(row[columns[key]]) or None for key in ("nature", "target", "unit", "adjusted_target")
             if key in columns}
    if cells.get("nature") and cells.get("nature") == cells.get("target") == cells.get("unit"):
        cells["nature"] = cells["unit"] = None        # one value (有效) merged over 指标性质 | 指标值 | 度量单位
    if not set(cells) & set(TARGET_PARTS):
        if "target" in cells:
            item["target"] = cells["target"]
        return
    try:
        item["target"] = compose(cells.get("nature"), cells.get("adjusted_target") or cells.get("target"),
                                 cells.get("unit"))
        if "half_year_target" in columns:
            item["half_year_target"] = compose(cells.get("nature"), _text(row[columns["half_year_target"]]) or None,
                                               cells.get("unit"))
    except InputError as error:
        cell = f"{get_column_letter(columns['nature'] + 1)}{item['source']['row']}"
        raise InputError(error.message, item["source"]["file"], f"{where}{cell}") from None
    item["source"]["target_cells"] = cells


def _whole_levels(items: list[dict], where: str) -> None:
    """Either every indicator of a project has a 一级指标 or none has (a level-less table)."""
    missing = [item for item in items if not item["level1"]]
    if missing and len(missing) < len(items):
        other = next(item for item in items if item["level1"])
        raise InputError(f"{where}第 {missing[0]['source']['row']} 行缺少一级指标，而第 {other['source']['row']} 行有"
                         f"（一个项目的指标要么都有、要么都没有一级指标） / missing level1 while other rows have one",
                         missing[0]["source"]["file"])


def _flat_header(grid) -> int | None:
    return next((r for r, row in enumerate(grid[:10]) if sum(_column_key(v) is not None for v in row) >= 3), None)


def _flat(grid, merges: list[Merge], file: str, sheet: str) -> list[dict]:
    columns, first_row = _header(grid, _flat_header(grid))
    if "name" not in columns:
        raise InputError(f"工作表「{sheet}」缺少列 name（{label('name')}） / missing column", file)
    projects: dict[str, dict] = {}
    for r in range(first_row, len(grid)):
        row = grid[r] + [None] * (len(grid[first_row - 1]) - len(grid[r]))
        cell = {key: row[c] for key, c in columns.items()}
        if not _text(cell.get("name")):
            continue
        key = _text(cell.get("project_id")) or _text(cell.get("project")) or sheet
        project = projects.setdefault(key, {"id": _text(cell.get("project_id")) or None,
                                            "name": _text(cell.get("project")) or key, "indicators": []})
        stated = _text(cell.get("project_year"))
        if stated and project.setdefault("year", stated) != stated:
            raise InputError(f"工作表「{sheet}」第 {r + 1} 行 {label('project_year')}「{stated}」与同一项目的"
                             f"「{project['year']}」不同 / a project of two years", file)
        budget = {key: _number(cell[f"budget_{key}"]) for key in BUDGET_AMOUNTS
                  if f"budget_{key}" in cell and _number(cell[f"budget_{key}"]) is not None}
        if _text(cell.get("budget_unit")):
            budget["unit"] = _text(cell["budget_unit"])
        if budget:
            project.setdefault("budget", {"unit": "元"}).update(budget)
        item = {"id": _text(cell.get("indicator_id")) or None,
                "level1": _text(cell.get("level1")), "level2": _text(cell.get("level2")), "name": _text(cell["name"]),
                "source": {"file": file, "sheet": sheet, "row": r + 1}}
        _put_target(item, row, columns, f"工作表「{sheet}」")
        for k in ("half_year_target", "actual", "reason"):
            if k in cell and k not in item:
                item[k] = _text(cell[k]) or None
        for k in ("weight", "score"):
            if k in cell:
                item[k] = _number(cell[k])
        _put_fund(item, cell, f"工作表「{sheet}」第 {r + 1} 行", file)
        project["indicators"].append(item)
    for key, project in projects.items():
        project["indicators"] = _merged_funds(key, project["indicators"], sheet, file)
        _whole_levels(project["indicators"], f"工作表「{sheet}」")
        spread(project["indicators"], merges, columns)
        if project["id"] is None:
            project.pop("id")
    return list(projects.values())


def _put_fund(item: dict, cell: dict, where: str, file: str) -> None:
    """The row's fund (资金名称) and its money (资金金额), for ``_merged_funds``."""
    money = _number(cell.get("fund_money"))
    if money is None and _text(cell.get("fund_money")):
        raise InputError(f"{where}的资金金额应为数字，而不是「{_text(cell['fund_money'])}」 / expected a number", file)
    item["fund"], item["fund_money"] = _text(cell.get("fund")) or None, money


def _merged_funds(project: str, items: list[dict], sheet: str, file: str) -> list[dict]:
    """A project's rows, those of one indicator that each give a fund merged into its first, which has
    their ``funds`` in place of its actual, and their reasons, each once (readers/funds.py); then each
    row without an id numbered by its place."""
    keys = [(project, item["id"]) if item["id"] is not None else (project, None, item["level1"], item["level2"],
                                                                   item["name"]) for item in items]
    groups = fund_groups(keys, [item.pop("fund") for item in items], [item.pop("fund_money") for item in items],
                         [item.get("actual") for item in items],
                         {label(key): [item.get(key) for item in items] for key in _REPEATED},
                         lambda k: f"工作表「{sheet}」第 {items[k]['source']['row']} 行", file)
    later = set()
    for first, (funds, members) in groups.items():
        item = items[first]
        item.pop("actual", None)
        item["funds"] = [fund._asdict() for fund in funds]
        item["reason"] = "；".join(dict.fromkeys(items[k]["reason"] for k in members if items[k].get("reason"))) or None
        item["source"]["fund_rows"] = [items[k]["source"]["row"] for k in members]
        later.update(members[1:])
    kept = [item for k, item in enumerate(items) if k not in later]
    for position, item in enumerate(kept):
        item["id"] = item["id"] or str(position + 1)
    return kept


def _column_key(value: Any) -> str | None:
    key = column_of(_norm(value))
    return {"project_name": "project"}.get(key, key)


def _number(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Uncomputed):
        value.refuse()
    if isinstance(value, (int, float)):
        return None if math.isnan(value) else float(value)
    text = _text(value).replace(",", "").replace("，", "")
    percent = text.endswith("%")
    try:
        number = float(text.rstrip("%"))
    except ValueError:
        return None
    return number / 100 if percent else number

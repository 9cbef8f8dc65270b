"""Every cell the tool writes that a spreadsheet would run as a formula stays text: in the scored
workbook, in the findings of `score check`, and in CSV written with --csv-safe."""

import csv
import json

import openpyxl
import pytest

from scoring.cli import main
from scoring.writers.formulas import FORMULA_START

STARTS = [start + rest for start, rest in zip(FORMULA_START, ("1+1", "1", "3%", "SUM(A1)", "tab", "cr"))]


def hostile(tmp_path):
    """Targets and actuals whose every text field starts as a formula would."""
    indicators = [{"id": str(k), "level1": "产出指标", "level2": f"{start}二级", "name": f"{start}名称",
                   "target": "=100.00(%)" if k % 2 else f"{start}", "weight": 10}
                  for k, start in enumerate(STARTS)]
    targets = {"projects": [{"id": "=HYPERLINK(\"http://x\")", "name": "@项目", "unit": "+单位", "department": "-部门",
                             "budget": {"adjusted": 100, "executed": 90}, "indicators": indicators}]}
    actuals = {"projects": [{"id": targets["projects"][0]["id"], "indicators": [
        {"id": str(k), "actual": f"{start}实际", "reason": f"{start}原因"} for k, start in enumerate(STARTS)]}]}
    (tmp_path / "t.json").write_text(json.dumps(targets, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "a.json").write_text(json.dumps(actuals, ensure_ascii=False), encoding="utf-8")
    return [str(tmp_path / "t.json"), str(tmp_path / "a.json")]


def text_cells(path):
    book = openpyxl.load_workbook(path)
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row
            if isinstance(cell.value, str)]


def test_no_cell_of_a_written_workbook_is_a_formula(tmp_path):
    out = tmp_path / "result.xlsx"
    main([*hostile(tmp_path), "-o", str(out)])
    cells = text_cells(out)
    risky = [c for c in cells if c.value.startswith(FORMULA_START)]
    assert len({c.value for c in risky}) >= len(STARTS)            # each start written somewhere
    assert all(c.data_type == "s" for c in cells)


def test_a_safe_csv_prefixes_every_field_that_would_run(tmp_path, capsys):
    main([*hostile(tmp_path), "--format", "csv", "--csv-safe"])
    fields = [field for row in csv.reader(capsys.readouterr().out.splitlines()) for field in row]
    assert not [f for f in fields if f.startswith(FORMULA_START)]
    assert "'@项目" in fields and "'=100.00(%)" in fields


@pytest.mark.parametrize("start", STARTS)
def test_the_exact_csv_keeps_the_text_as_read(tmp_path, capsys, start):
    """By default CSV is exact; a tab or carriage return at a cell's start is blank the readers strip."""
    main([*hostile(tmp_path), "--format", "csv"])
    out = capsys.readouterr().out
    assert (f"{start.strip()}名称" if start[0] in "\t\r" else f",{start}名称,") in out

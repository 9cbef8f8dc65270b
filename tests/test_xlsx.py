"""Excel in and out: the official 自评表 layout and flat sheets read; scored workbooks written safely."""

import json
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter
import pytest

from conftest import ROOT
from scoring import InputError, score
from scoring.cli import main
from scoring.readers.xlsx import read_workbook

EXAMPLE = ROOT / "examples" / "shanghai-2026"


def official_sheet(sheet, name, rows, budget=(100.0, 100.0, 95.0), printed_total=None, budget_score=9.5,
                   money="元"):
    """Build the official 项目支出绩效自评表 the way a unit fills it in, with merged level cells."""
    sheet.append(["项目支出绩效自评表"])
    sheet.append(["（2026年度）"])
    sheet.append(["项目名称", name, None, None, None, None, None, None])
    sheet.append(["主管部门", "上海市卫生健康委员会", None, None, "实施单位", "上海市血液管理办公室"])
    sheet.append([f"项目资金（{money}）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
    sheet.append([None, "年度资金总额", *budget, 10, budget[2] / budget[1], budget_score])
    sheet.append([None, "其中：本年财政拨款", *budget, None, None, None])
    sheet.append([None, "上年结转资金", 0, 0, 0, None, None, None])
    sheet.append([None, "其他资金", 0, 0, 0, None, None, None])
    sheet.append(["年度总体目标", "预期目标", None, None, "实际完成情况"])
    sheet.append([None, "确保系统安全运行", None, None, "系统全年安全运行"])
    sheet.append(["绩效指标", "一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分",
                  "偏差原因分析及改进措施"])
    first = sheet.max_row + 1
    previous = (None, None)
    for level1, level2, indicator, target, actual, weight, got, reason in rows:
        shown = (level1 if level1 != previous[0] else None,
                 level2 if (level1, level2) != previous else None)   # blank continuation cells
        sheet.append([None, *shown, indicator, target, actual, weight, got, reason])
        previous = (level1, level2)
    last = sheet.max_row
    sheet.merge_cells(start_row=first, start_column=1, end_row=last, end_column=1)
    total = sum(r[6] or 0 for r in rows) + budget_score
    sheet.append(["总分", None, None, None, None, None, 100, printed_total if printed_total is not None else total])


GOOD = [
    ("产出指标", "数量指标", "硬件购置完成率", "=100.00(%)", "100%", 30, 30.0, None),
    ("产出指标", "数量指标", "软件开发完成率", "≥95.00(%)", "92%", 20, 19.37, "第三方延期交付"),
    ("效益指标", "社会效益指标", "系统运行维护管理中社会效益", "符合", "基本符合", 30, 21.0, "部分模块未上线"),
    ("满意度指标", "服务对象满意度指标", "用户满意度", "≥95.00(%)", "96%", 10, 10.0, None),
]


def workbook(tmp_path, sheets) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, args in sheets:
        official_sheet(book.create_sheet(title), *args)
    path = tmp_path / "自评表.xlsx"
    book.save(path)
    return path


def test_read_the_official_layout_with_merged_and_blank_continuation_cells(tmp_path):
    path = workbook(tmp_path, [("项目一", ("信息化建设项目", GOOD)), ("项目二", ("信息化运维项目", GOOD[:2] + GOOD[3:]))])
    data = read_workbook(path, keep_scores=True)
    first, second = data["projects"]
    assert (first["name"], first["department"], first["unit"]) == ("信息化建设项目", "上海市卫生健康委员会", "上海市血液管理办公室")
    assert first["budget"] == {"initial": 100.0, "adjusted": 100.0, "executed": 95.0, "unit": "元"}
    assert first["goal"] == "确保系统安全运行"
    assert [(i["level1"], i["level2"]) for i in first["indicators"]] == [
        ("产出指标", "数量指标"), ("产出指标", "数量指标"), ("效益指标", "社会效益指标"), ("满意度指标", "服务对象满意度指标")]
    assert first["indicators"][1] | {"source": None} == {
        "id": "2", "level1": "产出指标", "level2": "数量指标", "name": "软件开发完成率", "target": "≥95.00(%)",
        "actual": "92%", "weight": 20.0, "score": 19.37, "reason": "第三方延期交付", "source": None}
    assert len(second["indicators"]) == 3
    assert data["x-printed"][first["id"]]["score"] == pytest.approx(89.87)


def test_budget_in_wan_yuan(tmp_path):
    book = openpyxl.Workbook()
    official_sheet(book.active, "部门项目", GOOD, budget=(14575.4, 14575.4, 14100.5), money="万元")
    path = tmp_path / "万元.xlsx"
    book.save(path)
    assert read_workbook(path)["projects"][0]["budget"]["unit"] == "万元"


def test_score_a_single_filled_table(tmp_path, capsys):
    path = workbook(tmp_path, [("项目一", ("信息化建设项目", GOOD))])
    assert main([str(path), "--format", "json"]) == 0
    project = json.loads(capsys.readouterr().out)["projects"][0]
    assert [i["score"] for i in project["indicators"]] == [30.0, 19.37, 21.0, 10.0]
    assert project["total"] == 89.87


def test_flat_sheet_with_english_headers_and_mixed_inputs(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["project_id", "project_name", "level1", "level2", "name", "target", "weight", "budget_initial",
                  "budget_adjusted"])
    sheet.append(["P1", "运维", "产出指标", "数量指标", "完成率", "≥95.00(%)", 45, 100, 100])
    sheet.append(["P1", "运维", "满意度指标", "服务对象满意度指标", "满意度", "≥90%", 45, 100, 100])
    targets = tmp_path / "targets.xlsx"
    book.save(targets)
    actuals = tmp_path / "actuals.json"
    actuals.write_text(json.dumps({"projects": [{"id": "P1", "budget": {"executed": 100}, "indicators": [
        {"id": "1", "actual": "96%"}, {"id": "2", "actual": "81%"}]}]}, ensure_ascii=False), encoding="utf-8")
    report = score(targets, actuals)
    assert report.to_dataframe()["score"].tolist() == [45.0, 40.5]


def test_written_workbook_reads_back(tmp_path):
    out = tmp_path / "result.xlsx"
    assert main([str(EXAMPLE / "targets.json"), str(EXAMPLE / "actuals.json"), "-o", str(out)]) == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[0] == "汇总"
    summary = book["汇总"]
    assert summary["C3"].value == 99.02 and summary["C3"].number_format == "0.00"
    sheet = book.worksheets[1]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not any(cell.data_type == "f" for cell in cells)                 # no formula anywhere
    targets = [c for c in cells if isinstance(c.value, str) and c.value.startswith("=100.00")]
    assert targets and all(c.data_type == "s" for c in targets)
    assert any(str(r) == "B11:B20" for r in sheet.merged_cells.ranges)      # 产出指标 merged over its rows
    rate = next(c for c in cells if c.number_format == "0.00%")
    assert rate.value == pytest.approx(1650000 / 1744050)
    assert sheet.column_dimensions["D"].width >= 20                       # fits Chinese names
    rescored = score(out)                                                   # and reads back as a filled table
    assert rescored.totals()["total"].tolist() == [99.02]


def test_csv_keeps_data_exact_by_default_and_has_a_safe_mode(capsys):
    args = [str(EXAMPLE / "targets.json"), str(EXAMPLE / "actuals.json"), "--format", "csv"]
    main(args)
    assert ",=100.00(%)," in capsys.readouterr().out
    main(args + ["--csv-safe"])
    out = capsys.readouterr().out
    assert ",'=100.00(%)," in out and ",=100.00(%)," not in out


@pytest.mark.parametrize("content", [b"not a workbook", b"PK\x03\x04truncated zip"])
def test_refuses_files_that_are_not_xlsx(tmp_path, content, capsys):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(content)
    with pytest.raises(InputError, match="xlsx"):
        read_workbook(path)
    assert main([str(path)]) == 2
    assert "Traceback" not in capsys.readouterr().err


def test_workbook_without_a_table_is_an_error(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["说明", "这里没有表"])
    path = tmp_path / "empty.xlsx"
    book.save(path)
    with pytest.raises(InputError, match="没有自评表"):
        read_workbook(path)


@pytest.mark.parametrize("title, expected", [("（2026年度）", 2026), ("2024年度项目支出绩效自评表", 2024),
                                             ("2023年项目支出绩效自评表", 2023), ("填报日期：2025年3月1日", None)])
def test_the_year_of_an_official_table_is_read_from_its_title(tmp_path, title, expected):
    book = openpyxl.Workbook()
    official_sheet(book.active, "信息化建设项目", GOOD)
    book.active["A2"] = title
    path = tmp_path / "自评表.xlsx"
    book.save(path)
    assert read_workbook(path)["projects"][0].get("year") == expected


def test_the_year_of_a_table_lets_the_review_check_its_deadlines_and_cost_level(tmp_path, capsys):
    book = openpyxl.Workbook()
    official_sheet(book.active, "信息化建设项目", [*GOOD, ("产出指标", "时效指标", "上线时间", "2025年12月31日前", "12月", 10, 10.0, None)])
    path = tmp_path / "自评表.xlsx"
    book.save(path)
    assert main(["review", str(path), "--format", "json"]) == 1
    codes = [f["code"] for f in json.loads(capsys.readouterr().out)["findings"]]
    assert "date_outside_year" in codes and "missing_level" in codes        # 2025 in a 2026 table; no 成本指标


def test_a_flat_table_gives_each_projects_year_in_a_year_column(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["项目名称", "年度", "一级指标", "二级指标", "三级指标", "指标值"])
    book.active.append(["运维", 2025, "产出指标", "数量指标", "完成率", "≥95%"])
    book.active.append(["建设", "2026年度", "产出指标", "数量指标", "完成率", "≥95%"])
    path = tmp_path / "flat.xlsx"
    book.save(path)
    assert [p.get("year") for p in read_workbook(path)["projects"]] == ["2025", "2026年度"]
    csv_path = tmp_path / "flat.csv"
    csv_path.write_text("project_name,year,level1,name,target\n运维,2025,产出指标,完成率,≥95%\n", encoding="utf-8")
    from scoring import readers

    assert readers.read(csv_path).projects["year"].tolist() == ["2025"]


def test_a_project_of_two_years_is_refused_by_row(tmp_path):
    from scoring import readers

    csv_path = tmp_path / "flat.csv"
    csv_path.write_text("project_name,年度,name,target\n运维,,完成率,≥95%\n运维,2025,合格率,≥95%\n运维,2026,满意度,≥90%\n",
                        encoding="utf-8")
    with pytest.raises(InputError, match="第 3 行 .*「2026」与同一项目的「2025」不同"):
        readers.read(csv_path)
    csv_path.write_text("project_name,年度,name,target\n运维,,完成率,≥95%\n运维,2025,合格率,≥95%\n", encoding="utf-8")
    assert readers.read(csv_path).projects["year"].tolist() == ["2025"]          # given on any of its rows
    book = openpyxl.Workbook()
    book.active.append(["项目名称", "年度", "三级指标", "指标值"])
    book.active.append(["运维", 2025, "完成率", "≥95%"])
    book.active.append(["运维", 2026, "合格率", "≥95%"])
    book.save(tmp_path / "flat.xlsx")
    with pytest.raises(InputError, match="第 3 行"):
        read_workbook(tmp_path / "flat.xlsx")


def scored_book(tmp_path, achieved=None):
    actuals = json.loads((EXAMPLE / "actuals.json").read_text(encoding="utf-8"))
    if achieved:
        actuals["projects"][0]["实际完成情况"] = achieved
    (tmp_path / "actuals.json").write_text(json.dumps(actuals, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "result.xlsx"
    assert main([str(EXAMPLE / "targets.json"), str(tmp_path / "actuals.json"), "-o", str(out)]) == 0
    return out


def test_the_scored_sheet_follows_the_official_block_order(tmp_path):
    sheet = openpyxl.load_workbook(scored_book(tmp_path)).worksheets[1]
    labels = [(r, sheet.cell(r, 1).value) for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value]
    order = [label for _, label in labels if label in ("项目名称", "主管部门", "实施单位", "项目资金（元）", "年度总体目标",
                                                       "绩效指标", "总分")]
    assert order[:5] == ["项目名称", "主管部门", "项目资金（元）", "年度总体目标", "绩效指标"] and order[-1] == "总分"
    assert (sheet["F4"].value, sheet["G4"].value) == ("实施单位", "上海市血液管理办公室")
    assert (sheet["B8"].value, sheet["G8"].value) == ("预期目标", "实际完成情况")
    assert sheet["B9"].value.startswith("上海市临床用血一体化管理系统完成改造") and sheet["G9"].value is None
    assert sheet["A2"].value == "（2026年度）" and sheet["B10"].value == "一级指标"


def test_the_scored_sheet_prints_on_a4_with_its_header_on_every_page(tmp_path):
    book = openpyxl.load_workbook(scored_book(tmp_path))
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (setup.paperSize, setup.orientation, setup.fitToWidth, setup.fitToHeight) == (9, "landscape", 1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and "&P" in sheet.oddFooter.center.text
    sheet = book.worksheets[1]
    assert sheet.print_title_rows == "$10:$10"
    widths = sum(sheet.column_dimensions[get_column_letter(c)].width for c in range(1, 12))
    assert 150 <= widths <= 180        # A4 landscape at about 85%: wider would shrink the print
    assert sheet.row_dimensions[9].height and sheet.row_dimensions[9].height > 15     # the goal wraps


def test_goal_and_achieved_go_round_a_scored_workbook(tmp_path):
    out = scored_book(tmp_path, achieved="系统完成改造并稳定运行，全年数据零丢失。")
    sheet = openpyxl.load_workbook(out).worksheets[1]
    assert sheet["G9"].value == "系统完成改造并稳定运行，全年数据零丢失。"
    about = score(out).about().iloc[0]
    assert about["achieved"] == "系统完成改造并稳定运行，全年数据零丢失。"
    assert about["goal"].startswith("上海市临床用血一体化管理系统完成改造")
    assert (about["department"], about["unit"], about["year"]) == ("上海市卫生健康委员会", "上海市血液管理办公室", 2026)

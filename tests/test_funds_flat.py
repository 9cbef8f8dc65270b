"""Several funds for one indicator in a flat table (CSV, Parquet, a DataFrame, a flat xlsx sheet): rows of
one indicator that each give a fund (资金名称) or its money (资金金额) and their actual are one indicator
with those funds, as ``funds`` in JSON."""

import pandas as pd
import pytest
from openpyxl import Workbook

from scoring import InputError, score, score_frame
from scoring.columns import Fund
from scoring.readers import read

HEADER = ["项目编号", "项目名称", "一级指标", "二级指标", "三级指标", "指标值", "分值", "资金名称", "资金金额", "实际完成值",
          "偏差原因分析及改进措施"]
ROWS = [["HB-01", "营养改善计划", "产出指标", "质量指标", "受益学生覆盖率", "≥96.5%", 45, "中央资金", 120.5, "95%", "部分学校未覆盖"],
        ["HB-01", "营养改善计划", "产出指标", "质量指标", "受益学生覆盖率", None, None, "省级资金", 80, "98%", None],
        ["HB-01", "营养改善计划", "产出指标", "数量指标", "培训教师人次", "≥1.5万人次", 45, "中央资金", None, "1.2万人次", "培训推迟"],
        ["HB-01", "营养改善计划", "产出指标", "数量指标", "培训教师人次", "≥1.5万人次", 45, "省级资金", None, "3000人次", "培训推迟"],
        ["HB-01", "营养改善计划", "满意度指标", "服务对象满意度指标", "家长满意度", "≥90%", 0, None, None, "95%", None]]


def _frame(rows=ROWS):
    return pd.DataFrame(rows, columns=HEADER)


def _expected_funds():
    return [(Fund("中央资金", 120.5, "95%"), Fund("省级资金", 80.0, "98%")),
            (Fund("中央资金", None, "1.2万人次"), Fund("省级资金", None, "3000人次")), None]


def test_the_rows_of_one_indicator_with_funds_are_one_indicator_with_those_funds():
    frames = read(_frame())
    rows = frames.indicators
    assert rows["funds"].tolist() == _expected_funds()
    assert rows["actual"].tolist() == [None, None, "95%"]
    assert rows["reason"].tolist() == ["部分学校未覆盖", "培训推迟", None]          # each reason once
    assert (rows["id"].tolist(), rows["position"].tolist()) == (["1", "2", "3"], [0, 1, 2])
    assert frames.projects["has_actuals"].tolist() == [True]


def test_score_frame_scores_a_flat_table_with_funds_as_json_with_funds():
    scored, totals = score_frame(_frame())
    assert scored["actual"].tolist() == ["96.197%", "1.5万人次", "95%"]
    assert scored["explanation"].tolist()[:2] == [
        "各资金按金额加权：(95% × 120.5 + 98% × 80) / 200.5 ≈ 96.197%；实际 96.197% < 目标 ≥96.5%：45.00 × 96.197 / 96.5 = 44.86 分",
        "各资金相加：1.2万人次 + 3000人次（= 0.3万人次） = 1.5万人次；实际 1.5万人次 达到 目标 ≥1.5万人次：满分 45.00 分"]
    as_json = score({"id": "HB-01", "name": "营养改善计划", "indicators": [
        {"id": "1", "level1": "产出指标", "level2": "质量指标", "name": "受益学生覆盖率", "target": "≥96.5%", "weight": 45,
         "reason": "部分学校未覆盖", "funds": [{"fund": "中央资金", "money": 120.5, "actual": "95%"},
                                         {"fund": "省级资金", "money": 80, "actual": "98%"}]}]})
    assert as_json.to_dataframe()["explanation"].tolist()[0] == scored["explanation"].tolist()[0]
    assert totals["total"].tolist() == [89.86]                    # no budget given: its 10 points are 0


def test_a_csv_file_gives_funds_as_a_frame_does(tmp_path):
    path = tmp_path / "rows.csv"
    _frame().to_csv(path, index=False)
    assert read(path).indicators["funds"].tolist() == _expected_funds()


def test_a_flat_xlsx_sheet_gives_funds_and_a_weight_merged_over_the_funds_rows_is_the_indicators(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in ROWS:
        sheet.append(row)
    for column in "ABCDEFG":                      # the indicator's cells merged over its two fund rows
        sheet.merge_cells(f"{column}2:{column}3")
    book.save(tmp_path / "rows.xlsx")
    frames = read(tmp_path / "rows.xlsx")
    rows = frames.indicators
    assert rows["funds"].tolist() == _expected_funds()
    assert rows["weight"].tolist() == [45.0, 45.0, 0.0]          # not shared by the rows it spans
    assert rows["id"].tolist() == ["1", "2", "3"] and rows["reason"].tolist()[:2] == ["部分学校未覆盖", "培训推迟"]
    assert score(tmp_path / "rows.xlsx").to_dataframe()["actual"].tolist() == ["96.197%", "1.5万人次", "95%"]


def test_rows_with_one_indicator_id_are_one_indicator_wherever_they_stand():
    rows = [["P", "项目", "产出指标", "数量指标", "培训人次", "≥5次", 1, "中央资金", None, "3次"],
            ["P", "项目", "产出指标", "数量指标", "次数", "≥1次", 2, None, None, "1次"],
            ["P", "项目", "产出指标", "数量指标", "培训人次", None, None, "省级资金", None, "2次"]]
    frame = pd.DataFrame(rows, columns=["project_id", "项目名称", "level1", "level2", "name", "target", "indicator_id",
                                        "fund", "fund_money", "actual"])
    frame["indicator_id"] = ["1", "2", "1"]
    indicators = read(frame).indicators
    assert indicators["funds"].tolist() == [(Fund("中央资金", None, "3次"), Fund("省级资金", None, "2次")), None]


@pytest.mark.parametrize("change, words", [
    (lambda rows: rows[1].__setitem__(9, None), "第 2 行的资金缺少实际完成值"),
    (lambda rows: rows[1].__setitem__(8, -80), "第 2 行的资金金额应为不小于 0 的数"),
    (lambda rows: rows[1].__setitem__(5, "≥90%"), "第 2 行的指标值「≥90%」与同一指标第 1 行的「≥96.5%」不同"),
    (lambda rows: rows[1].__setitem__(6, 10), "第 2 行的分值「10」与同一指标第 1 行的「45」不同"),
    (lambda rows: rows[1].__setitem__(7, None) or rows[1].__setitem__(8, None), "第 2 行与第 1 行是同一指标，却没有资金名称"),
    (lambda rows: rows[1].__setitem__(8, "很多"), "fund_money 应为数字"),
])
def test_fund_rows_that_cannot_be_read_are_errors_naming_the_row(change, words):
    rows = [list(row) for row in ROWS]
    change(rows)
    with pytest.raises(InputError, match=words):
        read(_frame(rows))


def test_a_money_cell_of_a_flat_xlsx_sheet_that_is_not_a_number_names_its_row(tmp_path):
    book = Workbook()
    book.active.append(HEADER)
    for row in ROWS[:2]:
        book.active.append(row)
    book.active["I3"] = "很多"
    book.save(tmp_path / "rows.xlsx")
    with pytest.raises(InputError, match="工作表「Sheet」第 3 行的资金金额应为数字"):
        read(tmp_path / "rows.xlsx")

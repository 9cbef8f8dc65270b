"""Provincial table layouts go in as printed, through every reader (JSON, CSV, DataFrame, flat and
official xlsx): a target split as 指标性质 | 指标值 | 度量单位, the level-less 部门整体 table (指标名称 |
指标值 | 权重 …), a 得分 or 分值 merged over two rows, and the section-points tables (产出指标(60分))
with either. Workbooks are built here with openpyxl, as units fill them in."""

import openpyxl
import pandas as pd
import pytest

from scoring import InputError, score
from scoring.check import check
from scoring.readers import read
from scoring.readers.natures import compose
from scoring.readers.spans import shares
from scoring.readers.xlsx import read_workbook

# ---- the split target: 指标性质 | 指标值 | 度量单位 -------------------------------------------------------


@pytest.mark.parametrize("nature, value, unit, target", [
    ("≧", "100", "%", "≥100%"), ("═", "100", "%", "=100%"), ("≥", "1200", "人", "≥1200人"),
    ("定性", "优良中低差", None, "优良中低差"), ("定性指标", "达成", "", "达成"), ("≤", "10", "万元", "≤10万元"),
    ("正向", "95", "%", "≥95%"), ("反向指标", "0.9", "%", "≤0.9%"), ("定量", "3", "次", "3次"),
    ("定量指标", "100%", "%", "100%"), ("≥", "≥100%", "%", "≥100%"), ("不低于", "不低于95", "%", "不低于95%"),
    ("≥", "95以上", "%", "95%以上"), (None, "100", "%", "100%"), ("大于等于", "95", "％", "≥95％"),
    ("小于", "5", "次", "<5次"), ("＝", "1", "无", "=1"), (">=", "98", "%(百分比)", "≥98%(百分比)"),
    ("不超过", "8", "小时", "≤8小时"), ("≥", None, "%", None), (" ≥ ", " 2026年12月 ", "月", "≥2026年12月"),
])
def test_a_nature_a_value_and_a_unit_compose_one_target(nature, value, unit, target):
    assert compose(nature, value, unit) == target


@pytest.mark.parametrize("nature, value, words", [
    ("强", "100", "无法识别"), ("正", "1", "正向指标"), ("≥", "≤5", "矛盾"), ("反向", "大于3", "矛盾"),
    ("=", "95以上", "矛盾")])
def test_an_unknown_nature_or_one_the_value_contradicts_is_refused(nature, value, words):
    with pytest.raises(InputError, match=words):
        compose(nature, value, "%")


# A 四川/云南-style project: (一级, 二级, 三级, 指标性质, 指标值, 度量单位, 实际完成值, 分值).
SPLIT = [("产出指标", "时效指标", "资金到位及时率", "≧", "100", "%", "100%", 20),
         ("产出指标", "数量指标", "发放人数", "≥", "1200", "人", "1250", 20),
         ("成本指标", "经济成本指标", "成本", "≤", "10", "万元", "9.8", 10),
         ("效益指标", "社会效益指标", "政策知晓率", "═", "100", "%", "98%", 20),
         ("效益指标", "可持续影响指标", "可持续影响", "定性", "优良中低差", None, "优", 10),
         ("满意度指标", "服务对象满意度指标", "满意度", "正向", "95", "%", "96%", 10)]
SPLIT_TARGETS = ["≥100%", "≥1200人", "≤10万元", "=100%", "优良中低差", "≥95%"]
SPLIT_SCORES = [20.0, 20.0, 10.0, 19.6, 10.0, 10.0]
SPLIT_HEADER = ["项目名称", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "实际完成值", "分值",
                "全年预算数", "全年执行数"]


def _split_rows(name="发放项目"):
    return [[name, *row, 100, 100] for row in SPLIT]


def _assert_split_scored(report):
    rows = report.to_json()["projects"][0]["indicators"]
    assert [r["target"] for r in rows] == SPLIT_TARGETS
    assert [r["score"] for r in rows] == SPLIT_SCORES
    assert [r["weight"] for r in rows] == [20.0, 20.0, 10.0, 20.0, 10.0, 10.0]
    assert ["assumed_unit" in r["flags"] for r in rows] == [False, True, True, False, False, False]
    assert report.totals()["total"].tolist() == [99.6]


def test_a_split_target_in_json_with_english_and_chinese_keys():
    keys = [("nature", "target", "unit"), ("指标性质", "指标值", "度量单位"), ("nature", "value", "计量单位")]
    indicators = [{"level1": l1, "level2": l2, "name": name, keys[k % 3][0]: nature, keys[k % 3][1]: value,
                   keys[k % 3][2]: unit, "actual": actual, "weight": weight}
                  for k, (l1, l2, name, nature, value, unit, actual, weight) in enumerate(SPLIT)]
    _assert_split_scored(score({"id": "p", "name": "发放项目", "budget": {"adjusted": 100, "executed": 100},
                                "indicators": indicators}))


def test_a_unit_beside_a_bare_number_target_composes_in_json():
    frames = read({"id": "p", "name": "x", "indicators": [
        {"level1": "产出指标", "name": "n", "target": "100", "unit": "%", "half_year_target": "50"},
        {"level1": "产出指标", "name": "m", "target": "≥100%", "unit": "%"}]})
    assert frames.indicators["target"].tolist() == ["100%", "≥100%"]
    assert frames.indicators["half_year_target"].tolist() == ["50%", None]


def test_a_split_target_in_csv_and_in_a_data_frame(tmp_path):
    table = pd.DataFrame(_split_rows(), columns=SPLIT_HEADER)
    path = tmp_path / "rows.csv"
    table.to_csv(path, index=False)
    _assert_split_scored(score(path))
    _assert_split_scored(score(table))


def test_a_split_target_in_a_flat_xlsx_sheet(tmp_path):
    book = openpyxl.Workbook()
    book.active.append(SPLIT_HEADER)
    for row in _split_rows():
        book.active.append(row)
    book.save(tmp_path / "rows.xlsx")
    _assert_split_scored(score(tmp_path / "rows.xlsx"))


def test_a_half_year_target_beside_a_split_target_takes_its_nature_and_unit(tmp_path):
    header = ["项目名称", "一级指标", "三级指标", "指标性质", "半年指标值", "全年指标值", "度量单位"]
    rows = [["p", "产出指标", "完成率", "≧", "50", "100", "%"], ["p", "产出指标", "培训", "定量", None, "3", "次"]]
    book = openpyxl.Workbook()
    for row in [header, *rows]:
        book.active.append(row)
    book.save(tmp_path / "rows.xlsx")
    pd.DataFrame(rows, columns=header).to_csv(tmp_path / "rows.csv", index=False)
    for path in (tmp_path / "rows.xlsx", tmp_path / "rows.csv"):
        frames = read(path)
        assert frames.indicators["target"].tolist() == ["≥100%", "3次"]
        assert frames.indicators["half_year_target"].tolist() == ["≥50%", None]


def official(sheet, name, header, rows, sub=None, budget=(100.0, 100.0, 100.0), label="项目名称"):
    """An official 自评表 as units fill it in: the project, the budget block, the indicator grid under
    ``header`` (and ``sub``, a second header row: the cells above its blanks are merged down, those
    above its names merged across). The sheet row of the first indicator."""
    sheet.append(["项目支出绩效自评表"])
    sheet.append([label, name])
    sheet.append(["项目资金（元）", None, "年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分"])
    sheet.append([None, "年度资金总额", *budget, 10, budget[2] / budget[1], 10])
    sheet.append(header)
    top = sheet.max_row
    if sub:
        sheet.append(sub)
        for c, below in enumerate(sub, start=1):
            if below is None:
                sheet.merge_cells(start_row=top, start_column=c, end_row=top + 1, end_column=c)
        spanned = [c for c, below in enumerate(sub, start=1) if below is not None]
        sheet.merge_cells(start_row=top, start_column=spanned[0], end_row=top, end_column=spanned[-1])
    first = sheet.max_row + 1
    for row in rows:
        sheet.append(row)
    return first


GRID = ["一级指标", "二级指标", "三级指标", "年度指标值", None, None, "实际完成值", "分值", "得分"]
SUB = [None, None, None, "指标性质", "指标值", "度量单位", None, None, None]


@pytest.mark.parametrize("two_rows", [True, False], ids=["two-row header", "one-row header"])
def test_a_split_target_in_an_official_workbook(two_rows, tmp_path):
    book = openpyxl.Workbook()
    header = GRID if two_rows else [*GRID[:3], "指标性质", "指标值", "度量单位", *GRID[6:]]
    rows = [(*row[:4], int(row[4]) if row[4].isdigit() else row[4], *row[5:], None) for row in SPLIT]   # 100 typed
    official(book.active, "发放项目", header, rows, sub=SUB if two_rows else None)
    book.save(tmp_path / "自评表.xlsx")
    _assert_split_scored(score(tmp_path / "自评表.xlsx"))
    first = read_workbook(tmp_path / "自评表.xlsx")["projects"][0]["indicators"][0]
    assert first["target"] == "≥100%"
    assert first["source"]["target_cells"] == {"nature": "≧", "target": "100", "unit": "%"}


def test_an_unknown_nature_is_named_by_path_row_and_cell(tmp_path):
    bad = [list(row) for row in _split_rows()]
    bad[3][4] = "强制"
    with pytest.raises(InputError, match="指标性质「强制」.*正向指标.*定性") as caught:
        score(pd.DataFrame(bad, columns=SPLIT_HEADER))
    assert caught.value.path == "第 4 行 指标性质"
    with pytest.raises(InputError) as caught:
        score({"id": "p", "name": "x", "indicators": [{"level1": "产出指标", "name": "n", "target": "1"},
                                                      {"level1": "产出指标", "name": "m", "指标性质": "≥", "target": "≤5"}]})
    assert caught.value.path == "$.indicators[1].nature" and "矛盾" in caught.value.message
    book = openpyxl.Workbook()
    first = official(book.active, "x", [*GRID[:3], "指标性质", "指标值", "度量单位", *GRID[6:]],
                     [("产出指标", "数量指标", "n", "≥", 1, "次", "1次", 10, None),
                      (None, None, "m", "多多益善", 2, "次", "2次", 10, None)])
    book.active.title = "发放"
    book.save(tmp_path / "bad.xlsx")
    with pytest.raises(InputError, match="多多益善") as caught:
        score(tmp_path / "bad.xlsx")
    assert (caught.value.file, caught.value.path) == (str(tmp_path / "bad.xlsx"), f"工作表「发放」D{first + 1}")


# ---- the level-less 部门整体 table: 指标名称 | 计量单位 | 指标性质 | 指标值 | 权重 | 完成值 | 得分 -------------

# (指标名称, 计量单位, 指标性质, 年初指标值, 调整指标值, 全年完成值, 得分系数(%), 指标权重(分), 是否核心指标)
DEPARTMENT = [("天然林和公益林管护当期任务完成率", "%", "正向", "90", None, "100", "100", 30, "是"),
              ("森林火灾受害率", "%", "反向", "0.9", None, "0", "100", 30, "否"),
              ("营林面积完成率", "%", "≥", "95", "90", "92%", "100", 20, "否"),
              ("管理制度健全性", None, "定性", "健全", None, "健全", "100", 10, "否")]
DEPARTMENT_HEADER = ["指标名称", "计量单位", "指标性质", "年初指标值", "调整指标值", "全年完成值", "得分系数(%)",
                     "指标权重(分)", "是否核心指标"]


def _assert_department_scored(report):
    rows = report.to_json()["projects"][0]["indicators"]
    assert [r["level1"] for r in rows] == [""] * 4
    assert [r["target"] for r in rows] == ["≥90%", "≤0.9%", "≥90%", "健全"]       # 调整指标值 90 wins over 95
    assert [(r["weight"], r["score"]) for r in rows] == [(30.0, 30.0), (30.0, 30.0), (20.0, 20.0), (10.0, 10.0)]
    assert report.totals()["total"].tolist()[0] == 100.0


def test_a_level_less_department_table_in_json():
    indicators = [dict(zip(DEPARTMENT_HEADER, row)) for row in DEPARTMENT]
    _assert_department_scored(score({"部门名称": "梁平区林业局", "预算": {"全年预算数": 50, "全年执行数": 50},
                                     "指标": indicators}))


def test_a_level_less_department_table_in_csv_without_a_level_column(tmp_path):
    path = tmp_path / "部门整体.csv"
    pd.DataFrame([[*row, "梁平区林业局", 50, 50] for row in DEPARTMENT],
                 columns=[*DEPARTMENT_HEADER, "部门名称", "全年预算数", "全年执行数"]).to_csv(path, index=False)
    _assert_department_scored(score(path))


def test_a_level_less_department_table_in_workbooks(tmp_path):
    book = openpyxl.Workbook()
    official(book.active, "梁平区林业局", DEPARTMENT_HEADER, DEPARTMENT, budget=(50.0, 50.0, 50.0), label="部门名称")
    flat = book.create_sheet("清单")
    flat.append(["部门整体绩效自评表"])
    flat.append([*DEPARTMENT_HEADER, "全年预算数", "全年执行数"])
    for row in DEPARTMENT:
        flat.append([*row, 50, 50])
    book.save(tmp_path / "部门整体.xlsx")
    report = score(tmp_path / "部门整体.xlsx")
    _assert_department_scored(report)
    assert report.totals()["project_name"].tolist() == ["梁平区林业局", "清单"]
    assert report.totals()["total"].tolist()[1] == 100.0


def test_without_weights_a_level_less_table_shares_the_indicator_points():
    rows = score({"id": "d", "name": "部门", "indicators": [
        {"指标名称": f"指标{k}", "指标值": "≥1次", "完成值": "1次"} for k in range(7)]}).to_json()
    assert [r["weight"] for r in rows["projects"][0]["indicators"]] == [12.86] * 5 + [12.85] * 2


def test_a_project_with_some_rows_without_a_level_is_refused_in_every_reader(tmp_path):
    rows = [{"level1": "产出指标", "name": "n", "target": "1次"}, {"name": "m", "target": "1次"}]
    with pytest.raises(InputError, match="同一项目的 \\$.indicators\\[0\\] 有一级指标") as caught:
        read({"id": "p", "name": "x", "indicators": rows})
    assert caught.value.path == "$.indicators[1].level1"
    with pytest.raises(InputError, match="第 2 行缺少 level1.*第 1 行有"):
        read(pd.DataFrame([dict(row, project_id="p") for row in rows]))
    two = read(pd.DataFrame([dict(rows[0], project_id="p"), dict(rows[1], project_id="q")]))
    assert two.indicators["level1"].tolist() == ["产出指标", ""]           # two projects: each whole
    book = openpyxl.Workbook()
    first = official(book.active, "x", GRID, [(None, None, "n", "1次", None, "1次", 10, None),
                                              ("产出指标", "数量指标", "m", "1次", None, "1次", 10, None)])
    book.save(tmp_path / "mixed.xlsx")
    with pytest.raises(InputError, match=f"第 {first} 行缺少一级指标，而第 {first + 1} 行有"):
        read(tmp_path / "mixed.xlsx")


# ---- one 得分 (or 分值) merged over two rows ----------------------------------------------------------


def test_a_merged_amount_is_shared_cent_exact():
    assert shares(10, [6, 4]) == [6.0, 4.0]
    assert shares(10, [None, None, None]) == [3.34, 3.33, 3.33]
    assert shares(9.99, [3, 3, 4]) == [3.0, 3.0, 3.99]
    assert shares(10, [5, None]) == [5.0, 5.0]


# (一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分): the first two rows share one printed 得分 of 30.
MERGED = [("产出指标", "数量指标", "一个存储备份器", "≥1个", "1个", 20, 30),
          (None, None, "WIFI布点全覆盖", "=100%", "100%", 10, None),
          (None, "质量指标", "验收合格率", "=100%", "100%", 20, 20),
          ("效益指标", "社会效益指标", "读者使用率", "≥90%", "95%", 30, 30),
          ("满意度指标", "服务对象满意度指标", "读者满意度", "≥90%", "95%", 10, 10)]


def _merged_workbook(tmp_path, rows=MERGED, merge_weight=False):
    book = openpyxl.Workbook()
    grid = [*GRID[:4], *GRID[6:]]
    first = official(book.active, "数字图书馆资源共享", grid, rows)
    book.active.merge_cells(start_row=first, start_column=7, end_row=first + 1, end_column=7)
    if merge_weight:
        book.active.merge_cells(start_row=first, start_column=6, end_row=first + 1, end_column=6)
    book.active.append(["总分", None, None, None, None, 100, 100])
    book.save(tmp_path / "合并.xlsx")
    return tmp_path / "合并.xlsx", first


def test_a_score_merged_over_two_rows_is_shared_by_their_weights(tmp_path):
    path, first = _merged_workbook(tmp_path)
    items = read_workbook(path, keep_scores=True)["projects"][0]["indicators"]
    assert [(i["weight"], i["score"]) for i in items[:3]] == [(20.0, 20.0), (10.0, 10.0), (20.0, 20.0)]
    assert f"G{first}:G{first + 1}" in items[1]["source"]["notes"][0] and "notes" not in items[2]["source"]
    assert check(path) == []               # not 30 on each row: no score above its weight, no total off


def test_a_merged_weight_is_shared_equally_and_its_merged_score_with_it(tmp_path):
    rows = [(*MERGED[0][:5], 30, 30), *MERGED[1:]]
    path, _ = _merged_workbook(tmp_path, rows, merge_weight=True)
    items = read_workbook(path, keep_scores=True)["projects"][0]["indicators"]
    assert [(i["weight"], i["score"]) for i in items[:2]] == [(15.0, 15.0), (15.0, 15.0)]
    assert len(items[0]["source"]["notes"]) == 2
    report = score(path)
    assert [r["weight"] for r in report.to_json()["projects"][0]["indicators"]] == [15.0, 15.0, 20.0, 30.0, 10.0]
    assert report.totals()["total"].tolist() == [100.0]


# ---- section points (产出指标(40分)) with the other layouts ------------------------------------------------

# 湖北: 年初目标值(A) | 实际完成值(B) | 得分, no 分值; a 得分 merged over the rows of a 二级指标.
HUBEI = [("产出指标(40分)", "数量指标", "一个存储备份器", "25TB", "25TB", 10),
         (None, None, "WIFI布点全覆盖", "100%", "100%", None),
         (None, "质量指标", "以最新资源面市", "≥1次", "1次", 10),
         (None, "时效指标", "可保证读者使用时长", "≥360天", "365天", 10),
         (None, None, "2022年全年", "≥360天", "≥360天", None),
         (None, "成本指标", "以低价位高质量为采购原则", "≤5万元", "5万元", 10),
         ("效益指标（30分）", "社会效益指标", "使读者更方便快捷查找检阅", "≥95%", "96%", 10),
         (None, "生态效益指标", "数字图书馆环境优良无污染", "良好", "良好", 10),
         (None, None, "WIFI全覆盖,绿色环保", "良好", "良好", None),
         ("满意度指标(10分)", "服务对象满意度指标", "读者满意度", "≥90%", "95%", 10)]


def test_a_hubei_table_with_section_points_and_merged_scores(tmp_path):
    book = openpyxl.Workbook()
    first = official(book.active, "数字图书馆资源共享",
                     ["一级指标", "二级指标", "三级指标", "年初目标值(A)", "实际完成值(B)", "得分"], HUBEI)
    for top in (0, 3, 7):
        book.active.merge_cells(start_row=first + top, start_column=6, end_row=first + top + 1, end_column=6)
    book.save(tmp_path / "湖北.xlsx")
    items = read_workbook(tmp_path / "湖北.xlsx", keep_scores=True)["projects"][0]["indicators"]
    assert [i["score"] for i in items] == [5.0, 5.0, 10.0, 5.0, 5.0, 10.0, 10.0, 5.0, 5.0, 10.0]
    report = score(tmp_path / "湖北.xlsx", ruleset="hubei")
    rows = report.to_json()["projects"][0]["indicators"]
    assert [r["weight"] for r in rows] == [6.67] * 4 + [6.66] * 2 + [10.0] * 3 + [10.0]
    assert [r["level1"] for r in rows][::3] == ["产出指标", "产出指标", "效益指标", "满意度指标"]
    assert report.totals()["total"].tolist() == [100.0]


# 云南 (永德县 2022 营养改善计划, as printed): 年度指标值 over 指标性质 | 指标值 | 度量单位, then 实际完成值 |
# 分值 | 得分; ≧ (U+2267) and ═ (U+2550) for ≥ and =, the value without its unit, the actual with it.
YUNNAN = [("产出指标", "数量指标", "学生受资助人数", "≧", 735, "人次", "735", 10, 10),
          (None, "质量指标", "营养改善计划覆盖率", "≧", 100, "%", "100%", 10, 10),
          (None, "时效指标", "资金到位及时率", "≧", 100, "%", "100%", 10, 7),
          (None, "成本指标", "生均补助标准达标率", "═", 100, "%", "100%", 10, 10),
          ("效益指标", "经济效益指标", "减轻贫困学生家庭经济负担", None, "有效", None, "有效", 10, 10),
          (None, "社会效益指标", "政策知晓率", "═", 100, "%", "98%", 10, 9),
          (None, "可持续影响指标", "促进学校教育事业健康发展", "≧", 100, "%", "100%", 10, 10),
          ("满意度指标", "服务对象满意度指标", "学生满意度", "≧", 95, "%", "100%", 10, 10),
          (None, "服务对象满意度指标", "家长满意度", "≧", 95, "%", "100%", 10, 10)]


def test_a_yunnan_table_with_a_two_row_header(tmp_path):
    book = openpyxl.Workbook()
    official(book.active, "义务教育营养改善计划专项资金", [*GRID, "偏差原因分析及改进措施"],
             [(*row, None) for row in YUNNAN], sub=[*SUB, None], budget=(387664.62, 387664.62, 387664.62))
    book.save(tmp_path / "云南.xlsx")
    report = score(tmp_path / "云南.xlsx")
    rows = report.to_json()["projects"][0]["indicators"]
    assert [r["target"] for r in rows][:5] == ["≥735人次", "≥100%", "≥100%", "=100%", "有效"]
    assert [r["score"] for r in rows] == [10.0] * 5 + [9.8] + [10.0] * 3
    assert "assumed_unit" in rows[0]["flags"]
    assert report.totals()["total"].tolist() == [99.8]
    departures = {(f.indicator, f.expected, f.found) for f in check(tmp_path / "云南.xlsx") if f.code == "score_mismatch"}
    assert departures == {("资金到位及时率", 10.0, 7.0), ("政策知晓率", 9.8, 9.0)}      # the evaluator's own


def test_a_table_reprinted_in_traditional_characters_reads_as_printed(tmp_path):
    """湖北 黄冈 2020 (a reprint in traditional script): headers, 一级指标 names and units compare in
    simplified form; the names are kept as printed."""
    table = pd.DataFrame([["水保監測", "產出指標", "質量指標", "監測數據必須合格", "100%", "100%", 30],
                          ["水保監測", "產出指標", "數量指標", "監測站點", "≥6個", "6個", 20],
                          ["水保監測", "效益指標", "社會效益指標", "資料共享", "≥1萬元", "12000元", 30],
                          ["水保監測", "滿意度指標", "服務對象滿意度指標", "整編資料審核", "≥90%", "98%", 10]],
                         columns=["項目名稱", "一級指標", "二級指標", "三級指標", "年初目標值(A)", "實際完成值(B)", "分值"])
    path = tmp_path / "繁体.csv"
    table.to_csv(path, index=False)
    project = score(path).to_json()["projects"][0]
    assert [i["level1"] for i in project["indicators"]] == ["產出指標", "產出指標", "效益指標", "滿意度指標"]
    assert [i["score"] for i in project["indicators"]] == [30.0, 20.0, 30.0, 10.0]
    assert [i["code"] for i in project["issues"]] == ["missing_budget"]


def test_a_qualitative_value_merged_over_the_three_target_cells_is_the_value(tmp_path):
    book = openpyxl.Workbook()
    header = [*GRID[:3], "指标性质", "指标值", "度量单位", *GRID[6:]]
    first = official(book.active, "制度项目", header, [("产出指标", "质量指标", "制度执行有效性", "有效", "有效", "有效",
                                                        "有效", 90, None)])
    book.active.merge_cells(start_row=first, start_column=4, end_row=first, end_column=6)
    book.save(tmp_path / "自评表.xlsx")
    (row,) = score(tmp_path / "自评表.xlsx").to_json()["projects"][0]["indicators"]
    assert (row["target"], row["score"]) == ("有效", 90.0)


def test_an_official_workbook_in_traditional_characters(tmp_path):
    sheet = openpyxl.Workbook()
    book = sheet
    sheet = book.active
    sheet.append(["項目支出績效自評表"])
    sheet.append(["項目名稱", "水保監測"])
    sheet.append(["項目資金（萬元）", None, "年初預算數", "全年預算數", "全年執行數", "分值", "執行率", "得分"])
    sheet.append([None, "年度資金總額", 100, 100, 90, 10, 0.9, 9])
    sheet.append(["一級指標", "二級指標", "三級指標", "年度指標值", "實際完成值", "分值", "得分"])
    sheet.append(["產出指標", "質量指標", "監測數據合格率", "≥95%", "96%", 90, 90])
    book.save(tmp_path / "自評表.xlsx")
    project = score(tmp_path / "自評表.xlsx").to_json()["projects"][0]
    assert (project["name"], project["budget"]["unit"], project["budget"]["score"]) == ("水保監測", "万元", 9.0)
    assert (project["total"], project["issues"]) == (99.0, [])


def test_the_allocation_in_an_official_budget_block(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["项目名称", "专项债券项目"])
    sheet.append(["项目资金（万元）", None, "年初预算数", "下达额度", "全年执行数", "分值", "执行率", "得分"])
    sheet.append([None, "年度资金总额", 800, 500, 450, 10, 0.9, 9])
    sheet.append(["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分"])
    sheet.append(["产出指标", "数量指标", "开工项目数", "≥3个", "3个", 90, 90])
    book.save(tmp_path / "自评表.xlsx")
    assert read_workbook(tmp_path / "自评表.xlsx")["projects"][0]["budget"] == {
        "initial": 800, "allocated": 500, "executed": 450, "unit": "万元"}


@pytest.mark.parametrize("nature, target", [("大於等於", "≥95%"), ("不超過", "≤95%"), ("反向指標", "≤95%")])
def test_a_nature_in_traditional_characters(nature, target):
    assert compose(nature, "95", "%") == target


def test_a_first_level_column_the_readers_do_not_know_is_refused_not_taken_as_level_less():
    table = pd.DataFrame([["p", "产出", "n", "≥1次", "1次"]], columns=["项目名称", "一级指标名称x", "三级指标", "指标值", "实际完成值"])
    with pytest.raises(InputError, match="一级指标名称x.*像是一级指标"):
        score(table)

"""targets.json and actuals.json: the accepted forms, Chinese aliases, matching, and located errors."""

import json

import pytest

from scoring import InputError, score

TARGETS = {"ruleset": "national-2020", "projects": [
    {"id": "P1", "name": "信息化运维项目", "budget": {"initial": 100, "adjusted": 100, "unit": "元"},
     "indicators": [
         {"id": "1", "level1": "产出指标", "level2": "数量指标", "name": "完成率", "target": "≥95.00(%)"},
         {"id": "2", "level1": "满意度指标", "level2": "服务对象满意度指标", "name": "满意度", "target": "≥90%"}]}]}
ACTUALS = {"projects": [{"id": "P1", "budget": {"executed": 100},
                         "indicators": [{"id": "1", "actual": "96%"}, {"id": "2", "actual": "95%"}]}]}


def test_the_documented_example_scores_100():
    report = score(TARGETS, ACTUALS)
    assert report.totals()["total"].tolist() == [100.0]


def test_top_level_may_be_a_list_or_one_project():
    one_project = TARGETS["projects"][0]
    assert score(one_project, ACTUALS["projects"][0]).totals()["total"].tolist() == [100.0]
    assert score([one_project], ACTUALS["projects"]).totals()["total"].tolist() == [100.0]


def test_chinese_keys_are_aliases():
    targets = {"项目名称": "信息化运维项目", "预算": {"年初预算数": 100, "全年预算数": 100},
               "指标": [{"一级指标": "产出指标", "二级指标": "数量指标", "三级指标": "完成率", "指标值": "≥95.00(%)", "分值": 90}]}
    actuals = {"项目名称": "信息化运维项目", "预算": {"全年执行数": 50},
               "指标": [{"三级指标": "完成率", "实际完成值": "90%", "偏差原因分析及改进措施": "硬件到货延迟"}]}
    report = score(targets, actuals)
    row = report.to_dataframe().iloc[0]
    assert (row["weight"], row["score"]) == (90.0, 85.26)
    assert report.totals()["total"].tolist() == [90.26]


def test_actuals_match_by_name_when_ids_are_absent():
    actuals = {"projects": [{"name": "信息化运维项目", "budget": {"executed": 100},
                             "indicators": [{"level1": "产出指标", "level2": "数量指标", "name": "完成率", "actual": "96%"},
                                            {"name": "满意度", "actual": "95%"}]}]}
    assert score(TARGETS, actuals).totals()["total"].tolist() == [100.0]


def test_budget_in_another_unit_converts():
    actuals = json.loads(json.dumps(ACTUALS))
    actuals["projects"][0]["budget"] = {"executed": 0.0095, "unit": "万元"}
    assert score(TARGETS, actuals).budget()["rate"].tolist() == pytest.approx([0.95])


@pytest.mark.parametrize("change, path, words", [
    (lambda a: a["projects"][0].update(id="P9"), "$.projects[0]", "P9"),
    (lambda a: a["projects"][0]["indicators"].append({"id": "7", "actual": "1"}), "$.projects[0].indicators[2]", "7"),
    (lambda a: a["projects"][0]["indicators"].append({"id": "1", "actual": "1"}), "$.projects[0].indicators[2]", "同一个指标"),
    (lambda a: a["projects"][0]["indicators"][0].update(actaul="1"), "$.projects[0].indicators[0].actaul", "actual"),
    (lambda a: a["projects"][0]["indicators"][0].update(score="九十"), "$.projects[0].indicators[0].score", "数字"),
    (lambda a: a["projects"][0].update(indicators={"id": 1}), "$.projects[0].indicators", "数组"),
])
def test_actuals_errors_name_file_and_path(tmp_path, change, path, words):
    actuals = json.loads(json.dumps(ACTUALS))
    change(actuals)
    targets_file, actuals_file = tmp_path / "targets.json", tmp_path / "actuals.json"
    targets_file.write_text(json.dumps(TARGETS, ensure_ascii=False), encoding="utf-8")
    actuals_file.write_text(json.dumps(actuals, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        score(targets_file, actuals_file)
    assert (caught.value.file, caught.value.path) == (str(actuals_file), path)
    assert words in str(caught.value)


def test_unreadable_files(tmp_path):
    broken = tmp_path / "targets.json"
    broken.write_text('{"projects": [', encoding="utf-8")
    with pytest.raises(InputError, match="第 1 行"):
        score(broken)
    latin = tmp_path / "latin.json"
    latin.write_bytes('{"projects": [{"name": "caf\u00e9\u00ff"}]}'.encode("latin-1"))
    with pytest.raises(InputError, match="既不是 UTF-8 也不是 GBK") as caught:
        score(latin)
    assert caught.value.code == "bad_encoding"
    with pytest.raises(InputError, match="无法读取"):
        score(tmp_path / "missing.json")


def test_missing_indicator_name_is_located():
    targets = json.loads(json.dumps(TARGETS))
    del targets["projects"][0]["indicators"][1]["name"]
    with pytest.raises(InputError) as caught:
        score(targets)
    assert caught.value.path == "$.projects[0].indicators[1].name"


def test_without_actuals_every_indicator_is_missing():
    report = score(TARGETS)
    frame = report.to_dataframe()
    assert frame["issues"].tolist() == ["missing_actual", "missing_actual"]
    assert report.has_issues


def _many_projects(count: int = 3) -> tuple[dict, dict]:
    """Targets and actuals of ``count`` copies of the documented project, ids P0, P1 …"""
    targets = {"projects": [dict(json.loads(json.dumps(TARGETS["projects"][0])), id=f"P{p}") for p in range(count)]}
    actuals = {"projects": [dict(json.loads(json.dumps(ACTUALS["projects"][0])), id=f"P{p}") for p in range(count)]}
    return targets, actuals


# Each breaks the second indicator of a project, or the project itself, and gives the rest of the path.
INDICATOR_PROBLEMS = {
    "unknown key": lambda items: items[1].update(levle1="x") or ".levle1",
    "not an object": lambda items: items.__setitem__(1, "完成率") or "",
    "missing required text": lambda items: items[1].pop("level1") and ".level1",
    "text of the wrong type": lambda items: items[1].update(name=["完成率"]) or ".name",
    "not a number": lambda items: items[1].update(weight="九十") or ".weight",
    "a boolean weight": lambda items: items[1].update(weight=True) or ".weight",
    "duplicate id": lambda items: items[1].update(id=items[0]["id"]) or ".id",
}
PROJECT_PROBLEMS = {
    "bad budget": lambda project: project["budget"].update(initial="一百") or ".budget.initial",
    "duplicate project": lambda project: project.update(id="P0") or "",
}


def _break(targets: dict, project: int, problem: str) -> str:
    """Apply ``problem`` in project number ``project``; the JSON path its error names."""
    if problem in PROJECT_PROBLEMS:
        return f"$.projects[{project}]" + PROJECT_PROBLEMS[problem](targets["projects"][project])
    return f"$.projects[{project}].indicators[1]" + INDICATOR_PROBLEMS[problem](
        targets["projects"][project]["indicators"])


@pytest.mark.parametrize("first", [*INDICATOR_PROBLEMS, *PROJECT_PROBLEMS])
@pytest.mark.parametrize("second", [*INDICATOR_PROBLEMS, *PROJECT_PROBLEMS])
def test_of_two_problems_the_first_in_the_file_is_reported(first, second):
    """Columns are read at once, yet the error named is the one a reader of the file meets first."""
    targets, _ = _many_projects()
    expected = _break(targets, 1, first)
    _break(targets, 2, second)
    with pytest.raises(InputError) as caught:
        score(targets)
    assert caught.value.path == expected


def test_in_one_project_the_first_indicator_with_a_problem_is_reported():
    targets, _ = _many_projects(1)
    items = targets["projects"][0]["indicators"]
    items += [dict(items[0], id=str(k)) for k in range(3, 8)]
    items[5]["levle2"] = "x"                   # read in an earlier pass than the weight below
    items[2]["weight"] = "九十"
    with pytest.raises(InputError) as caught:
        score(targets)
    assert caught.value.path == "$.projects[0].indicators[2].weight"


@pytest.mark.parametrize("change, path", [
    (lambda p: p[1]["indicators"].append({"id": "9", "actual": "1"}), "$.projects[1].indicators[2]"),
    (lambda p: p[1]["indicators"][1].update(actaul="1"), "$.projects[1].indicators[1].actaul"),
    (lambda p: p[1]["indicators"][0].update(id="2"), "$.projects[1].indicators[1]"),
    (lambda p: p[1].update(id="P9"), "$.projects[1]"),
    (lambda p: p[1]["budget"].update(unit="小时"), "$.projects[1].budget.unit"),
])
def test_an_actuals_problem_after_another_is_not_the_one_reported(change, path):
    """A bad score in project 0 comes first whatever else is wrong later in actuals.json, and each
    later problem is reported when it is alone."""
    targets, actuals = _many_projects(2)
    change(actuals["projects"])
    with pytest.raises(InputError) as caught:
        score(targets, actuals)
    assert caught.value.path == path
    actuals["projects"][0]["indicators"][1]["score"] = "九十"
    with pytest.raises(InputError) as caught:
        score(targets, actuals)
    assert caught.value.path == "$.projects[0].indicators[1].score"


def test_numbers_given_as_numbers_and_as_text_are_both_read():
    targets = json.loads(json.dumps(TARGETS))
    first, second = targets["projects"][0]["indicators"]
    first["weight"], second["weight"] = 60, "40"
    actuals = json.loads(json.dumps(ACTUALS))
    actuals["projects"][0]["indicators"][0]["score"] = 55
    actuals["projects"][0]["indicators"][1]["score"] = "35"
    frame = score(targets, actuals).to_dataframe()
    assert frame["weight"].tolist() == [60.0, 40.0]
    assert frame["score"].tolist() == [55.0, 35.0]         # the evaluator's scores, within their tiers


def test_a_repeated_id_is_reported_before_the_rest_of_its_indicator():
    targets = json.loads(json.dumps(TARGETS))
    second = targets["projects"][0]["indicators"][1]
    second.update(id="1", weight="九十")
    with pytest.raises(InputError, match="重复") as caught:
        score(targets)
    assert caught.value.path == "$.projects[0].indicators[1].id"


def test_a_number_too_large_for_a_float_is_an_input_error():
    targets = json.loads(json.dumps(TARGETS))
    targets["projects"][0]["indicators"][1]["weight"] = 10 ** 400
    with pytest.raises(InputError, match="0 到 100") as caught:
        score(targets)
    assert caught.value.path == "$.projects[0].indicators[1].weight"
    del targets["projects"][0]["indicators"][0]["level1"]
    with pytest.raises(InputError) as caught:
        score(targets)
    assert caught.value.path == "$.projects[0].indicators[0].level1"


_SECTIONS = ["产出指标(60分)"] * 7 + ["效益指标（10分）"] * 3 + ["满意度指标(10分)"] * 2
_SECTION_WEIGHTS = [8.58] + [8.57] * 6 + [3.34, 3.33, 3.33, 5.0, 5.0]


def test_points_printed_in_a_level_cell_are_its_section_points_in_json_and_csv(tmp_path):
    from scoring import score
    from scoring.readers import read

    data = {"id": "p", "name": "x", "indicators": [
        {"id": str(i), "level1": level, "name": f"n{i}", "target": "≥1次", "actual": "1次"}
        for i, level in enumerate(_SECTIONS)]}
    rows = score(data, ruleset="hubei").to_json()["projects"][0]["indicators"]
    assert [(r["level1"], r["weight"]) for r in rows][6:8] == [("产出指标", 8.57), ("效益指标", 3.34)]
    assert [r["weight"] for r in rows] == _SECTION_WEIGHTS
    path = tmp_path / "rows.csv"
    path.write_text("project,level1,name,target,actual\n" + "".join(
        f"p,{level},n{i},≥1次,1次\n" for i, level in enumerate(_SECTIONS)), encoding="utf-8")
    frames = read(path)
    assert frames.indicators["level1"].tolist()[-1] == "满意度指标"
    assert frames.indicators["level_points"].tolist() == [60.0] * 7 + [10.0] * 5


@pytest.mark.parametrize("printed, name, points", [
    ("产出指标(40分)", "产出指标", 40.0), ("产出指标 40 分", "产出指标", 40.0),       # 湖北 广水
    ("满意度 指标 (10分 )", "满意度 指标", 10.0), ("决策(10)", "决策", 10.0),       # 山西 稷山, 安徽 铜陵
    ("产 出 指 标 (50分)", "产 出 指 标", 50.0),                                      # 安徽 萧县
    ("产出指标(2023)", "产出指标(2023)", None), ("产出指标", "产出指标", None), ("(50分)", "(50分)", None),
])
def test_the_forms_section_points_are_printed_in(printed, name, points):
    import numpy as np

    from scoring.readers.sections import split_points

    names, found = split_points(np.array([printed], dtype=object))
    assert (names[0], None if np.isnan(found[0]) else found[0]) == (name, points)


def test_a_level_printed_with_spaces_between_its_characters_is_its_family():
    from scoring import score

    data = {"id": "p", "name": "x", "indicators": [
        {"id": "1", "level1": "产 出 指 标 (50分)", "name": "n", "target": "≥1次", "actual": "1次"},
        {"id": "2", "level1": "满意度 指标 (10分 )", "name": "m", "target": "≥90%", "actual": "95%"}]}
    rows = score(data).to_json()["projects"][0]["indicators"]
    assert [(r["weight"], r["status"]) for r in rows] == [(50.0, "scored"), (10.0, "scored")]


def test_points_printed_in_an_official_workbook_level_cell(tmp_path):
    import openpyxl

    from scoring import score
    from test_xlsx import official_sheet

    rows = [(level, "数量指标", f"指标{i}", "≥1次", "1次", None, None, None) for i, level in enumerate(_SECTIONS)]
    book = openpyxl.Workbook()
    official_sheet(book.active, "分段计分项目", rows, budget_score=0)
    book.save(tmp_path / "自评表.xlsx")
    found = score(tmp_path / "自评表.xlsx", ruleset="hubei").to_json()["projects"][0]["indicators"]
    assert [r["weight"] for r in found] == _SECTION_WEIGHTS


def test_points_given_as_level_points_win_over_the_printed_ones():
    from scoring.readers import read

    frames = read({"id": "p", "name": "x", "level_points": {"产出指标": 50}, "indicators": [
        {"id": "1", "level1": "产出指标(60分)", "name": "n", "target": "≥1次"},
        {"id": "2", "level1": "效益指标(20分)", "name": "m", "target": "≥1次"}]})
    assert frames.indicators["level_points"].tolist() == [50.0, 20.0]

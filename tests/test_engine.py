"""The engine as stages: one owner of unit comparison, no ruleset loaded and no file touched in a run,
and the run's memo its own."""

from fractions import Fraction

import pytest

import scoring.rulesets
from scoring import engine, load_ruleset, parse_actual, parse_target, score
from scoring.readers import read

TARGETS = {"projects": [{"id": "p", "name": "项目", "budget": {"initial": 100, "executed": 100},
                         "indicators": [
                             {"id": "1", "level1": "产出指标", "level2": "时效指标", "name": "响应时间",
                              "target": "≥2.00(小时)", "weight": 10},
                             {"id": "2", "level1": "决策", "level2": "", "name": "目标设定", "target": "明确"}]}]}
ACTUALS = {"projects": [{"id": "p", "indicators": [{"id": "1", "actual": "100分钟"}, {"id": "2", "actual": "明确"}]}]}


def test_the_engine_scores_b_exactly_as_compare_in_gives_it():
    compared = parse_actual("100分钟").compare_in(parse_target("≥2.00(小时)"))
    assert compared.value == Fraction(5, 3) and str(compared.rounded) == "1.67"
    row = score(TARGETS, ACTUALS).to_json()["projects"][0]["indicators"][0]
    assert row["score"] == 8.33           # 10 × (5/3) / 2, not 10 × 1.67 / 2 = 8.35


@pytest.mark.parametrize("actual, target, factor, assumed", [
    ("85", "≥90.00(%)", Fraction(1), True),           # a missing unit is taken from the other side
    ("<50万", "≤42.6万元", Fraction(1), True),         # a bare multiplier takes the other side's unit
    ("90分钟", "≤2小时/次", Fraction(1, 60), True),     # a rate per item against an amount of its unit
    ("420分钟", "≤8.00(小时)", Fraction(1, 60), False),
])
def test_compare_in_and_the_engine_share_one_unit_rule(actual, target, factor, assumed):
    a, t = parse_actual(actual), parse_target(target)
    compared = a.compare_in(t)
    assert compared.value == Fraction(a.value) * factor and compared.assumed_unit is assumed
    data = {"projects": [{"id": "p", "name": "x", "indicators": [
        {"id": "1", "level1": "产出指标", "name": "n", "target": target, "actual": actual}]}]}
    flags = score(data).to_json()["projects"][0]["indicators"][0]["flags"]
    assert ("assumed_unit" in flags) is assumed


def test_a_run_loads_no_ruleset_and_the_hint_comes_from_the_caller(monkeypatch):
    inputs = read(TARGETS, ACTUALS)
    ruleset = load_ruleset("national-2020")

    def refused(*args, **kwargs):
        raise AssertionError("the engine loaded a ruleset in the middle of a run")

    monkeypatch.setattr(scoring.rulesets, "load_ruleset", refused)
    monkeypatch.setattr(scoring.rulesets, "available", refused)
    scored = engine.score(inputs.projects, inputs.indicators, ruleset, "year", {"决策": ("my-rules",)})
    (issues,) = scored.projects["issues"]
    unknown = [issue.message for issue in issues if issue.code == "unknown_level1"]
    assert unknown and "my-rules" in unknown[0]
    bare = engine.score(inputs.projects, inputs.indicators, ruleset)
    assert all("认识它的规则集" not in issue.message for issue in bare.projects["issues"][0])


def test_the_cli_names_the_shipped_rulesets_that_know_an_unknown_level():
    issues = score(TARGETS, ACTUALS).to_json()["projects"][0]["issues"]
    (message,) = [i["message"] for i in issues if i["code"] == "unknown_level1"]
    assert "jiangsu-department-2025" in message


@pytest.mark.parametrize("field, text, code, column, suggestions", [
    ("target", "≥95.00(%", "unexpected_character", 7, []),
    ("target", "≥5.00(公里每)", "unknown_unit", 7, ["公里", "平方公里"]),
    ("actual", "9５%%", "unexpected_token", 4, []),
])
def test_a_text_that_cannot_be_read_is_an_issue_with_its_error_code_and_column(field, text, code, column,
                                                                                suggestions):
    indicator = {"id": "1", "level1": "产出指标", "name": "n", "target": "≥95.00(%)", "actual": "96%", field: text}
    row = score({"id": "p", "name": "x", "indicators": [indicator]}).to_json()["projects"][0]["indicators"][0]
    (issue,) = row["issues"]
    assert issue["code"] == f"bad_{field}" and (issue["error_code"], issue["column"]) == (code, column)
    assert f"第 {column} 列" in issue["message"] and "^" in issue["message"]       # the message stays
    assert issue["suggestions"] == suggestions


def test_other_issues_have_no_expression_fields():
    indicator = {"id": "1", "level1": "产出指标", "name": "n", "target": "≥95.00(%)"}
    (issue,) = score({"id": "p", "name": "x", "indicators": [indicator]}).to_json()["projects"][0]["indicators"][0][
        "issues"]
    assert issue == {"code": "missing_actual", "message": "未填写实际完成值 / no actual"}


@pytest.mark.parametrize("actual, target, tier, by_prefix", [
    ("全天候", "全天候可用", "达成", False),             # a shortened form of the target's words
    ("可用", "全天候可用", "达成", False),
    ("优", "优良中低差", "达成", False),                 # a grade of a scale target
    ("中", "优良中低差", "部分达成", False),
    ("差", "优良中低差", "未达成", False),
    ("实际在规定时间内完成", "11月底前", "达成", False),
    ("未在规定时间内完成", "11月底前", "未达成", True),   # a phrase of a higher tier after 未… is 未…'s
    ("基本按时完成", "按时完成", "部分达成", True),
    ("基本完成", "按时完成", "部分达成", False),
    ("未", "全天候可用", "未达成", True),                # one character is not a shortened form
    ("天", "全天候可用", None, False),
])
def test_tier_of_reads_the_words_evaluators_write(actual, target, tier, by_prefix):
    from scoring.engine.qualitative import tier_of

    assert tier_of(actual, target, target, load_ruleset("national-2020")) == (tier, by_prefix)


@pytest.mark.parametrize("actual, counted", [
    ("无上访", True), ("未发生上访", True), ("尚未发生", True), ("无", True),
    ("没有完成", False),       # the words after 没有 tell a tier
    ("无法统计", False),       # 无法 is a negation, not 无
    ("上访", False),
])
def test_nothing_happened_before_the_thing_counted(actual, counted):
    from scoring.engine.qualitative import says_none

    assert says_none(actual, load_ruleset("national-2020"), counted=True) is counted


@pytest.mark.parametrize("target, actual, points, flags", [
    ("小于5次", "无上访", 10.0, ["qualitative_actual", "assumed_unit"]),   # none happened, against a cap
    ("≥5次", "无上访", 0.0, ["qualitative_actual"]),                      # not against a floor
    ("0.9%", "0%", 10.0, ["assumed_op"]),                                 # an adverse rate: ≤ assumed
    ("95%", "0%", 0.0, ["assumed_op"]),                                   # a rate of which more is better
    ("=6万元", "6", 10.0, ["assumed_unit"]),                               # a bare actual in the target's 万元
    ("按时限完成", "90%", 9.0, ["percent_actual"]),
    ("±10%", "12.5%", 8.0, []),
    ("±10%", "-12.5%", 8.0, []),
])
def test_provincial_forms_score_as_evaluators_score_them(target, actual, points, flags):
    name = "森林火灾受害率" if target == "0.9%" else "群众上访" if "次" in target else "完成情况"
    data = {"id": "p", "name": "x", "indicators": [
        {"id": "1", "level1": "产出指标", "name": name, "target": target, "weight": 10, "actual": actual}]}
    row = score(data).to_json()["projects"][0]["indicators"][0]
    assert (row["score"], row["flags"]) == (points, flags)


@pytest.mark.parametrize("target, actual, issue", [
    ("/", "10次", "missing_target"), ("——", "10次", "missing_target"),
    ("≥5次", "/", "missing_actual"), ("≥5次", "-", "missing_actual"), ("≥5次", "—", "missing_actual"),
])
def test_a_blank_mark_is_an_empty_cell(target, actual, issue):
    data = {"id": "p", "name": "x", "indicators": [
        {"id": "1", "level1": "产出指标", "name": "n", "target": target, "weight": 10, "actual": actual}]}
    row = score(data).to_json()["projects"][0]["indicators"][0]
    assert ([i["code"] for i in row["issues"]], row["score"], row["actual"]) == ([issue], 0.0, actual)


def test_section_points_are_shared_by_their_level_and_the_rest_by_the_others():
    levels = ["产出指标"] * 7 + ["效益指标"] * 3 + ["满意度指标"] * 2
    data = {"id": "p", "name": "x", "level_points": {"产出指标": 60, "效益指标": 10},
            "budget": {"adjusted": 100, "executed": 100},
            "indicators": [{"id": str(i), "level1": level, "name": f"n{i}", "target": "≥1次", "actual": "1次"}
                           for i, level in enumerate(levels)]}
    project = score(data).to_json()["projects"][0]
    assert [i["weight"] for i in project["indicators"]] == [8.58] + [8.57] * 6 + [3.34, 3.33, 3.33, 10.0, 10.0]
    assert (project["total"], project["issues"]) == (100.0, [])


def test_section_points_of_a_level_the_project_lacks_are_refused_by_name():
    from scoring import InputError

    data = {"id": "p", "name": "x", "一级指标分值": {"产出": 60},
            "indicators": [{"id": "1", "level1": "产出指标", "name": "n", "target": "≥1次"}]}
    with pytest.raises(InputError, match=r"level_points\.产出.*不是这个项目的一级指标"):
        score(data)


def _level_less(levels: list[str], weights: list[float | None]):
    data = {"id": "p", "name": "部门整体", "budget": {"adjusted": 100, "executed": 100},
            "indicators": [{"id": str(i), "level1": "产出指标", "name": f"n{i}", "target": "≥1次", "actual": "1次",
                            **({} if w is None else {"weight": w})} for i, w in enumerate(weights)]}
    inputs = read(data)
    inputs.indicators["level1"] = levels
    return engine.score(inputs.projects, inputs.indicators, load_ruleset("national-2020"))


def test_a_project_without_first_level_names_shares_the_indicator_points_over_its_rows():
    scored = _level_less(["", "", "", ""], [30, None, None, None])
    assert scored.indicators["weight"].tolist() == [30.0, 20.0, 20.0, 20.0]
    assert scored.projects["total"].tolist() == [100.0] and not scored.projects["issues"][0]


def test_a_row_without_a_first_level_name_among_rows_with_one_is_not_scored():
    scored = _level_less(["产出指标", "", "效益指标", "满意度指标"], [None] * 4)
    row = scored.indicators.iloc[1]
    assert (row["status"], [i.code for i in row["issues"]]) == ("not_scored", ["unknown_level1"])
    assert "缺少一级指标" in row["issues"][0].message

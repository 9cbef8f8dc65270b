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

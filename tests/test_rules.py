"""The ruleset's knobs for the variants provinces print: thresholds and steps ([[rules]]), an
over-achievement cut-off, and what the budget rate divides by. Each case is a real table's note."""

import pytest

from scoring import load_ruleset, score
from scoring.rulesets import Step

DELTA = 'schema = 1\nname = "local"\nbase = "national-2020"\n'


def ruleset(tmp_path, text: str):
    path = tmp_path / "local.toml"
    path.write_text(DELTA + text, encoding="utf-8")
    return load_ruleset(path)


def scored(rules, name: str, target: str, actual: str, weight: float = 10, budget=None) -> dict:
    data = {"id": "p", "name": "x", "budget": budget or {"adjusted": 100, "executed": 100},
            "indicators": [{"id": "1", "level1": "产出指标", "name": name, "target": target, "actual": actual,
                            "weight": weight}]}
    return score(data, ruleset=rules).to_json()["projects"][0]


def row(rules, name, target, actual, weight=10) -> dict:
    return scored(rules, name, target, actual, weight)["indicators"][0]


# 福建: 资金使用率大于95%得满分 (otherwise the method's B / A)
THRESHOLD = '''
[[rules]]
name = "资金使用率大于95%得满分"
names = ["资金使用率"]
unit = "%"
steps = [{ more_than = 95, share = 1 }]
otherwise = "method"
'''


@pytest.mark.parametrize("actual, points, method", [
    ("96%", 10.0, "rule"), ("95.5%", 10.0, "rule"),
    ("95%", 9.5, "proportional"),          # 大于: 95% itself is below the threshold, scored 10 × 95 / 100
    ("80%", 8.0, "proportional"),
])
def test_a_threshold_gives_full_marks_beyond_it_and_the_method_below(tmp_path, actual, points, method):
    result = row(ruleset(tmp_path, THRESHOLD), "项目资金使用率", "≥100%", actual)
    assert (result["score"], result["method"]) == (points, method)
    assert "资金使用率大于95%得满分" in result["explanation"]


def test_a_threshold_leaves_other_indicators_and_units_to_the_method(tmp_path):
    rules = ruleset(tmp_path, THRESHOLD)
    assert row(rules, "培训完成率", "≥100%", "96%")["score"] == 9.6          # another name
    assert row(rules, "资金使用率", "≥100万元", "96万元")["score"] == 9.6     # another unit


# 江西: 群众满意率 90%以上得10分，每降5%扣1分，扣完为止
STEPS = '''
[[rules]]
name = "满意率每降5%扣1分"
names = ["满意率"]
unit = "%"
steps = [{ at_least = 90, share = 1 }, { at_least = 85, share = 0.9 }, { at_least = 80, share = 0.8 },
         { at_least = 75, share = 0.7 }, { at_least = 70, share = 0.6 }, { at_least = 65, share = 0.5 },
         { at_least = 60, share = 0.4 }, { at_least = 55, share = 0.3 }, { at_least = 50, share = 0.2 },
         { at_least = 45, share = 0.1 }]

# 江西: 成本控制率 控制率在±10%以内得5分，±10-15%以内得3分，±15-20%以内得1分，±20%以外不得分
[[rules]]
name = "成本控制率分档"
names = ["成本控制率"]
unit = "%"
steps = [{ within = 10, share = 1 }, { within = 15, share = 0.6 }, { within = 20, share = 0.2 }]
'''


@pytest.mark.parametrize("name, target, weight, actual, points", [
    ("群众满意率", "≥90%", 10, "92%", 10.0),
    ("群众满意率", "≥90%", 10, "87%", 9.0),
    ("群众满意率", "≥90%", 10, "85%", 9.0),
    ("群众满意率", "≥90%", 10, "84.9%", 8.0),
    ("群众满意率", "≥90%", 10, "40%", 0.0),
    ("成本控制率", "±10%", 5, "-8%", 5.0),
    ("成本控制率", "±10%", 5, "12%", 3.0),
    ("成本控制率", "±10%", 5, "-17%", 1.0),
    ("成本控制率", "±10%", 5, "25%", 0.0),
])
def test_steps_score_as_the_note_says(tmp_path, name, target, weight, actual, points):
    result = row(ruleset(tmp_path, STEPS), name, target, actual, weight)
    assert result["score"] == points
    assert result["method"] == "rule"


def test_the_explanation_names_the_rule_and_the_step(tmp_path):
    rules = ruleset(tmp_path, STEPS)
    assert row(rules, "群众满意率", "≥90%", "87%")["explanation"] == (
        "实际 87%，目标 ≥90%；按「满意率每降5%扣1分」87% ≥ 85%：10.00 × 90% = 9.00 分")
    assert row(rules, "成本控制率", "±10%", "-12%", 5)["explanation"] == (
        "实际 -12%，目标 ±10%；按「成本控制率分档」|-12%| ≤ 15%：5.00 × 60% = 3.00 分")
    assert row(rules, "群众满意率", "≥90%", "40%")["explanation"] == (
        "实际 40%，目标 ≥90%；未达到「满意率每降5%扣1分」的任何一档：0 分")


def test_steps_on_the_completion_rate_score_less_is_better_targets_too(tmp_path):
    rules = ruleset(tmp_path, '''
[[rules]]
name = "完成率分档"
families = ["output"]
on = "completion"
steps = [{ at_least = 1, share = 1 }, { at_least = 0.9, share = 0.8 }]
''')
    assert row(rules, "平均响应时间", "≤8小时", "8.5小时")["score"] == 8.0       # A / B = 94.1%
    assert row(rules, "平均响应时间", "≤8小时", "0小时")["score"] == 10.0        # nothing against a cap: met
    assert row(rules, "发放人数", "≥1000人", "950人")["score"] == 8.0           # B / A = 95%
    assert row(rules, "发放人数", "≥1000人", "800人")["score"] == 0.0
    assert row(rules, "资金", "≥1.1万元", "0.99万元")["score"] == 8.0          # 0.99 / 1.1 is 90%, within ulps


def test_under_a_threshold_proportional_scores_value_over_the_threshold(tmp_path):
    rules = ruleset(tmp_path, '''
[[rules]]
name = "完成率95%满分"
on = "completion"
steps = [{ at_least = 0.95, share = 1 }]
otherwise = "proportional"
''')
    result = row(rules, "发放人数", "≥1000人", "800人")                        # 10 × 80 / 95
    assert result["score"] == 8.42
    assert result["explanation"] == "实际 800人，目标 ≥1000人；完成率 80% 未达到「完成率95%满分」的 95%：10.00 × 80 / 95 = 8.42 分"


def test_a_completion_rule_leaves_ranges_and_targets_of_zero_to_the_method(tmp_path):
    rules = ruleset(tmp_path, '[[rules]]\nname = "r"\non = "completion"\nsteps = [{ at_least = 1, share = 1 }]\n')
    assert row(rules, "增长率", "80%-90%", "72%")["method"] == "range"
    assert row(rules, "差错", "=0次", "0次")["method"] == "exact_or_more"


def test_a_rule_applies_to_the_part_of_a_compound_target_it_names(tmp_path):
    rules = ruleset(tmp_path, '[[rules]]\nname = "使用率95%满分"\nnames = ["使用率"]\nunit = "%"\n'
                              'steps = [{ at_least = 95, share = 1 }]\n')
    result = row(rules, "资金使用", "使用率 100%误差率 ≤1%", "使用率 96%误差率 0.5%")
    assert result["score"] == 10.0                 # 使用率 by the rule, 误差率 by the method: both met


def test_a_rule_written_with_another_spelling_of_the_unit_or_name_still_applies(tmp_path):
    rules = ruleset(tmp_path, THRESHOLD.replace('unit = "%"', 'unit = "％"'))
    assert row(rules, "資金使用率", "≥100%", "96%")["method"] == "rule"         # traditional name, full-width %


def test_the_explanation_of_a_step_shows_an_over_achievement_deduction(tmp_path):
    rules = ruleset(tmp_path, '[[rules]]\nname = "人数"\nsteps = [{ at_least = 100, share = 1 }]\n'
                              '[over_achievement]\nratio = 1.3\ndeduction = 0.2\n')
    result = row(rules, "培训人数", "≥100人", "140人")
    assert result["score"] == 8.0
    assert "10.00 × 80%（该档 100%，超额完成扣分后） = 8.00 分" in result["explanation"]


def test_a_rule_given_again_in_a_delta_changes_only_what_it_gives(tmp_path):
    base = tmp_path / "base.toml"
    base.write_text(DELTA.replace("local", "base") + STEPS, encoding="utf-8")
    (tmp_path / "top.toml").write_text('schema = 1\nname = "top"\nbase = "base.toml"\n[[rules]]\n'
                                       'name = "成本控制率分档"\nsteps = [{ within = 5, share = 1 }]\n', encoding="utf-8")
    top = load_ruleset(tmp_path / "top.toml")
    assert [r.name for r in top.rules] == ["满意率每降5%扣1分", "成本控制率分档"]
    assert top.rule("成本控制率分档").steps == (Step("within", 5, 1),)
    assert top.rule("成本控制率分档").names == ("成本控制率",)


# 四川 (a county's note): 超过目标值30%的不得分
CUT_OFF = '[over_achievement]\nratio = 1.3\ndeduction = 1\nstrict = true\n'


@pytest.mark.parametrize("actual, points", [("129人", 10.0), ("130人", 10.0), ("131人", 0.0)])
def test_an_over_achievement_cut_off(tmp_path, actual, points):
    result = row(ruleset(tmp_path, CUT_OFF), "培训人数", "≥100人", actual)
    assert result["score"] == points
    assert ("over_achievement" in result["flags"]) is (points == 0)


def test_the_budget_rate_divides_by_what_the_ruleset_says(tmp_path):
    budget = {"initial": 100, "adjusted": 80, "executed": 80}
    national = scored(load_ruleset(), "n", "≥1次", "1次", budget=budget)["budget"]
    assert (national["rate"], national["score"]) == (1.0, 10.0)
    initial = scored(ruleset(tmp_path, '[budget]\ndenominator = ["initial"]\n'), "n", "≥1次", "1次", budget=budget)
    assert (initial["budget"]["rate"], initial["budget"]["score"]) == (0.8, 8.0)
    assert initial["budget"]["explanation"].startswith("执行率 80.00 / 100.00 = 80.00%")


# 专项债券: 债券资金管理指标 支出进度 = 实际支出 / 下达额度
PROGRESS = '[budget]\ntitle = "支出进度"\ndenominator = ["allocated"]\n'


def test_spending_progress_divides_by_the_allocation(tmp_path):
    rules = ruleset(tmp_path, PROGRESS)
    budget = scored(rules, "n", "≥1次", "1次", budget={"allocated": 500, "adjusted": 800, "executed": 450})["budget"]
    assert (budget["rate"], budget["score"]) == (0.9, 9.0)
    assert budget["explanation"] == "支出进度 450.00 / 500.00 = 90.00%：10 × 90.00% = 9.00 分"
    missing = scored(rules, "n", "≥1次", "1次", budget={"adjusted": 800, "executed": 450})
    assert missing["budget"]["score"] == 0.0
    assert any(i["code"] == "missing_budget" and "支出进度按 0 分计" in i["message"] for i in missing["issues"])


def test_the_allocation_is_read_by_its_printed_name_in_every_form():
    from scoring.readers import read

    data = {"id": "p", "name": "x", "项目资金": {"下达额度": 500, "全年执行数": 450},
            "indicators": [{"id": "1", "level1": "产出指标", "name": "n", "target": "≥1次"}]}
    assert read(data).projects["budget_allocated"].tolist() == [500.0]


# 福建-style frameworks spend 30 of the 90 indicator points on 决策 and 过程.
DECISION_PROCESS = '''
replace = ["families"]

[families.decision]
title = "决策"
weight = 15
level1 = ["决策", "项目决策"]

[families.process]
title = "过程"
weight = 15
level1 = ["过程", "项目过程", "项目管理"]

[families.output]
title = "产出"
weight = 30
level1 = ["产出指标", "项目产出"]

[families.outcome]
title = "效益"
weight = 20
level1 = ["效益指标", "项目效益"]

[families.satisfaction]
title = "满意度"
weight = 10
level1 = ["满意度指标"]
'''


def test_decision_and_process_are_families_with_their_points(tmp_path):
    rows = [("项目决策", "立项依据充分性", "充分", "充分"), ("项目决策", "绩效目标合理性", "合理", "基本合理"),
            ("项目管理", "资金到位率", "≥100%", "100%"), ("项目管理", "制度执行有效性", "有效", "有效"),
            ("项目产出", "保障人数", "≥2370人", "2370人"), ("项目效益", "办学条件改善", "改善", "改善"),
            ("满意度指标", "学生满意度", "≥90%", "95%")]
    data = {"id": "p", "name": "初中公用经费", "budget": {"adjusted": 64.8, "executed": 64.8},
            "indicators": [{"id": str(i), "level1": l1, "name": n, "target": t, "actual": a}
                           for i, (l1, n, t, a) in enumerate(rows)]}
    project = score(data, ruleset=ruleset(tmp_path, DECISION_PROCESS)).to_json()["projects"][0]
    assert [i["weight"] for i in project["indicators"]] == [7.5, 7.5, 7.5, 7.5, 30.0, 20.0, 10.0]
    assert [(level["level1"], level["weight"]) for level in project["levels"]][:2] == [("项目决策", 15.0), ("项目管理", 15.0)]
    assert project["indicators"][1]["score"] == 5.25          # 基本合理: 部分达成, 7.5 × 70%
    assert (project["total"], project["issues"]) == (97.75, [])

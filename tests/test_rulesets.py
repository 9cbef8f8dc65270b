"""Rulesets are data: shipped ones load, deltas merge, and every mistake in a file is named with its key."""

from decimal import Decimal

import pytest

from scoring import RulesetError, load_ruleset
from scoring.rulesets import available


def test_shipped_rulesets_load():
    assert set(available()) >= {"national-2020", "fasp", "shanghai-2020", "jiangsu-department-2025"}
    for name in available():
        assert load_ruleset(name).name == name


def test_national_defaults():
    national = load_ruleset()
    assert national.name == "national-2020"
    assert (national.budget_points, national.indicator_points) == (10, 90)
    assert national.family_of("成本指标").key == "output"
    assert national.family_of("效果目标").key == "outcome"
    assert [national.grade(Decimal(t)) for t in ("90", "89.99", "80", "60", "59.99")] == ["优", "良", "良", "中", "差"]


def test_fasp_is_a_delta_over_national():
    fasp, national = load_ruleset("fasp"), load_ruleset("national-2020")
    assert fasp.method("<=") == "linear" and fasp.over_ratio == Decimal("1.2")
    assert fasp.families == national.families and fasp.tiers == national.tiers


def write(tmp_path, text, name="my.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_user_delta_by_path(tmp_path):
    path = write(tmp_path, 'schema = 1\nname = "my-city"\nbase = "national-2020"\n'
                           '[over_achievement]\nratio = 1.5\ndeduction = 0.1\n')
    mine = load_ruleset(path)
    assert (mine.name, mine.over_ratio, mine.over_deduction) == ("my-city", Decimal("1.5"), Decimal("0.1"))
    assert mine.source == str(path)


def test_delta_over_a_delta_by_relative_path(tmp_path):
    write(tmp_path, 'schema = 1\nname = "a"\nbase = "fasp"\n[total]\nbudget = 20\nindicators = 80\n'
                    '[families.output]\nweight = 40\n', "a.toml")
    path = write(tmp_path, 'schema = 1\nname = "b"\nbase = "a.toml"\n')
    assert load_ruleset(path).budget_points == 20
    assert load_ruleset(path).method("<=") == "linear"


@pytest.mark.parametrize("text, key, words", [
    ('[over_achievment]\nratio = 1.2\n', "over_achievment", "over_achievement"),
    ('[methods]\n">=" = "proportionel"\n', "methods.>=", "proportional"),
    ('[weights]\nby = "everything"\n', "weights.by", "family"),
    ('replace = ["qualitative"]\n[[qualitative]]\ntier = "达成"\nband = [0.7, 1.0]\npoints = 1.0\n'
     '[[qualitative]]\ntier = "未达成"\nband = [0.0, 0.6]\npoints = 0.0\n', "qualitative", "空档"),
    ('[[qualitative]]\ntier = "达成"\nband = [0.5, 1.0]\n', "qualitative", "重叠"),
    ('[families.output]\nweight = 60\n', "families", "不等于"),
    ('[families.satisfaction]\nlevel1 = ["产出指标"]\n', "families.satisfaction.level1", "已属于"),
    ('[over_achievement]\nratio = "1.3"\n', "over_achievement.ratio", "非负数"),
    ('[over_achievement]\nstrict = 1\n', "over_achievement.strict", "true 或 false"),
    ('[budget]\ndenominator = ["executed"]\n', "budget.denominator", "allocated"),
    ('[[rules]]\nname = "r"\nfamilies = ["cost"]\nsteps = [{ at_least = 90, share = 1 }]\n', "rules[0].families", "没有这个一级指标族"),
    ('[[rules]]\nname = "r"\nsteps = [{ at_least = 90, at_most = 95, share = 1 }]\n', "rules[0].steps[0]", "每一档写一个界限"),
    ('[[rules]]\nname = "r"\nsteps = [{ at_least = 90, share = 1.5 }]\n', "rules[0].steps[0].share", "0 到 1"),
    ('[[rules]]\nname = "r"\notherwise = "proportional"\nsteps = [{ at_most = 10, share = 1 }]\n', "rules[0].otherwise",
     "at_least"),
    ('[[rules]]\nname = "r"\non = "ratio"\nsteps = [{ at_least = 1, share = 1 }]\n', "rules[0].on", "completion"),
    ('[[rules]]\nname = "r"\n', "rules[0].steps", "缺少"),
])
def test_mistakes_are_named_with_file_and_key(tmp_path, text, key, words):
    path = write(tmp_path, 'schema = 1\nname = "bad"\nbase = "national-2020"\n' + text)
    with pytest.raises(RulesetError) as caught:
        load_ruleset(path)
    assert caught.value.file == str(path)
    keys = [k for k, _ in caught.value.problems]
    assert key in keys, caught.value.problems
    assert words in str(caught.value)


def test_unknown_ruleset_name_suggests(tmp_path):
    with pytest.raises(RulesetError) as caught:
        load_ruleset("nationl-2020")
    assert "national-2020" in str(caught.value)


def test_base_cycle_is_an_error(tmp_path):
    write(tmp_path, 'schema = 1\nname = "a"\nbase = "b.toml"\n', "a.toml")
    path = write(tmp_path, 'schema = 1\nname = "b"\nbase = "a.toml"\n', "b.toml")
    with pytest.raises(RulesetError, match="循环"):
        load_ruleset(path)


def test_toml_syntax_error(tmp_path):
    with pytest.raises(RulesetError, match="TOML"):
        load_ruleset(write(tmp_path, "schema = = 1\n"))


def test_rulesets_never_run_code(tmp_path):
    path = write(tmp_path, 'schema = 1\nname = "x"\nbase = "national-2020"\n'
                           '[methods]\n">=" = "__import__(\'os\').system(\'echo hi\')"\n')
    with pytest.raises(RulesetError, match="未知的方法"):
        load_ruleset(path)


def test_the_words_that_say_nothing_happened_are_the_rulesets(tmp_path):
    from scoring import score

    data = {"id": "p", "name": "x", "indicators": [
        {"id": "1", "level1": "产出指标", "name": "安全事故", "target": "=0(次)", "actual": "未见发生"}]}
    assert score(data).to_json()["projects"][0]["indicators"][0]["score"] == 0.0      # 未… read as a tier
    path = write(tmp_path, 'schema = 1\nname = "mine"\nbase = "national-2020"\n'
                           '[nothing_happened]\nwords = ["未见发生", "无"]\n')
    row = score(data, ruleset=path).to_json()["projects"][0]["indicators"][0]
    assert (row["status"], row["score"], row["flags"][0]) == ("scored", row["weight"], "qualitative_actual")


def test_a_delta_changes_a_tier_by_its_name_and_keeps_its_words(tmp_path):
    path = write(tmp_path, 'schema = 1\nname = "bands"\nbase = "national-2020"\n'
                           '[[qualitative]]\ntier = "部分达成"\nband = [0.5, 0.8]\npoints = 0.65\n'
                           '[[qualitative]]\ntier = "未达成"\nband = [0.0, 0.5]\n')
    mine, national = load_ruleset(path), load_ruleset("national-2020")
    bands = {t.name: (t.low, t.high, t.points) for t in mine.tiers}
    assert bands["部分达成"] == (Decimal("0.5"), Decimal("0.8"), Decimal("0.65"))
    assert bands["未达成"] == (Decimal("0.0"), Decimal("0.5"), Decimal("0"))
    assert [t.words for t in mine.tiers] == [t.words for t in national.tiers]


def test_hubei_scores_the_budget_out_of_20_and_the_indicators_out_of_80():
    hubei = load_ruleset("hubei")
    assert (hubei.budget_points, hubei.indicator_points) == (20, 80)
    assert [(t.name, t.low, t.high) for t in hubei.tiers] == [
        ("达成", Decimal("0.8"), Decimal("1.0")), ("部分达成", Decimal("0.5"), Decimal("0.8")),
        ("未达成", Decimal("0.0"), Decimal("0.5"))]

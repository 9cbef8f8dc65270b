"""Several funds for one indicator (分资金, 湖北 and 云南 tables): absolute values added, relative values
weighted by money, dates the latest, words the lowest tier's; the explanation shows how, the JSON
lists the funds, and every problem with the input names its JSON path."""

import io
import json
from decimal import Decimal

import pytest

from scoring import InputError, parse_actual, score
from scoring.explanations import EXPLAINED, explain
from scoring.writers.jsonreport import write_json


def _project(*indicators, **project):
    return {"id": "HB-01", "name": "农村义务教育学生营养改善计划", **project, "indicators": [
        {"id": str(k + 1), "level1": "产出指标", "level2": "质量指标", "name": f"指标{k + 1}", "weight": 10, **indicator}
        for k, indicator in enumerate(indicators)]}


def _rows(*indicators, actuals=None):
    return score(_project(*indicators), actuals).to_json()["projects"][0]["indicators"]


def _row(target, funds):
    (row,) = _rows({"target": target, "funds": funds})
    return row


CENTRAL_AND_PROVINCE = [{"fund": "中央资金", "money": 120.5, "actual": "95%"},
                        {"fund": "省级资金", "money": 80, "actual": "98%"}]


def test_relative_values_are_weighted_by_each_funds_money():
    row = _row("≥96.5%", CENTRAL_AND_PROVINCE)
    # (95 × 120.5 + 98 × 80) / 200.5 = 96.19700748…, to 4 decimals 96.1970
    assert row["actual"] == "96.197%"
    assert row["explanation"] == ("各资金按金额加权：(95% × 120.5 + 98% × 80) / 200.5 ≈ 96.197%；"
                                  "实际 96.197% < 目标 ≥96.5%：10.00 × 96.197 / 96.5 = 9.97 分")
    assert (row["status"], row["score"], row["issues"]) == ("scored", 9.97, [])
    assert parse_actual(row["actual"]).value == Decimal("96.197")       # the text reads back as written


def test_a_mean_that_ends_is_written_exactly_and_said_with_equals():
    row = _row("≥95%", [{"fund": "中央资金", "money": 100, "actual": "90%"},
                        {"fund": "省级资金", "money": 300, "actual": "1000‰"}])
    assert row["actual"] == "97.5%"
    assert row["explanation"].startswith("各资金按金额加权：(90% × 100 + 1000‰（= 100%） × 300) / 400 = 97.5%；实际 97.5% 达到")


def test_a_rounded_mean_never_meets_a_target_its_exact_value_misses():
    # 94.99% × 1 + 95% × 299 over 300 is 94.99996…: at 4 decimals 95.0000, which would meet ≥95%
    row = _row("≥95%", [{"fund": "中央资金", "money": 1, "actual": "94.99%"},
                        {"fund": "省级资金", "money": 299, "actual": "95%"}])
    assert row["actual"] == "94.99997%"
    assert row["score"] == 10.0 and "< 目标 ≥95%" in row["explanation"]      # w × B / A rounds to 10.00
    assert "满分" not in row["explanation"]


def test_absolute_values_are_added_in_one_unit_exactly():
    people = _row("≥1.5万人次", [{"fund": "中央资金", "actual": "1.2万人次"}, {"fund": "省级资金", "actual": "3000人次"}])
    assert people["actual"] == "1.5万人次"
    assert people["explanation"] == ("各资金相加：1.2万人次 + 3000人次（= 0.3万人次） = 1.5万人次；"
                                     "实际 1.5万人次 达到 目标 ≥1.5万人次：满分 10.00 分")
    money = _row("≥20万元", [{"fund": "中央资金", "actual": "12.5万元"}, {"fund": "省级资金", "actual": "60000元"}])
    assert (money["actual"], money["score"]) == ("18.5万元", 9.25)
    assert money["explanation"].startswith("各资金相加：12.5万元 + 60000元（= 6万元） = 18.5万元；实际 18.5万元 < 目标 ≥20万元")
    counts = _row("≥5次", [{"actual": "3次"}, {"actual": "2次"}])
    assert counts["explanation"] == "各资金相加：3次 + 2次 = 5次；实际 5次 达到 目标 ≥5次：满分 10.00 分"


def test_values_in_one_unit_other_than_the_targets_are_added_in_theirs():
    row = _row("≤8.00(小时)", [{"fund": "中央资金", "actual": "200分钟"}, {"fund": "省级资金", "actual": "220分钟"}])
    assert row["actual"] == "420分钟"
    assert row["explanation"] == ("各资金相加：200分钟 + 220分钟 = 420分钟；"
                                  "实际 420分钟（= 7小时） 达到 目标 ≤8.00(小时)：满分 10.00 分")


@pytest.mark.parametrize("unit", ["%", "‰", "万人次", "人次", "万元", "元", "次/周", "小时", "平方米", "公里", "个"])
def test_every_combined_actual_reads_back_as_written(unit):
    funds = [{"fund": "甲", "money": 1, "actual": f"1.5{unit}"}, {"fund": "乙", "money": 3, "actual": f"2.25{unit}"}]
    row = _row(f"≥1{unit}", funds)
    reading = parse_actual(row["actual"])
    assert reading.unit == unit and row["status"] == "scored"
    assert reading.value == (Decimal("2.0625") if unit in ("%", "‰", "次/周") else Decimal("3.75"))


def test_dates_take_the_latest():
    row = _row("11月底前", [{"fund": "中央资金", "actual": "10月"}, {"fund": "省级资金", "actual": "2025年12月"},
                           {"fund": "市县资金", "actual": "11月"}])
    assert row["actual"] == "2025年12月"
    assert row["explanation"] == "各资金取最晚：10月、2025年12月、11月 → 2025年12月；实际 2025年12月 晚于期限 11月底前：0 分"


def test_words_that_agree_are_kept_and_words_that_differ_take_the_lowest_tier():
    same = _row("健全", [{"fund": "中央资金", "actual": "健全"}, {"fund": "省级资金", "actual": "健全"}])
    assert (same["actual"], same["tier"]) == ("健全", "达成")
    assert same["explanation"].startswith("各资金均为「健全」；实际「健全」属「达成」")
    lowest = _row("健全", [{"fund": "中央资金", "actual": "健全"}, {"fund": "省级资金", "actual": "基本健全"}])
    assert (lowest["actual"], lowest["tier"], lowest["score"]) == ("基本健全", "部分达成", 7.0)
    assert lowest["explanation"] == ("各资金取最低档：中央资金「健全」（达成）、省级资金「基本健全」（部分达成） → 基本健全；"
                                     "实际「基本健全」属「部分达成」（60%–80%）：10.00 × 70% = 7.00 分")


@pytest.mark.parametrize("target, funds, code, words", [
    ("≥95%", [{"fund": "中央资金", "actual": "95%"}, {"fund": "省级资金", "money": 80, "actual": "98%"}],
     "fund_money_missing", "「中央资金」没有金额"),
    ("≥95%", [{"fund": "中央资金", "money": 0, "actual": "95%"}, {"fund": "省级资金", "money": 0, "actual": "98%"}],
     "fund_money_missing", "合计为 0"),
    ("≥5次", [{"actual": "3次"}, {"actual": "2元"}], "unit_mismatch", "「次」「元」"),
    ("≥5次", [{"actual": "3次"}, {"actual": "2"}], "unit_mismatch", "有的没有"),
    ("健全", [{"fund": "中央资金", "actual": "健全"}, {"fund": "省级资金", "actual": "天"}], "funds_not_combined",
     "「省级资金」的「天」"),
    ("≥5次", [{"fund": "中央资金", "actual": "3次"}, {"fund": "省级资金", "actual": "已完成"}], "funds_not_combined",
     "数值、日期或文字"),
    ("≥80%", [{"money": 1, "actual": "80%-90%"}, {"money": 1, "actual": "85%"}], "funds_not_combined", "区间"),
    ("≥5次", [{"fund": "中央资金", "actual": "3次"}, {"fund": "省级资金", "actual": "/"}], "missing_actual",
     "「省级资金」未填写"),
])
def test_funds_that_cannot_be_combined_leave_the_row_not_scored_with_the_reason(target, funds, code, words):
    row = _row(target, funds)
    (issue,) = row["issues"]
    assert (row["status"], row["method"], row["score"], row["actual"], issue["code"]) == (
        "not_scored", "none", 0.0, None, code)
    assert words in issue["message"] and row["explanation"] == f"未评分：{issue['message']}"
    assert [f["actual"] for f in row["funds"]] == [f["actual"] for f in funds]


def test_a_fund_whose_actual_cannot_be_read_is_named_with_the_error_column():
    row = _row("≥5次", [{"fund": "中央资金", "actual": "3次"}, {"fund": "省级资金", "actual": "9５%%"}])
    (issue,) = row["issues"]
    assert (issue["code"], issue["error_code"], issue["column"]) == ("bad_actual", "unexpected_token", 4)
    assert issue["message"].startswith("「省级资金」的实际完成值无法解读：第 4 列")


def test_an_evaluator_score_does_not_score_funds_that_cannot_be_combined():
    (row,) = _rows({"target": "≥95%", "score": 9, "funds": [{"actual": "95%"}, {"actual": "98%"}]})
    assert (row["status"], row["score"], row["flags"]) == ("not_scored", 0.0, [])


def test_a_fund_reported_not_applicable_is_left_out_and_all_of_them_make_the_row_not_applicable():
    row = _row("≥90%", [{"fund": "中央资金", "money": 1, "actual": "不适用"},
                        {"fund": "省级资金", "money": 80, "actual": "98%"}])
    assert row["explanation"] == ("各资金按金额加权（中央资金不适用，不计入）：(98% × 80) / 80 = 98%；"
                                  "实际 98% 达到 目标 ≥90%：满分 10.00 分")
    none = _row("≥90%", [{"fund": "中央资金", "actual": "不适用"}, {"fund": "省级资金", "actual": "不涉及"}])
    assert (none["status"], none["score"], none["actual"]) == ("not_applicable", None, "不适用")
    assert none["explanation"] == "各资金均不适用；实际「不适用」：不适用，不计分，项目得分按 100 分折算"


def test_funds_read_with_chinese_keys_from_targets_or_actuals_and_replace_the_other_files_actual():
    targets = _project({"target": "≥1.5万人次", "actual": "1万人次"}, {"target": "≥95%", "资金来源": [
        {"资金名称": "中央资金", "金额": 120.5, "实际完成值": "95%"}, {"资金名称": "省级资金", "资金金额": "80", "完成值": "98%"}]})
    actuals = {"id": "HB-01", "indicators": [
        {"id": "1", "分资金": [{"资金名称": "中央资金", "实际完成值": "1.2万人次"}, {"资金名称": "省级资金", "实际完成值": "3000人次"}]},
        {"id": "2", "actual": "97%"}]}
    first, second = score(targets, actuals).to_json()["projects"][0]["indicators"]
    assert (first["actual"], first["funds"][1]) == ("1.5万人次", {"fund": "省级资金", "money": None, "actual": "3000人次"})
    assert (second["actual"], "funds" in second) == ("97%", False)
    alone = score(targets).to_json()["projects"][0]["indicators"][1]
    assert alone["actual"] == "96.197%"
    assert alone["funds"] == [{"fund": "中央资金", "money": 120.5, "actual": "95%"},
                              {"fund": "省级资金", "money": 80.0, "actual": "98%"}]


def test_the_json_lists_funds_after_the_actual_only_where_given_as_the_report_does():
    report = score(_project({"target": "≥96.5%", "funds": CENTRAL_AND_PROVINCE}, {"target": "≥5次", "actual": "6次"}))
    buffer = io.StringIO()
    write_json(report, buffer)
    assert buffer.getvalue() == json.dumps(report.to_json(), ensure_ascii=False) + "\n"
    funded, plain = json.loads(buffer.getvalue())["projects"][0]["indicators"]
    assert list(funded)[5:7] == ["actual", "funds"] and "funds" not in plain
    assert funded["funds"] == [{"fund": "中央资金", "money": 120.5, "actual": "95%"},
                               {"fund": "省级资金", "money": 80.0, "actual": "98%"}]


def test_the_api_gives_the_combined_actual_in_frames_and_values():
    report = score(_project({"target": "≥96.5%", "weight": 45, "funds": CENTRAL_AND_PROVINCE},
                            {"target": "≥5次", "weight": 45, "funds": [{"actual": "3次"}, {"actual": "2次"}]},
                            budget={"adjusted": 100, "executed": 100}))
    frame = report.to_dataframe()
    assert frame["actual"].tolist() == ["96.197%", "5次"]
    assert frame["score"].tolist() == [44.86, 45.0]                 # 45 × 96.197 / 96.5 = 44.8585…
    assert report.totals()["total"].tolist() == [99.86]
    indicator = report.project_scores()[0].indicators[0]
    assert indicator.actual == "96.197%" and [f.fund for f in indicator.funds] == ["中央资金", "省级资金"]
    assert not report.has_issues


def test_rows_of_one_outcome_explain_their_own_funds():
    """Two rows whose funds combine into the same actual against the same target share an outcome but not
    a sentence: each is the row explained alone."""
    report = score(_project({"target": "≥5次", "funds": [{"actual": "3次"}, {"actual": "2次"}]},
                            {"target": "≥5次", "funds": [{"actual": "1次"}, {"actual": "4次"}]},
                            {"target": "≥5次", "actual": "5次"}))
    rows = report._indicators
    columns = [c for c in EXPLAINED if c in rows]
    alone = [explain(dict(zip(columns, values)), report.ruleset)
             for values in zip(*(rows[c].to_numpy(dtype=object) for c in columns))]
    assert report.explanations == alone
    assert [text.split("；")[0] for text in alone] == ["各资金相加：3次 + 2次 = 5次", "各资金相加：1次 + 4次 = 5次",
                                                     "实际 5次 达到 目标 ≥5次：满分 10.00 分"]


@pytest.mark.parametrize("funds, path, words", [
    ([{"fund": "中央资金", "money": -5, "actual": "95%"}], "$.projects[0].indicators[0].funds[0].money", "不小于 0"),
    ([{"fund": "中央资金", "actual": "95%"}, {"fund": "省级资金", "money": 80}],
     "$.projects[0].indicators[0].funds[1].actual", "缺少实际完成值"),
    ([{"fund": "中央资金", "money": "很多", "actual": "95%"}], "$.projects[0].indicators[0].funds[0].money", "应为数字"),
    ([{"fund": "中央资金", "money": float("inf"), "actual": "95%"}], "$.projects[0].indicators[0].funds[0].money",
     "有限"),
    ([{"fund": "中央资金", "mony": 1, "actual": "95%"}], "$.projects[0].indicators[0].funds[0].mony", "是否指「money」"),
    ([], "$.projects[0].indicators[0].funds", "至少一项资金"),
    ({"fund": "中央资金", "actual": "95%"}, "$.projects[0].indicators[0].funds", "数组"),
    (["95%"], "$.projects[0].indicators[0].funds[0]", "应为对象"),
])
def test_funds_that_cannot_be_read_are_errors_naming_the_json_path(funds, path, words):
    with pytest.raises(InputError) as caught:
        score({"projects": [_project({"target": "≥95%", "funds": funds})]})
    assert (caught.value.file, caught.value.path) == ("<targets>", path) and words in str(caught.value)


def test_an_actual_and_funds_both_given_are_an_error_naming_the_path(tmp_path):
    both = {"target": "≥95%", "actual": "96%", "funds": CENTRAL_AND_PROVINCE}
    with pytest.raises(InputError, match="只能给出其一") as caught:
        score({"projects": [_project({"target": "≥5次", "actual": "5次"}, both)]})
    assert caught.value.path == "$.projects[0].indicators[1].funds"
    actuals = tmp_path / "actuals.json"
    actuals.write_text(json.dumps({"projects": [{"id": "HB-01", "indicators": [
        {"id": "1", "实际完成值": "96%", "分资金": CENTRAL_AND_PROVINCE}]}]}, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        score(_project({"target": "≥95%"}), actuals)
    assert (caught.value.file, caught.value.path) == (str(actuals), "$.projects[0].indicators[0].funds")
    null_actual = _row("≥95%", CENTRAL_AND_PROVINCE) == _rows({"target": "≥95%", "actual": None,
                                                               "funds": CENTRAL_AND_PROVINCE})[0]
    assert null_actual                                           # a null actual beside funds is no conflict


def test_the_first_problem_in_document_order_is_the_one_raised():
    with pytest.raises(InputError) as caught:
        score({"projects": [_project({"target": "≥95%", "funds": [{"money": -1, "actual": "95%"}]},
                                     {"target": "≥95%", "score": "九十"})]})
    assert caught.value.path == "$.projects[0].indicators[0].funds[0].money"


def test_the_documented_example_scores_as_the_document_says():
    import re

    from conftest import ROOT

    text = (ROOT / "docs" / "inputs.md").read_text(encoding="utf-8")
    section = text[text.index("## Several funds for one indicator"):]
    example = json.loads(re.search(r"```json\n(.*?)```", section, re.S).group(1))
    rows = score(example).to_json()["projects"][0]["indicators"]
    assert [row["actual"] for row in rows] == ["96.197%", "1.5万人次"]
    assert "`96.197%`" in section and "`1.5万人次`" in section

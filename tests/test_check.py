"""`score check`: each planted mistake in a filled 自评表 is found; a correct table gives nothing."""

import json

import openpyxl
import pytest

from scoring.check import check
from scoring.cli import main
from test_xlsx import GOOD, official_sheet


def filled(tmp_path, rows, **options):
    book = openpyxl.Workbook()
    official_sheet(book.active, "信息化建设项目", rows, **options)
    path = tmp_path / "自评表.xlsx"
    book.save(path)
    return path


def codes(findings):
    return sorted((f.code, f.indicator) for f in findings)


def test_a_correct_table_has_no_findings(tmp_path, capsys):
    path = filled(tmp_path, GOOD)
    assert check(path) == []
    assert main(["check", str(path)]) == 0
    assert "未发现" in capsys.readouterr().out


def replace(row, **changes):
    fields = ["level1", "level2", "name", "target", "actual", "weight", "score", "reason"]
    values = dict(zip(fields, row)) | changes
    return tuple(values[f] for f in fields)


@pytest.mark.parametrize("rows, options, expected", [
    # lenient: full points for a missed target
    ([GOOD[0], replace(GOOD[1], score=20.0), *GOOD[2:]], {}, [("score_mismatch", "软件开发完成率")]),
    # points off a met target
    ([replace(GOOD[0], score=28.0, reason="扣分"), *GOOD[1:]], {}, [("score_mismatch", "硬件购置完成率")]),
    # below the weight without a reason
    ([GOOD[0], replace(GOOD[1], reason=None), *GOOD[2:]], {}, [("missing_reason", "软件开发完成率")]),
    # a score above its weight
    ([replace(GOOD[0], score=31.0), *GOOD[1:]], {},
     [("score_above_weight", "硬件购置完成率"), ("score_mismatch", "硬件购置完成率")]),
    # a qualitative score outside its tier's band
    ([*GOOD[:2], replace(GOOD[2], score=27.0), GOOD[3]], {}, [("score_out_of_band", "系统运行维护管理中社会效益")]),
    # weights that do not add up per level (产出 60 instead of 50 once 效益 and 满意度 take theirs)
    ([replace(GOOD[0], weight=40, score=40.0), GOOD[1], replace(GOOD[2], weight=20, score=14.0), GOOD[3]], {},
     [("weights_not_adding", None), ("weights_not_adding", None)]),
    # a printed total that is not the sum of its rows
    (GOOD, {"printed_total": 95.0}, [("total_mismatch", None)]),
    # a budget score that does not follow the execution rate
    (GOOD, {"budget_score": 10.0}, [("budget_score_mismatch", None)]),
])
def test_each_planted_mistake_is_found(tmp_path, rows, options, expected):
    assert codes(check(filled(tmp_path, rows, **options))) == sorted(expected)


def test_json_contract_and_exit_code(tmp_path, capsys):
    path = filled(tmp_path, [GOOD[0], replace(GOOD[1], score=20.0), *GOOD[2:]])
    assert main(["check", str(path), "--format", "json"]) == 1
    (finding,) = json.loads(capsys.readouterr().out)["findings"]
    assert finding == {"project": "信息化建设项目", "indicator": "软件开发完成率", "code": "score_mismatch",
                       "message": finding["message"], "expected": 19.37, "found": 20.0}
    assert "20.00 × 92 / 95 = 19.37" in finding["message"]


def test_findings_as_a_workbook(tmp_path):
    path = filled(tmp_path, GOOD, printed_total=95.0)
    out = tmp_path / "findings.xlsx"
    assert main(["check", str(path), "-o", str(out)]) == 1
    book = openpyxl.load_workbook(out)
    assert [c.value for c in book["检查结果"][2]][2] == "total_mismatch"
    ranking = [[c.value for c in row] for row in book["规则集"].iter_rows(min_row=2, max_col=3)]
    assert ["national-2020", 4, 4] in ranking


def test_fasp_ruleset_recomputes_differently(tmp_path):
    rows = [("产出指标", "数量指标", "故障修复时间", "≤8.00(小时)", "10小时", 50, 40.0, "硬件故障"), *GOOD[2:]]
    path = filled(tmp_path, rows)
    assert check(path) == []                                  # national: 50 × 8 / 10 = 40
    (finding,) = check(path, ruleset="fasp")                  # fasp: 50 × (1 − 2 / 8) = 37.5
    assert (finding.code, finding.expected, finding.found) == ("score_mismatch", 37.5, 40.0)


def test_check_names_the_ruleset_the_table_follows_best(tmp_path, capsys):
    from scoring.check import Fit, fits

    # 16.5 of 30 for 基本符合 is inside hubei's 部分达成 band (50–80%), outside the national one (60–80%)
    path = filled(tmp_path, [*GOOD[:2], replace(GOOD[2], score=16.5), GOOD[3]])
    ranked, unexplained = fits(path, ["national-2020", "hubei"])
    assert (ranked, unexplained) == ([Fit("hubei", 4, 4), Fit("national-2020", 3, 4)], [])
    main(["check", str(path), "--format", "json"])
    shown = json.loads(capsys.readouterr().out)
    assert shown["rulesets"][0] == {"ruleset": "hubei", "agreeing": 4, "rows": 4}


def test_rows_no_ruleset_explains_are_the_evaluators_own(tmp_path, capsys):
    from scoring.check import fits

    path = filled(tmp_path, [GOOD[0], replace(GOOD[1], score=20.0), *GOOD[2:]])
    assert fits(path)[1] == [("信息化建设项目", "软件开发完成率")]
    main(["check", str(path)])
    assert "没有规则集能解释的得分（评价人自定）：信息化建设项目 / 软件开发完成率" in capsys.readouterr().out

"""Any string gives a reading or our ExpressionError, never another exception."""

from hypothesis import given, settings
from hypothesis import strategies as st

from scoring import ExpressionError, Reading, parse_actual, parse_target

PIECES = ["≥", "≤", "=", ">", "<", ">=", "＞＝", "‹=", "大于", "不少于", "以上", "以内", "95", "0.5", "1,000",
          "９５", "两万", "百分之", "九十五", "%", "(%)", "(", ")", "（万人份）", "万", "元", "次/周", "GB/年",
          "小时", "-", "～", "至", "、", "；", " ", "$", "\\geq", "9月", "2021年", "前", "完成", "健全",
          "使用率", "误差率", "(8家)", "xyz", "kgs", "\n", "\t", "·", "*", "/"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=8).map("".join))
def test_pieces_of_real_expressions(text):
    _reads_or_raises_ours(text)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=20))
def test_any_text(text):
    _reads_or_raises_ours(text)


def _reads_or_raises_ours(text: str) -> None:
    for read in (parse_target, parse_actual):
        try:
            reading = read(text)
        except ExpressionError as error:
            assert 1 <= error.column <= len(text) + 1
        else:
            assert isinstance(reading, Reading)
            assert reading.as_dict()["ok"] is True


TARGETS = ["≥95.00(%)", "≤8.00(小时)", "=0(次)", "85%", "健全", "80%-90%", "9月前", "使用率 100%误差率 ≤1%",
           "小于市场价", "事故及差错 0", "≥3.00(次/周)", "<50万", "$\\geq 90.00\\%$", "≥5(xyz)", ""]
ACTUALS = ["96%", "420分钟", "无", "基本达到", "不适用", "8月", "使用率 98%", "-3%", "160次/年", "42.6万元", "达成",
           "xyz", "", None, "1次", "100%"]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(TARGETS), st.sampled_from(ACTUALS),
                          st.one_of(st.none(), st.floats(0, 40, allow_nan=False)),
                          st.one_of(st.none(), st.floats(0, 40, allow_nan=False)),
                          st.sampled_from(["产出指标", "效益指标", "满意度指标", "成本指标"])),
                min_size=1, max_size=8))
def test_any_table_scores_without_crashing(rows):
    from scoring import score

    targets = {"id": "P", "budget": {"adjusted": 100}, "indicators": [
        {"id": str(i), "level1": level1, "level2": "二级", "name": f"指标{i}", "target": target or None, "weight": weight}
        for i, (target, _, weight, _, level1) in enumerate(rows)]}
    actuals = {"id": "P", "budget": {"executed": 90}, "indicators": [
        {"id": str(i), "actual": actual, "score": given} for i, (_, actual, _, given, _) in enumerate(rows)]}
    report = score(targets, actuals)
    frame = report.to_dataframe()
    assert set(frame["status"]) <= {"scored", "not_scored", "not_applicable"}
    assert (frame["score"].fillna(0) >= 0).all()
    assert report.to_json()["projects"][0]["grade"] in "优良中差"

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

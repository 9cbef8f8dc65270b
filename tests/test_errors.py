"""Bad inputs: each gives our error with a stable code, the column, and a caret that lines up."""

import pandas as pd
import pytest

from scoring import ErrorCode, ExpressionError, ScoringError, parse_target, score_frame
from scoring.errors import display_width

BAD = [
    ("", ErrorCode.EMPTY, 1),
    ("   ", ErrorCode.EMPTY, 1),
    ("≥", ErrorCode.UNEXPECTED_END, 2),
    ("95%-", ErrorCode.UNEXPECTED_END, 5),
    ("≥80%-90%", ErrorCode.UNEXPECTED_TOKEN, 5),
    ("≥≥95%", ErrorCode.UNEXPECTED_TOKEN, 2),
    ("—", ErrorCode.UNEXPECTED_TOKEN, 1),
    ("95%%", ErrorCode.UNEXPECTED_TOKEN, 4),
    ("≥5(xyz)", ErrorCode.UNKNOWN_UNIT, 4),
    ("≥95.00(小室)", ErrorCode.UNKNOWN_UNIT, 8),
    ("达到5kgs", ErrorCode.UNKNOWN_UNIT, 4),
    (">=95%以下", ErrorCode.CONFLICTING_COMPARATORS, 6),
    ("大于5元内", ErrorCode.CONFLICTING_COMPARATORS, 5),          # 内 after the unit says ≤
    ("≥3 天之内", ErrorCode.CONFLICTING_COMPARATORS, 5),
    ("90%-80%", ErrorCode.RANGE_ORDER, 1),
    ("1小时-90分钟", ErrorCode.RANGE_UNITS, 5),
    ("13月前", ErrorCode.BAD_DATE, 1),
    ("2026年2月32日前", ErrorCode.BAD_DATE, 1),
    ("95%\\", ErrorCode.UNEXPECTED_CHARACTER, 4),
]


@pytest.mark.parametrize("text, code, column", BAD, ids=[repr(b[0]) for b in BAD])
def test_bad_input_code_and_column(text, code, column):
    with pytest.raises(ExpressionError) as caught:
        parse_target(text)
    assert (caught.value.code, caught.value.column) == (code, column)
    assert caught.value.text == text


def test_errors_belong_to_one_tree_and_to_the_builtins():
    with pytest.raises(ScoringError):
        parse_target("≥")
    with pytest.raises(ValueError):
        parse_target("≥")


def test_caret_lines_up_under_wide_characters():
    with pytest.raises(ExpressionError) as caught:
        parse_target("≥95.00(小室)")
    text_line, caret_line = caught.value.caret().splitlines()
    offset = caret_line.index("^")
    assert display_width(text_line[:offset]) == display_width("  ≥95.00(")
    assert caught.value.message.startswith("未知单位「小室」")
    assert "小时" in caught.value.message


def test_error_says_what_was_expected_in_chinese():
    with pytest.raises(ExpressionError) as caught:
        parse_target("≥")
    assert "数字" in caught.value.expected
    assert caught.value.as_dict()["code"] == "unexpected_end"


def test_non_string_is_a_type_error():
    with pytest.raises(TypeError):
        parse_target(95)  # type: ignore[arg-type]


def test_a_cell_whose_comparators_conflict_is_reported_on_its_row_not_raised():
    rows, _ = score_frame(pd.DataFrame({"project_id": ["P", "P"], "level1": ["产出指标"] * 2, "name": ["a", "b"],
                                        "target": ["≤8(小时)"] * 2, "actual": ["大于5小时内", "7小时"]}))
    assert list(rows["status"]) == ["not_scored", "scored"]
    assert rows["issues"].iat[0] == "bad_actual"

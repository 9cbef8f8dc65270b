"""Limits on what a cell may hold: past them a reading is refused with its own code, never hangs, never
rounds a number silently, and never puts a non-finite number in any output."""

import json

import pytest

from scoring import ExpressionError, parse_actual, parse_target, score
from scoring.parse import MAX_LENGTH


def refused(read, text: str) -> ExpressionError:
    with pytest.raises(ExpressionError) as caught:
        read(text)
    return caught.value


def test_a_cell_longer_than_the_limit_is_refused_by_its_code():
    error = refused(parse_actual, "五百〇百八四零八八十五七千" * 1000)         # 13,000 characters
    assert (error.code, error.column) == ("too_long", MAX_LENGTH)
    assert "13000" in error.message


def test_a_long_run_of_chinese_numerals_within_the_limit_reads():
    text = "五百〇百八四零八八十五七千" * 76                                    # 988 characters
    assert parse_actual(text).kind == "qualitative"


@pytest.mark.parametrize("text", ["≥" + "9" * 400, "≥" + "9" * 30, "1" + "0" * 30 + "次", "≥1000000000000000次",
                                  "≥1.0000000000000001万元"])
def test_a_number_that_cannot_be_kept_exactly_is_refused(text):
    error = refused(parse_target, text)
    assert error.code == "number_out_of_range"
    assert text[error.column - 1] in "0123456789"


@pytest.mark.parametrize("text, value", [("≥999999999999999次", "999999999999999"), ("≤0.000000000000001%", "1E-15"),
                                         ("=100.00(%)", "100.00")])
def test_numbers_within_the_limit_are_kept_as_written(text, value):
    assert str(parse_target(text).value) == value


def test_a_chinese_numeral_longer_than_the_limit_of_digits_is_not_a_number():
    assert parse_actual("九" * 40 + "次").value is None


def test_no_output_holds_a_non_finite_number():
    data = {"id": "p", "name": "x", "indicators": [
        {"id": "1", "level1": "产出指标", "name": "n", "target": "≥" + "9" * 400, "actual": "9" * 400 + "次"},
        {"id": "2", "level1": "产出指标", "name": "m", "target": "≥1次", "actual": "1" + "0" * 30 + "次"}]}
    out = score(data).to_json()
    json.dumps(out, allow_nan=False)
    rows = out["projects"][0]["indicators"]
    assert [i["code"] for i in rows[0]["issues"]] == ["bad_target"]
    assert [i["code"] for i in rows[1]["issues"]] == ["bad_actual"]
    assert rows[1]["issues"][0]["error_code"] == "number_out_of_range"

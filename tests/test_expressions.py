"""Readings users rely on, spelled out: comparators, numbers, units, labels, notes, kinds."""

from decimal import Decimal
from fractions import Fraction

import pytest

from scoring import Deadline, Kind, Op, Target, parse_actual, parse_target

SYMBOLS = [
    (">=", Op.GE), ("≥", Op.GE), ("≧", Op.GE), ("＞＝", Op.GE), ("\\geq", Op.GE),
    ("<=", Op.LE), ("≤", Op.LE), ("≦", Op.LE), ("＜＝", Op.LE), ("‹=", Op.LE), ("\\leq", Op.LE),
    ("=", Op.EQ), ("＝", Op.EQ), ("﹦", Op.EQ), ("═", Op.EQ),
    (">", Op.GT), ("＞", Op.GT), ("›", Op.GT), ("<", Op.LT), ("＜", Op.LT), ("‹", Op.LT),
]
WORDS = [
    ("大于", Op.GT), ("高于", Op.GT), ("多于", Op.GT), ("超过", Op.GT),
    ("小于", Op.LT), ("低于", Op.LT), ("少于", Op.LT),
    ("不少于", Op.GE), ("不低于", Op.GE), ("至少", Op.GE),
    ("不超过", Op.LE), ("不高于", Op.LE), ("至多", Op.LE),
]
AFTER = [("以上", Op.GE), ("及以上", Op.GE), ("以下", Op.LE), ("以内", Op.LE)]


@pytest.mark.parametrize("symbol, op", SYMBOLS)
def test_comparator_symbols(symbol, op):
    reading = parse_target(f"{symbol}95%")
    assert (reading.op, reading.value, reading.unit) == (op, Decimal(95), "%")


@pytest.mark.parametrize("word, op", WORDS)
def test_comparator_words_before(word, op):
    reading = parse_target(f"{word}3次")
    assert (reading.kind, reading.op, reading.value, reading.unit) == (Kind.QUANTITY, op, 3, "次")


@pytest.mark.parametrize("word, op", AFTER)
def test_comparator_words_after(word, op):
    reading = parse_target(f"3次{word}")
    assert (reading.op, reading.value, reading.unit, reading.note) == (op, 3, "次", None)


@pytest.mark.parametrize("text", ["85%", "70000单位", "1次", "事故及差错 0"])
def test_no_comparator_is_reported_as_none(text):
    assert parse_target(text).op is None


@pytest.mark.parametrize("text, value, unit", [
    ("1,025,100", Decimal("1025100"), ""),
    ("≥９５．５０％", Decimal("95.50"), "%"),
    ("一", Decimal(1), ""),
    ("两万", Decimal(20000), ""),
    ("百分之九十五", Decimal(95), "%"),
    ("<50万", Decimal(50), "万"),
    ("5亿元", Decimal(5), "亿元"),
    ("≥6.00(万人份)", Decimal("6.00"), "万人份"),
    ("≥95 百分比", Decimal(95), "%"),
    ("≥200(元/人*月)", Decimal(200), "元/人*月"),
])
def test_numbers_and_units(text, value, unit):
    reading = parse_target(text)
    assert (reading.value, reading.unit) == (value, unit)


def test_value_keeps_written_precision():
    assert parse_target("≥95.00(%)").precision == 2
    assert str(parse_target("≥95.00(%)").value) == "95.00"
    assert parse_target("85%").precision == 0


def test_magnitude_is_exact():
    assert parse_target("95%").magnitude == Fraction(19, 20)
    assert parse_target("≥6.00(万人份)").magnitude == 60000
    assert parse_target("≥6.00(万人份)").base_unit == "个"
    assert parse_target("≤8.00(小时)").magnitude == 28800


def test_label_and_note():
    reading = parse_target("团体单位授奖率0.1%")
    assert (reading.label, reading.value, reading.unit) == ("团体单位授奖率", Decimal("0.1"), "%")
    assert parse_target("=100% (25家)").note == "25家"
    reading = parse_target("做到0投诉")
    assert (reading.label, reading.value, reading.unit, reading.note) == ("做到", 0, "", "投诉")


@pytest.mark.parametrize("text", ["使用率 100%误差率 ≤1%", "使用率100%；误差率≤1%"])
def test_compound_parts_keep_their_labels(text):
    reading = parse_target(text)
    assert reading.kind is Kind.COMPOUND
    first, second = reading.parts
    assert (first.label, first.op, first.value) == ("使用率", None, 100)
    assert (second.label, second.op, second.value, second.unit) == ("误差率", Op.LE, 1, "%")


def test_compound_of_words_and_quantity():
    words, count = parse_target("全媒体覆盖、3次活动").parts
    assert (words.kind, words.word) == (Kind.QUALITATIVE, "全媒体覆盖")
    assert (count.value, count.unit, count.note) == (3, "次", "活动")


@pytest.mark.parametrize("text", ["80%-90%", "80～90%", "80%至90%"])
def test_ranges(text):
    reading = parse_target(text)
    assert (reading.kind, reading.low, reading.high, reading.unit) == (Kind.RANGE, 80, 90, "%")


@pytest.mark.parametrize("text, deadline, op", [
    ("9月前", Deadline(None, 9, None), Op.LE),
    ("2021年12月完成", Deadline(2021, 12, None), Op.LE),
    ("2026-12-31", Deadline(2026, 12, 31), None),
    ("2026年底", Deadline(2026, 12, None), None),
])
def test_deadlines(text, deadline, op):
    reading = parse_target(text)
    assert (reading.kind, reading.deadline, reading.op) == (Kind.DATE, deadline, op)


@pytest.mark.parametrize("text, op, label, reference", [
    ("小于市场价", Op.LT, None, "市场价"),
    ("大于未投入点位平均值", Op.GT, None, "未投入点位平均值"),
    ("献血率高于未享受免费用血政策人群", Op.GT, "献血率", "未享受免费用血政策人群"),
    ("不超过预算", Op.LE, None, "预算"),
    ("高于2024年水平", Op.GT, None, "2024年水平"),
])
def test_relative(text, op, label, reference):
    reading = parse_target(text)
    assert (reading.kind, reading.op, reading.label, reading.reference) == (Kind.RELATIVE, op, label, reference)


@pytest.mark.parametrize("text", ["健全", "提升", "符合", "是", "达成预期指标", "按时按量有序发放",
                                  "一般", "十分满意", "制作遗体(含角膜)实现者纪念证"])
def test_qualitative_words_stay_words(text):
    reading = parse_target(text)
    assert (reading.kind, reading.word) == (Kind.QUALITATIVE, text)


def test_latex_damaged_cell():
    reading = parse_target("$\\geq 90.00\\%$")
    assert (reading.op, reading.value, reading.unit) == (Op.GE, Decimal("90.00"), "%")


def test_readings_are_frozen_and_cached():
    reading = parse_target("≥95.00(%)")
    with pytest.raises(AttributeError):
        reading.value = 1  # type: ignore[misc]
    assert parse_target("≥95.00(%)") is reading


def test_texts_differing_only_in_digits_read_their_own_digits():
    assert parse_target("≥95.00(%)").value == Decimal("95.00")
    assert parse_target("≥12.34(%)").value == Decimal("12.34")
    assert parse_target("2021年12月完成").deadline == Deadline(2021, 12, None)
    assert parse_target("2024年11月完成").deadline == Deadline(2024, 11, None)


def test_comparison_in_target_unit_has_no_float_drift():
    target = parse_target("≥95.00(%)")
    compared = parse_actual("95%").compare_in(target)
    assert compared.value == 95 and str(compared.rounded) == "95.00"
    assert parse_actual("0.95倍").compare_in(target).value == 95
    assert parse_actual("94.996%").compare_in(target).rounded == Decimal("94.996")   # never rounded up to meet
    assert parse_actual("160次/年").compare_in(parse_target("≥3.00(次/周)")).rounded == Decimal("3.07")


VALID = {
    "quantity": dict(kind=Kind.QUANTITY, value=Decimal("95"), unit="%"),
    "range": dict(kind=Kind.RANGE, low=Decimal("80"), high=Decimal("90"), unit="%"),
    "qualitative": dict(kind=Kind.QUALITATIVE, word="健全"),
    "relative": dict(kind=Kind.RELATIVE, op=Op.LT, reference="市场价"),
    "date": dict(kind=Kind.DATE, op=Op.LE, deadline=Deadline(None, 9, None), word="前"),
}
INVALID = [
    ("a quantity without its value", dict(kind=Kind.QUANTITY)),
    ("a quantity with bounds", dict(VALID["quantity"], low=Decimal("1"), high=Decimal("2"))),
    ("a range with one bound", dict(kind=Kind.RANGE, low=Decimal("80"))),
    ("a range out of order", dict(VALID["range"], low=Decimal("95"))),
    ("a qualitative reading without words", dict(kind=Kind.QUALITATIVE)),
    ("a quantity with words", dict(VALID["quantity"], word="健全")),
    ("a relative reading without a comparator", dict(VALID["relative"], op=None)),
    ("a date without its deadline", dict(kind=Kind.DATE, word="前")),
    ("a compound reading of one part", dict(kind=Kind.COMPOUND, parts=(parse_target("≥1"),))),
    ("an unknown unit", dict(VALID["quantity"], unit="小室")),
    ("a kind that is only its name", dict(VALID["quantity"], kind="quantity")),
]


@pytest.mark.parametrize("fields", list(VALID.values()), ids=list(VALID))
def test_a_reading_carries_what_its_kind_says(fields):
    assert Target(text="x", **fields).kind is fields["kind"]


@pytest.mark.parametrize("fields", [f for _, f in INVALID], ids=[name for name, _ in INVALID])
def test_a_reading_that_contradicts_its_kind_is_refused(fields):
    with pytest.raises(ValueError):
        Target(text="x", **fields)

"""The unit registry: every unit converts, compatible units convert exactly, clashes are errors."""

from fractions import Fraction

import pytest

from scoring import UnitMismatchError, UnknownUnitError, parse_actual, parse_target
from scoring import units


@pytest.mark.parametrize("spelling", units.known_spellings())
def test_every_defined_unit_converts_to_its_base(spelling):
    info = units.lookup(units.canonical(spelling))
    assert info is not None, spelling
    assert info.factor > 0 and info.dimension


@pytest.mark.parametrize("source, target, factor", [
    ("小时", "分钟", 60), ("周", "天", 7), ("年", "月", 12), ("万元", "元", 10000), ("亿元", "万元", 10000),
    ("亩", "平方米", Fraction(2000, 3)), ("公顷", "亩", 15), ("GB", "MB", 1000), ("公斤", "克", 1000),
    ("吨", "公斤", 1000), ("‰", "%", Fraction(1, 10)), ("万人份", "人份", 10000), ("次/周", "次/天", Fraction(1, 7)),
])
def test_reference_conversions(source, target, factor):
    assert units.conversion(source, target).factor == factor


@pytest.mark.parametrize("actual, target, value", [
    ("420分钟", "≤8.00(小时)", Fraction(7)),
    ("62000人份", "≥6.00(万人份)", Fraction(62, 10)),
    ("160次/年", "≥3.00(次/周)", Fraction(160 * 7, 365)),
    ("1.5亿元", "≥12800万元", Fraction(15000)),
    ("2GB/月", "≥500.00(GB/年)", Fraction(24)),
    ("96.5%", "≥95.00(%)", Fraction(965, 10)),
])
def test_compatible_units_convert_exactly(actual, target, value):
    assert parse_actual(actual).compare_in(parse_target(target)).value == value


def test_different_classifiers_convert_as_counts_with_a_warning():
    compared = parse_actual("5家").compare_in(parse_target("≥3.00(个)"))
    assert compared.value == 5
    assert compared.classifier_change == (("家",), ("个",))
    assert parse_actual("5个").compare_in(parse_target("≥3.00(个)")).classifier_change is None


@pytest.mark.parametrize("actual, target", [("8小时", "≤200.00(元)"), ("95%", "≥3(人)"), ("3次", "≤5.00(分钟)")])
def test_dimensional_clash_names_both_units(actual, target):
    with pytest.raises(UnitMismatchError) as caught:
        parse_actual(actual).compare_in(parse_target(target))
    error = caught.value
    assert (error.from_unit, error.to_unit) == (parse_actual(actual).unit, parse_target(target).unit)
    assert error.from_unit in str(error) and error.to_unit in str(error)


@pytest.mark.parametrize("text, unit, suggestion", [
    ("≥5(小室)", "小室", "小时"),
    ("5kgs", "kgs", "kg"),
    ("3 GBs", "GBs", "GB"),
    ("≥500(GB/yr)", "GB/yr", None),
])
def test_unknown_unit_is_named_with_near_spellings(text, unit, suggestion):
    with pytest.raises(UnknownUnitError) as caught:
        parse_target(text)
    assert caught.value.unit == unit
    if suggestion:
        assert suggestion in caught.value.suggestions


def test_registry_knows_only_our_units():
    assert units.lookup("meter") is None      # pint's default units are not loaded
    assert units.lookup("kgs") is None        # no English plurals
    assert units.lookup("万人份").factor == 10000


def test_canonical_spelling():
    assert units.canonical("％") == "%"
    assert units.canonical("百分比") == "%"
    assert units.canonical("\\%") == "%"
    assert units.canonical("次／周") == "次/周"

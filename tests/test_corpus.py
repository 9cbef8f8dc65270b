"""Golden corpus: every distinct target value of the seeds, and the other forms users write, read as
recorded in corpus/expressions.jsonl (reviewed by hand; a change in any reading fails here)."""

import contextlib
import csv
import json

import pytest

from scoring import Actual, ExpressionError, Target, parse_actual, parse_target
from scoring import parse
from conftest import CORPUS

GOLDEN = [json.loads(line) for line in (CORPUS / "expressions.jsonl").read_text(encoding="utf-8").splitlines()]
SEED_VALUES = [row["value"] for row in
               csv.DictReader((CORPUS / "seed_targets.tsv").open(encoding="utf-8"), delimiter="\t")]
EXTRA_FORMS = [line for line in (CORPUS / "extra_forms.txt").read_text(encoding="utf-8").splitlines() if line]


def test_corpus_holds_every_seed_value_and_every_extra_form():
    texts = {entry["text"] for entry in GOLDEN}
    assert len(SEED_VALUES) == 212
    assert set(SEED_VALUES) <= texts
    assert set(EXTRA_FORMS) <= texts


@pytest.mark.parametrize("expected", GOLDEN, ids=[entry["text"] for entry in GOLDEN])
def test_reading_matches_golden(expected):
    assert parse_target(expected["text"]).as_dict() == expected


@pytest.mark.parametrize("text", SEED_VALUES[:40])
def test_actual_reads_like_target(text):
    actual, target = parse_actual(text), parse_target(text)
    assert actual.as_dict() == target.as_dict()
    assert not isinstance(actual, Target)


_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_OTHER_DIGITS = [str.maketrans("0123456789０１２３４５６７８９", other + other.translate(_FULL_WIDTH))
                 for other in ("7394051862", "0000000000", "9999999999")]
_SIGNED = ["-3.5%", "−12万元", "+8小时", "＋0次", "-0", "百分之95", "１２．５万元", "1,025,100元", "≥95.00(%)以上",
           "48小时内", "≤2小时/次", "3天之内完成", "事故及差错 0", "做到0投诉", "5万元（预算）", "=100%(8家)", "95%；2%",
           "80%-90%", "大于5元内"]


@pytest.mark.parametrize("text", [entry["text"] for entry in GOLDEN] + EXTRA_FORMS + _SIGNED)
def test_texts_of_one_shape_read_as_each_reads_alone(text):
    """A text whose shape (its digits made 0) was read before reads as the grammar reads it afresh."""
    for table in _OTHER_DIGITS:
        variant = text.translate(table)
        for cls, read in ((Target, parse_target), (Actual, parse_actual)):
            with contextlib.suppress(ExpressionError):
                read(text)
            try:
                fresh = parse._built(variant, cls, parse._syntax(variant.translate(parse._SHAPE)))
            except ExpressionError as error:
                with pytest.raises(ExpressionError) as raised:
                    read(variant)
                assert str(raised.value) == str(error)
                continue
            assert read(variant) == fresh
            assert type(read(variant)) is cls

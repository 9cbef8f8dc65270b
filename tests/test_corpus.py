"""Golden corpus: every distinct target value of the seeds, and the other forms users write, read as
recorded in corpus/expressions.jsonl (reviewed by hand; a change in any reading fails here)."""

import csv
import json

import pytest

from scoring import Target, parse_actual, parse_target
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

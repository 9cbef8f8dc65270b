"""The readers fuzzed, bounded for CI (a fixed seed, 20,000 expressions per reader): every generated
expression reads or is refused with an ExpressionError naming a column; no reading holds a number JSON
cannot carry or one not kept as written. The long run is benchmarks/fuzz.py."""

import random

import pytest

from fuzzing import corpus_cells, expression, odd
from scoring import parse_actual, parse_target

BUDGET = 20000


@pytest.mark.parametrize("read", [parse_target, parse_actual])
def test_generated_expressions_read_or_are_refused_by_column(read):
    rng, cells = random.Random(16), corpus_cells()
    found = {}
    for _ in range(BUDGET):
        text = expression(rng, cells)
        problem = odd(read, text)
        if problem:
            found.setdefault(problem, text)
    assert found == {}


@pytest.mark.parametrize("text", ["≥" + "9" * 400, "五百〇百八四零八八十五七千" * 1000, "(" * 500 + "95%", "≥1e308%",
                                  "1" + "0" * 30 + "次", "≥NaN%", "=inf次"])
def test_the_inputs_the_fuzzing_found(text):
    assert odd(parse_target, text) is None and odd(parse_actual, text) is None

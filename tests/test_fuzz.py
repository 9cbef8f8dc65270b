"""The readers fuzzed, bounded for CI (a fixed seed, 20,000 expressions per reader from tests/fuzzing.py,
and hypothesis, derandomized, which shrinks what it finds to its smallest form): every generated
expression reads or is refused with an ExpressionError naming a column; no reading holds a number JSON
cannot carry or one not kept as written. The long run is benchmarks/fuzz.py."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fuzzing import ALPHABETS, PIECES, corpus_cells, expression, odd
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


_PIECE = st.sampled_from(PIECES) | st.text(st.sampled_from("".join(ALPHABETS)), max_size=6) | st.text(max_size=3)


@pytest.mark.parametrize("read", [parse_target, parse_actual])
@settings(derandomize=True, max_examples=3000, deadline=None, database=None)
@given(text=st.lists(_PIECE, max_size=14).map("".join))
def test_expressions_from_pieces_read_or_are_refused_by_column(read, text):
    assert odd(read, text) is None, text

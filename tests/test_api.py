"""The public API: a small sorted __all__ whose names all exist."""

import scoring


def test_all_is_sorted_and_complete():
    assert scoring.__all__ == sorted(scoring.__all__)
    for name in scoring.__all__:
        assert hasattr(scoring, name), name

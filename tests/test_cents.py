"""Level subtotals are rounded to cents as Python's round(v, 2) rounds, computed over whole columns."""

import math
import random

import numpy as np

from scoring.report import _cents


def test_cents_are_pythons_rounding_of_every_value():
    rng = random.Random(7)
    values = [k / 1000 for k in range(-20_000, 20_000)]                      # every half cent, as floats
    values += [k / 200 + d for k in range(-4_000, 4_000) for d in (-1e-12, 1e-12, 5e-5, -5e-5)]
    values += [rng.uniform(-100, 100) for _ in range(50_000)] + [rng.uniform(-1e9, 1e9) for _ in range(5_000)]
    values += [sum(rng.choice((0.1, 0.2, 0.3, 1.15, 2.675)) for _ in range(rng.randint(1, 30))) for _ in range(20_000)]
    values += [0.0, -0.0, 1e7, -1e7, 1e15, 2.675, 1.005, -2.675, math.inf, -math.inf, math.nan]
    got = _cents(np.array(values))
    expected = [round(v, 2) for v in values]
    assert [(g, math.copysign(1, g)) for g in got.tolist() if g == g] == \
        [(e, math.copysign(1, e)) for e in expected if e == e]
    assert np.isnan(got[-1])

"""The scoring methods: a small closed registry of pure functions over arrays.

Each method takes the ``Measures`` of many indicators at once and returns the share of each weight
earned, in [0, 1] (points = w × share, rounded half-up to cents later). A (``a``) is the target
value as written; B (``b``) the actual in the target's unit, converted exactly (``units.comparison``)
and then taken as the nearest float, never rounded to a precision: 100分钟 against ≥2.00(小时) is
B = 5/3, so 10 × (5/3) / 2 = 8.33. Negative actuals have already been raised to the ruleset's floor. Rulesets name these methods; they cannot add any.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from scoring.model import Op


@dataclass(frozen=True)
class Measures:
    a: np.ndarray          # target value A (or NaN)
    b: np.ndarray          # actual B in the target's unit (or NaN)
    low: np.ndarray        # range bounds L, H (or NaN)
    high: np.ndarray
    strict: np.ndarray     # bool: the comparator is > or <
    on_time: np.ndarray    # bool: a date actual on or before its deadline


def proportional(x: Measures) -> np.ndarray:
    """``>=`` and ``>``: B ≥ A gives all of w; otherwise w × B / A. A = 0: B ≥ 0 gives w (``>``: B > 0).

    Example: w = 5, A = 95 %, B = 92 % → 5 × 92 / 95 = 4.84.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        met = np.where((x.a == 0) & x.strict, x.b > 0, x.b >= x.a)
        return np.where(met, 1.0, np.where(x.a > 0, x.b / x.a, 0.0))


def ratio(x: Measures) -> np.ndarray:
    """``<=`` and ``<``: B ≤ A gives all of w; otherwise w × A / B. A = 0: B ≤ 0 gives w, else 0.

    Example: w = 5, A = 8 小时, B = 10 小时 → 5 × 8 / 10 = 4.00.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x.b <= x.a, 1.0, np.where(x.a > 0, x.a / x.b, 0.0))


def linear(x: Measures) -> np.ndarray:
    """``<=`` scored linearly: B ≤ A gives w; otherwise w × max(0, 1 − (B − A) / A). A = 0: B ≤ 0, else 0.

    Example: w = 5, A = 8, B = 10 → 5 × (1 − 2 / 8) = 3.75; B = 2A or more → 0.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        missed = np.clip(1.0 - (x.b - x.a) / x.a, 0.0, 1.0)
        return np.where(x.b <= x.a, 1.0, np.where(x.a > 0, missed, 0.0))


def exact_or_more(x: Measures) -> np.ndarray:
    """``=``: A = 0 gives w when B = 0 and nothing otherwise; A > 0 is scored as ``>=``.

    Example: =0(次) with B = 1 → 0; =100% with B = 98 % → w × 98 / 100.
    """
    return np.where(x.a == 0, (x.b == 0).astype(float), proportional(x))


def within_range(x: Measures) -> np.ndarray:
    """Range [L, H]: inside gives w; below gives w × B / L (L < 0: w × L / B); above gives w × H / B.

    Example: w = 5, [80 %, 90 %], B = 72 % → 5 × 72 / 80 = 4.50; B = 95 % → 5 × 90 / 95 = 4.74;
    ±10 % is [−10 %, 10 %], so B = −12.5 % → 5 × −10 / −12.5 = 4.00, as B = 12.5 % gives.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        below = np.where(x.low > 0, x.b / x.low, np.where(x.low < 0, x.low / x.b, 0.0))
        above = np.where(x.b > 0, x.high / x.b, 0.0)
        return np.where(x.b < x.low, below, np.where(x.b > x.high, above, 1.0))


def deadline(x: Measures) -> np.ndarray:
    """Dates: on or before the deadline gives w; after it, nothing.

    Example: 9月前, done in 8月 → w; done in 10月 → 0.
    """
    return x.on_time.astype(float)


def completion(a, b, op) -> np.ndarray:
    """完成率: B / A for ≥, > and =; A / B for ≤ and <, 1 for B = 0 there (nothing against a cap is the
    cap met). Only for A > 0 and B ≥ 0; NaN otherwise (ranges, zero or negative targets)."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    less = np.isin(np.asarray(op, dtype=object), [Op.LE, Op.LT])
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(less, np.where(b > 0, a / b, 1.0), b / a)
    return np.where((a > 0) & (b >= 0), value, np.nan)


METHODS: dict[str, Callable[[Measures], np.ndarray]] = {
    "deadline": deadline,
    "exact_or_more": exact_or_more,
    "linear": linear,
    "proportional": proportional,
    "range": within_range,
    "ratio": ratio,
}

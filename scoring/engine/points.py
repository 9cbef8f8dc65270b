"""Stage 9, points: w × share, rounded half-up to cents, for scored rows; an evaluator's score where
it overrides the computed one."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.codes import Flag, Status


def half_up(values: np.ndarray, places: int | np.ndarray) -> np.ndarray:
    """Round half-up at ``places`` decimals, robust to binary representation (4.835 → 4.84)."""
    scale = np.power(10.0, places)
    scaled = np.asarray(values, dtype=float) * scale
    # A few ulps of slack: an exact .5 computed as 4.8349999999999999 still rounds up, while values
    # genuinely below .5 (9.7149999903) do not.
    return np.floor(scaled + 0.5 + 1e-12 * np.maximum(1.0, np.abs(scaled))) / scale


def apply(out: pd.DataFrame) -> None:
    scored = out["status"].to_numpy(dtype=object) == Status.SCORED
    computed = np.where(scored, half_up(out["weight"].to_numpy() * out["share"].to_numpy(), 2), 0.0)
    override = out["evaluator_score"].notna().to_numpy(copy=True)     # only a row with a score is overridden
    flags = out["flags"].to_numpy(dtype=object)
    override[override] = [Flag.OVERRIDE in f for f in flags[override]]
    out["computed_score"] = computed
    out["score"] = np.where(override, half_up(out["evaluator_score"].to_numpy(dtype=float), 2), computed)

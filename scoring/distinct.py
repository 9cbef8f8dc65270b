"""The distinct values of a column, each row's code into them (pandas.factorize), with floats told
apart by their bits: 0.0 and -0.0 compare equal but are written differently."""

from __future__ import annotations

import numpy as np
import pandas as pd


def factorize(values, use_na_sentinel: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(codes, uniques) as pandas.factorize gives them; a float column is factorized on its bits."""
    values = values.to_numpy() if isinstance(values, pd.Series) else np.asarray(values)
    if values.dtype.kind != "f":
        return pd.factorize(values, use_na_sentinel=use_na_sentinel)
    bits = np.ascontiguousarray(values, dtype=np.float64).view(np.int64)
    codes, uniques = pd.factorize(bits)
    uniques = uniques.view(np.float64)
    if use_na_sentinel:
        return np.where(np.isnan(values), -1, codes), uniques
    return codes, uniques

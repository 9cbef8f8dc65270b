"""The distinct values of a column, each row's code into them (pandas.factorize), with floats told
apart by their bits: 0.0 and -0.0 compare equal but are written differently; ``combinations``, a code
per row for its combination of several columns' values; ``Coded``, texts held that way; and
``objects``, the object arrays such tables are made of."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Coded:
    """Row k's text is ``table[codes[k]]``."""

    codes: np.ndarray
    table: np.ndarray

    def __len__(self) -> int:
        return len(self.codes)

    def texts(self) -> np.ndarray:
        return self.table[self.codes]


def objects(items) -> np.ndarray:
    """A one-dimensional object array of ``items`` (tuples stay tuples, never a second dimension)."""
    return np.fromiter(items, dtype=object, count=len(items))


def factorize(values, use_na_sentinel: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """(codes, uniques) as pandas.factorize gives them; a column of numpy floats is factorized on its
    bits (a pandas extension type, Int64 with a missing value say, is left to pandas)."""
    if isinstance(values, pd.Series) and isinstance(values.dtype, np.dtype):
        values = values.to_numpy()
    elif not isinstance(values, pd.Series):
        values = np.asarray(values)
    if values.dtype.kind != "f" or not isinstance(values.dtype, np.dtype):
        return pd.factorize(values, use_na_sentinel=use_na_sentinel)
    floats = np.ascontiguousarray(values, dtype=np.float64)
    codes, uniques = pd.factorize(floats.view(np.int64))
    uniques = uniques.view(np.float64)
    if use_na_sentinel:
        return np.where(np.isnan(floats), -1, codes), uniques
    return codes, uniques


def tested(values, test) -> np.ndarray:
    """``test(value)`` of each value of a column as booleans, called once per distinct value (a missing
    value tested as None)."""
    codes, uniques = factorize(values)
    return np.array([bool(test(value)) for value in uniques.tolist()] + [bool(test(None))], dtype=bool)[codes]


def combinations(factorized: list[tuple[np.ndarray, np.ndarray]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """A code per row for its combination of values (codes of -1, missing values, included), in order of
    first appearance, and the first row of each combination."""
    key, size = np.zeros(n, dtype=np.int64), 1
    for codes, uniques in factorized:
        if size * (len(uniques) + 1) >= 2 ** 62:          # renumber the combinations so far before they overflow
            key, seen = pd.factorize(key)
            size = len(seen)
        key, size = key * (len(uniques) + 1) + codes + 1, size * (len(uniques) + 1)
    key, _ = pd.factorize(key)
    return key, np.flatnonzero(~pd.Series(key).duplicated().to_numpy())

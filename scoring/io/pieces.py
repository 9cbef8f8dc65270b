"""Text outputs (JSON, CSV) written from each column's distinct values.

A million scored indicators hold a few hundred distinct names and targets and some tens of thousands
of distinct actuals, so a column is encoded once per distinct value; each row's text is then a
sequence of encoded pieces and literal separators, joined and written a block of rows at a time.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.distinct import factorize

_ROWS_PER_WRITE = 50_000


def encoded(codes: np.ndarray, uniques, encode) -> np.ndarray:
    """Each row's text, from its codes into ``uniques`` (code -1: missing, encoded as ``encode(None)``)."""
    values = (uniques.to_numpy() if hasattr(uniques, "to_numpy") else np.asarray(uniques, dtype=object)).tolist()
    texts = np.empty(len(values) + 1, dtype=object)
    texts[:] = [encode(value) for value in values] + [encode(None)]
    return texts[codes]


def column(values, encode) -> np.ndarray:
    """Each value's text, encoded once per distinct value."""
    if not isinstance(values, pd.Series):
        values = np.asarray(values, dtype=object if isinstance(values, list) else None)
    return encoded(*factorize(values), encode)


def write_rows(out, columns: list, order: np.ndarray | None = None) -> None:
    """Write the rows (in ``order``, by default as they are) whose pieces are ``columns``: literal
    texts, and arrays holding one piece per row."""
    count = len(order) if order is not None else max(len(c) for c in columns if not isinstance(c, str))
    for start in range(0, count, _ROWS_PER_WRITE):
        stop = min(start + _ROWS_PER_WRITE, count)
        taken = order[start:stop] if order is not None else slice(start, stop)
        grid = np.empty((stop - start, len(columns)), dtype=object)
        for k, piece in enumerate(columns):
            grid[:, k] = piece if isinstance(piece, str) else piece[taken]
        out.write("".join(grid.ravel().tolist()))

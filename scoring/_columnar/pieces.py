"""Text outputs (JSON, CSV) written from each column's distinct values.

A million scored indicators hold a few hundred distinct names and targets and some tens of thousands
of distinct actuals, so a column is encoded once per distinct value (``Coded``): a table of texts and
each row's code into it. A row's text is a sequence of such pieces and literal texts. A literal is
joined to its neighbour's table, and two small tables into the table of their combinations, so that
each row is assembled from fewer pieces; rows are then joined and written a block at a time, as
UTF-8 bytes where the stream is a UTF-8 file (each distinct text encoded once, not every row's).
"""

from __future__ import annotations

import codecs
import io

import numpy as np
import pandas as pd

from scoring._columnar.distinct import Coded, factorize, objects

_ROWS_PER_WRITE = 2_048          # a block of about a megabyte: it stays in the cache while joined and written


def encoded(codes: np.ndarray, uniques, encode, many=None) -> Coded:
    """Each row's text, from its codes into ``uniques`` (code -1: missing, encoded as ``encode(None)``);
    ``many``, where given, encodes a list of values at once, as ``encode`` would each."""
    values = (uniques.to_numpy() if hasattr(uniques, "to_numpy") else np.asarray(uniques, dtype=object)).tolist()
    table = objects([*(many(values) if many else map(encode, values)), encode(None)])
    return Coded(np.where(codes < 0, len(values), codes), table)


def column(values, encode, many=None) -> Coded:
    """Each value's text, encoded once per distinct value."""
    if not isinstance(values, pd.Series):
        values = np.asarray(values, dtype=object if isinstance(values, list) else None)
    return encoded(*factorize(values), encode, many)


Piece = str | Coded | np.ndarray          # a literal text, coded texts, or one text per row


def joined(pieces: list[Piece]) -> np.ndarray:
    """Each row's text: its pieces concatenated."""
    groups = _fused(pieces)
    count = _rows(pieces)
    return _joined_rows(groups, np.arange(count)) if count else np.empty(0, dtype=object)


def write_rows(out, pieces: list[Piece], order: np.ndarray | None = None) -> None:
    """Write the rows (in ``order``, by default as they are) whose pieces are ``pieces`` to the text
    stream ``out``. The list is emptied once its texts are encoded, so that a caller that keeps no
    other reference to them lets them go before the rows are joined."""
    binary = isinstance(out, io.TextIOWrapper) and codecs.lookup(out.encoding).name == "utf-8"
    errors = "strict" if binary else "surrogatepass"       # as the stream itself would refuse or take a text
    order = np.arange(_rows(pieces)) if order is None else order
    groups = [Coded(group.codes, objects([text.encode("utf-8", errors) for text in group.table.tolist()]))
              for group in _fused(pieces)]
    pieces.clear()
    blocks = (_joined_rows(groups, order[start:start + _ROWS_PER_WRITE], flat=True)
              for start in range(0, len(order), _ROWS_PER_WRITE))
    if binary:
        out.flush()
        for block in blocks:
            out.buffer.write(block)
    else:
        for block in blocks:
            out.write(block.decode("utf-8", "surrogatepass"))


def _rows(pieces: list[Piece]) -> int:
    return max((len(p) for p in pieces if not isinstance(p, str)), default=0)


def _joined_rows(groups: list[Coded], rows: np.ndarray, flat: bool = False):
    """The texts of ``rows`` (with ``flat``, their bytes joined into one block)."""
    if len(groups) == 1 and not flat:
        return groups[0].table[groups[0].codes[rows]]
    columns = [group.table[group.codes[rows]].tolist() for group in groups]
    if flat:
        return b"".join(map(b"".join, zip(*columns)))
    return objects(list(map("".join, zip(*columns))))


def _fused(pieces: list[Piece]) -> list[Coded]:
    """The pieces as coded texts, neighbours joined into one table where one of them is a literal or
    both tables are small (every combination is then written out: no pass over the rows is needed),
    or where the rows hold few of their combinations (those are written out: a name and its target)."""
    count = _rows(pieces)
    groups: list[tuple[np.ndarray | None, np.ndarray]] = []          # codes (None: all 0), table
    for piece in pieces:
        if isinstance(piece, str):
            codes, table = None, objects([piece])
        elif isinstance(piece, Coded):
            codes, table = piece.codes, np.asarray(piece.table, dtype=object)
        else:                       # one text per row, nearly all distinct: not worth hashing
            codes, table = np.arange(len(piece)), np.asarray(piece, dtype=object)
        if groups and (min(len(groups[-1][1]), len(table)) == 1 or len(groups[-1][1]) * len(table) <= _SMALL):
            before, texts = groups[-1]
            if codes is None or before is None:
                codes = before if codes is None else codes
            else:
                codes = before * len(table) + codes
            table = (texts[:, None] + table[None, :]).ravel()
            groups[-1] = (codes, table)
        elif groups and codes is not None and groups[-1][0] is not None and _few(groups[-1][0] * len(table) + codes):
            before, texts = groups[-1]
            codes, pairs = pd.factorize(before * len(table) + codes)
            groups[-1] = (codes, texts[pairs // len(table)] + table[pairs % len(table)])
        else:
            groups.append((codes, table))
    return [Coded(np.zeros(count, dtype=np.int64) if codes is None else codes, table) for codes, table in groups]


_SMALL = 4096          # tables of at most this many combinations are joined


def _few(pairs: np.ndarray) -> bool:
    """Whether the rows hold at most one combination in ``_FEW`` of their number, judged by a sample."""
    sample = pairs[:: max(1, len(pairs) // _SAMPLE)]
    return len(pairs) >= _SAMPLE and len(pd.unique(sample)) * _FEW <= len(sample)


_SAMPLE, _FEW = 4096, 8

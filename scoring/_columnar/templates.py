"""Texts of many rows written once per template: a row's text depends on a few numbers only through
their formatting (a slot each) and on everything else through a few deciding columns, so the text of
each distinct combination is written once, by the readable per-row function, with its numbers left as
marks, and the numbers are formatted once per distinct value and filled in per row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import pandas as pd

from scoring._columnar import distinct


@dataclass(frozen=True)
class Sentences:
    """Every row's sentence as pieces: the row's text is the concatenation of its text in each piece."""

    pieces: tuple[distinct.Coded, ...]

    def texts(self) -> list[str]:
        if not self.pieces:
            return []
        return list(map("".join, zip(*(piece.texts().tolist() for piece in self.pieces))))


def templated(frame: pd.DataFrame, columns: list[str], deciding: list[str], open_numbers: tuple[str, ...],
              write: Callable[[dict], str], escape=None, factorize=None) -> Sentences:
    """Each row's ``write(row)``, where ``row`` holds ``columns`` and the text depends on the numbers
    of ``open_numbers`` only through their formatting, and on the rest only through ``deciding``: the text of
    each distinct combination of ``deciding`` is written once, as a template.

    ``escape`` is applied to the text around the numbers, once per template; ``factorize(column)``
    gives a column's codes and distinct values, for a caller that shares them.
    """
    factorize = factorize or (lambda name: distinct.factorize(frame[name]))
    codes, first = distinct.combinations([factorize(c) for c in deciding], len(frame))
    samples = {c: frame[c].to_numpy()[first].tolist() for c in columns}
    literals, slots, by_hand = [], [], []
    for t in range(len(first)):
        template = _template({c: samples[c][t] for c in columns}, open_numbers, write)
        if template is None:          # the mark occurs in the row's own text: its rows are written one by one
            by_hand.append(t)
            template = ([""], [])
        literals.append(template[0])
        slots.append(template[1])
    width = max((len(s) for s in slots), default=0)
    escaped = escape or (lambda text: text)
    texts = np.empty((len(literals), width + 1), dtype=object)
    texts[:] = ""
    numbers: dict[tuple[str, str], int] = {}
    slot_table = np.full((len(slots), width), -1, dtype=np.int64)      # -1: no number
    for t, (pieces, used) in enumerate(zip(literals, slots)):
        texts[t, :len(pieces)] = [escaped(piece) for piece in pieces]
        for k, name_spec in enumerate(used):
            slot_table[t, k] = numbers.setdefault(name_spec, len(numbers))
    number_codes = np.empty((len(numbers) + 1, len(frame)), dtype=np.int64)
    number_texts: list[str] = []
    for (name, spec), k in numbers.items():
        row_codes, table = _formatted(frame[name].to_numpy(dtype=float), spec)
        number_codes[k] = row_codes + len(number_texts)
        number_texts += table
    number_codes[-1] = len(number_texts)          # no number
    numbers_table = np.array([*number_texts, ""], dtype=object)
    rows = np.arange(len(frame))
    first_codes, first_texts = codes, texts[:, 0]
    if by_hand:
        first_codes, first_texts = codes.copy(), list(first_texts)
        for row in np.flatnonzero(np.isin(codes, by_hand)):
            values = {c: frame[c].to_numpy()[row:row + 1].tolist()[0] for c in columns}
            first_codes[row] = len(first_texts)
            first_texts.append(escaped(write(values)))
        first_texts = np.array(first_texts, dtype=object)
    pieces = [distinct.Coded(first_codes, first_texts)]
    for k in range(width):
        pieces += [distinct.Coded(number_codes[slot_table[codes, k], rows], numbers_table),
                   distinct.Coded(codes, texts[:, k + 1])]
    return Sentences(tuple(pieces))


_MARK = "\x00\x01slot\x01\x00"


class _Slot:
    """A row's number left open in a template: formatting it records the format and leaves a mark."""

    def __init__(self, name: str, used: list) -> None:
        self.name, self.used = name, used

    def __format__(self, spec: str) -> str:
        self.used.append((self.name, spec))
        return _MARK

    def _misused(self, *_) -> None:
        raise TypeError(f"a templated text may only format {self.name!r}: a template leaves it open, "
                        "so the text cannot depend on its value")

    __eq__ = __ne__ = __lt__ = __le__ = __gt__ = __ge__ = __bool__ = __float__ = __int__ = _misused
    __str__ = __repr__ = _misused
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = __rtruediv__ = _misused
    __neg__ = __abs__ = __round__ = _misused
    __hash__ = None


def _template(values: dict, slots: tuple[str, ...], write) -> tuple[list[str], list[tuple[str, str]]] | None:
    """(the text around the numbers, which number goes in each gap and its format); None when the
    row's own text holds the mark."""
    used: list[tuple[str, str]] = []
    text = write({**values, **{name: _Slot(name, used) for name in slots if name in values}})
    literals = text.split(_MARK)
    return (literals, used) if len(literals) == len(used) + 1 else None


def _formatted(values: np.ndarray, spec: str) -> tuple[np.ndarray, list[str]]:
    """Each value's code into the texts of the distinct values, formatted."""
    codes, uniques = distinct.factorize(values, use_na_sentinel=False)
    return codes, [format(u, spec) for u in uniques]

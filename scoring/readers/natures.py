"""A target printed in three cells, 指标性质 | 指标值 | 度量单位 (四川, 云南, 重庆 tables), as the one
target text the engine reads: ``≧ | 100 | %`` → ``≥100%``, ``正向 | 95 | %`` → ``≥95%``, ``定量 | 3 | 次``
→ ``3次``, ``定性 | 优良中低差 |`` → ``优良中低差``. The nature words are data (vocabularies/natures.toml).

A value that carries its own comparator (``≥100``, ``95以上``) keeps it, and must agree with the nature;
the unit is added only to a value that ends in a digit (``≥100%`` with the unit ``%`` stays ``≥100%``).
Every reader composes with ``composed``, which names the place of a cell it cannot use.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Callable

import numpy as np

from scoring import hanzi
from scoring._columnar.distinct import objects
from scoring.errors import InputError

QUANTITATIVE, QUALITATIVE = "quantitative", "qualitative"
_COMPARATORS = ("≥", "≤", "=", ">", "<")
_LAST_DIGIT = re.compile(r"[0-9０-９]$")


@dataclass(frozen=True)
class Natures:
    """The vocabulary: each nature word → a comparator, QUANTITATIVE or QUALITATIVE; the comparator
    words a value may start with, and those it may end with, longest first; the cells meaning no unit."""

    meaning: dict[str, str]
    prefixes: tuple[tuple[str, str], ...]
    suffixes: tuple[tuple[str, str], ...]
    no_unit: frozenset[str]


@cache
def natures() -> Natures:
    """vocabularies/natures.toml, checked: each meaning known, each word given once."""
    text = resources.files("scoring.vocabularies_data").joinpath("natures.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    meaning: dict[str, str] = {}
    for key, words in data["natures"].items():
        if key not in (*_COMPARATORS, QUANTITATIVE, QUALITATIVE):
            raise ValueError(f"natures.toml: unknown meaning {key!r}")
        for word in words:
            if _plain(word) in meaning:
                raise ValueError(f"natures.toml: {word!r} given twice")
            meaning[_plain(word)] = key
    suffixes = [(word, key) for key, words in data["suffixes"].items() for word in words]
    prefixes = [(word, key) for word, key in meaning.items() if key in _COMPARATORS]
    return Natures(meaning, tuple(sorted(prefixes, key=lambda p: -len(p[0]))),
                   tuple(sorted(suffixes, key=lambda p: -len(p[0]))), frozenset(data["no_unit"]["words"]))


def _plain(text: str) -> str:
    """A nature as looked up: without spaces, simplified (大於等於 is 大于等于)."""
    return hanzi.simplified(re.sub(r"\s", "", text))


def accepted() -> str:
    """The nature words, for messages."""
    return "、".join(natures().meaning)


def meaning(nature: str | None) -> str | None:
    """What a nature cell means (a comparator, QUANTITATIVE, QUALITATIVE), None when it is empty."""
    if nature is None or not _plain(nature):
        return None
    found = natures().meaning.get(_plain(nature))
    if found is None:
        raise InputError(f"指标性质「{nature}」无法识别，应为：{accepted()} / unknown nature")
    return found


def own_comparator(value: str) -> tuple[str | None, str, str]:
    """The comparator a value carries (None: none), the value without a comparator word that ends it,
    and that word: (``≥``, ``≥100``, ``""``) for ``≥100``, (``≥``, ``95``, ``以上``) for ``95以上``."""
    vocabulary = natures()
    for word, key in vocabulary.prefixes:
        if value.startswith(word):
            return key, value, ""
    for word, key in vocabulary.suffixes:
        if value.endswith(word) and len(value) > len(word):
            return key, value[: -len(word)], word
    return None, value, ""


def compose(nature: str | None, value: str | None, unit: str | None) -> str | None:
    """The target text of a nature, a value and a unit (each None or blank when the table leaves it
    empty); None when there is no value. Raises InputError (with no place) for an unknown nature or a
    nature that the value's own comparator contradicts."""
    kind = meaning(nature)
    if value is None or not value.strip():
        return None
    value = value.strip()
    unit = (unit or "").strip()
    if unit in natures().no_unit:
        unit = ""
    own, body, tail = own_comparator(value)
    if own is not None and kind in _COMPARATORS and own != kind:
        raise InputError(f"指标性质「{nature}」（{kind}）与指标值「{value}」的比较符（{own}）矛盾 / the nature and "
                         f"the value's comparator disagree")
    if unit and _LAST_DIGIT.search(body):
        body += unit
    prefix = kind if kind in _COMPARATORS and own is None else ""
    return prefix + body + tail


def composed(target: np.ndarray, nature: np.ndarray, unit: np.ndarray, adjusted: np.ndarray,
             place: Callable[[int], tuple[str | None, str | None]]) -> np.ndarray:
    """The target column of a table whose rows may give a nature, a unit and an adjusted target
    (调整指标值, which wins over the initial one when given); ``place(k)`` is (file, where) of row k's
    nature cell, for the error a row's cells raise. Each distinct row is composed once."""
    done: dict[tuple, str | None] = {}
    out = []
    for k, key in enumerate(zip(nature.tolist(), adjusted.tolist(), target.tolist(), unit.tolist())):
        if key not in done:
            given, changed, initial, measure = key
            try:
                done[key] = compose(given, changed if changed is not None else initial, measure)
            except InputError as error:
                raise InputError(error.message, *place(k)) from None
        out.append(done[key])
    return objects(out)

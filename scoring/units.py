"""The one unit registry of the process: our Chinese units (grammar/units.txt) read by pint.

Everything pint stays here. Callers pass unit spellings (``万人份``, ``次/周``, ``%``) and get back
plain values: a :class:`UnitInfo`, an exact :class:`~fractions.Fraction` factor, or an error.
Count classifiers (个, 次, 人, 家 …) all measure a count; converting between two of them works and is
reported as a classifier change, so that the scorer can warn about it.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import cache, lru_cache
from importlib import resources

import pint

from scoring import hanzi
from scoring.errors import UnitMismatchError

# Half-width forms, and the traditional forms of unit characters as tables converted to traditional
# print them (個, 萬元, 小時).
_SYMBOLS = {"％": "%", "／": "/", "＊": "*", "×": "*", "·": "*", "•": "*", "（": "(", "）": ")",
            "㎡": "平方米", "㎞": "公里", "㎏": "千克"}
_SUPERSCRIPTS = (("km²", "平方公里"), ("m²", "平方米"), ("m³", "立方米"))
_PERCENT_FORMS = ("\\%", "百分比", "百分率", "percent")
_CLASSIFIER_GROUP = "classifier"


@dataclass(frozen=True)
class UnitInfo:
    """What a unit spelling means: its base unit and the exact factor to it."""

    spelling: str                    # canonical spelling, e.g. "万人份", "%", "次/周"
    base_unit: str                   # e.g. "个", "", "个 / 秒"
    factor: Fraction                 # 1 spelling = factor × base_unit
    dimension: str                   # e.g. "[count]", "dimensionless", "[count] / [time]"
    classifiers: tuple[str, ...]     # count classifiers used, e.g. ("人份",)


@dataclass(frozen=True)
class Conversion:
    """How to turn a value in one unit into another: ``value * factor``."""

    factor: Fraction
    classifier_change: tuple[tuple[str, ...], tuple[str, ...]] | None   # (from, to) when they differ


@cache
def _spelling() -> dict[int, str]:
    """Full-width symbols and traditional characters (萬元, 個) as the registry spells them."""
    return {**str.maketrans(_SYMBOLS), **hanzi.table()}


@cache
def registry() -> pint.UnitRegistry:
    """The process-wide registry of our units only (exact Fractions, no pint defaults)."""
    with resources.as_file(resources.files("scoring.grammar") / "units.txt") as path:
        ureg = pint.UnitRegistry(str(path), non_int_type=Fraction, cache_folder=None)
    ureg._suffixes = {"": ""}   # no English plurals: "kgs" is not a unit of ours
    return ureg


@lru_cache(maxsize=4096)
def canonical(spelling: str) -> str:
    """The canonical spelling of a unit as written: half-width, ``%`` for every percent form."""
    text = spelling.translate(_spelling()).strip()
    for form in _PERCENT_FORMS:
        text = text.replace(form, "%")
    for written, name in _SUPERSCRIPTS:
        text = text.replace(written, name)
    return re.sub(r"\s+", "", text)


def _pint_expression(spelling: str) -> str:
    # 元/人*月 means 元 per (人·月): everything after the first slash is the denominator.
    head, slash, tail = spelling.partition("/")
    if slash and "*" in tail and not tail.startswith("("):
        tail = f"({tail})"
    return (head + slash + tail).replace("%", "percent").replace("‰", "permille")


@lru_cache(maxsize=4096)
def lookup(spelling: str) -> UnitInfo | None:
    """The meaning of a canonical unit spelling, or None when it is not one of our units."""
    if spelling == "":
        return UnitInfo("", "", Fraction(1), "dimensionless", ())
    if any(ch.isdigit() for ch in spelling):
        return None
    ureg = registry()
    try:
        units = ureg.parse_units(_pint_expression(spelling))
        base = ureg.Quantity(Fraction(1), units).to_base_units()
    except Exception:  # pint raises many kinds here (undefined, syntax, tokenizer errors)
        return None
    group = ureg.get_group(_CLASSIFIER_GROUP).members
    classifiers = tuple(sorted(
        root for name in units._units
        for _prefix, root, _suffix in ureg.parse_unit_name(name)[:1]
        if root in group or root == "个"))
    return UnitInfo(spelling, _format(base.units._units), Fraction(base.magnitude),
                    _format(units.dimensionality) or "dimensionless", classifiers)


def _format(units) -> str:
    parts_up = [n if e == 1 else f"{n}^{e}" for n, e in sorted(units.items()) if e > 0]
    parts_down = [n if e == -1 else f"{n}^{-e}" for n, e in sorted(units.items()) if e < 0]
    text = "*".join(parts_up) or ("1" if parts_down else "")
    return f"{text}/{'/'.join(parts_down)}" if parts_down else text


@lru_cache(maxsize=4096)
def conversion(from_unit: str, to_unit: str) -> Conversion:
    """The exact factor from ``from_unit`` to ``to_unit`` (both known, canonical spellings).

    Raises UnitMismatchError when they measure different things.
    """
    source, target = lookup(from_unit), lookup(to_unit)
    if source is None or target is None:
        raise ValueError(f"unknown unit: {from_unit if source is None else to_unit!r}")
    if source.dimension != target.dimension:
        raise UnitMismatchError(from_unit, to_unit)
    change = None if source.classifiers == target.classifiers else (source.classifiers, target.classifiers)
    return Conversion(source.factor / target.factor, change)


@dataclass(frozen=True)
class Comparison:
    """How an actual written in one unit is set against a target written in another: ``value *
    factor`` is the actual in the target's unit, exactly; ``assumed_unit`` when a side's unit was taken
    from the other; ``classifier_change`` as in :class:`Conversion`."""

    factor: Fraction
    assumed_unit: bool
    classifier_change: tuple[tuple[str, ...], tuple[str, ...]] | None


@lru_cache(maxsize=4096)
def comparison(actual_unit: str, target_unit: str) -> Comparison:
    """The one rule for comparing an actual's unit with its target's (the engine and
    ``Reading.compare_in`` both use it).

    A missing unit on either side is taken from the other; a bare multiplier (``<50万``) is read in
    the other side's unit (50万元 against 42.6万元); a rate per item (``≤2小时/次``) is compared with an
    amount of its unit (90分钟): each of these is ``assumed_unit``. Raises UnitMismatchError when the
    units measure different things.
    """
    actual_as, target_as = with_multiplier(actual_unit, target_unit), with_multiplier(target_unit, actual_unit)
    assumed = (actual_as, target_as) != (actual_unit, target_unit) or bool(actual_unit) != bool(target_unit)
    if not (actual_as and target_as):
        return Comparison(Fraction(1), assumed, None)
    try:
        found = conversion(actual_as, target_as)
    except UnitMismatchError:
        target_item, actual_item = per_item(target_as), per_item(actual_as)
        if target_item and compatible(actual_as, target_item):
            target_as = target_item
        elif actual_item and compatible(actual_item, target_as):
            actual_as = actual_item
        else:
            raise UnitMismatchError(actual_unit, target_unit) from None
        found, assumed = conversion(actual_as, target_as), True
    return Comparison(found.factor, assumed, found.classifier_change)


def compatible(one: str, other: str) -> bool:
    """Whether two known units measure the same thing."""
    first, second = lookup(one), lookup(other)
    return first is not None and second is not None and first.dimension == second.dimension


@lru_cache(maxsize=4096)
def per_item(unit: str) -> str | None:
    """A rate per counted item without its item: 小时/次 → 小时, 元/人 → 元; None for any other unit."""
    head, slash, tail = unit.partition("/")
    if not slash or "/" in tail or lookup(head) is None:
        return None
    item = lookup(tail)
    return head if item is not None and item.dimension == "[count]" else None


@lru_cache(maxsize=4096)
def with_multiplier(unit: str, other: str) -> str:
    """A bare multiplier (万, 亿) read as that multiple of ``other``'s unit: 万 beside 万元 → 万元.

    ``<50万`` in a row of money means 50万元. Any other unit is returned unchanged.
    """
    ureg = registry()
    if not unit or unit not in ureg._prefixes or lookup(other) is None or "/" in other or "*" in other:
        return unit
    readings = ureg.parse_unit_name(_pint_expression(other))
    if not readings:
        return unit
    combined = unit + readings[0][1]
    return combined if lookup(combined) is not None else unit


@lru_cache(maxsize=4096)
def split_known(run: str) -> tuple[str, str]:
    """Split a run of text after a number into (longest known unit at its start, the rest).

    ``次活动`` → (``次``, ``活动``); ``投诉`` → (``""``, ``投诉``).
    """
    spelling = canonical(run)
    if spelling != run.strip():   # the canonical form changes lengths: only whole runs are units
        return (spelling, "") if lookup(spelling) else ("", run)
    for end in range(len(run), 0, -1):
        if lookup(run[:end]) is not None:
            return run[:end], run[end:]
    return "", run


@cache
def known_spellings() -> tuple[str, ...]:
    """Every unit name, symbol and alias defined, plus the 万/亿 forms of money and counts."""
    ureg = registry()
    names = set()
    for name, definition in ureg._units.items():
        names.update({name, definition.name, *(definition.aliases or ())})
        if definition.symbol:
            names.add(definition.symbol)
    names.update({f"万{n}" for n in ("元", "人", "人次", "人份", "个", "次")} | {"亿元", "%", "‰"})
    names.discard("percent")
    names.discard("permille")
    return tuple(sorted(names))


def suggestions(unknown: str, limit: int = 3) -> tuple[str, ...]:
    """Near spellings of an unknown unit, best first."""
    return tuple(difflib.get_close_matches(unknown, known_spellings(), n=limit, cutoff=0.5))

"""Exact numbers from text: thousands separators, full-width digits, Chinese numerals (一, 两万, 九十五)."""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal, InvalidOperation
from fractions import Fraction

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，－＋", "0123456789.,-+")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4,
           "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
NUMERAL_CHARS = frozenset(_DIGITS) | frozenset(_SMALL_UNITS) | frozenset(_BIG_UNITS) | {"点"}


SIGNIFICANT = 15         # digits a number may have: what a float carries exactly through every output
LARGEST = 10.0 ** SIGNIFICANT       # and the size it stays below


def in_range(value: Decimal) -> bool:
    """Whether ``value`` has at most SIGNIFICANT significant digits and is below 10 ** SIGNIFICANT, so
    that it is kept exactly (as written) wherever it goes, floats and JSON included."""
    digits = value.normalize().as_tuple().digits
    return len(digits) <= SIGNIFICANT and (value == 0 or value.adjusted() < SIGNIFICANT)


def to_decimal(text: str) -> Decimal:
    """``1,025,100`` → 1025100, ``９５．００`` → 95.00; the written precision is kept.

    Raises ValueError for anything else.
    """
    cleaned = text.translate(_FULL_WIDTH).replace(",", "").strip()
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None
    if not value.is_finite():
        raise ValueError(f"not a number: {text!r}")
    return value


def chinese_numeral(text: str) -> Decimal | None:
    """``九十五`` → 95, ``两万`` → 20000, ``一百零五`` → 105, ``三点五`` → 3.5, ``二〇二四`` → 2024.

    Returns None when ``text`` is not a well-formed numeral (``万`` alone, ``十十``).
    """
    if not text or any(ch not in NUMERAL_CHARS for ch in text):
        return None
    whole, dot, fraction = text.partition("点")
    if dot:
        if not fraction or any(ch not in _DIGITS for ch in fraction):
            return None
        integer = _integer(whole) if whole else None
        if integer is None:
            return None
        return Decimal(f"{integer}.{''.join(str(_DIGITS[ch]) for ch in fraction)}")
    integer = _integer(whole)
    return None if integer is None else Decimal(integer)


def _integer(text: str) -> int | None:
    if all(ch in _DIGITS for ch in text):
        # Digit by digit (二〇二四); a single digit is the common case.
        return int("".join(str(_DIGITS[ch]) for ch in text)) if text else None
    total, section, digit = 0, 0, None
    last_big, last_small = 10**12, 10_000
    for ch in text:
        if ch in _DIGITS:
            if digit is not None and _DIGITS[ch] != 0 and digit != 0:
                return None
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            unit = _SMALL_UNITS[ch]
            if unit >= last_small:
                return None
            section += (1 if digit is None else digit) * unit
            digit, last_small = None, unit
        else:
            unit = _BIG_UNITS[ch]
            if unit >= last_big:
                return None
            section += digit or 0
            if section == 0:
                return None
            total += section * unit
            section, digit, last_big, last_small = 0, None, unit, 10_000
    return total + section + (digit or 0)


def round_half_up(value: Fraction, places: int) -> Decimal:
    """An exact fraction rounded half-up (away from 0) at ``places`` decimals, exactly, whatever its
    size: 4835/1000 at 2 → 4.84."""
    rounded = math.floor(abs(value) * 10 ** places + Fraction(1, 2))
    return Decimal(f"{'-' if value < 0 else ''}{rounded}E-{places}")           # from text: no context rounding


def year(value) -> int | None:
    """A project's year (2026, "2026", "2026年度", "２０２６", 2026.0 from a spreadsheet) from 1900 to
    2199, or None where it gives none that reads as one."""
    if isinstance(value, str):
        found = _YEAR.fullmatch(unicodedata.normalize("NFKC", value).strip())
        return int(found.group(1)) if found else None
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return int(number) if number.is_integer() and 1900 <= number < 2200 else None


_YEAR = re.compile(r"[(（]?((?:19|20|21)\d\d)\s*(?:年度?)?[)）]?")

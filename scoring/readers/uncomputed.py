"""Formula cells that a workbook saved without a value (a program wrote it and no spreadsheet has
computed it since; Excel and WPS save each formula's value, and a cell with one is read as it). A cell
saved with a type and an empty value has one, empty: Excel saves a formula giving "" as ``t="str"`` and
``<v></v>``, which readers/xlsx.py reads as blank; a program's uncomputed formula has no type.

A formula that only spells a value (=100.00(%), =100%, =是: text beginning with = that a program wrote,
which a spreadsheet would not even accept) is read as that text, as a target is typed. One that
computes (=1+1, =SUM(F7:F9), =HYPERLINK("…","95%")) has no value to read: its cell becomes an
``Uncomputed`` that refuses to be read, naming the sheet and the cell. It is refused only when read,
so a formula in a column the reader passes over (执行率) does no harm.
"""

from __future__ import annotations

import re
from typing import NoReturn

from scoring.errors import InputCode, InputError

_COMPUTES = re.compile(r"""[A-Za-z_][\w.]*\s*\(                       # a function: SUM(, HYPERLINK(
                         | (?<![\w.$])\$?[A-Za-z]{1,3}\$?\d+(?![\w(])    # a cell: F7, $F$7 (not the m2 of 100m2)
                         | [!"]                                         # another sheet's cell, a string
                         | [\d)%]\s*[-+*/^&]\s*[\d(.$A-Za-z]            # arithmetic: 1+1, 95%-5%
                         """, re.X | re.A)
_SHOWN = 60                                                             # characters of a formula in a message


class Uncomputed:
    """The cell of a computing formula saved without its value."""

    __slots__ = ("formula", "file", "where")

    def __init__(self, formula: str, file: str, where: str) -> None:
        self.formula, self.file, self.where = formula, file, where

    def refuse(self) -> NoReturn:
        shown = " ".join(self.formula.split())
        shown = shown if len(shown) <= _SHOWN else shown[:_SHOWN] + "…"
        raise InputError(f"公式「{shown}」在文件中没有计算结果（文件不是由电子表格软件保存的）；请用 Excel 或 WPS "
                         f"打开并保存后再读取 / the formula has no computed value: open and save the file in Excel",
                         self.file, self.where, InputCode.UNCOMPUTED_FORMULA)


def saved_without_value(formula: str, file: str, where: str) -> str | Uncomputed:
    """What a formula cell with no saved value holds: its text, or an Uncomputed if it computes."""
    return Uncomputed(formula, file, where) if _COMPUTES.search(formula[1:]) else formula

"""Funds (分资金): an indicator reported across several funds (中央资金, 省级资金 …, 湖北 and 云南 tables),
each with its money and its actual, in place of one actual → the ``funds`` column of the engine's
frames, a tuple of ``columns.Fund`` per indicator or None. The engine combines them (engine/funds.py).

In targets.json and actuals.json an indicator gives ``funds``, a list of objects ``{"fund", "money",
"actual"}`` (资金名称, 资金金额, 实际完成值), instead of ``actual``: giving both, a fund without its
actual, or money that is not a number of at least 0 is an InputError naming the JSON path.

In a flat table (CSV, Parquet, a DataFrame, a flat xlsx sheet) several rows of one indicator each give
a fund (``fund``, 资金名称) or its money (``fund_money``, 资金金额), and their actual in the actual column
(``fund_groups``): they are one indicator, in the place of its first row, whose other cells they
repeat or leave blank.
"""

from __future__ import annotations

import math
from typing import Any, Callable, Hashable, Mapping, Sequence

import numpy as np

from scoring.columns import Fund
from scoring.errors import InputCode, InputError
from scoring.readers.jsonvalues import Given, canonical, json_path, number, text

FUND = "fund"                # columns.LEVELS


def funds_column(given: Given, actual: np.ndarray) -> np.ndarray:
    """Each indicator object's funds (None where it gives none); ``actual`` is the column of their
    actuals, which a funds list replaces."""
    funds = np.full(len(given.items), None, dtype=object)
    if "funds" not in given.present:
        return funds
    for k, item in enumerate(given.items):
        raw = item.get("funds")
        if raw is None:
            continue
        path = json_path(given.where(k, "funds"))
        if actual[k] is not None:
            raise InputError("同时给出了实际完成值 actual 和分资金 funds，只能给出其一 / both actual and funds",
                             given.file, path)
        funds[k] = read_funds(raw, given.file, path)
    return funds


def read_funds(raw: Any, file: str, path: str) -> tuple[Fund, ...]:
    """A ``funds`` list: at least one fund, each an object with its actual, and money when given that
    is a finite number of at least 0."""
    if not isinstance(raw, list) or not raw:
        raise InputError("应为至少一项资金的数组，如 [{\"fund\": \"中央资金\", \"money\": 120.5, \"actual\": \"95%\"}]"
                         " / expected an array of funds", file, path)
    funds = []
    for index, item in enumerate(raw):
        where = f"{path}[{index}]"
        fund = canonical(item, FUND, file, where)
        name = text(fund.get("fund"), file, f"{where}.fund")
        if text(fund.get("actual"), file, f"{where}.actual") is None:
            raise InputError("资金缺少实际完成值 actual / a fund needs its actual", file, f"{where}.actual")
        funds.append(Fund(name, money(fund.get("money"), file, f"{where}.money"),
                          text(fund["actual"], file, f"{where}.actual")))
    return tuple(funds)


def money(value: Any, file: str, path: str) -> float | None:
    """A fund's money: None when not given, else a finite number of at least 0."""
    amount = number(value, file, path)
    if math.isnan(amount):
        return None
    if amount < 0:
        raise InputError(f"资金金额应为不小于 0 的数，而不是 {value} / expected money of at least 0", file, path, code=InputCode.OUT_OF_RANGE)
    return amount + 0.0             # -0.0 as 0.0


def fund_groups(keys: Sequence[Hashable], fund: Sequence[str | None], money: Sequence[float | None],
                actual: Sequence[str | None], cells: Mapping[str, Sequence], place: Callable[[int], str],
                file: str) -> dict[int, tuple[tuple[Fund, ...], list[int]]]:
    """The fund rows of a flat table merged by indicator: each indicator's first row → its funds and
    its rows (the first among them), in table order.

    ``keys`` names each row's indicator (its project, and its id or its names); a row is a fund's when
    it gives a ``fund`` or its ``money`` (None: blank). ``cells`` are the other cells (by their name for
    messages), which the later rows of an indicator repeat or leave blank; ``place(k)`` says where row
    k is (第 3 行). A fund without its actual, negative money, a later row whose cell differs, and a row
    without a fund among the rows of an indicator with funds are InputErrors naming the row.
    """
    rows: dict[Hashable, list[int]] = {}
    for k, (name, amount) in enumerate(zip(fund, money)):
        if name is not None or amount is not None:
            rows.setdefault(keys[k], []).append(k)
    if not rows:
        return {}
    for k, key in enumerate(keys):
        if key in rows and fund[k] is None and money[k] is None:
            raise InputError(f"{place(k)}与{place(rows[key][0])}是同一指标，却没有资金名称或资金金额（同一指标的各行"
                             "应各是一项资金） / a row of an indicator with funds names no fund", file)
    groups = {}
    for members in rows.values():
        first = members[0]
        for k in members:
            if actual[k] is None:
                raise InputError(f"{place(k)}的资金缺少实际完成值 / a fund needs its actual", file)
            if money[k] is not None and money[k] < 0:
                raise InputError(f"{place(k)}的资金金额应为不小于 0 的数，而不是 {money[k]:g} / expected money of "
                                 "at least 0", file, code=InputCode.OUT_OF_RANGE)
            for name, values in cells.items():
                if k != first and not _blank(values[k]) and values[k] != values[first]:
                    raise InputError(f"{place(k)}的{name}「{_shown(values[k])}」与同一指标{place(first)}的「{_shown(values[first])}」"
                                     "不同（同一指标的各行应重复第一行或留空） / the rows of one indicator differ", file)
        funds = tuple(Fund(fund[k], None if money[k] is None else money[k] + 0.0, actual[k]) for k in members)
        groups[first] = (funds, members)
    return groups


def _blank(value) -> bool:
    return value is None or value == "" or (isinstance(value, float) and math.isnan(value))


def _shown(value) -> str:
    return "空" if _blank(value) else f"{value:g}" if isinstance(value, float) else str(value)

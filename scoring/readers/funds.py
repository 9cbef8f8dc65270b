"""Funds (分资金): an indicator reported across several funds (中央资金, 省级资金 …, 湖北 and 云南 tables),
each with its money and its actual, in place of one actual → the ``funds`` column of the engine's
frames, a tuple of ``columns.Fund`` per indicator or None. The engine combines them (engine/funds.py).

In targets.json and actuals.json an indicator gives ``funds``, a list of objects ``{"fund", "money",
"actual"}`` (资金名称, 资金金额, 实际完成值), instead of ``actual``: giving both, a fund without its
actual, or money that is not a number of at least 0 is an InputError naming the JSON path.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from scoring.columns import Fund
from scoring.errors import InputError
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
        raise InputError(f"资金金额应为不小于 0 的数，而不是 {value} / expected money of at least 0", file, path)
    return amount + 0.0             # -0.0 as 0.0

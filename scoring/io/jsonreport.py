"""The JSON report (``score --format json``, docs/outputs.md), written from the scored frames.

Indicator objects are not built one by one: each column's distinct values are encoded once (a table
of a million indicators holds a few hundred names and targets, some tens of thousands of actuals),
every row's object is then a sequence of those encoded pieces, and the pieces are joined and written
a block of projects at a time. Explanations come as templates with their numbers filled in per row
(scoring/explanations.py), escaped for JSON once per template.
"""

from __future__ import annotations

import json
import math
from functools import partial

import numpy as np
import pandas as pd

from scoring.explanations import explanations

_dumps = partial(json.dumps, ensure_ascii=False)
_ROWS_PER_WRITE = 50_000


def write_json(report, out) -> None:
    """Write ``report`` as JSON to the text stream ``out``, never holding the whole text in memory."""
    out.write('{"ruleset": ' + _dumps(report.ruleset_json()) + ', "projects": [')
    rows, projects = report.indicators, report.projects
    columns = _indicator_columns(report)
    heads, tails = _project_texts(report)
    # Projects in their order, each with its rows in table order; a project without rows gets one
    # empty row, so that every project has a first row (which opens it) and a last (which closes it).
    position = pd.Index(projects["project"]).get_indexer(rows["project"])
    empty = np.flatnonzero(np.bincount(position, minlength=len(projects)) == 0)
    position = np.concatenate([position, empty])
    order = np.argsort(position, kind="stable")
    owner = position[order]
    first = np.r_[True, owner[1:] != owner[:-1]]
    last = np.r_[owner[1:] != owner[:-1], True]
    phantom = order >= len(rows)
    lead, trail = np.full(len(order), ", ", dtype=object), np.full(len(order), "", dtype=object)
    lead[first] = np.where(owner[first] > 0, ", ", "") + heads[owner[first]]
    lead[phantom] += tails[owner[phantom]]
    trail[last & ~phantom] = tails[owner[last & ~phantom]]
    for start in range(0, len(order), _ROWS_PER_WRITE):
        block = slice(start, start + _ROWS_PER_WRITE)
        out.write("".join(_block(columns, order[block], len(rows), lead[block], trail[block]).ravel().tolist()))
    out.write("]}\n")


def _block(columns: list, rows: np.ndarray, n: int, lead: np.ndarray, trail: np.ndarray) -> np.ndarray:
    """The pieces of some rows' JSON, one row of pieces per indicator (an empty one for a project
    without indicators)."""
    real = rows < n
    taken = np.where(real, rows, 0)
    grid = np.empty((len(rows), len(columns) + 2), dtype=object)
    grid[:, 0], grid[:, -1] = lead, trail
    for k, column in enumerate(columns, 1):
        grid[:, k] = column if isinstance(column, str) else column[taken]
    if not real.all():
        grid[~real, 1:-1] = ""
    return grid


def _indicator_columns(report) -> list:
    """The pieces of every indicator's JSON object, in the order of the contract: literal texts, and
    arrays with one encoded value per row."""
    rows = report.indicators
    factorized = _Factorized(rows)
    status = rows["status"].to_numpy(dtype=object)
    points = np.where(status == "scored", rows["score"].to_numpy(dtype=float),
                      np.where(status == "not_applicable", math.nan, 0.0))
    sentences = explanations(rows, report.ruleset, escape=lambda text: _dumps(text)[1:-1],
                             factorize=factorized).pieces
    fields = [("id", None), ("level1", None), ("level2", None), ("name", None), ("target", None),
              ("actual", None), ("reason", _text), ("weight", float), ("score", points),
              ("computed_score", float), ("status", None), ("method", None), ("tier", _text)]
    columns = []
    for key, how in fields:
        columns.append(f', "{key}": ' if columns else '{"id": ')
        columns.append(_encoded(*pd.factorize(how, use_na_sentinel=False)) if isinstance(how, np.ndarray)
                       else _encoded(*factorized(key), how))
    return columns + [', "explanation": "', *sentences, '", "flags": ', _encoded(*factorized("flags"), list),
                      ', "issues": ', _encoded(*factorized("issues"), _issues), "}"]


class _Factorized:
    """Each column's codes and distinct values, computed once (the explanations use them too)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame, self.done = frame, {}

    def __call__(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        if name not in self.done:
            self.done[name] = pd.factorize(self.frame[name].to_numpy(), use_na_sentinel=False)
        return self.done[name]


def _encoded(codes: np.ndarray, uniques, convert=None) -> np.ndarray:
    """Each row's JSON text, encoded once per distinct value; a missing value (None, NaN) is null."""
    texts = ["null" if u is None or (isinstance(u, float) and u != u) else _dumps(convert(u) if convert else u)
             for u in (uniques.tolist() if isinstance(uniques, np.ndarray) else list(uniques))]
    return np.array(texts, dtype=object)[codes]


def _column(values, convert=None) -> np.ndarray:
    return _encoded(*pd.factorize(np.asarray(values), use_na_sentinel=False), convert)


def _text(value):
    return value if isinstance(value, str) else None


def _issues(issues) -> list[dict]:
    return [{"code": code, "message": message} for code, message in issues]


def _project_texts(report) -> tuple[np.ndarray, np.ndarray]:
    """Per project, its JSON before its indicators (up to ``"indicators": [``) and after them."""
    p = report.projects
    explained = [_budget_explanation(*values) for values in zip(
        *(p[c].to_numpy(dtype=float) for c in ("budget_rate", "budget_executed", "budget_denominator",
                                               "budget_weight", "budget_score")))]
    budget = _objects([
        ("initial", _column(p["budget_initial"], float)), ("adjusted", _column(p["budget_adjusted"], float)),
        ("executed", _column(p["budget_executed"], float)), ("unit", _column(p["budget_unit"])),
        ("rate", _column(p["budget_rate"], lambda rate: round(rate, 6))),
        ("weight", _column(p["budget_weight"], _money)), ("score", _column(p["budget_score"], _money)),
        ("explanation", _column(explained)),
    ])
    heads = _objects([
        ("id", _column(p["id"])), ("name", _column(p["name"])), ("total", _column(p["total"], _money)),
        ("max", "100.0"), ("grade", _column(p["grade"])), ("points", _column(p["points"], _money)),
        ("points_max", _column(p["points_max"], _money)), ("budget", budget),
        ("levels", "[" + _levels(report.indicators, p["project"]) + "]"),
    ], close=', "indicators": [')
    return heads, '], "issues": ' + _column(p["issues"], _issues) + "}"


def _levels(rows: pd.DataFrame, projects: pd.Series) -> np.ndarray:
    """Per project, its 一级指标 in table order with their 二级指标, weights and points added (the JSON
    list's items)."""
    first = rows.groupby(["project", "level1"], sort=False)[["weight", "score"]].sum().reset_index()
    second = rows.groupby(["project", "level1", "level2"], sort=False)[["weight", "score"]].sum().reset_index()
    level2 = _objects([("level2", _column(second["level2"])), ("weight", _column(second["weight"], _money)),
                       ("score", _column(second["score"], _money))])
    owner = pd.MultiIndex.from_frame(first[["project", "level1"]]).get_indexer(
        pd.MultiIndex.from_frame(second[["project", "level1"]]))
    level1 = _objects([("level1", _column(first["level1"])), ("weight", _column(first["weight"], _money)),
                       ("score", _column(first["score"], _money)),
                       ("level2", "[" + _joined(level2, owner, len(first)) + "]")])
    return _joined(level1, pd.Index(projects).get_indexer(first["project"]), len(projects))


def _objects(fields: list[tuple[str, np.ndarray | str]], close: str = "}") -> np.ndarray:
    """Each row's JSON object from its fields' encoded values."""
    pieces = []
    for key, values in fields:
        pieces += [(", " if pieces else "{") + f'"{key}": ', values]
    length = max((len(v) for _, v in fields if not isinstance(v, str)), default=0)
    grid = np.empty((length, len(pieces) + 1), dtype=object)
    for k, piece in enumerate(pieces):
        grid[:, k] = piece
    grid[:, -1] = close
    return np.array(list(map("".join, grid.tolist())), dtype=object)


def _joined(texts: np.ndarray, owner: np.ndarray, count: int) -> np.ndarray:
    """Per owner 0…count-1, its texts in order joined by ", "."""
    order = np.argsort(owner, kind="stable")
    bounds = np.searchsorted(owner[order], np.arange(count + 1))
    ordered = texts[order].tolist()
    return np.array([", ".join(ordered[a:b]) for a, b in zip(bounds[:-1], bounds[1:])], dtype=object)


def _budget_explanation(rate: float, executed: float, denominator: float, weight: float, points: float) -> str:
    if math.isnan(rate):
        return "缺少全年执行数或预算数：0 分"
    capped = "（超过 100% 按 100% 计）" if rate > 1 else ""
    return (f"执行率 {executed:,.2f} / {denominator:,.2f} = {rate * 100:.2f}%{capped}："
            f"{weight:g} × {min(rate, 1) * 100:.2f}% = {points:.2f} 分")


def _money(value: float) -> float:
    return round(float(value), 2)

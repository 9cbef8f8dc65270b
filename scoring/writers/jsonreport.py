"""The JSON report (``score --format json``, docs/outputs.md), written from the scored frames.

Indicator objects are not built one by one: each column's distinct values are encoded once and rows
are joined from the pieces (scoring/_columnar/pieces.py). Explanations come as templates with their numbers
filled in per row (scoring/explanations.py), escaped for JSON once per template.
"""

from __future__ import annotations

import json
import math
from functools import partial
from json.encoder import encode_basestring

import numpy as np
import pandas as pd

from scoring._columnar.distinct import factorize
from scoring.explanations import explanations
from scoring._columnar.pieces import Piece, column, encoded, joined, write_rows

_dumps = partial(json.dumps, ensure_ascii=False)


def write_json(report, out) -> None:
    """Write ``report`` as JSON to the text stream ``out``, never holding the whole text in memory."""
    out.write('{"ruleset": ' + _dumps(report.ruleset_json()) + ', "projects": [')
    rows, projects = report.indicators, report.projects
    factorized = _Factorized(rows)
    heads, tails = _project_texts(report, factorized)
    opening = np.where(np.arange(len(projects)) > 0, ", ", "") + heads      # ", " between projects
    # Each project's rows in table order: its first row opens the project, its last closes it, and
    # a project without rows is written whole after the one before it.
    position = pd.Index(projects["project"]).get_indexer(rows["project"])
    order = np.argsort(position, kind="stable")
    owner = position[order]
    first, last = np.ones(len(owner), dtype=bool), np.ones(len(owner), dtype=bool)
    first[1:] = last[:-1] = owner[1:] != owner[:-1]
    lead, trail = np.full(len(rows), ", ", dtype=object), np.full(len(rows), "", dtype=object)
    lead[order[first]] = opening[owner[first]]
    trail[order[last]] = tails[owner[last]]
    prefix = ""
    empty = np.flatnonzero(np.bincount(position, minlength=len(projects)) == 0)
    for p, before in zip(empty, np.searchsorted(owner, empty) - 1):      # the last row of an earlier project
        if before >= 0:
            trail[order[before]] += opening[p] + tails[p]
        else:
            prefix += opening[p] + tails[p]
    out.write(prefix)
    write_rows(out, [lead, *_indicator_columns(report, factorized), trail], order)
    out.write("]}\n")


def _indicator_columns(report, factorized) -> list:
    """The pieces of every indicator's JSON object, in the order of the contract: literal texts, and
    arrays with one encoded value per row."""
    rows = report.indicators
    status = rows["status"].to_numpy(dtype=object)
    points = np.where(status == "scored", rows["score"].to_numpy(dtype=float),
                      np.where(status == "not_applicable", math.nan, 0.0))
    sentences = explanations(rows, report.ruleset, escape=lambda text: encode_basestring(text)[1:-1],
                             factorize=factorized).pieces
    fields = [("id", _json), ("level1", _json), ("level2", _json), ("name", _json), ("target", _json),
              ("actual", _json), ("reason", _text), ("weight", _json), ("score", points),
              ("computed_score", _json), ("status", _json), ("method", _json), ("tier", _text)]
    columns = []
    for key, how in fields:
        columns.append(f', "{key}": ' if columns else '{"id": ')
        columns.append(column(how, _json) if isinstance(how, np.ndarray) else encoded(*factorized(key), how))
    return columns + [', "explanation": "', *sentences, '", "flags": ', encoded(*factorized("flags"), _list),
                      ', "issues": ', encoded(*factorized("issues"), _issues), "}"]


class _Factorized:
    """Each column's codes and distinct values, computed once (the explanations use them too)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame, self.done = frame, {}

    def __call__(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        if name not in self.done:
            self.done[name] = factorize(self.frame[name])
        return self.done[name]


def _json(value) -> str:
    """A value's JSON text, as json.dumps writes it; a missing value (None, NaN) is null."""
    if value is None:
        return "null"
    if value.__class__ is str:
        return encode_basestring(value)
    if isinstance(value, float):
        return "null" if value != value else (_dumps(value) if abs(value) == math.inf else float.__repr__(value))
    return _dumps(value)


def _text(value) -> str:
    return _json(value if isinstance(value, str) else None)


def _list(flags) -> str:
    return _json(None if flags is None else list(flags))


def _issues(issues) -> str:
    return _json(None if issues is None else [{"code": code, "message": message} for code, message in issues])


def _money(value) -> str:
    return _json(value if value is None else round(float(value), 2))


def _project_texts(report, factorized) -> tuple[np.ndarray, np.ndarray]:
    """Per project, its JSON before its indicators (up to ``"indicators": [``) and after them."""
    p = report.projects
    explained = [_budget_explanation(*values) for values in zip(
        *(p[c].to_numpy(dtype=float) for c in ("budget_rate", "budget_executed", "budget_denominator",
                                               "budget_weight", "budget_score")))]
    budget = _json_objects([
        ("initial", column(p["budget_initial"], _json)), ("adjusted", column(p["budget_adjusted"], _json)),
        ("executed", column(p["budget_executed"], _json)), ("unit", column(p["budget_unit"], _json)),
        ("rate", column(p["budget_rate"], lambda rate: _json(rate if rate is None else round(rate, 6)))),
        ("weight", column(p["budget_weight"], _money)), ("score", column(p["budget_score"], _money)),
        ("explanation", column(explained, _json)),
    ])
    heads = _json_objects([
        ("id", column(p["id"], _json)), ("name", column(p["name"], _json)), ("total", column(p["total"], _money)),
        ("max", "100.0"), ("grade", column(p["grade"], _json)), ("points", column(p["points"], _money)),
        ("points_max", column(p["points_max"], _money)), ("budget", budget),
        ("levels", "[" + _levels(report.indicators, p["project"], factorized) + "]"),
    ], close=', "indicators": [')
    return heads, joined(['], "issues": ', column(p["issues"], _issues), "}"])


def _levels(rows: pd.DataFrame, projects: pd.Series, factorized) -> np.ndarray:
    """Per project, its 一级指标 in table order with their 二级指标, weights and points added (the JSON
    list's items)."""
    level1, level1_names = factorized("level1")
    level2, level2_names = factorized("level2")
    project = pd.Index(projects).get_indexer(rows["project"])
    first, first_rows = _groups(project * (len(level1_names) + 1) + level1 + 1)
    second, second_rows = _groups((project * (len(level1_names) + 1) + level1 + 1) * (len(level2_names) + 1)
                                  + level2 + 1)
    weight, points = rows["weight"].to_numpy(dtype=float), rows["score"].to_numpy(dtype=float)
    level2_texts = _json_objects([
        ("level2", encoded(level2[second_rows], level2_names, _json)),
        ("weight", column(np.bincount(second, weight), _money)),
        ("score", column(np.bincount(second, points), _money))])
    level1_texts = _json_objects([
        ("level1", encoded(level1[first_rows], level1_names, _json)),
        ("weight", column(np.bincount(first, weight), _money)),
        ("score", column(np.bincount(first, points), _money)),
        ("level2", "[" + _joined(level2_texts, first[second_rows], len(first_rows)) + "]")])
    return _joined(level1_texts, project[first_rows], len(projects))


def _groups(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's group (numbered in order of first appearance) and each group's first row."""
    codes, _ = pd.factorize(keys)
    return codes, np.unique(codes, return_index=True)[1]


def _json_objects(fields: list[tuple[str, Piece]], close: str = "}") -> np.ndarray:
    """Each row's JSON object from its fields' encoded values."""
    pieces = []
    for key, values in fields:
        pieces += [(", " if pieces else "{") + f'"{key}": ', values]
    return joined([*pieces, close])


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


"""The JSON report (``score --format json``, docs/outputs.md), written from a report's scored frames.

Indicator objects are not built one by one: each column's distinct values are encoded once and rows
are joined from the pieces (scoring/_columnar/pieces.py). Explanations come as templates with their
numbers filled in per row, escaped for JSON once per template. ``ScoreReport.to_json`` builds the same
data row by row, and the tests hold the two to each other.
"""

from __future__ import annotations

import json
import math
from functools import partial
from json.encoder import encode_basestring

import numpy as np
import pandas as pd

from scoring._columnar.bulk import bulk
from scoring._columnar.distinct import Coded, factorize, objects
from scoring._columnar.pieces import Piece, column, encoded, joined, write_rows
from scoring.report import ScoreReport

_dumps = partial(json.dumps, ensure_ascii=False)


@bulk
def write_json(report: ScoreReport, out) -> None:
    """Write ``report`` as JSON to the text stream ``out``, never holding the whole text in memory."""
    out.write('{"ruleset": ' + _dumps(report.ruleset_json()) + ', "projects": [')
    rows, projects = report._indicators, report._projects
    factorized = _Factorized(rows)
    heads, tails = _project_texts(report)
    # Each project's rows in table order: its first row opens the project (", " between projects), its
    # last closes it, and a project without rows is written whole after the one before it.
    position = pd.Index(projects["project"]).get_indexer(rows["project"])
    order = np.argsort(position, kind="stable")
    owner = position[order]
    first, last = np.ones(len(owner), dtype=bool), np.ones(len(owner), dtype=bool)
    first[1:] = last[:-1] = owner[1:] != owner[:-1]
    separator, head, trail = (np.zeros(len(rows), dtype=np.int64) for _ in range(3))
    if len(rows) and owner[0] == 0:
        separator[order[0]] = 1                       # the first project opens the list
    head[order[first]] = owner[first] + 1
    trail[order[last]] = owner[last] + 1
    trail_texts, prefix = ["", *tails.tolist()], ""
    empty = np.flatnonzero(np.bincount(position, minlength=len(projects)) == 0)
    for p, before in zip(empty, np.searchsorted(owner, empty) - 1):      # the last row of an earlier project
        whole = (", " if p > 0 else "") + heads[p] + tails[p]
        if before >= 0:
            trail_texts.append(trail_texts[trail[order[before]]] + whole)
            trail[order[before]] = len(trail_texts) - 1
        else:
            prefix += whole
    out.write(prefix)
    pieces = [Coded(separator, objects([", ", ""])), Coded(head, objects(["", *heads.tolist()])),
              *_indicator_columns(report, factorized), Coded(trail, objects(trail_texts))]
    del heads, tails, trail_texts, factorized
    write_rows(out, pieces, order)              # it lets the texts go once they are encoded
    out.write("]}\n")


def _indicator_columns(report, factorized) -> list:
    """The pieces of every indicator's JSON object, in the order of the contract: literal texts, and
    arrays with one encoded value per row."""
    rows = report._indicators
    status = rows["status"].to_numpy(dtype=object)
    points = np.where(status == "scored", rows["score"].to_numpy(dtype=float),
                      np.where(status == "not_applicable", math.nan, 0.0))
    sentences = report.sentences(escape=lambda text: encode_basestring(text)[1:-1], factorize=factorized).pieces
    fields = [("id", _json), ("level1", _json), ("level2", _json), ("name", _json), ("target", _json),
              ("actual", _json), ("reason", _text), ("weight", _json), ("score", points),
              ("computed_score", _json), ("status", _json), ("method", _json), ("tier", _text)]
    columns = []
    for key, how in fields:
        columns.append(f', "{key}": ' if columns else '{"id": ')
        columns.append(_column(how) if isinstance(how, np.ndarray)
                       else encoded(*factorized(key), how, _jsons if how is _json else None))
        if key == "actual" and "funds" in rows:
            columns.append(encoded(*factorized("funds"), _funds))          # only where given
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


def _column(values) -> Coded:
    """Each value's JSON text, encoded once per distinct value."""
    return column(values, _json, _jsons)


def _jsons(values: list) -> list:
    """``_json`` of each value; a list of strings, or of finite floats, without a call per value."""
    kinds = set(map(type, values))
    if kinds == {str}:
        return list(map(encode_basestring, values))
    if kinds == {float} and np.isfinite(values).all():
        return list(map(float.__repr__, values))
    return list(map(_json, values))


def _text(value) -> str:
    return _json(value if isinstance(value, str) else None)


def _list(flags) -> str:
    return _json(None if flags is None else list(flags))


def _issues(issues) -> str:
    return _json(None if issues is None else [issue.as_dict() for issue in issues])


def _funds(funds) -> str:
    """``, "funds": [...]`` of a row with funds; nothing for a row without."""
    if funds is None:
        return ""
    return ', "funds": ' + _json([fund._asdict() for fund in funds])


def _rate(value) -> str:
    return _json(value if value is None else round(value, 6))


def _money(value) -> str:
    return _json(value if value is None else round(float(value), 2))


def _project_texts(report: ScoreReport) -> tuple[np.ndarray, np.ndarray]:
    """Per project, its JSON before its indicators (up to ``"indicators": [``) and after them."""
    p, b = report._projects, report.budget()
    budget = _json_objects([
        ("initial", _column(b["initial"])), ("adjusted", _column(b["adjusted"])),
        ("executed", _column(b["executed"])), ("unit", _column(b["unit"])),
        ("rate", column(b["rate"], _rate, lambda rates: _jsons([round(rate, 6) for rate in rates]))),
        ("weight", column(b["weight"], _money)), ("score", column(b["score"], _money)),
        ("explanation", _column(b["explanation"])),
    ])
    heads = _json_objects([
        ("id", _column(p["id"])), ("name", _column(p["name"])), ("total", column(p["total"], _money)),
        ("max", "100.0"), ("grade", _column(p["grade"])), ("points", column(p["points"], _money)),
        ("points_max", column(p["points_max"], _money)), ("budget", budget),
        ("levels", "[" + _levels(*report._levels, len(p)) + "]"),
    ], close=', "indicators": [')
    return heads, joined(['], "issues": ', column(p["issues"], _issues), "}"])


def _levels(one: pd.DataFrame, two: pd.DataFrame, projects: int) -> np.ndarray:
    """Per project, its 一级指标 in table order with their 二级指标, weights and points (the JSON
    list's items)."""
    level2_texts = _json_objects([("level2", _column(two["level2"])),
                                  ("weight", column(two["weight"], _money)), ("score", column(two["score"], _money))])
    level1_texts = _json_objects([
        ("level1", _column(one["level1"])), ("weight", column(one["weight"], _money)),
        ("score", column(one["score"], _money)),
        ("level2", "[" + _joined(level2_texts, two["parent"].to_numpy(), len(one)) + "]")])
    return _joined(level1_texts, one["project"].to_numpy(), projects)


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

"""actuals.json matched to targets.json: a project by ``id``, else by ``name``; an indicator by ``id``,
else by (``level1``, ``level2``, ``name``). What the actuals file gives replaces the targets' (an
``actual`` or ``funds`` given there replaces both of the targets'); its budget figures are converted
to the targets' budget unit."""

from __future__ import annotations

import difflib
import math
from functools import lru_cache, partial
from typing import Any

import numpy as np
import pandas as pd

from scoring import units
from scoring.columns import BUDGET_AMOUNTS, GOALS
from scoring.errors import InputCode, InputError
from scoring.readers.funds import funds_column
from scoring.readers.jsonarrow import Table, Unusual, read_table
from scoring.readers.jsonvalues import (BUDGET, PROJECT, Chunks, Given, Items, canonical, concatenated, item_columns,
                                         json_path, number, projects_of, text)


_ACTUAL_FIELDS = (("actual", "actual", "text", False), ("reason", "reason", "text", False),
                  ("evaluator_score", "score", "points", False))
_ACTUAL_KINDS = {"id": "text", **{key: kind for _, key, kind, _ in _ACTUAL_FIELDS}}


def match_actuals(actuals: tuple[Any, str], projects: pd.DataFrame, indicators: pd.DataFrame) -> None:
    """Fill the frames with what actuals.json gives; a document of the usual shape is read in columns
    (readers/jsonarrow.py), any other project by project. The frames are changed only once all is read."""
    data, file = actuals
    rows = _Rows(indicators)
    try:
        merged = _table_actuals(read_table(data, file, _ACTUAL_KINDS), projects, indicators, rows)
    except (Unusual, InputError):            # read the general way, which raises the first problem there is
        merged = _project_actuals(data, file, projects, rows)
    _merge(projects, indicators, *merged)


def _project_actuals(data: Any, file: str, projects: pd.DataFrame, rows: _Rows) -> tuple:
    """The actuals of a document read project by project (see ``_merge``)."""
    _, actual_projects = projects_of(data, file)
    by_id = {pid: i for i, pid in enumerate(projects["id"]) if pid is not None}
    by_name: dict[str, list[int]] = {}
    for i, name in enumerate(projects["name"]):
        by_name.setdefault(name, []).append(i)
    filled: dict[int, str] = {}
    budgets, goals = _budgets(projects), _goals(projects)
    matched: list[int] = []        # a project's actuals are read in one chunk: no row is answered from two
    chunks = Chunks(file, partial(_actual_columns, matched, rows))
    try:
        for p_path, raw in actual_projects:
            project = canonical(raw, PROJECT, file, p_path)
            pid = text(project.get("id"), file, f"{p_path}.id")
            name = text(project.get("name"), file, f"{p_path}.name")
            if pid is None and name is None:
                raise InputError("项目缺少 id 和 name / a project needs an id or a name", file, p_path)
            index = _match_project(pid, name, by_id, by_name, file, p_path)
            if index in filled:
                raise InputError(f"与 {filled[index]} 匹配同一个项目 / two actual projects match one project",
                                 file, p_path, code=InputCode.DUPLICATE)
            filled[index] = p_path
            budget = canonical(project.get("budget") or {}, BUDGET, file, f"{p_path}.budget")
            _merge_budget(budgets, index, budget, file, f"{p_path}.budget")
            for key in GOALS:                    # the actuals' 实际完成情况 (or goal) replaces the targets'
                given = text(project.get(key), file, f"{p_path}.{key}")
                if given is not None:
                    goals[key][index] = given
            project_items = project.get("indicators") or []
            if not isinstance(project_items, list):
                raise InputError("应有指标数组 indicators / expected an array", file, f"{p_path}.indicators")
            matched.append(index)
            chunks.add(p_path, project_items)
    except InputError:
        chunks.failed()
        raise
    parts = [part for _, part in chunks.finish()]
    answered = np.concatenate([part[0] for part in parts])
    columns, given = concatenated([part[1] for part in parts]), concatenated([part[2] for part in parts])
    return list(filled), budgets, goals, answered, columns, given


def _table_actuals(table: Table, projects: pd.DataFrame, indicators: pd.DataFrame, rows: _Rows) -> tuple:
    """The actuals of a document read in columns (see ``_merge``): each project matched by its id,
    each indicator by its id; anything else raises ``Unusual``, for the general reader."""
    read, n = table.projects, len(table.counts)
    target_ids = projects["id"].to_numpy(dtype=object)
    known = np.flatnonzero(np.not_equal(target_ids, None))
    ids = read.get("id", np.full(n, None, dtype=object))
    found = pd.Index(target_ids[known], dtype=object).get_indexer(ids)
    if (found < 0).any() or len(np.unique(found)) < n:
        raise Unusual                              # matched by name, not found, or matched twice
    index = known[found]
    budgets, goals = _budgets(projects), _goals(projects)
    if "budget" in read:
        had = np.flatnonzero(read["budget"])
        target_units = budgets["budget_unit"][index[had]]
        units = read.get("budget.unit", np.full(n, None, dtype=object))[had]
        units = np.where(np.equal(units, None), target_units, units)
        factors = np.array([_budget_factor(*pair) for pair in zip(units.tolist(), target_units.tolist())], dtype=object)
        if np.equal(factors, None).any():
            raise Unusual
        for key in BUDGET_AMOUNTS:
            if f"budget.{key}" in read:
                values = read[f"budget.{key}"][had] * factors.astype(float)
                given = ~np.isnan(values)
                budgets[f"budget_{key}"][index[had][given]] = values[given]
    for key in GOALS:
        if key in read:
            given = np.not_equal(read[key], None)
            goals[key][index[given]] = read[key][given]
    answered = rows.found(table.indicators.get("id", np.full(len(table.owner), None, dtype=object)),
                          index[table.owner])
    if (answered < 0).any() or pd.Series(answered).duplicated().any():
        raise Unusual                              # matched by names, not found, or answered twice
    count = len(answered)
    columns = {column: table.indicators.get(key, np.full(count, None if kind == "text" else np.nan,
                                                          dtype=object if kind == "text" else float))
               for column, key, kind, _ in _ACTUAL_FIELDS}
    columns["funds"] = np.full(count, None, dtype=object)
    given = {key: np.full(count, key in table.indicators) for key in (*_ACTUAL_KINDS, "funds") if key != "id"}
    for column, key, kind, _ in _ACTUAL_FIELDS:   # null: given as null or not given, alike where the targets have none
        if key in table.indicators:
            blank = np.equal(columns[column], None) if kind == "text" else np.isnan(columns[column])
            before = indicators[column].to_numpy()[answered[blank]]
            if not (np.equal(before, None) if kind == "text" else np.isnan(before.astype(float))).all():
                raise Unusual
    return np.unique(index).tolist(), budgets, goals, answered, columns, given


def _budgets(projects: pd.DataFrame) -> dict[str, np.ndarray]:
    return {name: projects[name].to_numpy().copy() for name in
            (*(f"budget_{key}" for key in BUDGET_AMOUNTS), "budget_unit")}


def _goals(projects: pd.DataFrame) -> dict[str, np.ndarray]:
    return {key: projects[key].to_numpy(dtype=object).copy() for key in GOALS}


def _merge(projects: pd.DataFrame, indicators: pd.DataFrame, filled: list[int], budgets: dict, goals: dict,
           rows: np.ndarray, columns: dict, given: dict) -> None:
    """Into the frames: the projects answered (``filled``), their budgets and goals, and for the
    indicator rows answered (``rows``) the columns the actuals give (``given``: per key, whether each
    actual gives it; only what the actuals file says replaces the targets')."""
    given["actual"] = given["funds"] = given["actual"] | given["funds"]    # funds stand in for the actual
    for column, key, kind in (*((c, k, kind) for c, k, kind, _ in _ACTUAL_FIELDS), ("funds", "funds", "text")):
        if given[key].any():
            merged = indicators[column].to_numpy(dtype=object if kind == "text" else float).copy()
            merged[rows[given[key]]] = np.asarray(columns[column], dtype=merged.dtype)[given[key]]
            indicators[column] = pd.Series(merged, index=indicators.index, dtype=merged.dtype)   # None stays None
    for name, values in budgets.items():
        if name != "budget_unit":
            projects[name] = values
    for key, values in goals.items():
        projects[key] = values
    projects["has_actuals"] = projects["has_actuals"].to_numpy() | np.isin(np.arange(len(projects)), filled)


def _actual_columns(matched: list[int], rows: _Rows, items: Items, count: int) -> tuple:
    """For the first ``count`` of ``items`` of actuals.json: the indicator row each answers, their
    columns, and per key whether each item gives it."""
    given = Given(items, count)
    project = np.asarray(matched[items.first:], dtype=np.int64)[items.owner[:count]]
    answered = rows.answered(given, project)
    columns = item_columns(given, _ACTUAL_FIELDS)
    columns["funds"] = funds_column(given, columns["actual"])
    return answered, columns, {key: np.array([key in item for item in given.items], dtype=bool)
                               if key in given.present else np.zeros(len(given.items), dtype=bool)
                               for key in (*(key for _, key, _, _ in _ACTUAL_FIELDS), "funds")}


class _Rows:
    """The targets' indicator rows, found by (project, id) or else by (project, level1, level2, name)."""

    def __init__(self, indicators: pd.DataFrame) -> None:
        self.indicators = indicators
        codes, uniques = pd.factorize(indicators["id"].to_numpy(dtype=object))       # no id: -1
        self.ids, self.width = pd.Index(uniques, dtype=object), len(uniques) + 1
        self.known = pd.Index(np.where(codes >= 0, indicators["project"].to_numpy() * self.width + codes,
                                       -1 - np.arange(len(codes))))
        self.by_names: dict[tuple, list[int]] = {}

    def found(self, ids: np.ndarray, project: np.ndarray) -> np.ndarray:
        """The row of each (project, id), -1 for none."""
        codes = self.ids.get_indexer(ids)
        return self.known.get_indexer(np.where(codes >= 0, project * self.width + codes, np.iinfo(np.int64).min))

    def answered(self, given: Given, project: np.ndarray) -> np.ndarray:
        """The row each of ``given``'s actuals answers (``project``: the target project of each)."""
        items, file, where = given.items, given.file, given.where
        ids = item_columns(given, (("id", "id", "text", False),))["id"]
        rows = self.found(ids, project)
        for k in np.flatnonzero(rows < 0):           # no id, or an id the targets do not have: by names
            if not self.by_names:
                self.by_names = _names_index(self.indicators)
            rows[k] = _row_by_names(items[k], ids[k], int(project[k]), self.by_names, file, where(k))
        taken = pd.Series(rows).duplicated(keep="first").to_numpy()
        if taken.any():
            k = int(np.argmax(taken))
            first = int(np.flatnonzero(rows == rows[k])[0])
            raise InputError(f"与 {json_path(where(first))} 匹配同一个指标 / two actuals match one indicator", file,
                             json_path(where(k)), code=InputCode.DUPLICATE)
        return rows


def _names_index(indicators: pd.DataFrame) -> dict[tuple, list[int]]:
    """(project, level1, level2, name) and (project, "", "", name) → the rows that have them."""
    index: dict[tuple, list[int]] = {}
    for row, (project, level1, level2, name) in enumerate(zip(
            *(indicators[c].to_numpy(dtype=object) for c in ("project", "level1", "level2", "name")))):
        index.setdefault((project, level1, level2, name), []).append(row)
        index.setdefault((project, "", "", name), []).append(row)
    return index


def _row_by_names(item: dict, iid: str | None, project: int, by_names: dict, file: str, path: tuple) -> int:
    names = tuple(text(item.get(k), file, (*path[:2], k)) or "" for k in ("level1", "level2", "name"))
    if not names[2]:
        raise InputError(f"指标值文件中没有 id 为「{iid}」的指标 / no such indicator" if iid else
                         "指标缺少 id 或 name / an indicator needs an id or a name", file, json_path(path),
                         code=InputCode.NOT_FOUND if iid else InputCode.INVALID)
    candidates = by_names.get((project, *names) if names[0] else (project, "", "", names[2]), [])
    if len(candidates) != 1:
        what = "没有匹配的指标" if not candidates else f"匹配到 {len(candidates)} 个指标"
        raise InputError(f"「{names[2]}」{what} / matches {len(candidates)} indicators", file, json_path(path),
                         code=InputCode.DUPLICATE if candidates else InputCode.NOT_FOUND)
    return candidates[0]


def _match_project(pid, name, by_id, by_name, file, path) -> int:
    if pid is not None:
        if pid in by_id:
            return by_id[pid]
        if name is None:
            near = difflib.get_close_matches(pid, list(by_id), n=1, cutoff=0.6)
            hint = f"，是否指「{near[0]}」" if near else ""
            raise InputError(f"指标值文件中没有 id 为「{pid}」的项目{hint} / no such project", file, path, code=InputCode.NOT_FOUND)
    matches = by_name.get(name, [])
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise InputError(f"指标值文件中没有项目「{pid or name}」 / no such project", file, path, code=InputCode.NOT_FOUND)
    raise InputError(f"项目名称「{name}」匹配到 {len(matches)} 个项目，请用 id / matches several projects",
                     file, path, code=InputCode.DUPLICATE)


@lru_cache(maxsize=256)
def _budget_factor(given_unit: str, target_unit: str) -> float | None:
    try:
        return float(units.conversion(units.canonical(given_unit), units.canonical(target_unit)).factor)
    except (ValueError, ArithmeticError):
        return None


def _merge_budget(budgets: dict, index: int, budget: dict, file: str, path: str) -> None:
    """The actuals' budget figures, in the targets' budget unit, over the targets' own."""
    if not budget:
        return
    target_unit = budgets["budget_unit"][index]
    given_unit = text(budget.get("unit"), file, f"{path}.unit") or target_unit
    factor = _budget_factor(given_unit, target_unit)
    if factor is None:
        raise InputError(f"预算单位「{given_unit}」无法换算为「{target_unit}」 / budget unit", file, f"{path}.unit")
    for key in BUDGET_AMOUNTS:
        value = number(budget.get(key), file, f"{path}.{key}")
        if not math.isnan(value):
            budgets[f"budget_{key}"][index] = value * factor

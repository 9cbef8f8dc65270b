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
from scoring.readers.jsonvalues import (BUDGET, PROJECT, Chunks, Given, Items, canonical, concatenated, item_columns,
                                         json_path, number, projects_of, text)


_ACTUAL_FIELDS = (("actual", "actual", "text", False), ("reason", "reason", "text", False),
                  ("evaluator_score", "score", "points", False))


def match_actuals(actuals: tuple[Any, str], projects: pd.DataFrame, indicators: pd.DataFrame) -> None:
    data, file = actuals
    _, actual_projects = projects_of(data, file)
    by_id = {pid: i for i, pid in enumerate(projects["id"]) if pid is not None}
    by_name: dict[str, list[int]] = {}
    for i, name in enumerate(projects["name"]):
        by_name.setdefault(name, []).append(i)
    filled: dict[int, str] = {}
    budgets = {name: projects[name].to_numpy().copy() for name in
               (*(f"budget_{key}" for key in BUDGET_AMOUNTS), "budget_unit")}
    goals = {key: projects[key].to_numpy(dtype=object).copy() for key in GOALS}
    matched: list[int] = []        # a project's actuals are read in one chunk: no row is answered from two
    chunks = Chunks(file, partial(_actual_columns, matched, indicators))
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
    rows = np.concatenate([part[0] for part in parts])
    columns, given = concatenated([part[1] for part in parts]), concatenated([part[2] for part in parts])
    given["actual"] = given["funds"] = given["actual"] | given["funds"]    # funds stand in for the actual
    for column, key, kind in (*((c, k, kind) for c, k, kind, _ in _ACTUAL_FIELDS), ("funds", "funds", "text")):
        if given[key].any():               # only what the actuals file says replaces the targets'
            merged = indicators[column].to_numpy(dtype=object if kind == "text" else float).copy()
            merged[rows[given[key]]] = np.asarray(columns[column], dtype=merged.dtype)[given[key]]
            indicators[column] = pd.Series(merged, index=indicators.index, dtype=merged.dtype)   # None stays None
    for name, values in budgets.items():
        if name != "budget_unit":
            projects[name] = values
    for key, values in goals.items():
        projects[key] = values
    projects["has_actuals"] = projects["has_actuals"].to_numpy() | np.isin(np.arange(len(projects)), list(filled))


def _actual_columns(matched: list[int], indicators: pd.DataFrame, items: Items, count: int) -> tuple:
    """For the first ``count`` of ``items`` of actuals.json: the indicator row each answers, their
    columns, and per key whether each item gives it."""
    given = Given(items, count)
    project = np.asarray(matched[items.first:], dtype=np.int64)[items.owner[:count]]
    rows = _indicator_rows(given, project, indicators)
    columns = item_columns(given, _ACTUAL_FIELDS)
    columns["funds"] = funds_column(given, columns["actual"])
    return rows, columns, {key: np.array([key in item for item in given.items], dtype=bool) if key in given.present
                           else np.zeros(len(given.items), dtype=bool)
                           for key in (*(key for _, key, _, _ in _ACTUAL_FIELDS), "funds")}


def _indicator_rows(given: Given, project: np.ndarray, indicators: pd.DataFrame) -> np.ndarray:
    """The indicator row each actual answers: by id within its project, else by (level1, level2, name)."""
    items, file, where = given.items, given.file, given.where
    ids = item_columns(given, (("id", "id", "text", False),))["id"]
    n = len(indicators)
    codes, _ = pd.factorize(np.concatenate([indicators["id"].to_numpy(dtype=object), np.array(ids, dtype=object)]))
    width = int(codes.max(initial=0)) + 2
    known = np.where(codes[:n] >= 0, indicators["project"].to_numpy() * width + codes[:n], -1 - np.arange(n))
    asked = np.where(codes[n:] >= 0, project * width + codes[n:], np.iinfo(np.int64).min)
    rows = pd.Index(known).get_indexer(asked)
    by_names: dict[tuple, list[int]] = {}
    for k in np.flatnonzero(rows < 0):           # no id, or an id the targets do not have: by names
        if not by_names:
            by_names = _names_index(indicators)
        rows[k] = _row_by_names(items[k], ids[k], int(project[k]), by_names, file, where(k))
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

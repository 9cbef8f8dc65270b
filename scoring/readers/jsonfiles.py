"""targets.json and actuals.json → the two frames the engine scores (projects, indicators).

The files are a contract (docs/inputs.md, docs/schema/*.json). Either file may hold
``{"projects": [...]}``, a list of projects, or one project. Chinese keys are accepted as aliases
(项目名称, 一级指标, 实际完成值 …). Every problem raises InputError naming the file and the JSON path.
Actuals are matched to targets: a project by ``id``, else by ``name``; an indicator by ``id``, else by
(``level1``, ``level2``, ``name``). A target given as ``nature`` / ``target`` / ``unit`` (指标性质 |
指标值 | 度量单位) is composed into one (readers/natures.py). A project none of whose indicators has a
``level1`` is level-less (部门整体 tables: 指标名称 | 指标值 | 权重 …); one with some without is refused.
An indicator may give ``funds`` (分资金) in place of its actual (readers/funds.py).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from scoring._columnar.bulk import bulk
from scoring.columns import BUDGET_AMOUNTS, GOALS, INDICATOR_FRAME, TARGET_PARTS, PROJECT_COLUMNS, PROJECT_FRAME, Frames, frame
from scoring.errors import InputCode, InputError
from scoring.readers.actuals import match_actuals
from scoring.readers.funds import funds_column
from scoring.readers.jsonarrow import Table, Unusual, read_table
from scoring.readers.jsonvalues import (BUDGET, PROJECT, Chunks, Given, Items, canonical, concatenated,
                                         item_columns, json_path, number, projects_of, text)
from scoring.readers.natures import composed
from scoring.readers.sections import split_points


# indicator columns read from targets.json: (column, key, reader, required)
_TARGET_FIELDS = (("id", "id", "text", False), ("level1", "level1", "text", False), ("level2", "level2", "text", False),
                  ("name", "name", "text", True), ("target", "target", "text", False),
                  ("half_year_target", "half_year_target", "text", False), ("weight", "weight", "points", False),
                  ("actual", "actual", "text", False), ("reason", "reason", "text", False),
                  ("evaluator_score", "score", "points", False), ("nature", "nature", "text", False),
                  ("unit", "unit", "text", False), ("adjusted_target", "adjusted_target", "text", False))
_TARGET_KINDS = {key: kind for _, key, kind, _ in _TARGET_FIELDS}


@bulk
def read_inputs(targets: tuple[Any, str], actuals: tuple[Any, str] | None) -> Frames:
    """Read and match the two documents, each (data, its name for errors) as ``load_json`` or the xlsx
    reader gives them (``actuals`` None: every indicator has no actual yet). A document of the usual
    shape is read in columns (readers/jsonarrow.py), any other project by project.

    The first problem in document order is the one raised, though projects are read before their
    indicators and each indicator column at once (``Items.checked``).
    """
    target_data, target_file = targets
    try:
        table = read_table(target_data, target_file, _TARGET_KINDS, frozenset({"name"}))
        frames = _frames(table.ruleset, *_table_columns(table, target_file), {}, target_file)
    except (Unusual, InputError):            # read the general way, which raises the first problem there is
        frames = _frames(*_read_projects(target_data, target_file), target_file)
    if actuals is not None:
        match_actuals(actuals, frames.projects, frames.indicators)
    return frames


def _read_projects(data: Any, file: str) -> tuple:
    """A document read project by project: its ruleset, project columns, indicator columns, each
    indicator's project and position in it, and the projects' ``level_points``."""
    ruleset, target_projects = projects_of(data, file)
    projects, level_points = [], {}
    chunks = Chunks(file, _target_columns)
    seen_ids: dict[str, str] = {}
    try:
        for p_index, (p_path, raw) in enumerate(target_projects):
            project = canonical(raw, PROJECT, file, p_path)
            project_id = text(project.get("id"), file, f"{p_path}.id")
            name = text(project.get("name"), file, f"{p_path}.name")
            if project_id is None and name is None:
                raise InputError("项目缺少 id 和 name / a project needs an id or a name", file, p_path)
            key = project_id if project_id is not None else f"name:{name}"
            if key in seen_ids:
                raise InputError(f"项目「{project_id or name}」重复，另见 {seen_ids[key]} / duplicate project",
                                 file, p_path, code=InputCode.DUPLICATE)
            seen_ids[key] = p_path
            budget = _budget(project.get("budget"), file, f"{p_path}.budget")
            if project.get("level_points") is not None:
                level_points[p_index] = (p_path, _level_points(project["level_points"], file,
                                                               f"{p_path}.level_points"))
            projects.append({"project": p_index, "id": project_id, "name": name, "kind": project.get("kind"),
                             "year": project.get("year"), "unit": project.get("unit"),
                             "department": project.get("department"),
                             **{key: text(project.get(key), file, f"{p_path}.{key}") for key in GOALS},
                             **budget, "has_actuals": False})
            project_items = project.get("indicators")
            if not isinstance(project_items, list):
                raise InputError("应有指标数组 indicators / expected an array of indicators", file,
                                 f"{p_path}.indicators")
            chunks.add(p_path, project_items)
    except InputError:
        chunks.failed()                          # an earlier project's indicator first
        raise
    done = chunks.finish()
    return (ruleset, {c: [p[c] for p in projects] for c in PROJECT_COLUMNS},
            concatenated([part for _, part in done]), np.concatenate([items.first + items.owner for items, _ in done]),
            np.concatenate([items.position for items, _ in done]), level_points)


def _table_columns(table: Table, file: str) -> tuple:
    """The project and indicator columns of a document read in columns (``_read_projects``' but for
    the ruleset and level points); a problem raises, unnamed: the general reader names it."""
    given, n = table.projects, len(table.counts)
    none = np.full(n, None, dtype=object)
    ids, names = given.get("id", none), given.get("name", none)
    keys = np.where(np.equal(ids, None), "name:" + names.astype(str), ids)
    if (np.equal(ids, None) & np.equal(names, None)).any() or len(pd.unique(keys)) < n:
        raise Unusual                             # a project with neither, or one given twice
    projects = {"project": np.arange(n), "id": ids, "name": names,
                **{key: given.get(key, none) for key in ("kind", "year", "unit", "department", *GOALS)},
                **{f"budget_{key}": given.get(f"budget.{key}", np.full(n, np.nan)) for key in BUDGET_AMOUNTS},
                "budget_unit": np.where(np.equal(given.get("budget.unit", none), None), "元",
                                        given.get("budget.unit", none)).astype(object),
                "has_actuals": np.zeros(n, dtype=bool)}
    owner, count = table.owner, len(table.owner)
    read = table.indicators
    columns = {column: read[key] if key in read else np.full(count, None if kind == "text" else np.nan,
                                                           dtype=object if kind == "text" else float)
               for column, key, kind, _ in _TARGET_FIELDS}
    columns["funds"] = np.full(count, None, dtype=object)
    return projects, _checked(columns, owner, set(read), count, file, _nowhere), owner, table.position


def _nowhere(k: int, key: str | None = None) -> tuple:
    """The place of an indicator of a document read in columns, whose problems the general reader names."""
    return "$", k, key


def _frames(ruleset: str | None, projects: dict, columns: dict, owner: np.ndarray, position: np.ndarray,
            level_points: dict, file: str) -> Frames:
    columns["level1"], printed_points = split_points(columns["level1"])
    project_frame = frame(projects, PROJECT_FRAME)
    answered = np.not_equal(columns["actual"], None) | np.not_equal(columns["funds"], None)
    project_frame["has_actuals"] = np.bincount(owner[answered], minlength=len(project_frame)) > 0
    indicator_frame = frame({"project": owner, "position": position, **columns,
                             "level_points": _points_of_levels(level_points, owner, columns["level1"],
                                                               file, printed_points)}, INDICATOR_FRAME)
    return Frames(project_frame, indicator_frame, ruleset)


def _level_points(raw: Any, file: str, path: str) -> dict[str, float]:
    """A project's ``level_points``: 一级指标 name → its points (产出指标(60分))."""
    if not isinstance(raw, dict):
        raise InputError("应为一级指标到分值的对象，如 {\"产出指标\": 60} / expected an object of points", file, path)
    points = {}
    for name, value in raw.items():
        where = f"{path}.{name}"
        points[name.strip()] = given = number(value, file, where)
        if not 0 <= given <= 100:
            raise InputError(f"一级指标分值应在 0 到 100 之间，而不是 {value} / expected points from 0 to 100", file, where, code=InputCode.OUT_OF_RANGE)
    return points


def _points_of_levels(level_points: dict[int, tuple[str, dict]], owner: np.ndarray, level1: np.ndarray,
                      file: str, printed: np.ndarray) -> np.ndarray:
    """Each indicator's 一级指标 points from its project's ``level_points``, else as its 一级指标 cell
    printed them (``printed``; NaN: neither); ``owner`` (each indicator's project, in project order)
    and ``level1`` are the indicator columns."""
    if not level_points:
        return printed
    points = printed.copy()
    for project, (path, given) in level_points.items():
        rows = slice(*np.searchsorted(owner, [project, project + 1]))
        names = level1[rows].tolist()
        unknown = [name for name in given if name not in set(names)]
        if unknown:
            raise InputError(f"「{unknown[0]}」不是这个项目的一级指标 / not a first-level indicator of the project",
                             file, f"{path}.level_points.{unknown[0]}", code=InputCode.NOT_FOUND)
        points[rows] = [given.get(name, point) for name, point in zip(names, points[rows].tolist())]
    return points


def _target_columns(items: Items, count: int) -> dict[str, np.ndarray]:
    """The indicator columns of the first ``count`` items of targets.json."""
    given = Given(items, count)
    ids = item_columns(given, _TARGET_FIELDS[:1])["id"]
    _no_duplicate_ids(ids, items.owner[:count], items.file, items.where)    # as the id is read, before the rest
    level1 = item_columns(given, _TARGET_FIELDS[1:2])["level1"]
    _whole_levels(level1, items.owner[:count], items.file, items.where)     # before the rest too
    columns = {"id": ids, "level1": level1, **item_columns(given, _TARGET_FIELDS[2:])}
    columns["funds"] = funds_column(given, columns["actual"])
    return _checked(columns, items.owner[:count], given.present, count, items.file, items.where, checked=True)


def _checked(columns: dict, owner: np.ndarray, present: set, count: int, file: str, where,
             checked: bool = False) -> dict[str, np.ndarray]:
    """Indicator columns with their ids and levels checked (unless ``checked`` already) and their
    targets composed of their parts; ``where(k, key)`` is the place of indicator k."""
    if not checked:
        _no_duplicate_ids(columns["id"], owner, file, where)
        _whole_levels(columns["level1"], owner, file, where)
    split = [columns.pop(key) for key in TARGET_PARTS]
    if present & set(TARGET_PARTS):
        nature, unit, adjusted = split

        def place(k: int) -> tuple[str, str]:
            return file, json_path(where(k, "nature"))

        columns["target"] = composed(columns["target"], nature, unit, adjusted, place)
        columns["half_year_target"] = composed(columns["half_year_target"], nature, unit,
                                               np.full(count, None, dtype=object), place)
    for key in ("level1", "level2"):
        column = columns[key]
        column[np.equal(column, None)] = ""
    return columns


def _whole_levels(level1: np.ndarray, owner: np.ndarray, file: str, where) -> None:
    """Either every indicator of a project has a 一级指标 or none has (a level-less table)."""
    missing = np.equal(level1, None)
    if not missing.any() or missing.all() and len(np.unique(owner)) == 1:
        return
    level_less = pd.Series(missing).groupby(owner).transform("all").to_numpy()
    if (missing & ~level_less).any():
        k = int(np.argmax(missing & ~level_less))
        other = int(np.flatnonzero((owner == owner[k]) & ~missing)[0])
        raise InputError(f"缺少一级指标，而同一项目的 {json_path(where(other))} 有一级指标（一个项目的指标要么都有、"
                         f"要么都没有一级指标） / missing level1 while other indicators of the project have one",
                         file, json_path(where(k, "level1")))


def _no_duplicate_ids(ids: list, owner: np.ndarray, file: str, where) -> None:
    """Indicator ids are unique within their project."""
    codes, uniques = pd.factorize(np.array(ids, dtype=object))           # no id: -1
    keys = np.where(codes >= 0, owner * (len(uniques) + 1) + codes, -1 - np.arange(len(codes)))
    repeated = pd.Series(keys).duplicated(keep="first").to_numpy()
    if repeated.any():
        k = int(np.argmax(repeated))
        first = int(np.flatnonzero(keys == keys[k])[0])
        raise InputError(f"指标 id「{ids[k]}」重复，另见 {json_path(where(first))} / duplicate id", file,
                         json_path(where(k, "id")), code=InputCode.DUPLICATE)


def _budget(raw: Any, file: str, path: str) -> dict:
    if raw is None:
        raw = {}
    budget = canonical(raw, BUDGET, file, path)
    return {f"budget_{key}": number(budget.get(key), file, f"{path}.{key}")
            for key in BUDGET_AMOUNTS} | {
        "budget_unit": text(budget.get("unit"), file, f"{path}.unit") or "元"}

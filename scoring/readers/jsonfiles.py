"""targets.json and actuals.json → the two frames the engine scores (projects, indicators).

The files are a contract (docs/inputs.md, docs/schema/*.json). Either file may hold
``{"projects": [...]}``, a list of projects, or one project. Chinese keys are accepted as aliases
(项目名称, 一级指标, 实际完成值 …). Every problem raises InputError naming the file and the JSON path.
Actuals are matched to targets: a project by ``id``, else by ``name``; an indicator by ``id``, else by
(``level1``, ``level2``, ``name``).
"""

from __future__ import annotations

import difflib
import json
import math
import re
from functools import lru_cache, partial
from itertools import chain
from operator import itemgetter
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from scoring import columns, units
from scoring._columnar.bulk import bulk
from scoring._columnar.distinct import objects
from scoring.columns import PROJECT_COLUMNS, Frames
from scoring.errors import InputError

_PROJECT, _BUDGET, _INDICATOR, _DOCUMENT = "project", "budget", "indicator", "document"     # columns.LEVELS


def load_json(source: str | Path | dict | list, role: str) -> tuple[Any, str]:
    """A JSON file's path, or data already loaded → (data, its name for errors)."""
    if isinstance(source, (dict, list)):
        return source, f"<{role}>"
    path = Path(source)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise InputError(f"无法读取文件 / cannot read: {error.strerror}", str(path)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputError(f"不是 UTF-8 编码（第 {error.start + 1} 字节） / not UTF-8", str(path)) from None
    try:
        return json.loads(text), str(path)
    except json.JSONDecodeError as error:
        raise InputError(f"JSON 语法错误：第 {error.lineno} 行第 {error.colno} 列，{error.msg} / invalid JSON",
                         str(path)) from None


# indicator columns read from targets.json: (column, key, reader, required)
_TARGET_FIELDS = (("id", "id", "text", False), ("level1", "level1", "text", True), ("level2", "level2", "text", False),
                  ("name", "name", "text", True), ("target", "target", "text", False),
                  ("half_year_target", "half_year_target", "text", False), ("weight", "weight", "number", False),
                  ("actual", "actual", "text", False), ("reason", "reason", "text", False),
                  ("evaluator_score", "score", "number", False))


@bulk
def read_inputs(targets: tuple[Any, str], actuals: tuple[Any, str] | None) -> Frames:
    """Read and match the two documents, each (data, its name for errors) as ``load_json`` or the xlsx
    reader gives them (``actuals`` None: every indicator has no actual yet).

    The first problem in document order is the one raised, though projects are read before their
    indicators and each indicator column at once (``_Items.checked``).
    """
    target_data, target_file = targets
    ruleset, target_projects = _projects(target_data, target_file)
    projects, items = [], _Items(target_file)
    seen_ids: dict[str, str] = {}
    try:
        for p_index, (p_path, raw) in enumerate(target_projects):
            project = _canonical(raw, _PROJECT, target_file, p_path)
            project_id = _text(project.get("id"), target_file, f"{p_path}.id")
            name = _text(project.get("name"), target_file, f"{p_path}.name")
            if project_id is None and name is None:
                raise InputError("项目缺少 id 和 name / a project needs an id or a name", target_file, p_path)
            key = project_id if project_id is not None else f"name:{name}"
            if key in seen_ids:
                raise InputError(f"项目「{project_id or name}」重复，另见 {seen_ids[key]} / duplicate project",
                                 target_file, p_path)
            seen_ids[key] = p_path
            budget = _budget(project.get("budget"), target_file, f"{p_path}.budget")
            projects.append({"project": p_index, "id": project_id, "name": name, "kind": project.get("kind"),
                             "year": project.get("year"), "unit": project.get("unit"),
                             "department": project.get("department"), **budget, "has_actuals": False})
            project_items = project.get("indicators")
            if not isinstance(project_items, list):
                raise InputError("应有指标数组 indicators / expected an array of indicators", target_file,
                                 f"{p_path}.indicators")
            items.add(p_path, project_items)
    except InputError:
        items.checked(partial(_target_columns, items))          # an earlier project's indicator first
        raise
    columns = items.checked(partial(_target_columns, items))
    project_frame = _frame(projects, PROJECT_COLUMNS, ("year",))
    project_frame["has_actuals"] = np.bincount(items.owner[np.not_equal(columns["actual"], None)],
                                               minlength=len(projects)) > 0
    indicator_frame = _columns_frame({"project": items.owner, "position": items.position, **columns},
                                     ("project", "position"))
    if actuals is not None:
        _match_actuals(actuals, project_frame, indicator_frame)
    return Frames(project_frame, indicator_frame, ruleset)


class _Items:
    """The indicator objects of a file's projects, all in one list in document order, and where each
    one stands (``where(k, key)``: its project's path, its index there, the key)."""

    def __init__(self, file: str) -> None:
        self.file, self.items, self.paths, self.counts = file, [], [], []
        self._located: tuple = (-1, None, None)

    def add(self, path: str, items: list) -> None:
        self.items += items
        self.paths.append(path)
        self.counts.append(len(items))

    @property
    def owner(self) -> np.ndarray:
        """Each item's project (its index among the projects added)."""
        return self._locate()[0]

    @property
    def position(self) -> np.ndarray:
        """Each item's index within its project."""
        return self._locate()[1]

    def _locate(self) -> tuple[np.ndarray, np.ndarray]:
        if self._located[0] != len(self.counts):
            counts = np.asarray(self.counts, dtype=np.int64)
            owner = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
            self._located = (len(counts), owner,
                             np.arange(len(owner), dtype=np.int64) - np.repeat(np.cumsum(counts) - counts, counts))
        return self._located[1:]

    def where(self, k: int, key: str | None = None) -> tuple:
        return self.paths[self.owner[k]], int(self.position[k]), key

    def checked(self, read: Callable[[int], Any], count: int | None = None) -> Any:
        """``read(n)`` of the first ``count`` items (default all), where ``read`` reads the first n
        items and raises on a problem. It reads column by column, so the problem it raises may not be
        the first: the items before the one it names are read again, and their problem goes first."""
        count = len(self.items) if count is None else count
        try:
            return read(count)
        except InputError as error:
            k = self._index(error)
            if k < count:
                self.checked(read, k)
            raise

    def _index(self, error: InputError) -> int:
        """The item an error's path names (the list's length for a path outside the items)."""
        found = _ITEM_PATH.match(error.path or "") if error.file == self.file else None
        if found is None or found[1] not in self.paths:
            return len(self.items)
        project = self.paths.index(found[1])
        return int(np.sum(self.counts[:project])) + int(found[2])


_ITEM_PATH = re.compile(r"(\$(?:\.projects)?(?:\[\d+\])?)\.indicators\[(\d+)\]")


def _target_columns(items: _Items, count: int) -> dict[str, np.ndarray]:
    """The indicator columns of the first ``count`` items of targets.json."""
    given = _Given(items, count)
    ids = _item_columns(given, _TARGET_FIELDS[:1])["id"]
    _no_duplicate_ids(ids, items.owner[:count], items.file, items.where)    # as the id is read, before the rest
    columns = {"id": ids, **_item_columns(given, _TARGET_FIELDS[1:])}
    level2 = columns["level2"]
    level2[np.equal(level2, None)] = ""
    return columns


class _Given:
    """The first ``count`` indicator objects of ``source`` with canonical keys (aliases renamed; the
    objects themselves when none has one), the keys any of them has, and where each one stands."""

    def __init__(self, source: _Items, count: int) -> None:
        self.file, self.where = source.file, source.where
        items = source.items[:count]
        present = set(chain.from_iterable(items)) if not set(map(type, items)) - {dict} else None
        if present is None or not present <= columns.keys(_INDICATOR):
            items = [_canonical(item, _INDICATOR, self.file, self.where(k)) for k, item in enumerate(items)]
            present = set(chain.from_iterable(items))
        self.items, self.present = items, present


def _item_columns(given: _Given, fields: tuple) -> dict[str, np.ndarray]:
    """Columns of the indicator objects.

    A column of the common values is read at once: text that is all non-empty strings (stripped),
    numbers that are all JSON numbers. Anything else (a missing required value, a number where text
    goes, text where a number goes) is read one value at a time, in document order, by the readers
    that convert it or raise the error naming its path.
    """
    items, file, where = given.items, given.file, given.where
    columns, odd = {}, []
    for f, (column, key, kind, required) in enumerate(fields):
        values = _values(items, key) if key in given.present else [None] * len(items)
        if kind == "text":
            read, plain = _texts(values, required)
            if not plain:
                odd += [(k, f) for k, v in enumerate(read.tolist())
                        if (v is None and required) or (v is not None and (v.__class__ is not str or not v))]
        else:
            read = _plain_numbers(values)
            if np.isfinite(read).sum() + values.count(None) != len(read):
                odd += [(k, f) for k in np.flatnonzero(~np.isfinite(read)).tolist() if values[k] is not None]
        columns[column] = read
    for k, f in sorted(odd):
        column, key, kind, required = fields[f]
        value = items[k].get(key)
        columns[column][k] = (_text(value, file, where(k, key), required) if kind == "text"
                              else _number(value, file, where(k, key)))
    return columns


def _texts(values: list, required: bool) -> tuple[np.ndarray, bool]:
    """The values with text stripped and each distinct text one object (so that factorizing them
    later, in the engine and the writers, finds equal texts by identity), and whether all are plain:
    non-empty text, or None where a value is not ``required``."""
    array = objects(values)
    try:
        codes, uniques = pd.factorize(array)
    except TypeError:                                        # an object or a list where text goes
        return array, False
    uniques, kept = uniques.tolist(), {}
    distinct = np.empty(len(uniques) + 1, dtype=object)      # code -1 (None, NaN): None
    distinct[:-1] = [kept.setdefault(text := u.strip(), text) if isinstance(u, str) else u for u in uniques]
    read = distinct[codes]
    missing = np.flatnonzero(codes < 0)
    read[missing] = array[missing]                           # NaN stays NaN, for the reader to refuse
    plain = all(isinstance(u, str) for u in uniques) and "" not in kept
    return read, plain and (not len(missing) or not required and bool(np.equal(array[missing], None).all()))


def _plain_numbers(values: list) -> np.ndarray:
    """JSON numbers as floats; NaN for anything else (None, text, true/false, an integer too large)."""
    if set(map(type, values)) <= {int, float, type(None)}:
        try:
            return np.array(values, dtype=float)
        except OverflowError:
            pass
    return np.array([v if v.__class__ is float or (v.__class__ is int and -_LARGEST < v < _LARGEST) else None
                     for v in values], dtype=float)


_LARGEST = 2 ** 1024 - 2 ** 970          # the first integer that rounds past the largest float


def _values(items: list[dict], key: str) -> list:
    try:
        return list(map(itemgetter(key), items))          # every item has the key (the usual case)
    except KeyError:
        return [item.get(key) for item in items]


def _no_duplicate_ids(ids: list, owner: np.ndarray, file: str, where) -> None:
    """Indicator ids are unique within their project."""
    codes, uniques = pd.factorize(np.array(ids, dtype=object))           # no id: -1
    keys = np.where(codes >= 0, owner * (len(uniques) + 1) + codes, -1 - np.arange(len(codes)))
    repeated = pd.Series(keys).duplicated(keep="first").to_numpy()
    if repeated.any():
        k = int(np.argmax(repeated))
        first = int(np.flatnonzero(keys == keys[k])[0])
        raise InputError(f"指标 id「{ids[k]}」重复，另见 {_path(where(first))} / duplicate id", file,
                         _path(where(k, "id")))


def _path(path: str | tuple) -> str:
    """A JSON path, from its text or from (project path, indicator index, key)."""
    if isinstance(path, str):
        return path
    project, index, key = path
    return f"{project}.indicators[{index}]" + (f".{key}" if key else "")


def _columns_frame(columns: dict[str, list], integers: tuple[str, ...]) -> pd.DataFrame:
    """A frame from lists of values; text stays Python objects with None for missing."""
    data = {}
    for name, values in columns.items():
        if name in integers:
            data[name] = pd.Series(values, dtype="int64")
        elif name in ("weight", "evaluator_score"):
            data[name] = pd.Series(values, dtype=float)
        else:
            data[name] = pd.Series(values, dtype=object)
    return pd.DataFrame(data)


def _frame(records: list[dict], columns: list[str], integers: tuple[str, ...]) -> pd.DataFrame:
    """Text columns stay Python objects with None for missing (not a string dtype with NaN)."""
    frame = pd.DataFrame(records, columns=columns, dtype=object)
    for column in columns:
        values = frame[column]
        if column in integers and column != "year":
            frame[column] = values.astype("int64")
        elif column.startswith("budget_") and column != "budget_unit" or column in ("weight", "evaluator_score"):
            frame[column] = values.astype(float)
        elif column == "has_actuals":
            frame[column] = values.astype(bool)
    return frame


def _projects(data: Any, file: str) -> tuple[str | None, list[tuple[str, dict]]]:
    if isinstance(data, list):
        return None, [(f"$[{i}]", p) for i, p in enumerate(data)]
    if not isinstance(data, dict):
        raise InputError("应为对象或数组 / expected an object or an array", file, "$")
    if any(columns.json_keys(_DOCUMENT).get(key) == "projects" for key in data):
        top = _canonical(data, _DOCUMENT, file, "$")
        ruleset = _text(top.get("ruleset"), file, "$.ruleset")
        if not isinstance(top["projects"], list):
            raise InputError("projects 应为数组 / expected an array", file, "$.projects")
        return ruleset, [(f"$.projects[{i}]", p) for i, p in enumerate(top["projects"])]
    return _text(data.get("ruleset"), file, "$.ruleset"), [("$", data)]


def _canonical(raw: Any, level: str, file: str, path: str | tuple) -> dict:
    if not isinstance(raw, dict):
        raise InputError("应为对象 / expected an object", file, _path(path))
    if raw.keys() <= columns.keys(level):          # the common case: canonical keys only
        return raw
    alias = columns.json_keys(level)
    out: dict = {}
    for name, value in raw.items():
        key = alias.get(name)
        if key is None:
            if name.startswith(("x-", "_")):
                continue
            near = difflib.get_close_matches(name, list(alias), n=1, cutoff=0.6)
            hint = f"，是否指「{near[0]}」" if near else ""
            raise InputError(f"未知的键「{name}」{hint} / unknown key", file, f"{_path(path)}.{name}")
        if key in out:
            raise InputError(f"「{name}」与另一个同义键重复 / the same key given twice", file, f"{_path(path)}.{name}")
        out[key] = value
    return out


def _budget(raw: Any, file: str, path: str) -> dict:
    if raw is None:
        raw = {}
    budget = _canonical(raw, _BUDGET, file, path)
    return {f"budget_{key}": _number(budget.get(key), file, f"{path}.{key}")
            for key in ("initial", "adjusted", "executed", "half_year")} | {
        "budget_unit": _text(budget.get("unit"), file, f"{path}.unit") or "元"}


def _text(value: Any, file: str, path: str | tuple, required: bool = False) -> str | None:
    if type(value) is str and value:           # the common case, first
        stripped = value.strip()
        if stripped:
            return stripped
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InputError("缺少此项 / missing", file, _path(path))
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise InputError(f"应为文字，而不是 {type(value).__name__} / expected text", file, _path(path))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _number(value: Any, file: str, path: str | tuple) -> float:
    """A number, or a string holding one (``"1,025,100"``); NaN when absent."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return math.nan
    if isinstance(value, bool):
        raise InputError("应为数字 / expected a number", file, _path(path))
    if isinstance(value, int) and not -_LARGEST < value < _LARGEST:
        number = math.inf
    elif isinstance(value, (int, float)):
        number = float(value)
    else:
        try:
            number = float(str(value).replace(",", "").replace("，", "").strip())
        except ValueError:
            raise InputError(f"应为数字，而不是「{value}」 / expected a number", file, _path(path)) from None
    if not math.isfinite(number):
        raise InputError("应为有限的数字 / expected a finite number", file, _path(path))
    return number


_ACTUAL_FIELDS = (("actual", "actual", "text", False), ("reason", "reason", "text", False),
                  ("evaluator_score", "score", "number", False))


def _match_actuals(actuals: tuple[Any, str], projects: pd.DataFrame, indicators: pd.DataFrame) -> None:
    data, file = actuals
    _, actual_projects = _projects(data, file)
    by_id = {pid: i for i, pid in enumerate(projects["id"]) if pid is not None}
    by_name: dict[str, list[int]] = {}
    for i, name in enumerate(projects["name"]):
        by_name.setdefault(name, []).append(i)
    filled: dict[int, str] = {}
    budgets = {name: projects[name].to_numpy().copy() for name in
               ("budget_initial", "budget_adjusted", "budget_executed", "budget_half_year", "budget_unit")}
    items, matched = _Items(file), []
    try:
        for p_path, raw in actual_projects:
            project = _canonical(raw, _PROJECT, file, p_path)
            pid = _text(project.get("id"), file, f"{p_path}.id")
            name = _text(project.get("name"), file, f"{p_path}.name")
            if pid is None and name is None:
                raise InputError("项目缺少 id 和 name / a project needs an id or a name", file, p_path)
            index = _match_project(pid, name, by_id, by_name, file, p_path)
            if index in filled:
                raise InputError(f"与 {filled[index]} 匹配同一个项目 / two actual projects match one project",
                                 file, p_path)
            filled[index] = p_path
            budget = _canonical(project.get("budget") or {}, _BUDGET, file, f"{p_path}.budget")
            _merge_budget(budgets, index, budget, file, f"{p_path}.budget")
            project_items = project.get("indicators") or []
            if not isinstance(project_items, list):
                raise InputError("应有指标数组 indicators / expected an array", file, f"{p_path}.indicators")
            items.add(p_path, project_items)
            matched.append(index)
    except InputError:
        items.checked(partial(_actual_columns, items, matched, indicators))
        raise
    rows, columns, given = items.checked(partial(_actual_columns, items, matched, indicators))
    for column, key, kind, _ in _ACTUAL_FIELDS:
        if given[key].any():               # only what the actuals file says replaces the targets'
            merged = indicators[column].to_numpy(dtype=object if kind == "text" else float).copy()
            merged[rows[given[key]]] = np.asarray(columns[column], dtype=merged.dtype)[given[key]]
            indicators[column] = pd.Series(merged, index=indicators.index, dtype=merged.dtype)   # None stays None
    for name, values in budgets.items():
        if name != "budget_unit":
            projects[name] = values
    projects["has_actuals"] = projects["has_actuals"].to_numpy() | np.isin(np.arange(len(projects)), list(filled))


def _actual_columns(items: _Items, matched: list[int], indicators: pd.DataFrame, count: int) -> tuple:
    """For the first ``count`` items of actuals.json: the indicator row each answers, their columns,
    and per key whether each item gives it."""
    given = _Given(items, count)
    project = np.asarray(matched, dtype=np.int64)[items.owner[:count]]
    rows = _indicator_rows(given, project, indicators)
    columns = _item_columns(given, _ACTUAL_FIELDS)
    return rows, columns, {key: np.array([key in item for item in given.items], dtype=bool) if key in given.present
                           else np.zeros(len(given.items), dtype=bool) for _, key, _, _ in _ACTUAL_FIELDS}


def _indicator_rows(given: _Given, project: np.ndarray, indicators: pd.DataFrame) -> np.ndarray:
    """The indicator row each actual answers: by id within its project, else by (level1, level2, name)."""
    items, file, where = given.items, given.file, given.where
    ids = _item_columns(given, (("id", "id", "text", False),))["id"]
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
        raise InputError(f"与 {_path(where(first))} 匹配同一个指标 / two actuals match one indicator", file,
                         _path(where(k)))
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
    names = tuple(_text(item.get(k), file, (*path[:2], k)) or "" for k in ("level1", "level2", "name"))
    if not names[2]:
        raise InputError(f"指标值文件中没有 id 为「{iid}」的指标 / no such indicator" if iid else
                         "指标缺少 id 或 name / an indicator needs an id or a name", file, _path(path))
    candidates = by_names.get((project, *names) if names[0] else (project, "", "", names[2]), [])
    if len(candidates) != 1:
        what = "没有匹配的指标" if not candidates else f"匹配到 {len(candidates)} 个指标"
        raise InputError(f"「{names[2]}」{what} / matches {len(candidates)} indicators", file, _path(path))
    return candidates[0]


def _match_project(pid, name, by_id, by_name, file, path) -> int:
    if pid is not None:
        if pid in by_id:
            return by_id[pid]
        if name is None:
            near = difflib.get_close_matches(pid, list(by_id), n=1, cutoff=0.6)
            hint = f"，是否指「{near[0]}」" if near else ""
            raise InputError(f"指标值文件中没有 id 为「{pid}」的项目{hint} / no such project", file, path)
    matches = by_name.get(name, [])
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise InputError(f"指标值文件中没有项目「{pid or name}」 / no such project", file, path)
    raise InputError(f"项目名称「{name}」匹配到 {len(matches)} 个项目，请用 id / matches several projects",
                     file, path)


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
    given_unit = _text(budget.get("unit"), file, f"{path}.unit") or target_unit
    factor = _budget_factor(given_unit, target_unit)
    if factor is None:
        raise InputError(f"预算单位「{given_unit}」无法换算为「{target_unit}」 / budget unit", file, f"{path}.unit")
    for key in ("initial", "adjusted", "executed", "half_year"):
        value = _number(budget.get(key), file, f"{path}.{key}")
        if not math.isnan(value):
            budgets[f"budget_{key}"][index] = value * factor

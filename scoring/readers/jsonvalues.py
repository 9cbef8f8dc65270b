"""Reading values out of the JSON documents, each named by its JSON path when it is wrong: the
indicator objects of a file a chunk at a time (``Chunks`` of ``Items``), their columns read at once
where they hold the usual values (``item_columns``), and the readers of one value (``text``,
``number``, ``canonical``)."""

from __future__ import annotations

import difflib
import math
import re
import sys
from functools import partial
from itertools import chain
from operator import itemgetter
from typing import Any, Callable, Iterable

import numpy as np
import pandas as pd

from scoring import columns
from scoring._columnar.distinct import objects
from scoring.errors import InputCode, InputError
from scoring.numbers import LARGEST, SIGNIFICANT
from scoring.readers.jsondecode import Document

PROJECT, BUDGET, INDICATOR, DOCUMENT = "project", "budget", "indicator", "document"     # columns.LEVELS
CHUNK = 1 << 16              # indicator objects read into columns at a time


class Items:
    """The indicator objects of some of a file's projects (from its ``first`` project on), in one list in document order, and where each one stands (``where(k, key)``: its project's
    path, its index there, the key)."""

    def __init__(self, file: str, first: int = 0) -> None:
        self.file, self.items, self.paths, self.counts, self.first = file, [], [], [], first
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


class Chunks:
    """A file's indicator objects, read into columns ``CHUNK`` at a time by ``read(items, count)`` (the
    columns of the first ``count`` of ``items``) and then let go: each result with its ``Items``, in
    document order (``done``). Every problem is raised in document order: a chunk is read whole before
    the next is begun, and ``failed`` reads the objects before a problem found outside them."""

    def __init__(self, file: str, read: Callable[[Items, int], Any]) -> None:
        self.file, self.read, self.done = file, read, []
        self.items = Items(file)

    def add(self, path: str, items: list) -> None:
        self.items.add(path, items)
        if len(self.items.items) >= CHUNK:
            self._flush()

    def failed(self) -> None:
        """Before a problem found in a project: raise any in the indicator objects before it."""
        self.items.checked(partial(self.read, self.items))

    def finish(self) -> list[tuple[Items, Any]]:
        if self.items.counts or not self.done:
            self._flush()
        return self.done

    def _flush(self) -> None:
        items = self.items
        self.done.append((items, items.checked(partial(self.read, items))))
        self.items = Items(self.file, items.first + len(items.counts))
        items.items = []


def concatenated(parts: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """Chunks' columns, one after another."""
    return parts[0] if len(parts) == 1 else {key: np.concatenate([part[key] for part in parts]) for key in parts[0]}


_ITEM_PATH = re.compile(r"(\$(?:\.projects)?(?:\[\d+\])?)\.indicators\[(\d+)\]")


class Given:
    """The first ``count`` indicator objects of ``source`` with canonical keys (aliases renamed; the
    objects themselves when none has one), the keys any of them has, and where each one stands."""

    def __init__(self, source: Items, count: int) -> None:
        self.file, self.where = source.file, source.where
        items = source.items[:count]
        present = set(chain.from_iterable(items)) if not set(map(type, items)) - {dict} else None
        if present is None or not present <= columns.keys(INDICATOR):
            items = [canonical(item, INDICATOR, self.file, self.where(k)) for k, item in enumerate(items)]
            present = set(chain.from_iterable(items))
        self.items, self.present = items, present


def item_columns(given: Given, fields: tuple) -> dict[str, np.ndarray]:
    """Columns of the indicator objects.

    A column of the common values is read at once: text that is all non-empty strings (stripped),
    numbers that are all JSON numbers. Anything else (a missing required value, a number where text
    goes, text where a number goes) is read one value at a time, in document order, by the readers
    that convert it or raise the error naming its path.
    """
    items, file, where = given.items, given.file, given.where
    columns, odd = {}, []
    for f, (column, key, kind, required) in enumerate(fields):
        if key not in given.present and not required:           # absent from every object
            columns[column] = np.full(len(items), None if kind == "text" else np.nan,
                                      dtype=object if kind == "text" else float)
            continue
        values = _values(items, key) if key in given.present else [None] * len(items)
        if kind == "text":
            read, plain = _texts(values, required)
            if not plain:
                odd += [(k, f) for k, v in enumerate(read.tolist())
                        if (v is None and required) or (v is not None and (v.__class__ is not str or not v))]
        else:
            read = _plain_numbers(values)
            fits = np.abs(read) < LARGEST
            if kind == "points":
                fits &= (read >= 0) & (read <= 100)
            if fits.sum() + values.count(None) != len(read):
                odd += [(k, f) for k in np.flatnonzero(~fits).tolist() if values[k] is not None]
        columns[column] = read
    for k, f in sorted(odd):
        column, key, kind, required = fields[f]
        value = items[k].get(key)
        columns[column][k] = (text(value, file, where(k, key), required) if kind == "text"
                              else number(value, file, where(k, key), kind == "points"))
    return columns


def _texts(values: list, required: bool) -> tuple[np.ndarray, bool]:
    """The values with text stripped and each distinct text one object, in every chunk (interned: so
    that factorizing them later, in the engine and the writers, finds equal texts by identity), and
    whether all are plain:
    non-empty text, or None where a value is not ``required``."""
    array = objects(values)
    try:
        codes, uniques = pd.factorize(array)
    except TypeError:                                        # an object or a list where text goes
        return array, False
    uniques = uniques.tolist()
    distinct = np.empty(len(uniques) + 1, dtype=object)      # code -1 (None, NaN): None
    kept = [sys.intern(u.strip()) if u.__class__ is str else u.strip() if isinstance(u, str) else u for u in uniques]
    distinct[:-1] = kept
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


def json_path(path: str | tuple) -> str:
    """A JSON path, from its text or from (project path, indicator index, key)."""
    if isinstance(path, str):
        return path
    project, index, key = path
    return f"{project}.indicators[{index}]" + (f".{key}" if key else "")


def projects_of(data: Any, file: str) -> tuple[str | None, Iterable[tuple[str, Any]]]:
    """The ruleset a document names, and (path, project) of each project in it: the items of a
    document that is an array, of its ``projects``, or the document itself. A ``Document``'s projects
    are decoded one by one as they are reached."""
    if isinstance(data, Document):
        if data.items is not None:
            return None, data.projects(data.items, "$")
        if any(columns.json_keys(DOCUMENT).get(key) == "projects" for key in data.top):
            top = canonical(data.top, DOCUMENT, file, "$")
            items = data.array(top["projects"])
            if items is None:
                raise InputError("projects 应为数组 / expected an array", file, "$.projects")
            return text(data.value(top.get("ruleset")), file, "$.ruleset"), data.projects(items, "$.projects")
        data = data.whole()
    if isinstance(data, list):
        return None, [(f"$[{i}]", p) for i, p in enumerate(data)]
    if not isinstance(data, dict):
        raise InputError("应为对象或数组 / expected an object or an array", file, "$")
    if any(columns.json_keys(DOCUMENT).get(key) == "projects" for key in data):
        top = canonical(data, DOCUMENT, file, "$")
        ruleset = text(top.get("ruleset"), file, "$.ruleset")
        if not isinstance(top["projects"], list):
            raise InputError("projects 应为数组 / expected an array", file, "$.projects")
        return ruleset, [(f"$.projects[{i}]", p) for i, p in enumerate(top["projects"])]
    return text(data.get("ruleset"), file, "$.ruleset"), [("$", data)]


def canonical(raw: Any, level: str, file: str, path: str | tuple) -> dict:
    if not isinstance(raw, dict):
        raise InputError("应为对象 / expected an object", file, json_path(path))
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
            raise InputError(f"未知的键「{name}」{hint} / unknown key", file, f"{json_path(path)}.{name}", code=InputCode.UNKNOWN_KEY)
        if key in out:
            raise InputError(f"「{name}」与另一个同义键重复 / the same key given twice", file, f"{json_path(path)}.{name}", code=InputCode.DUPLICATE_KEY)
        out[key] = value
    return out


def text(value: Any, file: str, path: str | tuple, required: bool = False) -> str | None:
    if type(value) is str and value:           # the common case, first
        stripped = value.strip()
        if stripped:
            return stripped
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InputError("缺少此项 / missing", file, json_path(path))
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise InputError(f"应为文字，而不是 {type(value).__name__} / expected text", file, json_path(path))
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def number(value: Any, file: str, path: str | tuple, points: bool = False) -> float:
    """A number, or a string holding one (``"1,025,100"``); NaN when absent. Refused: what is not a
    finite number, or not below 10¹⁵ in size; with ``points`` (分值, 得分), what is not from 0 to 100."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return math.nan
    if isinstance(value, bool):
        raise InputError("应为数字 / expected a number", file, json_path(path))
    if isinstance(value, int) and not -_LARGEST < value < _LARGEST:
        number = math.inf
    elif isinstance(value, (int, float)):
        number = float(value)
    else:
        try:
            number = float(str(value).replace(",", "").replace("，", "").strip())
        except ValueError:
            raise InputError(f"应为数字，而不是「{value}」 / expected a number", file, json_path(path)) from None
    if not math.isfinite(number) and not isinstance(value, int):      # an integer too large for a float is out of range
        raise InputError("应为有限的数字 / expected a finite number", file, json_path(path))
    if problem := out_of_range(number, points):
        raise InputError(f"{problem}，而不是 {shown(value)} / out of range", file, json_path(path),
                         code=InputCode.OUT_OF_RANGE)
    return number


def shown(value: Any) -> str:
    """A value as a message quotes it: at most 24 characters."""
    if isinstance(value, int) and abs(value) >= 10 ** 24:
        return f"约 10 的 {len(str(abs(value))) - 1} 次方" if value.bit_length() < 13_000 else "一个极大的整数"
    text = str(value)
    return text if len(text) <= 24 else f"{text[:20]}…（{len(text)} 个字符）"


def out_of_range(value: float, points: bool = False) -> str | None:
    """Why a finite number cannot be taken (in Chinese), or None: 10¹⁵ or more in size (past what
    every output carries exactly), or with ``points`` not from 0 to 100."""
    if points and not 0 <= value <= 100:
        return "分值应在 0 到 100 之间"
    if abs(value) >= LARGEST:
        return f"数值应小于 10 的 {SIGNIFICANT} 次方"
    return None

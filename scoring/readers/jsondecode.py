"""JSON files → Python values: decoded a project at a time by msgspec, so that a province's million
indicator objects never live at once, with the standard library's decoder as the fallback that keeps
every file's meaning and every error as they were.

The file's bytes are first split into its top-level values and its projects' texts without building
them (``Document``); each project is then built when its reader asks for it (``Document.projects``)
and let go once it has been read into columns. A file the fast decoder does not take exactly as the
standard library would (not UTF-8, a number past the float range, NaN, a lone surrogate, nesting past
its depth) raises ``Slow`` wherever that is found, and the whole file is read the standard library's
way (``load_json``).

A key given twice is found by counting: a JSON text has one ``:`` outside its strings per member of
its objects, so a project in which there are no more ``:`` than the members of the objects it was
decoded into has no key twice; any other project is decoded again with each object's pairs seen.
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import Any, Iterator

import msgspec

from scoring.errors import InputCode, InputError
from scoring.readers import limits
from scoring.readers.sources import decoded, read_bytes

_DECODE = msgspec.json.Decoder()
_PARTS = msgspec.json.Decoder(dict[str, msgspec.Raw] | list[msgspec.Raw])
_ITEMS = msgspec.json.Decoder(list[msgspec.Raw])


class Slow(Exception):
    """The fast decoder cannot read this file as the standard library does: read it that way."""


class Document:
    """A JSON file split into its top-level values (``top``: key → raw text, for an object) or items
    (``items``: raw texts, for an array), each decoded when asked for."""

    def __init__(self, raw: bytes, file: str) -> None:
        self.raw, self.file = raw, file
        try:
            parts = _PARTS.decode(raw)
        except (msgspec.MsgspecError, RecursionError):
            raise Slow from None
        self.top, self.items = (parts, None) if isinstance(parts, dict) else (None, parts)
        inside = sum(map(_colons, parts.values() if self.top is not None else parts))
        if raw.count(b":") != inside + len(self.top or ()):
            raise Slow                 # a top-level key twice (or a ":" in one): the standard library finds which

    def value(self, raw: msgspec.Raw | None) -> Any:
        """A top-level value, decoded whole (None stands for an absent one)."""
        return None if raw is None else _decoded(raw)

    def whole(self) -> Any:
        """The file decoded whole (a document of one project)."""
        return self._project(self.raw, "$")

    def array(self, raw: msgspec.Raw) -> list[msgspec.Raw] | None:
        """The items of the top-level array ``raw``, each still raw; None when ``raw`` is no array."""
        try:
            return _ITEMS.decode(raw)
        except msgspec.ValidationError:
            return None
        except (msgspec.MsgspecError, RecursionError):
            raise Slow from None

    def projects(self, items: list[msgspec.Raw], path: str) -> Iterator[tuple[str, Any]]:
        """(path, project) of each item of the array at ``path``, decoded as it is reached (a batch
        at a time: their ``:`` are counted together, and only a batch with more is counted one by one)."""
        for start in range(0, len(items), _BATCH):
            batch = items[start:start + _BATCH]
            projects = list(map(_decoded, batch))
            if b"".join(batch).count(b":") > sum(map(_members, projects)):
                for k, (raw, project) in enumerate(zip(batch, projects)):
                    self._checked(raw, project, f"{path}[{start + k}]")
            yield from ((f"{path}[{start + k}]", project) for k, project in enumerate(projects))

    def _project(self, raw: msgspec.Raw | bytes, path: str) -> Any:
        return self._checked(raw, _decoded(raw), path)

    def _checked(self, raw: msgspec.Raw | bytes, project: Any, path: str) -> Any:
        if _colons(raw) > _members(project):
            duplicate(bytes(raw).decode("utf-8"), self.file, path)
        return project


def _decoded(raw: msgspec.Raw) -> Any:
    try:
        return _DECODE.decode(raw)
    except (msgspec.MsgspecError, RecursionError):
        raise Slow from None


def _colons(raw: msgspec.Raw) -> int:
    view = memoryview(raw)
    return sum(bytes(view[i:i + _BLOCK]).count(b":") for i in range(0, len(view), _BLOCK))


_BLOCK = 1 << 20             # counted a block at a time: a file's projects are not copied whole
_BATCH = 64                  # projects decoded and checked together


def _members(project: Any) -> int:
    """The members of a project's object, its budget's and its indicators' (a project made otherwise
    counts what it can; fewer members than ``:`` only means that it is checked the slow way)."""
    if not isinstance(project, dict):
        return 0
    count = len(project)
    for value in project.values():
        if value.__class__ is dict:
            count += len(value)
        elif value.__class__ is list and all(map(dict.__instancecheck__, value)):
            count += sum(map(len, value))
    return count


def load_json(source: str | Path | dict | list, role: str, fast: bool = True) -> tuple[Any, str]:
    """A JSON file's path, or data already loaded → (data, its name for errors); the data of a file is
    a ``Document`` unless the fast decoder cannot take it (or ``fast`` is False). A file is refused, by
    its code, when it cannot be read, is empty, too large, not text, not JSON, nested past what the
    parser holds, or gives one key twice in an object (read the standard library's way: only up to
    limits.DUPLICATE_KEYS_BYTES)."""
    if isinstance(source, (dict, list)):
        return source, f"<{role}>"
    path = Path(source)
    raw = read_bytes(path)
    if fast:
        try:
            return Document(raw, str(path)), str(path)
        except Slow:
            pass
    text, _ = decoded(raw, str(path))                # a character cut off ends in a JSON syntax error
    hook = None if len(raw) > limits.DUPLICATE_KEYS_BYTES else partial(_object, [])
    return _loads(text, hook, str(path)), str(path)


def duplicate(text: str, file: str, path: str = "$") -> None:
    """Refuse the JSON ``text`` (found at ``path`` of ``file``) where one of its objects gives a key twice."""
    _loads(text, partial(_object, []), file, path)


def _loads(text: str, hook, file: str, at: str = "$") -> Any:
    try:
        try:
            data = json.loads(text, object_pairs_hook=hook)
        except ValueError as error:
            if isinstance(error, json.JSONDecodeError):
                raise
            data = json.loads(text, object_pairs_hook=hook, parse_int=_integer)   # past int()'s 4,300 digits
    except json.JSONDecodeError as error:
        raise InputError(f"JSON 语法错误：第 {error.lineno} 行第 {error.colno} 列，{error.msg} / invalid JSON",
                         file, code=InputCode.BAD_SYNTAX) from None
    except RecursionError:
        raise InputError(f"JSON 嵌套过深（可读 {limits.NESTING} 层以内） / nested too deep", file,
                         code=InputCode.TOO_DEEP) from None
    if hook is not None and hook.args[0]:
        where, key = _first_duplicate(data, at)
        raise InputError(f"同一对象中「{key}」出现两次，无法判断取哪一个 / a key given twice", file,
                         f"{where}.{key}", code=InputCode.DUPLICATE_KEY)
    return data


_HUGE = 10 ** 4400


def _integer(digits: str) -> int:
    """A JSON integer; one too long for int() (4,300 digits) stands as a larger one, which the readers
    refuse as out of range."""
    return int(digits) if len(digits) <= 4000 else -_HUGE if digits.startswith("-") else _HUGE


class _Twice(dict):
    """A JSON object that gave ``key`` twice (the last value kept, as json does)."""

    key: str


def _object(duplicates: list, pairs: list) -> dict:
    made = dict(pairs)
    if len(made) == len(pairs):
        return made
    twice = _Twice(made)
    seen: set = set()
    twice.key = next(k for k, _ in pairs if k in seen or seen.add(k))
    duplicates.append(twice)
    return twice


def _first_duplicate(data: Any, at: str = "$") -> tuple[str, str]:
    """The JSON path of the first object in document order that gave a key twice, and the key."""
    stack = [(at, data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, _Twice):
            return path, value.key
        if isinstance(value, dict):
            stack += [(f"{path}.{k}", v) for k, v in value.items()][::-1]
        elif isinstance(value, list):
            stack += [(f"{path}[{i}]", v) for i, v in enumerate(value)][::-1]
    raise AssertionError("a duplicate was seen but not found")


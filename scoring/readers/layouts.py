"""Declaration-table layouts (vocabularies/layouts/*.toml): data, deltas over a base like rulesets.

Each layout says how to recognise a family of 绩效目标申报表, its vocabulary of 一级 and 二级指标, and
the ruleset the imported targets name. A layout file is checked at load: unknown keys and values of
the wrong type are errors naming the file and the key.
"""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from scoring.errors import InputError

_FOLDER = "layouts"
_KEYS = {"base": str, "replace": list, "name": str, "title": str, "markers": list, "project_label": str,
         "value_headers": list, "levels": dict, "ruleset": str, "kind": str, "work_columns": bool}
_KINDS = ("project", "department")


@dataclass(frozen=True)
class Layout:
    """One family of declaration tables: how to recognise it, its levels, and its rules."""

    name: str
    title: str
    markers: tuple[str, ...]                       # all must appear in the text
    project_label: str                             # the cell that starts a project
    value_headers: tuple[str, ...]                 # header cells of the target column(s)
    levels: dict[str, tuple[str, ...]]             # 一级指标 → its known 二级指标
    ruleset: str
    kind: str = "project"
    work_columns: bool = False                     # 重点工作 / 对应项目 columns (部门整体)


@cache
def layouts() -> tuple[Layout, ...]:
    """The shipped layouts that can be detected (a base has no markers), in the order of their names."""
    folder = resources.files("scoring.vocabularies_data").joinpath(_FOLDER)
    names = sorted(entry.name[:-5] for entry in folder.iterdir() if entry.name.endswith(".toml"))
    return tuple(layout for layout in map(load_layout, names) if layout.markers)


@cache
def load_layout(name: str) -> Layout:
    data = _merged(name, ())
    return Layout(data["name"], data["title"], tuple(data["markers"]), data["project_label"],
                  tuple(data["value_headers"]), {level1: tuple(level2s) for level1, level2s in data["levels"].items()},
                  data["ruleset"], data["kind"], data["work_columns"])


def _merged(name: str, seen: tuple[str, ...]) -> dict:
    where = f"layouts/{name}.toml"
    entry = resources.files("scoring.vocabularies_data").joinpath(_FOLDER, f"{name}.toml")
    if not entry.is_file():
        raise InputError(f"没有名为「{name}」的申报表版式 / unknown layout", where)
    if name in seen:
        raise InputError(f"版式循环继承 / base cycle: {' → '.join((*seen, name))}", where, "base")
    try:
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"TOML 语法错误 / {error}", where) from None
    _check(data, where)
    if "base" not in data:
        return data
    base = _merged(data["base"], (*seen, name))
    replace = set(data.get("replace", ()))
    merged = dict(base)
    for key, value in data.items():
        if isinstance(value, dict) and key not in replace:
            merged[key] = {**base.get(key, {}), **value}
        elif key not in ("base", "replace"):
            merged[key] = value
    return merged


def _check(data: dict, where: str) -> None:
    for key, value in data.items():
        kind = _KEYS.get(key)
        if kind is None:
            near = difflib.get_close_matches(key, list(_KEYS), n=1, cutoff=0.5)
            hint = f"，是否指「{near[0]}」" if near else ""
            raise InputError(f"未知的键{hint} / unknown key", where, key)
        if not isinstance(value, kind):
            raise InputError(f"应为 {kind.__name__} / expected {kind.__name__}", where, key)
    if data.get("kind", "project") not in _KINDS:
        raise InputError(f"应为 {' 或 '.join(_KINDS)} / unknown kind", where, "kind")
    if "base" not in data:
        missing = [key for key in _KEYS if key not in ("base", "replace") and key not in data]
        if missing:
            raise InputError(f"缺少 {'、'.join(missing)} / missing", where)

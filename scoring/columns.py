"""The declared middle between the readers and the engine: the input columns, the names every reader
accepts for them (vocabularies/columns.toml, data), and the frames the engine takes.

Every reader (targets/actuals JSON, CSV/Parquet/DataFrame, xlsx) looks names up here, so an alias
accepted by one is accepted by all. A column with ``into`` (指标性质, 度量单位, 调整指标值; 资金名称,
资金金额) is read by every reader and composed into another (the target; the funds) before the frames
are built. ``Fund`` is one fund of an indicator reported across several (the ``funds`` column).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Mapping, NamedTuple

import numpy as np
import pandas as pd

from scoring import hanzi

LEVELS = ("document", "project", "budget", "indicator", "fund")

# The engine's input frames: column → dtype ("object" columns hold Python text with None for missing).
INDICATOR_FRAME = {"project": "int64", "position": "int64", "id": "object", "level1": "object", "level2": "object",
                   "name": "object", "target": "object", "half_year_target": "object", "weight": "float64",
                   "actual": "object", "reason": "object", "evaluator_score": "float64",
                   "level_points": "float64",                 # its 一级指标's points, where the project gives them
                   "funds": "object"}                         # a tuple of Fund in place of one actual, else None
PROJECT_FRAME = {"project": "int64", "id": "object", "name": "object", "kind": "object", "year": "object",
                 "unit": "object", "department": "object",
                 "goal": "object", "achieved": "object",       # 年度总体目标: 预期目标, 实际完成情况
                 "budget_initial": "float64",
                 "budget_adjusted": "float64", "budget_executed": "float64", "budget_half_year": "float64",
                 "budget_allocated": "float64", "budget_unit": "object", "has_actuals": "bool"}
# A project's 年度总体目标 (预期目标) and what was achieved (实际完成情况): texts, from targets or actuals.
GOALS = ("goal", "achieved")
# The cells a target may be split over (指标性质 | 指标值 | 度量单位, 调整指标值), composed into one target.
TARGET_PARTS = ("nature", "unit", "adjusted_target")
# The family of the rows of a project without 一级指标 (a level-less 部门整体 table).
UNGROUPED = ""
# The budget's amounts (initial, adjusted …): the keys of a budget object, each the column budget_<key>.
BUDGET_AMOUNTS = tuple(c.removeprefix("budget_") for c, dtype in PROJECT_FRAME.items()
                       if c.startswith("budget_") and dtype == "float64")
INDICATOR_COLUMNS = list(INDICATOR_FRAME)
PROJECT_COLUMNS = list(PROJECT_FRAME)
# The engine's scored frames: its input's columns and what the stages add (``parts``: compound targets'
# parts, only when there are some).
SCORED_FRAME = {**INDICATOR_FRAME, "family": "object", "outcome": "int64", "a": "float64", "b": "float64",
                "low": "float64", "high": "float64", "strict": "bool", "on_time": "bool", "status": "object",
                "method": "object", "op": "object", "tier": "object", "unit": "object", "flags": "object",
                "issues": "object", "rule": "object", "share": "float64", "computed_score": "float64", "score": "float64"}
SCORED_PROJECT_FRAME = {**PROJECT_FRAME, "budget_denominator": "float64", "budget_rate": "float64",
                        "budget_weight": "float64", "budget_score": "float64", "indicator_score": "float64",
                        "indicator_weight": "float64", "na_weight": "float64", "points": "float64",
                        "points_max": "float64", "total": "float64", "grade": "object", "issues": "object"}


class Fund(NamedTuple):
    """One fund of an indicator reported across several (分资金): its name, its money (None when not
    given; never negative) and its actual as written."""

    fund: str | None
    money: float | None
    actual: str


@dataclass(frozen=True)
class Frames:
    """What the inputs say, as the engine's frames; ``ruleset`` is the one targets.json names, if any."""

    projects: pd.DataFrame
    indicators: pd.DataFrame
    ruleset: str | None


def frame(values: Mapping, spec: Mapping[str, str]) -> pd.DataFrame:
    """A frame of the columns of ``spec`` in its order, each of its declared dtype. Text stays Python
    objects with None for missing (not a string dtype with NaN); a scalar fills its column."""
    n = next((len(v) for v in values.values() if v is not None and not np.isscalar(v)), 0)
    data = {}
    for name, dtype in spec.items():
        value = values[name]
        if value is None or np.isscalar(value):
            value = np.full(n, value, dtype=object)
        data[name] = pd.Series(value, dtype=dtype)
    return pd.DataFrame(data)


def owners(projects: pd.DataFrame, indicators: pd.DataFrame) -> np.ndarray:
    """Each indicator row's position in ``projects``, found by its ``project`` key (frames filtered or
    reordered by a caller keep their keys, not their positions)."""
    found = pd.Index(projects["project"].to_numpy()).get_indexer(indicators["project"].to_numpy())
    if (found < 0).any():
        missing = indicators["project"].to_numpy()[found < 0][0]
        raise ValueError(f"indicators of project {missing!r}, which the project frame does not have")
    return found.astype(np.int64)


@dataclass(frozen=True)
class Column:
    """One key of the input files: its object, its JSON key, its flat column, the names accepted."""

    level: str
    key: str
    column: str | None
    aliases: tuple[str, ...]
    local: tuple[str, ...]
    headers: tuple[str, ...]
    into: str | None = None        # the column it is composed into; not a column of the frames

    @property
    def label(self) -> str:
        """The Chinese name used in messages (三级指标 for ``name``)."""
        return (self.aliases or self.local or (self.key,))[0]


def normalized(header) -> str:
    """A header as compared: no spaces or colons, full-width brackets as half-width, simplified
    characters (一級指標 is 一级指标), lower case."""
    return hanzi.simplified(re.sub(r"[\s:：]", "", str(header)).replace("（", "(").replace("）", ")")).lower()


@cache
def table() -> tuple[Column, ...]:
    """Every column of vocabularies/columns.toml, checked: names unique where they are looked up."""
    text = resources.files("scoring.vocabularies_data").joinpath("columns.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    columns = tuple(Column(level, key, spec.get("column"), tuple(spec.get("aliases", ())),
                           tuple(spec.get("local", ())), tuple(spec.get("headers", ())), spec.get("into"))
                    for level in LEVELS for key, spec in data.get(level, {}).items())
    _check(columns, set(data) - set(LEVELS))
    return columns


def _check(columns: tuple[Column, ...], unknown_levels: set[str]) -> None:
    if unknown_levels:
        raise ValueError(f"columns.toml: unknown sections {sorted(unknown_levels)}")
    for level in LEVELS:
        names = [n for c in columns if c.level == level for n in (c.key, *c.aliases, *c.local)]
        repeated = {n for n in names if names.count(n) > 1}
        if repeated:
            raise ValueError(f"columns.toml: names given twice in [{level}]: {sorted(repeated)}")
    headers = [normalized(n) for c in columns if c.column for n in flat_names(c)]
    repeated = {n for n in headers if headers.count(n) > 1}
    if repeated:
        raise ValueError(f"columns.toml: headers given twice: {sorted(repeated)}")
    frame_columns = {c.column for c in columns if c.column and not c.into} | set(INDICATOR_FRAME)
    wrong = [c.key for c in columns if c.into and (not c.column or c.into not in frame_columns)]
    if wrong:
        raise ValueError(f"columns.toml: into names no column of the frames, or the key has no column: {wrong}")


def flat_names(column: Column) -> tuple[str, ...]:
    """The headers a flat table may give ``column`` under."""
    return (column.column, *column.aliases, *column.headers)


@cache
def json_keys(level: str) -> dict[str, str]:
    """Every name a JSON object of ``level`` accepts → its canonical key (the keys themselves too)."""
    return {name: c.key for c in table() if c.level == level for name in (c.key, *c.aliases, *c.local)}


@cache
def keys(level: str) -> frozenset[str]:
    """The canonical keys of a JSON object of ``level``."""
    return frozenset(c.key for c in table() if c.level == level)


@cache
def _headers() -> dict[str, str]:
    return {normalized(name): c.column for c in table() if c.column for name in flat_names(c)}


def column_of(header) -> str | None:
    """The flat column a header names (``三级指标`` → ``name``, ``Project_ID`` → ``project_id``), or None."""
    return None if header is None else _headers().get(normalized(header))


@cache
def by_column() -> dict[str, Column]:
    return {c.column: c for c in table() if c.column}


def label(column: str) -> str:
    """The Chinese name of a flat column, for messages."""
    return by_column()[column].label

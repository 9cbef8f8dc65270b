"""Stage 1, families: each row's 一级指标 name (in either script: 產出指標; spaces apart: 产 出 指 标) →
the key of the ruleset's family (None: unknown).

A project none of whose rows has a 一级指标 (a level-less 部门整体 table: 指标名称 | 指标值 | 权重 …) is
``UNGROUPED``: its indicators without a weight share the indicator points equally (weights.py). A row
without one in a project whose other rows have one is unknown.
"""

from __future__ import annotations

import re
from functools import lru_cache

import numpy as np
import pandas as pd

from scoring import hanzi
from scoring._columnar.distinct import objects
from scoring.columns import UNGROUPED
from scoring.rulesets import Ruleset


def assign(rows: pd.DataFrame, ruleset: Ruleset) -> pd.Series:
    """The family key of every row of ``rows`` (columns project, level1)."""
    keys = {name: family.key for name, family in ruleset.level1_index.items()}
    level1 = rows["level1"].to_numpy(dtype=object)
    codes, names = pd.factorize(level1, use_na_sentinel=False)
    family = objects([keys.get(name, keys.get(compared(name))) if isinstance(name, str) else None
                      for name in names])[codes]
    empty = np.array([not name for name in names] + [False], dtype=bool)[codes]
    if empty.any():
        level_less = pd.Series(empty).groupby(rows["project"].to_numpy()).transform("all").to_numpy()
        family[empty & level_less] = UNGROUPED
    return pd.Series(family, index=rows.index, dtype=object)


@lru_cache(maxsize=1 << 16)
def compared(level1: str) -> str:
    """A 一级指标 as looked up: simplified, without the spaces PDF text puts between its characters
    (产 出 指 标 is 产出指标)."""
    return hanzi.simplified(re.sub(r"\s", "", level1))


def unknown(ruleset: Ruleset, level1: str, hint: str = "") -> str:
    """Why a row of this 一级指标 has no family; ``hint`` names the rulesets that know it."""
    if not level1:
        return "缺少一级指标（同一项目的其他指标有一级指标） / no first-level name"
    return f"规则集 {ruleset.name} 不认识一级指标「{level1}」{hint}"

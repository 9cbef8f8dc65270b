"""Stage 1, families: each row's 一级指标 name → the key of the ruleset's family (None: unknown)."""

from __future__ import annotations

import pandas as pd

from scoring._columnar.distinct import objects
from scoring.rulesets import Ruleset


def assign(level1: pd.Series, ruleset: Ruleset) -> pd.Series:
    keys = {name: family.key for name, family in ruleset.level1_index.items()}
    codes, names = pd.factorize(level1.to_numpy(dtype=object), use_na_sentinel=False)
    return pd.Series(objects([keys.get(name) for name in names])[codes], index=level1.index, dtype=object)

"""Stage 7, over-achievement: a ``>=`` or ``>`` target met at B / A of the ruleset's ratio or more is
flagged (超额完成，需说明原因), and loses the ruleset's deduction of its share (10号 takes none; a
deduction of 1 is a cut-off: 超过30%不得分). ``strict``: only above the ratio, not at it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.codes import Flag
from scoring._columnar.distinct import objects
from scoring.model import Op
from scoring.rulesets import Ruleset


def apply(out: pd.DataFrame, ruleset: Ruleset) -> None:
    ratio = float(ruleset.over_ratio)
    with np.errstate(divide="ignore", invalid="ignore"):
        achieved = out["b"] / out["a"]
        beyond = achieved > ratio + 1e-12 if ruleset.over_strict else achieved >= ratio - 1e-12
        over = (out["op"].isin([Op.GE, Op.GT]) & (out["a"] > 0) & beyond).to_numpy()
    if over.any():
        out.loc[over, "share"] = out.loc[over, "share"] * (1 - float(ruleset.over_deduction))
        flags = out["flags"].to_numpy(dtype=object).copy()
        flags[over] = objects([f + (Flag.OVER_ACHIEVEMENT,) for f in flags[over]])
        out["flags"] = pd.Series(flags, index=out.index, dtype=object)

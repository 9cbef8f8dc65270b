"""Section points printed in a level's header cell (产出指标(60分), 效益指标（10分）, 产出指标 40 分,
决策(10)): the 一级指标's name and its points apart, as every reader gives them (the points become
``level_points``)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from scoring._columnar.distinct import objects

_NUMBER = r"[0-9]+(?:\.[0-9]+)?"
_POINTS = re.compile(rf"(?P<name>.*?)\s*(?:[(（]\s*(?P<bracketed>{_NUMBER})\s*分?\s*[)）]|(?P<bare>{_NUMBER})\s*分)\s*")
_MOST = 100       # (2023) after a name is not its points


def split_points(level1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each 一级指标 cell without its printed points, and the points (NaN where none are printed)."""
    codes, uniques = pd.factorize(level1)
    found = [_POINTS.fullmatch(u) if isinstance(u, str) else None for u in uniques]
    found = [m if m and m["name"] and float(m["bracketed"] or m["bare"]) <= _MOST else None for m in found]
    if not any(found):
        return level1, np.full(len(level1), np.nan)
    names = objects([m["name"] if m else u for m, u in zip(found, uniques)] + [None])
    points = np.array([float(m["bracketed"] or m["bare"]) if m else np.nan for m in found] + [np.nan])
    return names[codes], points[codes]

"""Section points printed in a level's header cell (产出指标(60分), 效益指标（10分）): the 一级指标's
name and its points apart, as every reader gives them (the points become ``level_points``)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from scoring._columnar.distinct import objects

_POINTS = re.compile(r"(?P<name>.*?)\s*[(（]\s*(?P<points>[0-9]+(?:\.[0-9]+)?)\s*分\s*[)）]\s*")


def split_points(level1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each 一级指标 cell without its printed points, and the points (NaN where none are printed)."""
    codes, uniques = pd.factorize(level1)
    found = [_POINTS.fullmatch(u) if isinstance(u, str) and "分" in u else None for u in uniques]
    if not any(found):
        return level1, np.full(len(level1), np.nan)
    names = objects([m["name"] if m else u for m, u in zip(found, uniques)] + [None])
    points = np.array([float(m["points"]) if m else np.nan for m in found] + [np.nan])
    return names[codes], points[codes]

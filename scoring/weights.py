"""Indicator weights, in whole cents, for many projects at once.

Explicit weights are used as given. The rest of a family's weight is shared equally, in cents, by the
indicators of that family without one; the remainder cents go one each to the first of them in table
order (50 over 7: 7.15, 7.15, 7.14, 7.14, 7.14, 7.14, 7.14), so a project that meets every target
scores exactly 100. A family a project lacks gives its weight to the families present, in proportion
(largest remainders first, ties in table order). A project whose rows have no 一级指标 (a level-less
部门整体 table) shares the indicator points over them as one group. A project that gives its levels' points
(``level_points``: 产出指标(60分)) shares each level's points over that level's indicators instead, and
its other families share what is left. Overshooting weights and totals that are not 100 are
reported, never rescaled.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scoring.codes import IssueCode
from scoring.columns import UNGROUPED
from scoring.rulesets import Ruleset


def split_cents(frame: pd.DataFrame, group: str, total: str, share: str) -> np.ndarray:
    """Split each group's ``total`` cents over its rows in proportion to ``share``, exactly.

    Rows keep their order; each row gets the floor of its proportional part, and the cents left over go
    one each to the rows with the largest fractional parts, ties to the earlier row.
    """
    if frame.empty:
        return np.zeros(0, dtype=np.int64)
    codes, uniques = pd.factorize(frame[group].to_numpy())
    shares = frame[share].to_numpy(dtype=float)
    share_sum = pd.Series(shares).groupby(codes).sum().to_numpy()[codes]      # compensated, as bincount is not
    totals = frame[total].to_numpy(dtype=np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        exact = np.where(share_sum > 0, totals * shares / share_sum, 0.0)
    floor = np.floor(exact + 1e-9).astype(np.int64)
    left = totals - np.bincount(codes, weights=floor, minlength=len(uniques)).astype(np.int64)[codes]
    rows = np.arange(len(frame))
    order = np.lexsort((rows, floor - exact, codes))          # by group, largest fraction first, then row
    ordered = codes[order]
    begins = np.concatenate(([True], ordered[1:] != ordered[:-1]))
    rank = np.empty(len(frame), dtype=np.int64)
    rank[order] = rows - np.maximum.accumulate(np.where(begins, rows, 0))     # place within its group
    return floor + (rank < np.where(share_sum > 0, left, 0)).astype(np.int64)


def assign(indicators: pd.DataFrame, ruleset: Ruleset) -> tuple[np.ndarray, list[dict]]:
    """Weights in cents for every indicator row (0 where its family is unknown), and project issues.

    ``indicators`` needs the columns project, family (None when unknown) and weight (NaN when absent).
    """
    family = indicators["family"].to_numpy(dtype=object)
    known = pd.notna(family)
    cents = np.zeros(len(indicators), dtype=np.int64)
    issues: list[dict] = []
    if not known.any():
        return cents, issues
    total = int(ruleset.indicator_points * 100)
    family_weight = {f.key: float(f.weight or 0) for f in ruleset.families}
    by_family = ruleset.weights_by == "family"
    family_codes, family_keys = pd.factorize(family[known])
    project = indicators["project"].to_numpy(dtype=np.int64)[known]
    group = project * len(family_keys) + family_codes if by_family else project   # whom the weight is shared by
    points = indicators["level_points"].to_numpy(dtype=float)[known]
    given_points = ~np.isnan(points)
    if given_points.any():                     # a level with its points given is a group of its own
        level_codes, level_names = pd.factorize(indicators["level1"].to_numpy(dtype=object)[known])
        group = np.where(given_points, -1 - (project * len(level_names) + level_codes), group)
    group_codes, _ = pd.factorize(group)
    first = np.unique(group_codes, return_index=True)[1]
    fixed = np.floor(points[first] * 100 + 0.5 + 1e-9)              # a level's points, in cents
    is_fixed = ~np.isnan(fixed)
    fixed = np.where(is_fixed, fixed, 0).astype(np.int64)
    share = np.array([family_weight.get(family_keys[c], 0.0) for c in family_codes[first]]) if by_family else 1.0
    if by_family and UNGROUPED in set(family_keys):       # a level-less project shares all
        alone = pd.Series(family_keys[family_codes[first]] == UNGROUPED).groupby(project[first]).transform("all")
        share = np.where(alone.to_numpy(), 1.0, share)
    families = pd.DataFrame({"project": project[first], "group": np.arange(len(first)),
                             "share": np.where(is_fixed, 0.0, share)})
    left = total - pd.Series(fixed).groupby(families["project"].to_numpy()).transform("sum").to_numpy()
    families["total"] = np.maximum(left, 0)
    families["cents"] = np.where(is_fixed, fixed, split_cents(families, "project", "total", "share"))

    explicit = np.floor(indicators["weight"].to_numpy(dtype=float)[known] * 100 + 0.5 + 1e-9)   # half-up to cents
    has_weight = ~np.isnan(explicit)
    frame = pd.DataFrame({"group": group_codes, "explicit": np.where(has_weight, explicit, 0.0),
                          "open": (~has_weight).astype(float)})
    given = np.bincount(group_codes, weights=frame["explicit"].to_numpy(), minlength=len(first))[group_codes]
    rest = families["cents"].to_numpy()[group_codes] - given
    for g in pd.unique(group_codes[rest < 0]):
        issues.append({"project": int(project[first[g]]), "code": IssueCode.WEIGHTS_OVERSHOOT,
                       "family": family_keys[family_codes[first[g]]] if by_family else None,
                       "message": "显式分值之和超过可分配的权重 / explicit weights overshoot the weight to share"})
    frame["rest"] = np.maximum(rest, 0).astype(np.int64)
    shared = split_cents(frame, "group", "rest", "open")
    cents[known] = np.where(has_weight, explicit, shared).astype(np.int64)
    return cents, issues

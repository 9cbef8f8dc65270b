"""Compound targets (使用率 100%误差率 ≤1%): each part is scored as a row of its own, with an equal
share of the indicator's weight; the actual gives the parts by label or in order (one plain actual, or
a tier word, stands for every part)."""

from __future__ import annotations

from typing import Callable

import numpy as np
import pandas as pd

from scoring.codes import Flag, Method, Status
from scoring._columnar.distinct import objects
from scoring.engine import points
from scoring.engine.readings import Memo
from scoring.model import Kind, Reading
from scoring.rulesets import Ruleset


def apply(result: pd.DataFrame, rows: pd.DataFrame, ruleset: Ruleset, memo: Memo,
          score_rows: Callable[[pd.DataFrame, Ruleset, Memo], pd.DataFrame]) -> pd.DataFrame:
    """Each part of a compound target takes an equal share of w; the actual gives the parts by label or
    in order (one plain actual, or a tier word, stands for every part)."""
    owners = np.flatnonzero(result["method"].to_numpy(dtype=object) == Method.COMPOUND)
    if not owners.size:
        return result
    parts = {name: [] for name in ("owner", "target", "actual", "name")}
    for i, target, actual in zip(owners, rows["target"].to_numpy(dtype=object)[owners],
                                 rows["actual"].to_numpy(dtype=object)[owners]):
        target_parts = memo.target(target).reading.parts
        for part, part_actual in zip(target_parts, _actual_parts(actual if isinstance(actual, str) else None, target_parts, memo)):
            parts["owner"].append(i)
            parts["target"].append(part.text)
            parts["actual"].append(part_actual)
            parts["name"].append(part.label)
    owner = np.array(parts["owner"])
    frame = rows.iloc[owner].reset_index(drop=True)
    frame["target"] = pd.Series(parts["target"], dtype=object)
    frame["actual"] = pd.Series(parts["actual"], dtype=object)
    labels = pd.Series(parts["name"], dtype=object)      # a part is named by its label (使用率), a rule too
    frame["name"] = labels.where(labels.notna(), frame["name"])
    frame["evaluator_score"] = np.nan
    counts = np.bincount(owner, minlength=len(rows))[owner]
    frame["weight"] = frame["weight"].to_numpy() / counts
    scored = score_rows(frame, ruleset, memo)
    status = scored["status"].to_numpy(dtype=object)
    share = np.where(status == Status.SCORED, scored["share"].to_numpy(), 0.0)
    by_owner = pd.DataFrame({"owner": owner, "share": share, "not_scored": status == Status.NOT_SCORED,
                             "not_applicable": status == Status.NOT_APPLICABLE}).groupby("owner", sort=False)
    summary = by_owner.agg(share=("share", "mean"), not_scored=("not_scored", "any"),
                           not_applicable=("not_applicable", "all"))
    index = summary.index.to_numpy()
    statuses = result["status"].to_numpy(dtype=object).copy()
    statuses[index] = objects([Status.SCORED, Status.NOT_SCORED, Status.NOT_APPLICABLE])[
        np.where(summary["not_applicable"], 2, np.where(summary["not_scored"], 1, 0))]
    shares = result["share"].to_numpy().copy()
    shares[index] = summary["share"].to_numpy()
    flags, issues = result["flags"].to_numpy(dtype=object).copy(), result["issues"].to_numpy(dtype=object).copy()
    given = result["evaluator_score"].to_numpy(dtype=float)
    part_lists = np.full(len(result), None, dtype=object)
    grouped: dict[int, list[int]] = {}
    for k, o in enumerate(owner):
        grouped.setdefault(int(o), []).append(k)
    part_flags, part_issues = scored["flags"].to_numpy(dtype=object), scored["issues"].to_numpy(dtype=object)
    targets, actuals = scored["target"].to_numpy(dtype=object), scored["actual"].to_numpy(dtype=object)
    for o, members in grouped.items():
        merged = tuple(dict.fromkeys(f for k in members for f in part_flags[k]))
        flags[o] = merged + ((Flag.OVERRIDE,) if given[o] == given[o] else ())
        issues[o] = issues[o] + tuple(issue._replace(message=f"{targets[k]}：{issue.message}") for k in members
                                      for issue in part_issues[k])
        part_lists[o] = tuple((targets[k], actuals[k], share[k], status[k]) for k in members)
    result["status"] = pd.Series(statuses, index=result.index, dtype=object)
    result["share"] = shares
    result["flags"] = pd.Series(flags, index=result.index, dtype=object)
    result["issues"] = pd.Series(issues, index=result.index, dtype=object)
    result["parts"] = pd.Series(part_lists, index=result.index, dtype=object)
    points.apply(result)
    return result


def _actual_parts(actual: str | None, target_parts: tuple[Reading, ...], memo: Memo) -> list[str | None]:
    if actual is None:
        return [None] * len(target_parts)
    reading = memo.actual(actual).reading
    if reading is not None and reading.label and any(part.label for part in target_parts):
        # one labelled actual (使用率 100%) answers only the part with that label
        return [actual if part.label == reading.label else None for part in target_parts]
    if reading is None or reading.kind is not Kind.COMPOUND:
        return [actual] * len(target_parts)
    by_label = {part.label: part.text for part in reading.parts if part.label}
    ordered = [part.text for part in reading.parts]
    return [by_label.get(part.label) if part.label in by_label else
            (ordered[k] if k < len(ordered) else None) for k, part in enumerate(target_parts)]

"""Past one machine: score a dask DataFrame (one row per indicator) with the same core.

    from scoring.dask import score_frame
    rows, totals = score_frame(ddf, ruleset="national-2020")

The rows of each project are first brought into one partition (a shuffle on ``project_id``); then
every partition is scored by ``scoring.score_frame``, exactly as pandas would, and the project totals
are the first row of each project. Works with any dask scheduler: the local one, or a cluster
(``dask.distributed.Client("tcp://scheduler:8786")``), see docs/scale.md. Needs the ``dask`` extra.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from scoring.api import score_frame as score_pandas
from scoring.report import CODES
from scoring.rulesets import Ruleset, load_ruleset

TOTAL_COLUMNS = ["project_id", "project_name", "total", "grade", "budget_score", "indicator_score", "project_issues"]


def score_frame(ddf, *, ruleset: str | Path | Ruleset | None = None, period: str = "year",
                explain: bool = True):
    """(indicators, totals) as dask DataFrames; ``.compute()`` gives what ``scoring.score_frame`` gives."""
    import dask.dataframe as dd  # the optional extra

    if not isinstance(ddf, dd.DataFrame):
        raise TypeError("score_frame expects a dask DataFrame; use scoring.score_frame for pandas")
    loaded = ruleset if isinstance(ruleset, Ruleset) else load_ruleset(ruleset or "national-2020")
    numbered = ddf.map_partitions(_number_rows, meta=_number_rows(_empty(ddf)))
    grouped = numbered.shuffle(on="project_id")       # a project's rows together, in any order
    meta = _partition(_empty(numbered), loaded, period, explain)
    scored = grouped.map_partitions(_partition, loaded, period, explain, meta=meta)
    rows = scored[[c for c in meta.columns if c not in TOTAL_COLUMNS[2:]]]
    totals = scored[TOTAL_COLUMNS].drop_duplicates(subset=["project_id"])
    return rows, totals


def _empty(ddf) -> pd.DataFrame:
    return ddf._meta.copy()


def _number_rows(part: pd.DataFrame, partition_info: dict | None = None) -> pd.DataFrame:
    """Where each row stood (partition, row), so that table order survives the shuffle: the remainder
    cents of shared weights go to the first indicators in table order."""
    number = partition_info["number"] if partition_info else 0
    return part.assign(_partition=number, _row=range(len(part)))


def _partition(part: pd.DataFrame, ruleset: Ruleset, period: str, explain: bool) -> pd.DataFrame:
    """One partition scored, with its projects' totals on every row."""
    if part.empty:
        columns = ["project_id", "project_name", "indicator_id", "level1", "level2", "name", "target", "actual",
                   "weight", "score", "status", "method", "flags", "issues", "explanation"]
        frame = pd.DataFrame({c: pd.Series(dtype=float if c in ("weight", "score") else object) for c in columns})
        for column in TOTAL_COLUMNS[2:]:
            frame[column] = pd.Series(dtype=float if column in ("total", "budget_score", "indicator_score") else object)
        grades = pd.CategoricalDtype([grade for grade, _ in reversed(ruleset.grades)], ordered=True)
        return frame.astype({"level1": "category", "level2": "category", **CODES, "grade": grades})
    part = part.sort_values(["_partition", "_row"], kind="stable").drop(columns=["_partition", "_row"])
    rows, totals = score_pandas(part, ruleset=ruleset, period=period, explain=explain)
    totals = totals.rename(columns={"issues": "project_issues"})
    return rows.merge(totals[TOTAL_COLUMNS[:1] + TOTAL_COLUMNS[2:]], on="project_id", how="left")

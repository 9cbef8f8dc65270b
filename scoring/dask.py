"""Past one machine: score a dask DataFrame (one row per indicator) with the same core.

    from scoring.dask import score_frame
    rows, totals = score_frame(ddf, ruleset="national-2020")

The rows of each project are first brought into one partition (a shuffle on the project's key, read
as the flat reader reads it); then every partition is scored by ``scoring.score_frame``, exactly as
pandas would. The rows' level1 and level2 categories are the names found in every partition, sorted,
as pandas gives them for the whole table, so a partition's rows are finished once all are scored;
totals do not wait. Works with any dask scheduler: the local one, or a cluster
(``dask.distributed.Client("tcp://scheduler:8786")``), see docs/scale.md. Needs the ``dask`` extra.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from scoring.api import score_frame as score_pandas
from scoring.columns import column_of
from scoring.rulesets import DEFAULT, Ruleset, load_ruleset

LEVELS = ("level1", "level2")     # categories of the names found: in pandas, of the whole table, sorted
TOTAL = "total:"                  # the prefix of the totals' columns where they ride with the rows
HELPERS = ["_project", "_partition", "_row"]
SAMPLE = pd.DataFrame({"project_id": ["P"], "project_name": ["项目"], "level1": ["产出指标"], "level2": ["数量指标"],
                       "name": ["指标"], "target": ["1"], "actual": ["1"], "weight": [100.0]})


def score_frame(ddf, *, ruleset: str | Path | Ruleset | None = None, period: str = "year",
                explain: bool = True):
    """(indicators, totals) as dask DataFrames; ``.compute()`` gives what ``scoring.score_frame`` gives,
    but for the order of the rows. Both come from one scoring of each partition: compute them together
    (``dask.compute(rows, totals)``). The ruleset is loaded here and shipped to the workers."""
    import dask.dataframe as dd  # the optional extra
    from dask.dataframe.utils import clear_known_categories

    if not isinstance(ddf, dd.DataFrame):
        raise TypeError("score_frame expects a dask DataFrame; use scoring.score_frame for pandas")
    loaded = ruleset if isinstance(ruleset, Ruleset) else load_ruleset(ruleset or DEFAULT)
    score_pandas(ddf._meta, ruleset=loaded, period=period, explain=explain)   # what pandas raises for the columns
    key = next(c for name in ("project_id", "project_name") for c in ddf.columns if column_of(c) == name)
    numbered = ddf.map_partitions(_number_rows, key, meta=_number_rows(ddf._meta, key))
    grouped = numbered.shuffle(on="_project")                 # a project's rows together, in any order
    meta = clear_known_categories(_meta(loaded, period, explain), cols=list(LEVELS))   # known once all are scored
    scored = grouped.map_partitions(_partition, loaded, period, explain, meta=meta)
    names = scored[list(LEVELS)].reduction(_names, aggregate=_union, combine=_union, meta=pd.Series(dtype=object))
    rows = scored.map_partitions(_rows, names, meta=_rows(meta, _names(meta)))
    totals = scored.map_partitions(_totals, meta=_totals(meta))
    return rows, totals


def _number_rows(part: pd.DataFrame, key: str, partition_info: dict | None = None) -> pd.DataFrame:
    """The project's key, and where each row stood (partition, row), so that table order survives the
    shuffle: the remainder cents of shared weights go to the first indicators in table order."""
    number = partition_info["number"] if partition_info else 0
    return part.assign(_project=_project_keys(part[key]), _partition=number, _row=range(len(part)))


def _project_keys(column: pd.Series) -> np.ndarray:
    """Each cell's text, stripped, as the flat reader reads a project's id or name: rows it reads as
    one project (" P1" and "P1") share a key. Missing cells share one; the reader refuses them."""
    codes, uniques = pd.factorize(column)
    texts = [(v.decode(errors="replace") if isinstance(v, bytes) else str(v)).strip() for v in uniques.tolist()]
    return np.array(texts + [""], dtype=object)[codes]


def _meta(ruleset: Ruleset, period: str, explain: bool) -> pd.DataFrame:
    """A scored partition without rows: the columns and dtypes of one with rows, no level names, and
    Python text (object in pandas) as str: dask infers a Parquet schema from this frame, and cannot
    from an object column."""
    scored = _scored(SAMPLE, ruleset, period, explain).iloc[:0]
    return scored.astype({c: "str" for c, dtype in scored.dtypes.items() if dtype == object}).assign(
        **{level: scored[level].cat.set_categories([]) for level in LEVELS})


def _partition(part: pd.DataFrame, ruleset: Ruleset, period: str, explain: bool) -> pd.DataFrame:
    """One partition, its rows in table order, scored."""
    part = part.sort_values(["_partition", "_row"], kind="stable").drop(columns=HELPERS)
    return _scored(part, ruleset, period, explain)


def _scored(part: pd.DataFrame, ruleset: Ruleset, period: str, explain: bool) -> pd.DataFrame:
    """The scored rows, and beside them the projects' totals in the first rows of their own columns
    (a partition has at least as many rows as projects)."""
    rows, totals = score_pandas(part, ruleset=ruleset, period=period, explain=explain)
    return pd.concat([rows.reset_index(drop=True), totals.reset_index(drop=True).add_prefix(TOTAL)], axis=1)


def _names(part: pd.DataFrame) -> pd.Series:
    return pd.Series({level: tuple(part[level].cat.categories) for level in LEVELS})


def _union(found: pd.DataFrame) -> pd.Series:
    """The level names of several partitions (a row each), sorted as pandas sorts a table's."""
    return pd.Series({level: tuple(sorted(set().union(*found[level]))) for level in LEVELS})


def _rows(part: pd.DataFrame, names: pd.Series) -> pd.DataFrame:
    rows = part[[c for c in part.columns if not c.startswith(TOTAL)]]
    return rows.assign(**{level: rows[level].cat.set_categories(names[level]) for level in LEVELS})


def _totals(part: pd.DataFrame) -> pd.DataFrame:
    totals = part[[c for c in part.columns if c.startswith(TOTAL)]]
    return totals.iloc[:int(totals[f"{TOTAL}project_id"].notna().sum())].rename(columns=lambda c: c[len(TOTAL):])

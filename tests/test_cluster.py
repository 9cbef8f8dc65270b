"""scoring.dask on a cluster of worker processes (dask.distributed.LocalCluster): what pandas gives,
dtypes and all; a ruleset given by path travels loaded; every shipped ruleset pickles; the results
write to Parquet."""

import os
import pickle
import shutil
import sys

import pandas as pd
import pytest

from conftest import ROOT
from scoring import score_frame
from scoring.dask import score_frame as score_dask
from scoring.rulesets import available, load_ruleset

distributed = pytest.importorskip("distributed", reason="the dask extra is optional")
dask = pytest.importorskip("dask", reason="the dask extra is optional")
dd = pytest.importorskip("dask.dataframe", reason="the dask extra is optional")
sys.path.insert(0, str(ROOT / "benchmarks"))
from generate import flat, generate  # noqa: E402

ROWS = ["project_id", "indicator_id"]
HEADERS = {"project_id": "项目编号", "project_name": "项目名称", "indicator_id": "指标编号", "level1": "一级指标",
           "level2": "二级指标", "name": "三级指标", "target": "指标值", "actual": "实际完成值"}


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def province() -> pd.DataFrame:
    """4,000 generated indicators in random order, so that every project's rows lie in several
    partitions; one project has a 二级指标 no other has (一般指标 sorts before every other name), and
    one writes its id with stray spaces on half its rows (the flat reader strips them)."""
    table = flat(*generate(4000, seed=11))
    table.loc[table["project_id"] == "P0000002", "level2"] = "一般指标"
    spaced = table.index[table["project_id"] == "P0000003"][::2]
    table.loc[spaced, "project_id"] = " P0000003 "
    return table.sample(frac=1, random_state=5).reset_index(drop=True)


def same(left: pd.DataFrame, right: pd.DataFrame, by: list[str]) -> None:
    """Equal once sorted alike: values, columns, dtypes (categories and their order too)."""
    pd.testing.assert_frame_equal(left.sort_values(by).reset_index(drop=True), right.sort_values(by).reset_index(drop=True))


def test_worker_processes_give_what_pandas_gives(client, province):
    ddf = dd.from_pandas(province, npartitions=6)
    spread = ddf.map_partitions(lambda p: p[["project_id"]].drop_duplicates()).compute()["project_id"].value_counts()
    assert (spread > 1).mean() > 0.9                    # nearly every project starts out over several partitions
    rows, totals = score_frame(province)
    with distributed.get_task_stream(client) as stream:
        dask_rows, dask_totals = dask.compute(*score_dask(ddf))
    same(dask_rows, rows, ROWS)
    same(dask_totals, totals, ["project_id"])
    assert rows["level2"].cat.categories[0] == "一般指标"
    assert len(totals) == province["project_id"].str.strip().nunique()
    pids = client.run(os.getpid)
    scoring_tasks = [task for task in stream.data if isinstance(task["key"], tuple)
                     and task["key"][0].startswith("_partition-")]
    assert len(scoring_tasks) == 6 and {task["worker"] for task in scoring_tasks} <= set(pids)
    assert os.getpid() not in pids.values()


def test_a_table_under_chinese_headers_is_shuffled_by_its_project(client, province):
    table = province.head(1500).rename(columns=HEADERS)
    rows, totals = score_frame(table)
    dask_rows, dask_totals = dask.compute(*score_dask(dd.from_pandas(table, npartitions=4)))
    same(dask_rows, rows, ROWS)
    same(dask_totals, totals, ["project_id"])


def test_a_ruleset_given_by_path_is_read_once_where_score_frame_is_called(client, province, tmp_path):
    path = tmp_path / "bureau.toml"
    shutil.copy(ROOT / "rulesets" / "hubei.toml", path)
    rows, totals = score_frame(province, ruleset=path)
    assert not totals["total"].equals(score_frame(province)[1]["total"])       # the ruleset changes the scores
    lazy = score_dask(dd.from_pandas(province, npartitions=4), ruleset=path)
    path.unlink()                                        # the workers never read the file
    dask_rows, dask_totals = dask.compute(*lazy)
    same(dask_rows, rows, ROWS)
    same(dask_totals, totals, ["project_id"])


@pytest.mark.parametrize("name", available())
def test_a_shipped_ruleset_travels_to_a_worker_intact(name):
    ruleset = load_ruleset(name)
    ruleset.level1_index                                 # with its cached indexes filled in, as after a run
    travelled = pickle.loads(pickle.dumps(ruleset))
    assert travelled == ruleset and hash(travelled) == hash(ruleset)


def test_rows_and_totals_write_to_parquet_from_the_workers(client, province, tmp_path):
    pytest.importorskip("pyarrow", reason="Parquet needs pyarrow")
    rows, totals = score_dask(dd.from_pandas(province.head(600), npartitions=8))    # more partitions than projects
    dask.compute(rows.to_parquet(tmp_path / "rows", compute=False), totals.to_parquet(tmp_path / "totals", compute=False))
    expected_rows, expected_totals = score_frame(province.head(600))
    for folder, expected, by in (("rows", expected_rows, ROWS), ("totals", expected_totals, ["project_id"])):
        back = pd.read_parquet(tmp_path / folder)       # text as str, missing text as NaN: values compared
        pd.testing.assert_frame_equal(values(back.sort_values(by)), values(expected.sort_values(by)))


def values(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.reset_index(drop=True).astype(object).where(frame.notna().to_numpy(), None)

"""The batch path: score_frame on a flat table equals the one-project path exactly; CSV and Parquet
in and out of the command; the dask extra gives what pandas gives."""

import json
import sys
from pathlib import Path

import pandas as pd
import pytest

from conftest import ROOT
from scoring import InputError, score, score_frame
from scoring.cli import main

EXAMPLES = sorted(p for p in (ROOT / "examples").iterdir() if (p / "targets.json").exists())
sys.path.insert(0, str(ROOT / "benchmarks"))


def flatten(folder: Path) -> pd.DataFrame:
    """An example's targets.json + actuals.json as one row per indicator."""
    targets = json.loads((folder / "targets.json").read_text(encoding="utf-8"))
    actuals = json.loads((folder / "actuals.json").read_text(encoding="utf-8"))
    rows = []
    for project, done in zip(targets["projects"], actuals["projects"]):
        found = {i["id"]: i for i in done["indicators"]}
        budget = project.get("budget", {}) | done.get("budget", {})
        for indicator in project["indicators"]:
            actual = found.get(indicator["id"], {})
            rows.append({"project_id": project["id"], "project_name": project["name"],
                         "indicator_id": indicator["id"], "level1": indicator["level1"],
                         "level2": indicator["level2"], "name": indicator["name"], "target": indicator["target"],
                         "half_year_target": indicator.get("half_year_target"), "actual": actual.get("actual"),
                         "reason": actual.get("reason"), "weight": indicator.get("weight"),
                         "budget_initial": budget.get("initial"), "budget_adjusted": budget.get("adjusted"),
                         "budget_executed": budget.get("executed"), "budget_half_year": budget.get("half_year"),
                         "budget_unit": budget.get("unit")})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("folder", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_score_frame_equals_the_one_project_path(folder):
    report = score(folder / "targets.json", folder / "actuals.json")
    ruleset = json.loads((folder / "targets.json").read_text(encoding="utf-8"))["ruleset"]
    rows, totals = score_frame(flatten(folder), ruleset=ruleset)
    expected = report.to_dataframe()
    columns = ["indicator_id", "level1", "level2", "name", "target", "actual", "weight", "score", "status",
               "method", "flags", "issues", "explanation"]
    pd.testing.assert_frame_equal(rows[columns], expected[columns])
    assert totals[["total", "grade"]].equals(report.totals()[["total", "grade"]])


def test_all_examples_in_one_frame_keep_project_order_and_totals():
    frames = [flatten(folder) for folder in EXAMPLES if folder.name != "shanghai-2020"]   # one ruleset
    rows, totals = score_frame(pd.concat(frames, ignore_index=True))
    assert list(totals["project_id"]) == [f["project_id"].iat[0] for f in frames]
    assert len(rows) == sum(len(f) for f in frames)


def test_chinese_column_names_and_missing_columns():
    frame = pd.DataFrame({"项目编号": ["P"], "一级指标": ["产出指标"], "三级指标": ["完成率"], "指标值": ["≥95%"],
                          "实际完成值": ["96%"], "全年预算数": [100], "全年执行数": [100]})
    rows, totals = score_frame(frame)
    assert (rows["score"].iat[0], totals["total"].iat[0]) == (90.0, 100.0)
    with pytest.raises(InputError, match="name"):
        score_frame(frame.drop(columns=["三级指标"]))
    rows, totals = score_frame(frame.drop(columns=["一级指标"]))          # level-less: one group of 90 points
    assert (rows["level1"].iat[0], rows["weight"].iat[0], totals["total"].iat[0]) == ("", 90.0, 100.0)


def test_cells_of_any_type_read_as_their_own_text():
    """Cells that compare equal in Python (1, 1.0, True) but read differently are not merged; bytes
    from a binary column are text; a cell of commas alone is not a number."""
    frame = pd.DataFrame({"project_id": ["P"] * 4, "level1": ["产出指标"] * 4, "name": [1, 1.0, True, b"\xe5\xae\x8c"],
                          "target": ["≥95%"] * 4, "actual": ["96%"] * 4, "weight": [b"30", 30.0, "20", "2,0"]},
                         dtype=object)
    rows, _ = score_frame(frame)
    assert rows["name"].tolist() == ["1", "1.0", "True", "完"]
    assert rows["weight"].tolist() == [30.0, 30.0, 20.0, 20.0]
    rows, _ = score_frame(frame.assign(name=pd.Series([1, 1.0, 2, 2.5], dtype=object)))
    assert rows["name"].tolist() == ["1", "1.0", "2", "2.5"]
    with pytest.raises(InputError, match="「,」"):
        score_frame(frame.assign(weight=["10", ",", "10", "10"]))
    with pytest.raises(InputError, match="第 2 行 weight.*「True」"):
        score_frame(frame.assign(weight=pd.Series([10, True, 10, 10], dtype=object)))
    with pytest.raises(InputError, match="第 3 行 name.*UTF-8"):
        score_frame(frame.assign(name=[b"a", b"b", b"\xff", b"c"]))


def test_nullable_integer_columns_read_as_integers():
    """A Parquet file written by pandas gives Int64 columns, with <NA> for a missing cell."""
    frame = pd.DataFrame({"project_id": pd.Series([101, 101, 101], dtype="Int64"), "level1": ["产出指标"] * 3,
                          "indicator_id": pd.Series([1, 2, None], dtype="Int64"), "name": ["甲", "乙", "丙"],
                          "target": ["≥95%"] * 3, "actual": ["96%"] * 3,
                          "weight": pd.Series([30, None, 20], dtype="Int64")})
    rows, totals = score_frame(frame)
    assert rows["indicator_id"].tolist() == ["1", "2", "3"]
    assert rows["weight"].tolist() == [30.0, 40.0, 20.0]
    assert totals["project_id"].tolist() == ["101"]


def test_csv_and_parquet_in_and_out_of_the_command(tmp_path):
    folder = ROOT / "examples" / "shanghai-2026"
    source = tmp_path / "indicators.csv"
    flatten(folder).to_csv(source, index=False)
    out = tmp_path / "scored.csv"
    assert main([str(source), "-o", str(out), "--quiet"]) == 0
    scored = pd.read_csv(out)
    assert scored["score"].sum() == pytest.approx(89.56)
    pytest.importorskip("pyarrow", reason="Parquet needs pyarrow, an optional dependency")
    parquet = tmp_path / "indicators.parquet"
    flatten(folder).to_parquet(parquet, index=False)
    assert main([str(parquet), "-o", str(tmp_path / "scored.parquet")]) == 0
    assert pd.read_parquet(tmp_path / "scored.parquet")["score"].sum() == pytest.approx(89.56)


AWKWARD_CSV = {     # what the file holds, and whether pyarrow reads it (pandas reads a malformed file)
    "a byte-order mark, blanks, NA and null as text, leading zeros, a quoted line break, a repeated header": (
        "\ufeffproject_id,level1,name,target,actual,name,budget_executed\n"
        "007,产出指标,\"两行\n名称\",≥95%,NA,x,\"1,025,100\"\n"
        "007,效益指标,满意度,,null,y,\n"
        "\n"
        "008,产出指标,  空格  ,=100%, ,z,3\n", True),
    "a short row": ("project_id,level1,name,target\nA,产出指标,数量\nA,产出指标,质量,≥1\n", False),
    "a header alone": ("project_id,level1,name,target\n", True),
    "a blank first line": ("\nproject_id,level1,name\nA,产出指标,数量\n", False),
}


@pytest.mark.parametrize("text, by_arrow", list(AWKWARD_CSV.values()), ids=list(AWKWARD_CSV))
def test_a_csv_reads_alike_with_and_without_pyarrow(text, by_arrow, tmp_path, monkeypatch):
    pytest.importorskip("pyarrow", reason="compares the pyarrow reader with the pandas one")
    from scoring.readers.flat import frames, read_flat

    source = tmp_path / "indicators.csv"
    source.write_text(text, encoding="utf-8")
    table = read_flat(source)
    assert isinstance(table.dtypes.iloc[0], pd.CategoricalDtype) is by_arrow
    fast = frames(table)
    monkeypatch.setitem(sys.modules, "pyarrow", None)           # as if pyarrow were not installed
    plain = frames(read_flat(source))
    for got, expected in ((fast.projects, plain.projects), (fast.indicators, plain.indicators)):
        pd.testing.assert_frame_equal(got, expected)
    if "007" in text:
        assert fast.projects["id"].tolist() == ["007", "008"]
        assert fast.indicators["name"].tolist() == ["两行\n名称", "满意度", "空格"]
        assert fast.indicators["actual"].tolist() == ["NA", "null", None]
        assert fast.projects["budget_executed"].tolist() == [1025100.0, 3.0]


@pytest.mark.parametrize("content", [b"", b"project_id,level1,name\nA,\xff,x\n",
                                     b'project_id,level1,name,reason\nA,x,y,"first line\nB,x,z,second\n'],
                         ids=["empty", "not UTF-8", "a quote left open"])
def test_an_unreadable_csv_is_an_input_error_that_names_the_file(content, tmp_path):
    from scoring.readers.flat import read_flat

    source = tmp_path / "indicators.csv"
    source.write_bytes(content)
    with pytest.raises(InputError, match="cannot read|empty file|不是 GBK") as caught:
        read_flat(source)
    assert "indicators.csv" in str(caught.value)


def test_rows_of_a_project_that_lie_apart_come_together_in_their_order():
    from scoring.readers.flat import frames

    table = pd.DataFrame({"project_id": ["A", "B", "A"], "level1": ["产出指标"] * 3, "name": ["一", "二", "三"]})
    indicators = frames(table).indicators
    assert indicators[["project", "position", "id", "name"]].values.tolist() == [
        [0, 0, "1", "一"], [0, 1, "2", "三"], [1, 0, "1", "二"]]


def test_a_flat_table_takes_no_actuals_file(tmp_path, capsys):
    source = tmp_path / "indicators.csv"
    flatten(ROOT / "examples" / "shanghai-2026").to_csv(source, index=False)
    assert main([str(source), str(source)]) == 2
    assert "actuals" in capsys.readouterr().err


def test_dask_gives_what_pandas_gives():
    dd = pytest.importorskip("dask.dataframe", reason="the dask extra is optional")
    from generate import flat, generate
    from scoring.dask import score_frame as score_dask

    table = flat(*generate(3000, seed=7))
    rows, totals = score_frame(table)
    dask_rows, dask_totals = score_dask(dd.from_pandas(table, npartitions=5))
    dask_rows, dask_totals = dask_rows.compute(scheduler="threads"), dask_totals.compute(scheduler="threads")
    for ours, theirs, by in ((dask_rows, rows, ["project_id", "indicator_id"]), (dask_totals, totals, ["project_id"])):
        pd.testing.assert_frame_equal(ours.sort_values(by).reset_index(drop=True),
                                      theirs.sort_values(by).reset_index(drop=True))


def test_rows_a_shuffle_hands_over_out_of_order_are_scored_in_table_order():
    """A partition gets its rows from the shuffle in the order the pieces arrive; the remainder cents
    of shared weights still go to the first indicators in table order, as in pandas."""
    import numpy as np

    from generate import flat, generate
    from scoring.dask import _number_rows, _partition
    from scoring.rulesets import load_ruleset

    table = flat(*generate(600, seed=3))
    numbered = pd.concat([_number_rows(table.iloc[rows], "project_id", {"number": k})
                          for k, rows in enumerate(np.array_split(np.arange(len(table)), 3))])
    scored = _partition(numbered.iloc[::-1], load_ruleset(), "year", True)
    rows, _ = score_frame(table)
    by = ["project_id", "indicator_id"]
    assert (scored.sort_values(by)["weight"].to_numpy() == rows.sort_values(by)["weight"].to_numpy()).all()


def test_budget_points_of_many_projects_equal_the_exact_reckoning():
    import numpy as np
    from decimal import Decimal

    from scoring.engine.projects import _budget_points, _budget_scores

    rng = np.random.default_rng(1)
    budget = np.round(rng.uniform(1, 1e7, 20000), 2)
    executed = np.round(budget * rng.uniform(0.5, 1.1, len(budget)), 2)
    executed[::7] = budget[::7] * 0.9715            # ties and near-ties at the cent
    executed[::17], budget[::13] = -5.0, np.nan
    for weight in (Decimal(10), Decimal("15.5")):
        exact = [_budget_points(weight, e, b) for e, b in zip(executed, budget)]
        assert _budget_scores(weight, executed, budget).tolist() == exact


def test_a_report_is_freed_once_its_caller_drops_it():
    """Nothing the engine keeps after a run may hold the run's frames (an unreadable text's exception
    would, through its traceback and the callers' stack frames)."""
    import gc
    import weakref

    table = flatten(EXAMPLES[0])
    table.loc[0, "actual"] = "≥≥ 7.31 cannot be read here"         # a text no other test reads
    report = score(table)
    assert report._indicators.loc[0, "status"] == "not_scored"
    indicators, projects = weakref.ref(report._indicators), weakref.ref(report._projects)
    del report
    gc.collect()
    assert indicators() is None and projects() is None


def test_leftover_cents_go_to_the_largest_fractions_and_ties_to_the_earlier_rows():
    from scoring.weights import split_cents

    # 3000 × share / 172.5: the two 14.7s and the two 40s all end in .652…; three cents are left over
    shares = [29.9, 14.7, 40.0, 14.7, 33.2, 40.0]
    frame = pd.DataFrame({"group": 0, "total": 3000, "share": shares})
    assert split_cents(frame, "group", "total", "share").tolist() == [520, 256, 696, 256, 577, 695]


def test_actuals_sharing_a_target_and_a_unit_score_as_each_scores_alone():
    """Actuals in one unit against one number target are worked out together: each keeps its own B,
    its floor and its flags."""
    cases = {"≥95.00(%)": ["96%", "-5%", "0.94", "94.5%", "95%", "190%", "90分钟", "达成"],
             "≤8.00(小时)": ["420分钟", "7小时", "-1小时", "9小时", "8", "2天"],
             "=0(次)": ["0次", "2次", "无", "-1次"], "80%-90%": ["85%", "79.99%", "-3%", "0.9"]}
    rows = pd.DataFrame([{"project_id": "P", "level1": "产出指标", "level2": "质量指标", "name": f"指标{k}",
                          "target": target, "actual": actual, "weight": 5}
                         for k, (target, actual) in enumerate((t, a) for t, actuals in cases.items() for a in actuals)])
    together, _ = score_frame(rows)
    alone = pd.concat([score_frame(rows.iloc[[k]].reset_index(drop=True))[0] for k in range(len(rows))],
                      ignore_index=True)
    columns = ["actual", "score", "status", "method", "flags", "issues", "explanation"]
    pd.testing.assert_frame_equal(together[columns], alone[columns])
    assert together["flags"].str.contains("negative_actual").sum() == 4
    assert together["explanation"].nunique() == len(rows)

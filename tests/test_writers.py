"""The writers of large outputs. Explanations are written once per template and JSON and CSV once per
distinct value; what a user reads must be what writing each row on its own gives.

tests/golden/ holds 400 generated indicators plus rows chosen to be awkward (a project without
indicators, text with commas, quotes, a line break or a formula's first character, evaluator scores,
the template mark inside an actual). Its report.json and report*.csv were written by the first
implementation, which built one dict and one sentence per row with json and pandas.
"""

import csv
import gc
import io
import json

import pandas as pd
import pytest

from conftest import ROOT
from scoring import score
from scoring.cli import main
from scoring.explanations import EXPLAINED, explain
from scoring.io.csvreport import write_csv

GOLDEN = ROOT / "tests" / "golden"


@pytest.fixture(scope="module")
def report():
    return score(GOLDEN / "targets.json", GOLDEN / "actuals.json")


@pytest.mark.parametrize("form, name, extra", [("json", "report.json", []), ("csv", "report.csv", []),
                                               ("csv", "report-safe.csv", ["--csv-safe"])])
def test_outputs_equal_the_golden_files_byte_for_byte(form, name, extra, tmp_path, capsys):
    out = tmp_path / name
    assert main([str(GOLDEN / "targets.json"), str(GOLDEN / "actuals.json"), "--format", form, "-o", str(out),
                 *extra]) == 1
    assert out.read_bytes() == (GOLDEN / name).read_bytes()


CASES = sorted(p for p in (ROOT / "tests" / "cases").iterdir() if (p / "targets.json").exists())


@pytest.mark.parametrize("case", CASES, ids=[p.name for p in CASES])
def test_case_explanations_equal_each_row_explained_alone(case):
    report = score(case / "targets.json", case / "actuals.json")
    rows = report.indicators
    columns = [c for c in EXPLAINED if c in rows]
    assert report.explanations == [explain(dict(zip(columns, values)), report.ruleset)
                                   for values in zip(*(rows[c].to_numpy(dtype=object) for c in columns))]


def test_each_templated_explanation_equals_the_row_explained_alone(report):
    rows = report.indicators
    columns = [c for c in EXPLAINED if c in rows]
    alone = [explain(dict(zip(columns, values)), report.ruleset)
             for values in zip(*(rows[c].to_numpy(dtype=object) for c in columns))]
    assert report.explanations == alone
    marked = rows["actual"].fillna("").str.contains("\x00").to_numpy()
    assert marked.sum() == 1                    # the row whose own text holds the mark is among them
    assert "属「部分达成」" in report.explanations[int(marked.argmax())]


def test_a_project_without_indicators_keeps_its_place(report):
    ids = [p["id"] for p in report.to_json()["projects"]]
    assert ids[3] == "EMPTY" and len(ids) == len(set(ids)) == len(report.projects)
    assert report.to_json()["projects"][3]["indicators"] == []


def test_projects_that_have_no_indicators_at_all_are_written(tmp_path):
    targets = {"projects": [{"id": "A", "name": "甲", "indicators": []}, {"id": "B", "name": "乙", "indicators": []}]}
    data = score(targets).to_json()
    assert [p["id"] for p in data["projects"]] == ["A", "B"]
    assert score(targets).to_csv().splitlines()[0].startswith("project_id,")


@pytest.mark.parametrize("safe", [False, True])
def test_csv_is_written_as_pandas_writes_it_and_reads_back(safe):
    texts = ["a,b", 'say "hi"', "two\nlines", "", None, "=1+1", "-3%", "@x", "  spaced ", "line\rbreak"]
    frame = pd.DataFrame({"text": texts, "number": [1.0, 0.1 + 0.2, float("nan"), -2.5, 1e21, 3.0, 0.0, 4.25, 5, 6]})
    buffer = io.StringIO()
    write_csv(frame, buffer, spreadsheet_safe=safe)
    if safe:
        texts = [("'" + v) if isinstance(v, str) and v[:1] in ("=", "+", "-", "@", "\t", "\r") else v for v in texts]
    expected = frame.assign(text=texts)
    # pandas (the csv module) leaves a lone carriage return unquoted, which no reader reads back
    assert buffer.getvalue() == expected.to_csv(index=False, lineterminator="\n").replace(
        "line\rbreak", '"line\rbreak"')
    read = list(csv.reader(io.StringIO(buffer.getvalue(), newline="")))
    assert [row[0] for row in read[1:]] == [t or "" for t in texts]


def test_bulk_work_restores_the_garbage_collector(tmp_path):
    assert gc.isenabled()
    score(GOLDEN / "targets.json", GOLDEN / "actuals.json").write_json(io.StringIO())
    assert gc.isenabled()
    gc.disable()
    try:
        score(GOLDEN / "targets.json")
        assert not gc.isenabled()                # a caller's own choice is left as it was
    finally:
        gc.enable()
    bad = tmp_path / "bad.json"
    bad.write_text('{"projects": [{"id": "A", "indicators": "none"}]}', encoding="utf-8")
    with pytest.raises(Exception):
        score(bad)
    assert gc.isenabled()


def test_json_report_is_valid_json_with_one_object_per_indicator(report):
    buffer = io.StringIO()
    report.write_json(buffer)
    data = json.loads(buffer.getvalue())
    assert sum(len(p["indicators"]) for p in data["projects"]) == len(report.indicators)

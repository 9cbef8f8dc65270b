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
import math
import sys

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT
from scoring import score
from scoring.cli import main
from scoring._columnar.distinct import Coded
from scoring.explanations import EXPLAINED, Sentences, explain
from scoring.writers import write
from scoring.writers.csvreport import write_csv
from scoring.writers.jsonreport import write_json

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
    rows = report._indicators
    columns = [c for c in EXPLAINED if c in rows]
    assert report.explanations == [explain(dict(zip(columns, values)), report.ruleset)
                                   for values in zip(*(rows[c].to_numpy(dtype=object) for c in columns))]


def test_each_templated_explanation_equals_the_row_explained_alone(report):
    rows = report._indicators
    columns = [c for c in EXPLAINED if c in rows]
    alone = [explain(dict(zip(columns, values)), report.ruleset)
             for values in zip(*(rows[c].to_numpy(dtype=object) for c in columns))]
    assert report.explanations == alone
    marked = rows["actual"].fillna("").str.contains("\x00").to_numpy()
    assert marked.sum() == 1                    # the row whose own text holds the mark is among them
    assert "属「部分达成」" in report.explanations[int(marked.argmax())]


def test_a_project_without_indicators_keeps_its_place(report):
    ids = [p["id"] for p in report.to_json()["projects"]]
    assert ids[3] == "EMPTY" and len(ids) == len(set(ids)) == len(report._projects)
    assert report.to_json()["projects"][3]["indicators"] == []


def test_projects_that_have_no_indicators_at_all_are_written(tmp_path):
    targets = {"projects": [{"id": "A", "name": "甲", "indicators": []}, {"id": "B", "name": "乙", "indicators": []}]}
    data = score(targets).to_json()
    assert [p["id"] for p in data["projects"]] == ["A", "B"]
    buffer = io.StringIO()
    write(score(targets), "csv", buffer)
    assert buffer.getvalue().splitlines()[0].startswith("project_id,")


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


@pytest.mark.parametrize("safe", [False, True])
def test_csv_of_texts_given_as_pieces_equals_the_csv_of_the_joined_texts(safe):
    # a row starts in whichever piece first has text; a quote or comma in any piece quotes the whole row
    first = Coded(np.array([0, 1, 1, 2, 0, 3]), np.array(["", "实际 ", '说"明', "="], dtype=object))
    second = Coded(np.array([0, 1, 2, 0, 3, 1]), np.array(["=1", "1,234", "-3", "a\nb"], dtype=object))
    third = Coded(np.array([0, 0, 1, 1, 0, 2]), np.array(["", " 分", '"'], dtype=object))
    sentences = Sentences((first, second, third))
    as_texts, as_pieces = io.StringIO(), io.StringIO()
    write_csv({"explanation": sentences.texts(), "n": [1, 2, 3, 4, 5, 6]}, as_texts, spreadsheet_safe=safe)
    write_csv({"explanation": sentences, "n": [1, 2, 3, 4, 5, 6]}, as_pieces, spreadsheet_safe=safe)
    assert as_pieces.getvalue() == as_texts.getvalue()
    assert ("\n'=1,1\n" in as_pieces.getvalue()) is safe       # the first row's text starts in its second piece


def test_bulk_work_restores_the_garbage_collector(tmp_path):
    assert gc.isenabled()
    write_json(score(GOLDEN / "targets.json", GOLDEN / "actuals.json"), io.StringIO())
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
    write_json(report, buffer)
    data = json.loads(buffer.getvalue())
    assert buffer.getvalue() == json.dumps(report.to_json(), ensure_ascii=False) + "\n"
    assert sum(len(p["indicators"]) for p in data["projects"]) == len(report._indicators)


def test_generated_json_report_holds_each_row_and_subtotal_as_written_alone():
    """An oracle built row by row from the scored frames (pandas groupby for the subtotals), over
    generated data other than the golden file's; the text is json.dumps's own."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate

    targets, actuals = generate(4000, seed=11)
    targets[0]["budget"] = dict(targets[0].get("budget") or {}, initial=0.0)
    targets[1]["budget"] = dict(targets[1].get("budget") or {}, initial=-0.0)        # equal, not the same text
    targets.insert(2, {"id": "EMPTY", "name": "无指标", "indicators": []})
    report = score(targets, actuals)
    buffer = io.StringIO()
    write_json(report, buffer)
    text = buffer.getvalue()
    data = json.loads(text)
    assert text == json.dumps(data, ensure_ascii=False) + "\n"
    assert data == report.to_json()          # the column writer and the row-by-row values agree
    rows = report._indicators
    columns = [c for c in EXPLAINED if c in rows]
    by_project = {p: group for p, group in rows.groupby("project", sort=False)}
    for (_, project), written in zip(report._projects.iterrows(), data["projects"], strict=True):
        assert (written["id"], written["name"], written["grade"]) == (project["id"], project["name"], project["grade"])
        assert written["total"] == round(project["total"], 2)
        for key in ("initial", "adjusted"):
            expected = project[f"budget_{key}"]
            assert json.dumps(written["budget"][key]) == ("null" if math.isnan(expected) else repr(expected))
        group = by_project.get(project["project"], rows.iloc[:0])
        levels = [{"level1": level1, "weight": round(part["weight"].sum(), 2), "score": round(part["score"].sum(), 2),
                   "level2": [{"level2": level2, "weight": round(sub["weight"].sum(), 2),
                               "score": round(sub["score"].sum(), 2)}
                              for level2, sub in part.groupby("level2", sort=False)]}
                  for level1, part in group.groupby("level1", sort=False)]
        assert written["levels"] == levels
        assert len(written["indicators"]) == len(group)
        for indicator, (_, row) in zip(written["indicators"], group.iterrows()):
            status = row["status"]
            assert indicator == {
                "id": row["id"], "level1": row["level1"], "level2": row["level2"], "name": row["name"],
                "target": row["target"], "actual": row["actual"],
                "reason": row["reason"] if isinstance(row["reason"], str) else None,
                "weight": row["weight"],
                "score": row["score"] if status == "scored" else (None if status == "not_applicable" else 0.0),
                "computed_score": row["computed_score"], "status": status, "method": row["method"],
                "tier": row["tier"] if isinstance(row["tier"], str) else None,
                "explanation": explain({c: row[c] for c in columns}, report.ruleset),
                "flags": list(row["flags"]),
                "issues": [issue.as_dict() for issue in row["issues"]]}
    assert json.dumps(data["projects"][1]["budget"]["initial"]) == "-0.0"


def test_bulk_work_in_threads_keeps_the_collector_paused_until_the_last_returns():
    from threading import Event, Thread

    from scoring._columnar.bulk import bulk

    first_in, second_in, first_out = Event(), Event(), Event()

    @bulk
    def first():
        first_in.set()
        second_in.wait(5)

    @bulk
    def second():
        second_in.set()
        first_out.wait(5)
        return gc.isenabled()

    thread = Thread(target=lambda: (first(), first_out.set()))
    thread.start()
    first_in.wait(5)
    assert second() is False                 # the other thread's work ended, this one's had not
    thread.join()
    assert gc.isenabled()


@pytest.mark.parametrize("misuse", [lambda w: "高" if w > 10 else "", lambda w: f"{w!r}", lambda w: str(w),
                                    lambda w: f"{w * 2:.2f}"])
def test_a_sentence_cannot_depend_on_a_number_its_template_leaves_open(report, monkeypatch, misuse):
    import scoring.explanations as explanations

    original = explanations.explain

    def branching(row, ruleset):
        return misuse(row["weight"]) + original(row, ruleset)

    monkeypatch.setattr(explanations, "explain", branching)
    with pytest.raises(TypeError, match="weight"):
        explanations.explanations(report._indicators, report.ruleset)

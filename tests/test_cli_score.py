"""`score targets.json actuals.json`: formats, exit codes, whole-or-nothing output, errors without tracebacks."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

from scoring.cli import main

CASE = Path(__file__).parent / "cases" / "national_numeric"
ISSUES = Path(__file__).parent / "cases" / "missing_and_override"


def args(case=CASE, *extra):
    return [str(case / "targets.json"), str(case / "actuals.json"), *extra]


def test_table_is_the_default_and_aligned(capsys):
    assert main(args()) == 0
    out = capsys.readouterr().out
    assert "总分 81.48" in out and "等级 良" in out
    assert "实际 92% < 目标 ≥95(%)：5.00 × 92 / 95 = 4.84 分" in out


def test_json_and_csv(capsys):
    assert main(args(CASE, "--format", "json")) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ruleset"]["name"] == "national-2020"
    indicator = data["projects"][0]["indicators"][0]
    assert set(indicator) >= {"id", "level1", "level2", "name", "target", "actual", "weight", "score", "status",
                              "method", "explanation", "flags", "issues"}
    assert main(args(CASE, "--format", "csv")) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 12 and rows[2]["score"] == "4.84"


def test_exit_1_when_scored_with_issues(capsys):
    assert main(args(ISSUES)) == 1
    assert "missing_actual" in capsys.readouterr().out


def test_output_file_is_written_whole(tmp_path):
    out = tmp_path / "result.json"
    assert main(args(CASE, "--format", "json", "-o", str(out))) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["projects"][0]["total"] == 81.48
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]


def test_a_failed_run_leaves_an_existing_output_as_it_was(tmp_path):
    out = tmp_path / "result.json"
    out.write_text("earlier result", encoding="utf-8")
    assert main([str(CASE / "targets.json"), str(tmp_path / "missing.json"), "-o", str(out)]) == 2
    assert out.read_text(encoding="utf-8") == "earlier result"
    assert [p.name for p in tmp_path.iterdir()] == ["result.json"]


def test_bad_input_leaves_no_file_and_no_traceback(tmp_path):
    bad = tmp_path / "actuals.json"
    bad.write_text('{"projects": [{"id": "nope", "indicators": []}]}', encoding="utf-8")
    out = tmp_path / "result.json"
    done = subprocess.run([sys.executable, "-m", "scoring", str(CASE / "targets.json"), str(bad), "-o", str(out)],
                          capture_output=True, text=True)
    assert done.returncode == 2
    assert f"{bad}: $.projects[0]" in done.stderr and "nope" in done.stderr
    assert "Traceback" not in done.stderr
    assert not out.exists()


def test_unknown_ruleset_is_a_usage_error(capsys):
    assert main(args(CASE, "--ruleset", "nationl-2020")) == 2
    assert "national-2020" in capsys.readouterr().err


def test_rulesets_command(capsys):
    assert main(["rulesets"]) == 0
    assert "fasp" in capsys.readouterr().out


def test_library_dataframe():
    from scoring import score

    report = score(CASE / "targets.json", CASE / "actuals.json")
    frame = report.to_dataframe()
    assert list(frame.columns[:6]) == ["project_id", "project_name", "indicator_id", "level1", "level2", "name"]
    assert frame["score"].sum() == 71.98
    assert report.totals().loc[0, "grade"] == "良"


def test_csv_leaves_the_score_of_a_not_applicable_row_empty(capsys):
    case = Path(__file__).parent / "cases" / "not_applicable"
    main([str(case / "targets.json"), str(case / "actuals.json"), "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["status"], r["score"]) for r in rows] == [("scored", "30.0"), ("not_applicable", ""), ("scored", "15.0")]


def test_output_file_has_ordinary_permissions(tmp_path):
    import os
    import stat

    out = tmp_path / "result.json"
    assert main(args(CASE, "-o", str(out))) == 0
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask

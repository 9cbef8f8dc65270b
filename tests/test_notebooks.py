"""A report in a notebook: it shows itself as HTML, its frames have tidy dtypes, and the example script
plots them with pandas."""

import subprocess
import sys

import pandas as pd

from conftest import ROOT
from scoring import score

EXAMPLE = ROOT / "examples" / "shanghai-2026"


def report():
    return score(EXAMPLE / "targets.json", EXAMPLE / "actuals.json")


def test_a_report_shows_its_counts_totals_and_first_project():
    shown = report()._repr_html_()
    assert shown.startswith("<div><p><b>ScoreReport</b> · national-2020 · 1 个项目 · 23 个指标 · 平均总分 99.02 · 优 1，良 0")
    assert shown.count("<table") == 2 and "信息化建设项目" in shown and "≤8.00(小时)" in shown


def test_a_long_report_shows_its_first_rows_and_says_how_many(tmp_path):
    many = score(ROOT / "examples" / "imported" / "003.targets.json")
    shown = many._repr_html_(rows=5)
    assert shown.count("<tr>") == 5 + 10           # 5 totals, then the first project's first 10 of 12 indicators
    assert "None" not in shown and "<td>0.00</td>" in shown
    assert "…… 共 16 个项目" in shown


def test_text_in_the_notebook_view_is_escaped(tmp_path):
    targets = (EXAMPLE / "targets.json").read_text(encoding="utf-8").replace("信息化建设项目", "<b onclick=x>项目</b>")
    (tmp_path / "targets.json").write_text(targets, encoding="utf-8")
    shown = score(tmp_path / "targets.json", EXAMPLE / "actuals.json")._repr_html_()
    assert "<b onclick" not in shown and "&lt;b onclick=x&gt;项目&lt;/b&gt;" in shown


def test_levels_and_codes_are_categories_and_grades_ordered():
    frame, totals = report().to_dataframe(), report().totals()
    assert {c: str(frame[c].dtype) for c in ("level1", "level2", "status", "method")} == dict.fromkeys(
        ("level1", "level2", "status", "method"), "category")
    assert frame["weight"].dtype == float and frame["score"].dtype == float
    assert list(totals["grade"].cat.categories) == ["差", "中", "良", "优"] and totals["grade"].cat.ordered
    assert (totals["grade"] > "良").all()


def test_two_reports_concatenate_with_their_codes_still_categories():
    other = score(ROOT / "examples" / "shanghai-2020" / "targets.json", ROOT / "examples" / "shanghai-2020" / "actuals.json")
    both = pd.concat([report().to_dataframe(), other.to_dataframe()], ignore_index=True)
    assert str(both["status"].dtype) == str(both["method"].dtype) == "category"
    assert both["status"].value_counts()["scored"] > 30
    totals = pd.concat([report().totals(), other.totals()], ignore_index=True)
    assert totals["grade"].cat.ordered and totals.sort_values("grade")["grade"].is_monotonic_increasing


def test_the_plotting_example_draws_its_three_charts(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "examples" / "plots.py"), str(tmp_path)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    drawn = [tmp_path / name for name in ("totals.png", "grades.png", "lost.png")]
    assert done.stdout.split() == [str(p) for p in drawn]
    assert all(p.read_bytes().startswith(b"\x89PNG") and p.stat().st_size > 5_000 for p in drawn)

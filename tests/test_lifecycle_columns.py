"""The review and the monitoring run over whole columns, deciding each distinct combination once: here
they are held to their per-row definitions, row by row and project by project, on a generated
province made untidy (half-year targets, repeated rows, missing and unreadable targets, several years,
wrong weights, progress by funds) and on every bundled example."""

import json
import random
import sys
from datetime import date

import numpy as np
import pytest

from conftest import ROOT
from scoring import readers
from scoring.engine import funds
from scoring.engine.families import compared
from scoring.engine.readings import Memo
from scoring.monitor import INDICATOR_COLUMNS, _execution, _project_light, _time_gone, _watch, monitor, records
from scoring.numbers import year as year_of
from scoring.review import _indicator, _project, _quantitative, _reading, _Row, review
from scoring.rulesets import load_ruleset

sys.path.insert(0, str(ROOT / "benchmarks"))

HALVES = ["≥100人次", "≥50%", "≤1次", "", None, "≥9.79万人份", "=0(次)", "完成"]


def untidy(seed: int = 7, count: int = 1500) -> tuple[dict, dict]:
    """A generated province with the cases generate.py does not make."""
    from generate import generate

    rng = random.Random(seed)
    targets, actuals = generate(count, seed=seed)
    for project, done in zip(targets, actuals):
        project["year"] = rng.choice([2020, 2021, 2026, 2026, "2026年度", None])
        rows, progress = project["indicators"], done["indicators"]
        if rng.random() < 0.3:
            for row in rows:
                row["half_year_target"] = rng.choice(HALVES)
        if rng.random() < 0.2:
            rows.append({**rows[0], "id": "dup"})
            progress.append({"id": "dup", "actual": progress[0]["actual"]})
        for row in rng.sample(rows, 2):
            row["target"] = rng.choice([row["target"], "", "有所提高", "≥(%)", "投诉率≥3次"])
        if rng.random() < 0.3:                 # 90 points shared out, some of them with 5 too many
            shares = [90 // len(rows)] * len(rows)
            shares[0] += 90 - sum(shares) + rng.choice([0, 5])
            for row, share in zip(rows, shares):
                row["weight"] = share
        if rng.random() < 0.15:              # the same deadline in projects of different years
            rows[1].update(name="完成时间", target="2026年12月31日前", level2="时效指标")
        if rng.random() < 0.1:               # the same name under another 一级指标: not a duplicate
            rows.append({**rows[0], "id": "other-level", "level1": "效益指标"})
            progress.append({"id": "other-level", "actual": progress[0]["actual"]})
        if rng.random() < 0.1:
            rows[-1].update(name=rng.choice(["投诉次数", "安全事故数", "投诉率"]), target=rng.choice(["≥3次", "≤3次", "≥1%"]))
        if rng.random() < 0.1:
            progress[1]["actual"] = "不适用"
        if rng.random() < 0.1:
            progress[2]["actual"] = None
        if rng.random() < 0.1:                 # by funds: combined, not combinable, every fund 不适用
            given = progress[3].pop("actual")
            progress[3]["funds"] = rng.choice([
                [{"fund": "中央资金", "money": 10, "actual": given}, {"fund": "省级资金", "money": 5, "actual": given}],
                [{"fund": "中央资金", "actual": "96%"}, {"fund": "省级资金", "actual": "90%"}],
                [{"fund": "中央资金", "actual": "不适用"}, {"fund": "省级资金", "actual": "不适用"}]])
    return {"ruleset": "national-2020", "projects": targets}, {"projects": actuals}


def inputs():
    examples = sorted(p for p in (ROOT / "examples").iterdir() if (p / "targets.json").exists())
    yield "untidy", readers.read(*untidy())
    for folder in examples:
        yield folder.name, readers.read(folder / "targets.json", folder / "actuals.json")
    for path in sorted((ROOT / "examples" / "imported").glob("*.targets.json")):
        yield path.name, readers.read(path)


def rearranged(frames):
    """The untidy province as a caller may hand it over: projects reversed and every third left out
    (keys kept, not positions), its indicators shuffled."""
    projects = frames.projects.iloc[::-1]
    projects = projects[projects["project"] % 3 != 1]
    indicators = frames.indicators[frames.indicators["project"].isin(projects["project"])]
    return type(frames)(projects, indicators.sample(frac=1, random_state=3), frames.ruleset)


def empty():
    return readers.read({"projects": [{"id": "P", "name": "空项目", "year": 2026, "indicators": []}]}, {"projects": []})


CASES = list(inputs())
CASES[1:1] = [("rearranged", rearranged(CASES[0][1])), ("no indicators", empty())]


def review_by_row(projects, indicators, ruleset) -> list:
    """The review's per-row definition: project by project, then row by row in table order."""
    rules, memo, found = ruleset.review, Memo(), []
    for project in projects.itertuples():
        rows = indicators[indicators["project"] == project.project]
        name, year = project.name or project.id or "", year_of(project.year)
        reads = [_reading(memo, t) for t in rows["target"]]
        readable = [r.reading for r in reads if r is not None and r.reading is not None]
        weights = rows["weight"].to_numpy(dtype=float)
        present = [any(isinstance(text, str) and any(word in compared(text) for word in level.words)
                       for column in level.columns for text in rows[column]) for level in rules.levels]
        share = sum(map(_quantitative, readable)) / len(readable) if readable else None
        total = float(weights.sum()) if len(weights) and np.isfinite(weights).all() else None
        levelled = any(isinstance(text, str) and text.strip() for column in ("level1", "level2") for text in rows[column])
        found += _project(name, year, present, levelled, len(rows), share, total, rules, ruleset)
        declared = any(isinstance(half, str) for half in rows["half_year_target"])
        seen = set()
        for row in rows.itertuples():
            label = " / ".join(part for part in (row.level1, row.level2, row.name) if part)
            key = (row.level1, row.level2, row.name)
            if key in seen:
                found.append(("duplicate_indicator", name, label))
            seen.add(key)
            found += [(str(code), name, label, message, fix) for code, message, fix in
                      _indicator(_Row(row.name, row.target, row.half_year_target), _reading(memo, row.target), year,
                                 declared, rules, ruleset, memo)]
    return [f if isinstance(f, tuple) else (str(f.code), f.project, f.indicator, f.message, f.fix)
            for f in found if (f[0] if isinstance(f, tuple) else str(f.code)) not in rules.off]


@pytest.mark.parametrize("ruleset", ["national-2020", "shanghai-2020", "jiangsu-department-2025"])
@pytest.mark.parametrize("case", CASES, ids=[name for name, _ in CASES])
def test_the_review_on_columns_is_its_per_row_definition(case, ruleset):
    _, frames = case
    rules = load_ruleset(ruleset)
    expected = review_by_row(frames.projects, frames.indicators, rules)
    got = [(str(f.code), f.project, f.indicator, f.message, f.fix) for f in review(frames.projects, frames.indicators, rules)]
    assert [g[:3] if g[0] == "duplicate_indicator" else g for g in got] == expected


def test_the_untidy_province_has_findings_of_every_kind_it_was_made_with():
    _, frames = CASES[0]
    codes = {str(f.code) for f in review(frames.projects, frames.indicators, load_ruleset("national-2020"))}
    assert {"duplicate_indicator", "vague_target", "missing_target", "unreadable_target", "weights_total",
            "half_year_missing", "missing_level", "adverse_at_least"} <= codes


def monitor_by_row(projects, indicators, ruleset, as_of) -> tuple[list[dict], list[tuple]]:
    """The monitoring's per-row definition: each indicator in table order, then each project."""
    memo, rows, red = Memo(), [], dict.fromkeys(projects["project"], 0)
    by_key = {project["project"]: project for project in projects.to_dict("records")}
    combined = funds.combine(indicators, ruleset, memo)
    for row in combined.to_dict("records"):
        how, actual = row.get("combination"), row["actual"]
        if isinstance(actual, str) and actual.strip() in ruleset.not_applicable_words or \
                how is not None and actual is None and how.issue is None:
            continue
        project = by_key[row["project"]]
        year = year_of(project["year"]) or as_of.year
        grows = isinstance(row["name"], str) and compared(row["name"]).endswith(ruleset.monitor.cumulative_rates)
        watched = _watch(row["target"], row["half_year_target"], actual, year, as_of, ruleset.monitor, ruleset, memo,
                         grows) if how is None or how.issue is None else None
        label = " / ".join(part for part in (row["level1"], row["level2"], row["name"]) if part)
        fields = (watched.__dict__ if watched else
                  {"target": row["target"] or "", "reported": None, "expected": None, "progress": None,
                   "projected": None, "unit": "", "light": "red", "reason": f"各资金的进展无法合并：{how.issue.message}"})
        rows.append({"project_id": project["id"] or project["name"] or "", "project": project["name"] or project["id"] or "",
                     "indicator": label, **fields})
        red[row["project"]] += fields["light"] == "red"
    lights = []
    for project in projects.itertuples():
        time_gone, red_here = _time_gone(as_of, year_of(project.year) or as_of.year), red[project.project]
        lights.append((time_gone, _execution(project, ruleset), *_project_light(time_gone, _execution(project, ruleset),
                                                                                red_here, ruleset.monitor), red_here))
    return rows, lights


@pytest.mark.parametrize("as_of", [date(2026, 3, 31), date(2026, 6, 30), date(2026, 11, 30)])
@pytest.mark.parametrize("case", CASES[:7], ids=[name for name, _ in CASES[:7]])
def test_the_monitoring_on_columns_is_its_per_row_definition(case, as_of):
    _, frames = case
    ruleset = load_ruleset("national-2020")
    expected_rows, expected_projects = monitor_by_row(frames.projects, frames.indicators, ruleset, as_of)
    watched = monitor(frames.projects, frames.indicators, ruleset, as_of)
    assert list(watched.indicators.columns) == list(INDICATOR_COLUMNS)
    assert records(watched.indicators) == expected_rows
    got = list(zip(*(watched.projects[c].tolist() for c in
                     ("time_progress", "execution", "light", "reason", "red_indicators"))))
    assert [tuple(None if v != v else v for v in row) for row in got] == expected_projects


def test_the_untidy_province_is_monitored_with_every_light():
    _, frames = CASES[0]
    watched = monitor(frames.projects, frames.indicators, load_ruleset("national-2020"), date(2026, 6, 30))
    assert set(watched.indicators["light"]) == {"green", "yellow", "red"}
    assert watched.indicators["reason"].str.contains("无法合并").any()
    assert json.loads(json.dumps(watched.as_dict()))["red"] == records(watched.red)


@pytest.mark.parametrize("given, expected", [
    (2026, 2026), ("2026", 2026), (" 2026年度 ", 2026), ("（2024年度）", 2024), ("2025年", 2025), (2026.0, 2026),
    (np.int64(2025), 2025), ("２０２６年度", 2026), ("２０２６", 2026),
    (None, None), (True, None), ("x", None), ("20261", None), (2026.5, None), (float("nan"), None), (1e20, None),
    (1800, None), ("1800", None), ("2026-2027", None)])
def test_a_projects_year_as_tables_write_it(given, expected):
    assert year_of(given) == expected


def test_frames_of_a_project_the_project_frame_lacks_are_refused():
    _, frames = CASES[0]
    with pytest.raises(ValueError, match="project frame does not have"):
        review(frames.projects.iloc[1:], frames.indicators, load_ruleset("national-2020"))

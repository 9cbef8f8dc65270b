"""The public API: a small sorted __all__ whose names all exist."""

import scoring


def test_all_is_sorted_and_complete():
    assert scoring.__all__ == sorted(scoring.__all__)
    for name in scoring.__all__:
        assert hasattr(scoring, name), name


def test_the_names_of_the_previous_release_are_kept():
    kept = {"Actual", "Compared", "Deadline", "ErrorCode", "ExpressionError", "InputError", "Kind", "Op", "Reading",
            "Ruleset", "RulesetError", "ScoreReport", "ScoringError", "Target", "UnitMismatchError",
            "UnknownUnitError", "load_ruleset", "parse_actual", "parse_target", "score", "score_frame"}
    assert kept <= set(scoring.__all__)


def test_a_report_is_written_to_a_path_whole_or_to_a_stream(tmp_path):
    import io
    import json

    report = scoring.score({"id": "p", "name": "x", "indicators": [
        {"id": "1", "level1": "产出指标", "name": "n", "target": "≥90%", "actual": "95%"}]})
    scoring.write(report, "json", tmp_path / "out.json")
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8")) == report.to_json()
    stream = io.StringIO()
    scoring.write(report, "table", stream)
    assert "满分" in stream.getvalue()
    try:
        scoring.write(report, "yaml", stream)
    except scoring.InputError as error:
        assert "yaml" in str(error)
    else:
        raise AssertionError("an unknown format was written")


def test_issue_rows_name_each_issue_with_its_place_and_count_by_code():
    report = scoring.score({"id": "p", "name": "项目", "indicators": [
        {"id": "1", "level1": "产出指标", "level2": "数量指标", "name": "n", "target": "≥90 xyz", "actual": "95"},
        {"id": "2", "level1": "产出指标", "level2": "质量指标", "name": "m", "target": "≥90%"}]})
    rows = report.issue_rows()
    indicators = rows[rows["name"].notna()]
    assert indicators[["project_name", "level2", "name", "code"]].values.tolist() == [
        ["项目", "数量指标", "n", "bad_target"], ["项目", "质量指标", "m", "missing_actual"]]
    assert rows["name"].isna().sum() == len(rows) - 2                  # the project's own issues come last
    assert report.issue_rows(1)["name"].tolist() == ["n"]
    counts = report.issue_counts()
    assert counts["bad_target"] == 1 and counts["missing_actual"] == 1 and sum(counts.values()) == len(rows)

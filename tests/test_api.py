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

"""The public functions that score: ``score(targets, actuals, ruleset=...)``."""

from __future__ import annotations

from pathlib import Path

from scoring import engine
from scoring.errors import InputError
from scoring.io.jsonfiles import read_inputs
from scoring.report import ScoreReport
from scoring.rulesets import DEFAULT, Ruleset, load_ruleset

PERIODS = ("year", "H1")


def score(targets: str | Path | dict | list, actuals: str | Path | dict | list | None = None, *,
          ruleset: str | Path | Ruleset | None = None, period: str = "year") -> ScoreReport:
    """Score targets against actuals.

    ``targets`` and ``actuals`` are paths to JSON files or the data already loaded (docs/inputs.md).
    ``ruleset`` is a shipped ruleset's name, a path to a TOML file, or a loaded Ruleset; by default the
    one targets.json names, else national-2020. ``period`` "H1" scores against 半年指标值 and the
    half-year budget plan. Data problems are in the report; unreadable inputs raise InputError.
    """
    if period not in PERIODS:
        raise InputError(f"period 应为 {' 或 '.join(PERIODS)}，而不是「{period}」 / unknown period")
    inputs = read_inputs(targets, actuals)
    if not isinstance(ruleset, Ruleset):
        named = inputs.ruleset
        if ruleset is None and named and named.endswith(".toml") and isinstance(targets, (str, Path)):
            named = str(Path(targets).parent / named)     # a path in targets.json is relative to that file
        ruleset = load_ruleset(ruleset or named or DEFAULT)
    scored = engine.score(inputs.projects, inputs.indicators, ruleset, period)
    return ScoreReport(ruleset, scored.indicators, scored.projects, period)

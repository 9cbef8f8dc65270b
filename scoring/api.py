"""The public functions that score: ``score(targets, actuals, ruleset=...)`` for files and documents,
``score_frame(df, ruleset=...)`` for a flat table of one row per indicator. Both run the same engine."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from scoring import engine, readers
from scoring.errors import InputError
from scoring.report import ScoreReport
from scoring.rulesets import DEFAULT, Ruleset, level1_owners, load_ruleset

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
    ruleset, scored = scored_frames(targets, actuals, ruleset, period)
    return ScoreReport(ruleset, scored.indicators, scored.projects, period)


def scored_frames(targets, actuals, ruleset: str | Path | Ruleset | None, period: str = "year"
                  ) -> tuple[Ruleset, engine.Scored]:
    """The ruleset and the engine's scored frames of ``score``'s arguments (for ``score check``)."""
    inputs = readers.read(targets, actuals)
    if not isinstance(ruleset, Ruleset):
        named = inputs.ruleset
        if ruleset is None and named and named.endswith(".toml") and isinstance(targets, (str, Path)):
            named = str(Path(targets).parent / named)     # a path in targets.json is relative to that file
        ruleset = load_ruleset(ruleset or named or DEFAULT)
    return ruleset, engine.score(inputs.projects, inputs.indicators, ruleset, period, level1_owners())


def score_frame(table: pd.DataFrame, *, ruleset: str | Path | Ruleset | None = None,
                period: str = "year", explain: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score a flat table, one row per indicator (columns in docs/scale.md), in one vectorised pass.

    Returns (indicators, totals): the scored rows in input order (the rows of an indicator reported
    across several funds as one, docs/inputs.md), as ``ScoreReport.to_dataframe()``,
    and one row per project, as ``ScoreReport.totals()``. ``explain=False`` leaves out the
    explanations, the one per-row text the engine writes, for the largest runs.
    """
    report = score(table, ruleset=ruleset, period=period)
    return report.to_dataframe(explain=explain), report.totals()

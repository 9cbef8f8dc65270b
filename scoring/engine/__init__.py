"""The scoring pipeline: indicator and project frames + a ruleset → scored frames.

The stages run over whole columns, so one project and a province take the same path. In order:

    families          一级指标 names → the ruleset's families (families.py)
    weights           cents per indicator (scoring/weights.py)
    readings          each distinct target and actual text read once per run, into the run's memo
    funds             an actual reported across several funds combined into one (funds.py)
    outcomes          what each distinct (target, actual) decides, and the share by the ruleset's method
    rules             the ruleset's thresholds and steps in place of the method, where they apply
    over_achievement  B / A at the ruleset's ratio: flagged, and any deduction taken
    qualitative       tiers' points, or the evaluator's score inside its band
    points            w × share, half-up to cents; evaluators' scores
    projects          budget execution, totals, grades, project issues

Compound targets run outcomes to points once more over their parts (compound.py). No stage does I/O
or loads a ruleset: what the run needs comes in as arguments. Only rows that need a person's attention
carry Python objects (their flags and issues).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

import pandas as pd

from scoring import weights
from scoring._columnar.bulk import bulk
from scoring.engine import (compound, families, funds, outcomes, over_achievement, points, projects, qualitative,
                            rules)
from scoring.engine.readings import Memo
from scoring.rulesets import Ruleset


@dataclass(frozen=True)
class Scored:
    """The engine's result: one row per indicator, one per project."""

    indicators: pd.DataFrame
    projects: pd.DataFrame


@bulk
def score(project_frame: pd.DataFrame, indicators: pd.DataFrame, ruleset: Ruleset, period: str = "year",
          level1_owners: Mapping[str, tuple[str, ...]] | None = None) -> Scored:
    """Score every indicator and project. ``period`` "H1" scores against 半年指标值 and the half-year
    plan. ``level1_owners`` names, for a 一级指标 this ruleset does not know, the rulesets that do (a
    hint in the project's issue; ``rulesets.level1_owners()`` gives it for the shipped ones)."""
    rows = indicators.copy(deep=False)        # columns are replaced, never written in place
    if period == "H1":
        rows["target"] = rows["half_year_target"]
    rows["family"] = families.assign(rows, ruleset)
    cents, weight_issues = weights.assign(rows, ruleset)
    rows["weight"] = cents / 100.0
    memo = Memo()
    rows = funds.combine(rows, ruleset, memo)
    rows = compound.apply(_score_rows(rows, ruleset, memo), rows, ruleset, memo, _score_rows)
    return Scored(rows, projects.score(project_frame, rows, ruleset, period, weight_issues, level1_owners or {}))


def _score_rows(rows: pd.DataFrame, ruleset: Ruleset, memo: Memo) -> pd.DataFrame:
    """Outcomes to points for rows of indicators, or of the parts of compound targets."""
    out = outcomes.assign(rows, ruleset, memo)
    rules.apply(out, ruleset)
    over_achievement.apply(out, ruleset)
    qualitative.apply(out, ruleset)
    points.apply(out)
    return out

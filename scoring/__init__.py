"""scoring: reads and scores Chinese budget performance self-assessments (绩效自评).

The public API is what ``__all__`` lists; everything else is private to its module.
"""

__version__ = "0.1.0"

from scoring.api import score, score_frame
from scoring.errors import (
    ErrorCode,
    ExpressionError,
    InputCode,
    InputError,
    RulesetError,
    ScoringError,
    UnitMismatchError,
    UnknownUnitError,
)
from scoring.model import Actual, Compared, Deadline, Kind, Op, Reading, Target
from scoring.parse import parse_actual, parse_target
from scoring.report import ScoreReport
from scoring.rulesets import Ruleset, load_ruleset
from scoring.writers import write

__all__ = [
    "Actual",
    "Compared",
    "Deadline",
    "ErrorCode",
    "ExpressionError",
    "InputCode",
    "InputError",
    "Kind",
    "Op",
    "Reading",
    "Ruleset",
    "RulesetError",
    "ScoreReport",
    "ScoringError",
    "Target",
    "UnitMismatchError",
    "UnknownUnitError",
    "load_ruleset",
    "parse_actual",
    "parse_target",
    "score",
    "score_frame",
    "write",
]

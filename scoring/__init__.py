"""scoring: reads and scores Chinese budget performance self-assessments (绩效自评).

The public API is what ``__all__`` lists; everything else is private to its module.
"""

from scoring.errors import (
    ErrorCode,
    ExpressionError,
    ScoringError,
    UnitMismatchError,
    UnknownUnitError,
)
from scoring.model import Actual, Compared, Deadline, Kind, Op, Reading, Target
from scoring.parse import parse_actual, parse_target

__all__ = [
    "Actual",
    "Compared",
    "Deadline",
    "ErrorCode",
    "ExpressionError",
    "Kind",
    "Op",
    "Reading",
    "ScoringError",
    "Target",
    "UnitMismatchError",
    "UnknownUnitError",
    "parse_actual",
    "parse_target",
]

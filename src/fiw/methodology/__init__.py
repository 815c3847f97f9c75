"""The rating systems' rules as versioned data, and the pure scoring engine over them."""

from fiw.methodology.engine import (
    ScoreError,
    ScoreProblem,
    ScoreResult,
    rating,
    score,
    status_for_total,
    statuses_for_ratings,
)
from fiw.methodology.loader import INDEXES, load_index
from fiw.methodology.model import Index, Status

__all__ = [
    "INDEXES",
    "Index",
    "ScoreError",
    "ScoreProblem",
    "ScoreResult",
    "Status",
    "load_index",
    "rating",
    "score",
    "status_for_total",
    "statuses_for_ratings",
]

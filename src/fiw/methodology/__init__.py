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
from fiw.methodology.vocabulary import (
    AGGREGATE_MAX,
    AGGREGATES,
    DISCRETIONARY,
    DISCRETIONARY_RANGE,
    INDICATOR_MAX,
    INDICATOR_MIN,
    INDICATORS,
    INDICATORS_OF,
    RATINGS,
    SCORE_COLUMNS,
    STATUSES,
    SUBCATEGORIES,
    SUBCATEGORY_MAX,
    TOTAL_MAX,
)

__all__ = [
    "AGGREGATES",
    "AGGREGATE_MAX",
    "DISCRETIONARY",
    "DISCRETIONARY_RANGE",
    "INDEXES",
    "INDICATORS",
    "INDICATORS_OF",
    "INDICATOR_MAX",
    "INDICATOR_MIN",
    "RATINGS",
    "SCORE_COLUMNS",
    "STATUSES",
    "SUBCATEGORIES",
    "SUBCATEGORY_MAX",
    "TOTAL_MAX",
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

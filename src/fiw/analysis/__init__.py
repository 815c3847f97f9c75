"""Analysis of change over time: pure functions over the store's `scores()` and `ratings()` frames.

No database access here: the caller passes DataFrames in the documented shape, so the CLI,
the API, the tests and the benchmarks share one implementation (see docs/analysis.md).
"""

from fiw.analysis.changes import (
    EditionChanges,
    IndicatorChanges,
    IndicatorMove,
    IndicatorTally,
    NetDecline,
    StatusChange,
    TotalChange,
    all_edition_changes,
    edition_changes,
    indicator_changes,
    net_decline_series,
    previous_totals,
)
from fiw.analysis.country import CountryChanges, Step, country_changes
from fiw.analysis.frames import AnalysisError, EditionNotFound, EditionRef, resolve_edition
from fiw.analysis.history import (
    RatingChange,
    RatingChanges,
    StatusShare,
    all_rating_changes,
    rating_changes,
    status_counts,
    status_distribution,
)
from fiw.analysis.longrun import (
    DeclineRun,
    LongRun,
    SpanChanges,
    Transitions,
    decline_runs,
    long_run,
    span_changes,
    transitions,
)
from fiw.analysis.regions import RegionSpell, region_history, regions_at_the_time
from fiw.analysis.rounding import rounded_ratio
from fiw.analysis.trends import GLOBAL, MEASURES, TrendPoint, Trends, trends

__all__ = [
    "GLOBAL",
    "MEASURES",
    "AnalysisError",
    "CountryChanges",
    "DeclineRun",
    "EditionChanges",
    "EditionNotFound",
    "EditionRef",
    "IndicatorChanges",
    "IndicatorMove",
    "IndicatorTally",
    "LongRun",
    "NetDecline",
    "RatingChange",
    "RatingChanges",
    "RegionSpell",
    "SpanChanges",
    "StatusChange",
    "StatusShare",
    "Step",
    "TotalChange",
    "Transitions",
    "TrendPoint",
    "Trends",
    "all_edition_changes",
    "all_rating_changes",
    "country_changes",
    "decline_runs",
    "edition_changes",
    "indicator_changes",
    "long_run",
    "net_decline_series",
    "previous_totals",
    "rating_changes",
    "region_history",
    "regions_at_the_time",
    "resolve_edition",
    "rounded_ratio",
    "span_changes",
    "status_counts",
    "status_distribution",
    "transitions",
    "trends",
]

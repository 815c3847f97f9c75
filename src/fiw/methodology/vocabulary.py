"""The vocabulary of Freedom in the World, derived once from the methodology data.

Every other package takes its indicator codes, subcategories, aggregates, maxima and column
order from here (or from `load_index`), never from a list typed by hand.
"""

from __future__ import annotations

from types import MappingProxyType

from fiw.methodology.loader import load_index
from fiw.methodology.model import Status

_FIW = load_index("fiw")

INDICATORS: tuple[str, ...] = _FIW.indicator_codes()
"""The 25 indicator codes in the methodology's order (A1 … G4)."""

SUBCATEGORIES: tuple[str, ...] = tuple(c.code for c in _FIW.categories)
"""The subcategory codes A … G."""

AGGREGATES: tuple[str, ...] = tuple(a.code for a in _FIW.aggregates)
"""The aggregate codes with a rating: PR and CL."""

DISCRETIONARY: tuple[str, ...] = tuple(d.code for d in _FIW.discretionary)
"""The discretionary questions: Q (points subtracted) and, before 2018, ADD_A."""

STATUSES: tuple[str, ...] = tuple(s.value for s in Status)
"""The statuses, best first: Free, Partly Free, Not Free."""

INDICATOR_MAX: MappingProxyType[str, int] = MappingProxyType(
    {i.code: i.max for i in _FIW.indicators}
)
INDICATOR_MIN: MappingProxyType[str, int] = MappingProxyType(
    {i.code: i.min for i in _FIW.indicators}
)
SUBCATEGORY_MAX: MappingProxyType[str, int] = MappingProxyType(
    {c.code: c.max for c in _FIW.categories}
)
AGGREGATE_MAX: MappingProxyType[str, int] = MappingProxyType(
    {a.code: a.max for a in _FIW.aggregates}
)
TOTAL_MAX: int = _FIW.total_max
INDICATORS_OF: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        c.code: tuple(i.code for i in _FIW.indicators if i.category == c.code)
        for c in _FIW.categories
    }
)
"""The indicator codes of each subcategory, in order."""

DISCRETIONARY_RANGE: MappingProxyType[str, tuple[int, int]] = MappingProxyType(
    {d.code: (d.min, d.max) for d in _FIW.discretionary}
)
RATINGS: tuple[int, ...] = tuple(sorted({b.rating for scale in _FIW.ratings for b in scale.bands}))
"""The ratings 1 … 7 (1 most free)."""
RATING_RANGE: tuple[int, int] = (min(RATINGS), max(RATINGS))
"""The lowest and highest rating."""

AGGREGATE_RANGE: MappingProxyType[str, tuple[int, int]] = MappingProxyType(
    {
        a.code: (
            -sum(d.max for d in _FIW.discretionary if d.aggregate == a.code and d.sign < 0),
            a.max,
        )
        for a in _FIW.aggregates
    }
)
"""The range each aggregate can take: from minus the points a discretionary question can
subtract (PR: Q takes up to 4) to its maximum."""

TOTAL_RANGE: tuple[int, int] = (sum(low for low, _ in AGGREGATE_RANGE.values()), TOTAL_MAX)
"""The range of the total score (the aggregates' ranges added up)."""

DISCRETIONARY_COLUMNS: MappingProxyType[str, str] = MappingProxyType(
    {code: "add_a" if code == "ADD_A" else code for code in DISCRETIONARY}
)
"""Each discretionary question's column in a scores row: Q (subtracted) keeps its code; the
added question Add A is `add_a`, as exports since the first release spell it."""

IDENTITY_COLUMNS: tuple[str, ...] = ("country_id", "iso3", "name", "kind")
"""Who a row is about: the country id (slug), ISO3, name, and country or territory."""

SCORE_FIGURES: tuple[str, ...] = (
    *INDICATORS,
    *DISCRETIONARY_COLUMNS.values(),
    *SUBCATEGORIES,
    *(a.lower() for a in AGGREGATES),
    "total",
    *(f"{a.lower()}_rating" for a in AGGREGATES),
    "status",
)
"""The figures of a scores row, in order: what an assessment says (the columns of
`SCORE_COLUMNS` after the country, region and edition)."""

SCORE_COLUMNS: tuple[str, ...] = (*IDENTITY_COLUMNS, "region", "edition", *SCORE_FIGURES)
"""The columns of a scores row, in order, as `Dataset.scores()`, exports, the analysis frames
and the web snapshot hand them out: indicator and subcategory codes spelt as the methodology
spells them (A1, A), aggregates and ratings lowercase (pr, pr_rating)."""

DISCRETIONARY_AFTER: MappingProxyType[str, str] = MappingProxyType(
    {
        d.code: next(
            i.code
            for i in reversed(_FIW.indicators)
            if i.category in next(a.categories for a in _FIW.aggregates if a.code == d.aggregate)
        )
        for d in _FIW.discretionary
    }
)
"""Where a page prints each discretionary question: after the last indicator of the
aggregate it changes (Q after C3, the last Political Rights indicator)."""

RATING_COLUMNS: tuple[str, ...] = (
    *IDENTITY_COLUMNS,
    "year",
    "edition_label",
    "order",
    "period",
    *(f"{a.lower()}_rating" for a in AGGREGATES),
    "status",
    "raw",
    "status_rule",
)
"""The columns of a ratings-history row, in order, as `Dataset.ratings()` and exports hand them
out: the edition as its publication year (int), its label as printed ("1983-84"), its order
(1 = the 1973 edition) and the period under review."""

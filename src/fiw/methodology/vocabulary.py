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


def _column(code: str) -> str:
    """The score column of a discretionary question: Q keeps its code; the historical Add A
    question (2013-2017) is the column `add_a`, as the store and its exports spell it."""
    return code if code == "Q" else code.lower()


SCORE_COLUMNS: tuple[str, ...] = (
    "country_id", "iso3", "name", "kind", "region", "edition",
    *INDICATORS,
    *(_column(code) for code in DISCRETIONARY),
    *SUBCATEGORIES,
    *(code.lower() for code in AGGREGATES),
    "total",
    *(f"{code.lower()}_rating" for code in AGGREGATES),
    "status",
)  # fmt: skip
"""The columns of an assessment row (`ds.scores()`, the API's assessments, CSV exports), in
order: identity, the 25 indicators, the discretionary questions, subtotals A … G, the
aggregates, the total, the aggregates' ratings and the status."""

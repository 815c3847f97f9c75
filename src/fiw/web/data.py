"""What the web layer reads: a small interface that the store's `Dataset` satisfies.

Views depend on this Protocol only, so they run over the database (`fiw.store`) or, in
development, over the official workbooks (`fiw.web.workbook_dataset`).
"""

from __future__ import annotations

from typing import Protocol

import pandas as pd

# Columns of `Dataset.scores()`, in order.
INDICATORS = tuple(
    f"{cat}{n}"
    for cat, count in (("A", 3), ("B", 4), ("C", 3), ("D", 4), ("E", 3), ("F", 4), ("G", 4))
    for n in range(1, count + 1)
)
SUBTOTALS = ("A", "B", "C", "D", "E", "F", "G")
SCORE_COLUMNS = (
    "country_id", "iso3", "name", "kind", "region", "edition",
    *INDICATORS,
    "Q", "add_a",
    *SUBTOTALS,
    "pr", "cl", "total", "pr_rating", "cl_rating", "status",
)  # fmt: skip
# Columns of `Dataset.ratings()`: one row per rated entity and edition since 1973.
RATING_COLUMNS = (
    "country_id", "iso3", "name", "kind", "edition", "edition_order", "period",
    "pr_rating", "cl_rating", "status", "raw", "status_rule",
)  # fmt: skip


class Country(Protocol):
    """A country or territory as the store knows it."""

    @property
    def id(self) -> str: ...  # the slug: "kazakhstan"
    @property
    def iso3(self) -> str | None: ...
    @property
    def name(self) -> str: ...
    @property
    def kind(self) -> str: ...  # "country" or "territory"
    @property
    def region(self) -> str: ...


class Dataset(Protocol):
    """The read-only queries the web explorer needs."""

    def scores(
        self,
        edition: int | None = None,
        region: str | None = None,
        status: str | None = None,
        kind: str | None = None,
    ) -> pd.DataFrame:
        """One row per country-edition with indicator scores (SCORE_COLUMNS), filtered."""
        ...

    def ratings(self) -> pd.DataFrame:
        """Every published PR/CL rating and status since the 1973 edition (RATING_COLUMNS)."""
        ...

    def country(self, key: str) -> Country:
        """The country whose slug or ISO3 code is `key`; raises LookupError when unknown."""
        ...

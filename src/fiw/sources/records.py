"""Domain records read from the official workbooks, before any country is identified.

Readers in `fiw.sources` produce these; the store and the audit consume them. Every record
knows where it came from (file, sheet, 1-based row as Excel shows it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from fiw.methodology import AGGREGATES, SUBCATEGORIES, Status

Kind = Literal["country", "territory"]

# Published fields of the All_data workbook besides the indicator scores, in sheet order.
PUBLISHED_FIELDS: tuple[str, ...] = (
    *SUBCATEGORIES,
    *AGGREGATES,
    "Total",
    *(f"{a} rating" for a in AGGREGATES),
    "Status",
)


@dataclass(frozen=True)
class Origin:
    """Where a value was read: file name, sheet and the 1-based row number Excel shows."""

    file: str
    sheet: str
    row: int

    def __str__(self) -> str:
        return f"{self.file}, sheet {self.sheet.strip()}, row {self.row}"


@dataclass(frozen=True)
class AssessmentRecord:
    """One country-edition of the indicator workbook (All_data_FIW_2013-2024.xlsx).

    `scores` holds the 25 indicator cells and `q`/`add_a` the discretionary ones exactly as
    read (int where the cell is a whole number, else the raw cell value) so that the audit can
    report a bad cell instead of failing to read it. `add_a` is None where the sheet says N/A.
    `published` holds the workbook's own subtotals, aggregates, ratings and status.
    """

    name: str
    region: str
    kind: Kind
    edition: int
    scores: Mapping[str, int | object]
    q: int | object
    add_a: int | object | None
    published: Mapping[str, int | Status | object]
    origin: Origin


@dataclass(frozen=True)
class EditionRecord:
    """One edition of the ratings history, as the country sheet labels it."""

    order: int  # 1 = the 1973 edition ("Jan.-Feb. 1973") ... 51 = 2024
    label: str  # as in the country sheet, stripped: "Jan.-Feb. 1973", "1983-84", "2024"
    period: str  # year(s) under review as in the country sheet: "1972", "Jan.1981-Aug. 1982"
    year: int  # the calendar year the edition was published in (last year of a "1983-84" label)


@dataclass(frozen=True)
class RatingRecord:
    """One rated entry of the ratings history (a country or territory in one edition).

    `raw` keeps the three cells as published when they are not plain ratings (South Africa's
    1972 entry `2(5)`, `3(6)`, `F (NF)`); then the ratings and status hold the first value.
    """

    name: str
    kind: Kind
    edition: EditionRecord
    pr_rating: int | None
    cl_rating: int | None
    status: Status | None
    raw: str | None
    origin: Origin


@dataclass(frozen=True)
class DistributionRecord:
    """A row of the "Historical distribution" sheet: published counts of countries by status."""

    order: int  # matched to EditionRecord.order by position, not by label
    year: int  # publication year of the matched edition (EditionRecord.year)
    label: str
    period: str
    countries: int
    free: int
    partly_free: int
    not_free: int
    origin: Origin

    def counts(self) -> dict[Status, int]:
        return {
            Status.FREE: self.free,
            Status.PARTLY_FREE: self.partly_free,
            Status.NOT_FREE: self.not_free,
        }

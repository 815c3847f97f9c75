"""The ratings history since the 1973 edition: changes between consecutive editions, shares.

Editions follow `order` (1 = "Jan.-Feb. 1973"); labels are kept as the sheet prints
them. An entity not rated in either of two editions is not compared.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from pydantic import model_serializer

from fiw.analysis.frames import (
    STATUSES,
    EditionNotFound,
    EditionRef,
    edition_refs,
    ratings_frame,
    resolve_edition,
)
from fiw.analysis.rounding import rounded_ratio
from fiw.analysis.shape import Shaped


@dataclass(frozen=True)
class RatingChange(Shaped):
    """One entity whose PR rating, CL rating or status moved since the previous edition."""

    country: str
    id: str
    pr_from: int
    pr_to: int
    cl_from: int
    cl_to: int
    status_from: str | None
    status_to: str | None

    @property
    def change(self) -> int:
        """Change of PR + CL ratings; negative is better (1 is the most free rating)."""
        return (self.pr_to + self.cl_to) - (self.pr_from + self.cl_from)

    @model_serializer(mode="plain")
    def _shape(self) -> dict[str, Any]:
        return {
            "country": self.country,
            "id": self.id,
            "pr": {"from": self.pr_from, "to": self.pr_to},
            "cl": {"from": self.cl_from, "to": self.cl_to},
            "status": {"from": self.status_from, "to": self.status_to},
            "change": self.change,
        }


@dataclass(frozen=True)
class RatingChanges(Shaped):
    """Rating and status changes of one edition of the history against the previous one.

    `changes` holds every entity with a different PR rating, CL rating or status, sorted by
    the size of the ratings change (largest first), then name and id. Improved means a lower
    PR + CL sum, declined a higher one.
    """

    edition: EditionRef
    previous: EditionRef
    territories: bool
    changes: tuple[RatingChange, ...]
    compared: int

    @property
    def improved(self) -> int:
        return sum(1 for c in self.changes if c.change < 0)

    @property
    def declined(self) -> int:
        return sum(1 for c in self.changes if c.change > 0)

    @property
    def status_changes(self) -> tuple[RatingChange, ...]:
        return tuple(c for c in self.changes if c.status_from != c.status_to)

    @model_serializer(mode="plain")
    def _shape(self) -> dict[str, Any]:
        return {
            "edition": self.edition.label,
            "edition_order": self.edition.order,
            "previous": self.previous.label,
            "compared": self.compared,
            "improved": self.improved,
            "declined": self.declined,
            "status_changes": len(self.status_changes),
            "changes": [c.to_dict() for c in self.changes],
        }


@dataclass(frozen=True)
class StatusShare(Shaped):
    """How many entities were Free, Partly Free and Not Free in one edition of the history."""

    edition: EditionRef
    counts: dict[str, int]

    @property
    def rated(self) -> int:
        return sum(self.counts.values())

    def shares(self) -> dict[str, float]:
        """Percentages, rounded to two decimals half away from zero."""
        return {
            s: rounded_ratio(100 * n, self.rated) if self.rated else 0.0
            for s, n in self.counts.items()
        }

    @model_serializer(mode="plain")
    def _shape(self) -> dict[str, Any]:
        return {
            "edition": self.edition.label,
            "edition_order": self.edition.order,
            "rated": self.rated,
            "counts": dict(self.counts),
            "shares": self.shares(),
        }


def _paired(frame: pd.DataFrame) -> pd.DataFrame:
    rated = frame.dropna(subset=["pr_rating", "cl_rating"])
    before = rated[["country_id", "order", "pr_rating", "cl_rating", "status"]].copy()
    before["order"] = before["order"] + 1
    return rated.merge(before, on=["country_id", "order"], suffixes=("", "_prev"))


def _changes(
    paired: pd.DataFrame, ref: EditionRef, previous: EditionRef, territories: bool
) -> RatingChanges:
    status_moved = paired["status"].fillna("") != paired["status_prev"].fillna("")
    moved = paired[
        (paired["pr_rating"] != paired["pr_rating_prev"])
        | (paired["cl_rating"] != paired["cl_rating_prev"])
        | status_moved
    ]
    size = (
        moved["pr_rating"] + moved["cl_rating"] - moved["pr_rating_prev"] - moved["cl_rating_prev"]
    ).abs()
    moved = moved.assign(_size=size).sort_values(
        ["_size", "name", "country_id"], ascending=[False, True, True], kind="mergesort"
    )
    columns = [
        "name",
        "country_id",
        "pr_rating_prev",
        "pr_rating",
        "cl_rating_prev",
        "cl_rating",
        "status_prev",
        "status",
    ]
    changes = tuple(
        RatingChange(
            country=str(row["name"]),
            id=str(row["country_id"]),
            pr_from=int(row["pr_rating_prev"]),
            pr_to=int(row["pr_rating"]),
            cl_from=int(row["cl_rating_prev"]),
            cl_to=int(row["cl_rating"]),
            status_from=None if pd.isna(row["status_prev"]) else str(row["status_prev"]),
            status_to=None if pd.isna(row["status"]) else str(row["status"]),
        )
        for row in moved[columns].to_dict("records")
    )
    return RatingChanges(ref, previous, territories, changes, compared=len(paired))


def rating_changes(
    ratings: pd.DataFrame, edition: str | int, territories: bool = False
) -> RatingChanges:
    """PR, CL and status changes of `edition` (label or order) against the one before."""
    frame = ratings_frame(ratings, territories)
    ref = resolve_edition(frame, edition)
    refs = {r.order: r for r in edition_refs(frame)}
    if ref.order - 1 not in refs:
        raise EditionNotFound(
            f"edition {ref.label!r} has no previous edition in the ratings history", "edition"
        )
    window = frame[frame["order"].isin([ref.order - 1, ref.order])]
    paired = _paired(window)
    return _changes(paired, ref, refs[ref.order - 1], territories)


def all_rating_changes(
    ratings: pd.DataFrame, territories: bool = False
) -> tuple[RatingChanges, ...]:
    """`rating_changes` for every edition of the history that follows another, oldest first."""
    frame = ratings_frame(ratings, territories)
    refs = {r.order: r for r in edition_refs(frame)}
    paired = _paired(frame)
    groups = dict(tuple(paired.groupby("order", sort=True)))
    empty = paired.iloc[0:0]
    return tuple(
        _changes(groups.get(order, empty), refs[order], refs[order - 1], territories)
        for order in sorted(refs)
        if order - 1 in refs
    )


def status_distribution(
    ratings: pd.DataFrame, territories: bool = False
) -> tuple[StatusShare, ...]:
    """Free / Partly Free / Not Free counts per edition of the history (countries only unless
    `territories`), comparable with the workbook's "Historical distribution" sheet.

    Entries with a `raw` value (South Africa 1972: two populations rated apart) are left out,
    as the publisher leaves them out of its totals.
    """
    frame = ratings_frame(ratings, territories).dropna(subset=["status"])
    if "raw" in frame.columns:
        frame = frame[frame["raw"].isna()]
    counts = pd.crosstab(frame["order"], frame["status"]).reindex(
        columns=list(STATUSES), fill_value=0
    )
    refs = {r.order: r for r in edition_refs(frame)}
    table: dict[Any, dict[Any, Any]] = counts.to_dict("index")
    return tuple(
        StatusShare(refs[int(order)], {str(s): int(n) for s, n in row.items()})
        for order, row in table.items()
    )


def status_counts(statuses: Iterable[str | None]) -> dict[str, int]:
    """How many of `statuses` are each status, best first (`StatusShare.counts`' shape);
    None (not rated) is not counted."""
    found = list(statuses)
    return {status: found.count(status) for status in STATUSES}

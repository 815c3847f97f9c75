"""The long run: largest gains and declines over a span, runs of decline, status transitions.

Rankings are sorted by size (largest first), then name, then id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

import pandas as pd
from pydantic import Field, SerializerFunctionWrapHandler, model_serializer

from fiw.analysis.changes import TotalChange
from fiw.analysis.frames import (
    STATUSES,
    AnalysisError,
    EditionNotFound,
    EditionRef,
    ratings_frame,
    resolve_edition,
    scores_frame,
)
from fiw.analysis.shape import From, Hidden, Moved, Shaped, To


@dataclass(frozen=True)
class SpanChanges(Shaped):
    """Total-score change of every entity scored in both `start` and `end` editions."""

    start: Annotated[int, From]
    end: Annotated[int, To]
    territories: Annotated[bool, Hidden]
    gains: tuple[TotalChange, ...]
    declines: tuple[TotalChange, ...]
    unchanged: int


@dataclass(frozen=True)
class DeclineRun(Moved):
    """An entity's longest run of consecutive editions in which its total fell.

    `first` is the first edition that declined, `last` the last; `before` is the total in the
    edition before the run and `after` the total at its end. `ongoing` is true when `last` is
    the latest edition of the frame.
    """

    country: str
    id: str
    length: Annotated[int, Field(serialization_alias="editions")]
    first: int
    last: int
    before: Annotated[int, From]
    after: Annotated[int, To]
    ongoing: bool


@dataclass(frozen=True)
class Transitions(Shaped):
    """A from → to matrix of statuses between two editions of the ratings history.

    `matrix[a][b]` counts entities with status a in `start` and b in `end`; `countries[a][b]`
    names them (sorted). Entities rated in only one of the two editions are listed apart.
    """

    start: EditionRef
    end: EditionRef
    territories: bool
    matrix: dict[str, dict[str, int]]
    countries: dict[str, dict[str, list[str]]]
    only_in_start: tuple[str, ...]
    only_in_end: tuple[str, ...]

    @model_serializer(mode="plain")
    def _shape(self) -> dict[str, Any]:
        """The JSON: each end as its label and order, and the statuses in order."""
        return {
            "from": self.start.label,
            "from_order": self.start.order,
            "to": self.end.label,
            "to_order": self.end.order,
            "territories": self.territories,
            "statuses": list(STATUSES),
            "matrix": self.matrix,
            "countries": self.countries,
            "only_in_from": list(self.only_in_start),
            "only_in_to": list(self.only_in_end),
        }


def _ranked(rows: pd.DataFrame) -> tuple[TotalChange, ...]:
    rows = rows.assign(_size=(rows["total"] - rows["total_start"]).abs()).sort_values(
        ["_size", "name", "country_id"], ascending=[False, True, True], kind="mergesort"
    )
    return tuple(
        TotalChange(name, cid, int(b), int(a))
        for name, cid, b, a in zip(
            rows["name"], rows["country_id"], rows["total_start"], rows["total"], strict=True
        )
    )


def span_changes(
    scores: pd.DataFrame,
    start: int,
    end: int,
    territories: bool = False,
    limit: int | None = None,
    country_id: str | None = None,
) -> SpanChanges:
    """Largest gains and declines of total score from edition `start` to edition `end`.

    `limit` keeps the first N of each list; `country_id` keeps one entity (its own change).
    """
    frame = scores_frame(scores, territories)
    editions = set(int(e) for e in frame["edition"].unique())
    for edition, where in ((start, "from"), (end, "to")):
        if edition not in editions:
            shown = f"{min(editions)}–{max(editions)}" if editions else "none"
            raise EditionNotFound(f"no scores for the {edition} edition (editions: {shown})", where)
    if start >= end:
        raise AnalysisError(
            f"the span must run forward: from = {start} is not before to = {end}", "from"
        )
    if country_id is not None:
        frame = frame[frame["country_id"] == country_id]
    first = frame.loc[frame["edition"] == start, ["country_id", "total"]]
    paired = frame[frame["edition"] == end].merge(first, on="country_id", suffixes=("", "_start"))
    diff = paired["total"] - paired["total_start"]
    gains, declines = _ranked(paired[diff > 0]), _ranked(paired[diff < 0])
    if limit is not None:
        gains, declines = gains[:limit], declines[:limit]
    return SpanChanges(start, end, territories, gains, declines, int((diff == 0).sum()))


def decline_runs(
    scores: pd.DataFrame, territories: bool = False, limit: int | None = None
) -> tuple[DeclineRun, ...]:
    """Each entity's longest run of consecutive editions of decline, longest first.

    A run breaks at an edition without a decline or where the entity was not scored. Ties on
    length go to the larger total decline, then name and id; of two equal runs of one entity
    the later is kept.
    """
    frame = scores_frame(scores, territories)
    editions = sorted(int(e) for e in frame["edition"].unique())
    latest = editions[-1] if editions else None
    step = {e: i for i, e in enumerate(editions)}
    frame = frame.assign(_pos=frame["edition"].map(step)).sort_values(["country_id", "_pos"])
    same = frame["country_id"].eq(frame["country_id"].shift())
    adjacent = same & frame["_pos"].eq(frame["_pos"].shift() + 1)
    previous_total = frame["total"].shift()
    declined = adjacent & (frame["total"] < previous_total)
    run_id = (~declined).cumsum()
    runs = frame.assign(_run=run_id, _prev=previous_total)[declined]
    if runs.empty:
        return ()
    grouped = runs.groupby("_run", sort=False).agg(
        country_id=("country_id", "first"),
        name=("name", "last"),
        length=("edition", "size"),
        first=("edition", "first"),
        last=("edition", "last"),
        before=("_prev", "first"),
        after=("total", "last"),
    )
    grouped["_drop"] = grouped["before"] - grouped["after"]
    best = (
        grouped.sort_values(["country_id", "length", "last"], kind="mergesort")
        .groupby("country_id", sort=False)
        .tail(1)
    )
    best = best.sort_values(
        ["length", "_drop", "name", "country_id"],
        ascending=[False, False, True, True],
        kind="mergesort",
    )
    if limit is not None:
        best = best.head(limit)
    return tuple(
        DeclineRun(
            country=str(r["name"]),
            id=str(r["country_id"]),
            length=int(r["length"]),
            first=int(r["first"]),
            last=int(r["last"]),
            before=int(r["before"]),
            after=int(r["after"]),
            ongoing=int(r["last"]) == latest,
        )
        for r in best.to_dict("records")
    )


def transitions(
    ratings: pd.DataFrame, start: str | int, end: str | int, territories: bool = False
) -> Transitions:
    """Status transitions between two editions of the ratings history (label or order)."""
    frame = ratings_frame(ratings, territories)
    first, last = resolve_edition(frame, start, "from"), resolve_edition(frame, end, "to")
    rated = frame.dropna(subset=["status"])
    before = rated.loc[rated["order"] == first.order, ["country_id", "name", "status"]]
    after = rated.loc[rated["order"] == last.order, ["country_id", "name", "status"]]
    paired = before.merge(after, on="country_id", suffixes=("_from", "_to"))
    matrix = pd.crosstab(paired["status_from"], paired["status_to"]).reindex(
        index=list(STATUSES), columns=list(STATUSES), fill_value=0
    )
    cells: dict[Any, dict[Any, Any]] = matrix.to_dict("index")
    countries: dict[str, dict[str, list[str]]] = {a: {b: [] for b in STATUSES} for a in STATUSES}
    for (a, b), names in paired.sort_values(["name_to", "country_id"]).groupby(
        ["status_from", "status_to"]
    )["name_to"]:
        countries[str(a)][str(b)] = [str(n) for n in names]
    return Transitions(
        start=first,
        end=last,
        territories=territories,
        matrix={str(a): {str(b): int(n) for b, n in row.items()} for a, row in cells.items()},
        countries=countries,
        only_in_start=tuple(sorted(set(before["name"]) - set(paired["name_from"]))),
        only_in_end=tuple(sorted(set(after["name"]) - set(paired["name_to"]))),
    )


@dataclass(frozen=True)
class LongRun(Shaped):
    """The long run over a span of editions: largest gains and declines, longest decline runs."""

    span: SpanChanges
    runs: tuple[DeclineRun, ...]

    @model_serializer(mode="wrap")
    def _shape(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """The JSON: the span's keys, then `decline_runs`."""
        fields = handler(self)
        return {**fields["span"], "decline_runs": fields["runs"]}


def long_run(
    scores: pd.DataFrame,
    start: int | None = None,
    end: int | None = None,
    territories: bool = False,
    limit: int | None = 10,
) -> LongRun:
    """`span_changes` from `start` to `end` and the `decline_runs` inside that span.

    `end` defaults to the latest edition, `start` to ten editions before it (or the first).
    """
    frame = scores_frame(scores, territories)
    editions = sorted(int(e) for e in frame["edition"].unique())
    if not editions:
        raise AnalysisError("no scores: the scores frame is empty")
    last = editions[-1] if end is None else end
    first = max(editions[0], last - 10) if start is None else start
    span = span_changes(frame, first, last, territories, limit=limit)
    inside = frame[frame["edition"].between(first, last)]
    return LongRun(span, decline_runs(inside, territories, limit=limit))

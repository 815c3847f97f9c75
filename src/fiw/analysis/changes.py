"""What changed in an edition with indicator scores (2014 on): totals, statuses, indicators.

An entity is compared with itself in the previous edition present in the frame (the year
before); an entity without a previous edition is not compared. Lists are sorted by the size of
the change (largest first), then by name, then by id, so output never depends on row order.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Annotated, Any

import pandas as pd
from pydantic import computed_field

from fiw.analysis.frames import INDICATORS, EditionNotFound, scores_frame
from fiw.analysis.shape import From, Hidden, Moved, Shaped, To

_KEYS = ["country_id", "edition"]


@dataclass(frozen=True)
class TotalChange(Moved):
    """One entity's total score in an earlier edition and in a later one (JSON: from, to)."""

    country: str
    id: str
    before: Annotated[int, From]
    after: Annotated[int, To]


@dataclass(frozen=True)
class StatusChange(Shaped):
    """One entity whose status differs from the previous edition's."""

    country: str
    id: str
    before: Annotated[str, From]
    after: Annotated[str, To]


@dataclass(frozen=True)
class EditionChanges(Shaped):
    """The headline of an edition: who improved, declined or stayed, and status changes.

    `not_compared` holds the ids present in this edition but not in the previous one; they are
    left out of every count (and of the JSON, whose shape is fixed, as are `previous` and
    `territories`, which the caller chose).
    """

    edition: int
    previous: Annotated[int, Hidden]
    territories: Annotated[bool, Hidden]
    improved: tuple[TotalChange, ...]
    declined: tuple[TotalChange, ...]
    unchanged: int
    status_changes: tuple[StatusChange, ...]
    not_compared: Annotated[tuple[str, ...], Hidden] = ()

    @computed_field  # type: ignore[prop-decorator]
    @property
    def net_decline(self) -> int:
        """Declines minus improvements (positive: more declined than improved)."""
        return len(self.declined) - len(self.improved)


@dataclass(frozen=True)
class NetDecline(Shaped):
    """One point of the net-decline series."""

    edition: int
    improved: int
    declined: int
    unchanged: int

    @computed_field  # type: ignore[prop-decorator]
    @property
    def net_decline(self) -> int:
        return self.declined - self.improved


@dataclass(frozen=True)
class IndicatorMove(Moved):
    """One indicator of one entity that moved since the previous edition."""

    country: str
    id: str
    indicator: str
    before: Annotated[int, From]
    after: Annotated[int, To]


@dataclass(frozen=True)
class IndicatorTally(Shaped):
    """How many entities moved up and down on one indicator, and the net points."""

    indicator: str
    up: int
    down: int
    net: int


@dataclass(frozen=True)
class IndicatorChanges(Shaped):
    """Every indicator move of an edition, and a tally per indicator (all 25, in code order).

    Moves are sorted by indicator code order, then by size (largest first), name and id. Q (the
    points subtracted) is not one of the 25 indicators and is not listed.
    """

    edition: int
    previous: int
    territories: Annotated[bool, Hidden]
    moves: tuple[IndicatorMove, ...]
    tally: tuple[IndicatorTally, ...]


def _paired(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    """Each row joined to the same entity's row of the previous edition (suffix `_prev`).

    Only the identity columns and `columns` are kept, so the join stays small and fast.
    """
    editions = sorted(frame["edition"].unique())
    following = dict(pairwise(editions))
    before = frame[["country_id", "edition", *columns]].copy()
    before["edition"] = before["edition"].map(following)
    before = before.dropna(subset=["edition"]).astype({"edition": "int64"})
    after = frame[["country_id", "name", "edition", *columns]]
    return after.merge(before, on=_KEYS, how="inner", suffixes=("", "_prev"))


def _previous_edition(frame: pd.DataFrame, edition: int) -> int:
    editions = sorted(int(e) for e in frame["edition"].unique())
    if edition not in editions:
        shown = f"{editions[0]}–{editions[-1]}" if editions else "none"
        raise EditionNotFound(
            f"no scores for the {edition} edition (editions with scores: {shown})", "edition"
        )
    at = editions.index(edition)
    if at == 0:
        raise EditionNotFound(
            f"the {edition} edition is the first with scores: there is no previous edition to "
            "compare it with",
            "edition",
        )
    return editions[at - 1]


def _changes(frame: pd.DataFrame, territories: bool) -> tuple[EditionChanges, ...]:
    """EditionChanges of every edition of `frame` that follows another, in one vectorised pass:
    one join, one sort, then a single walk that deals the sorted rows out to their edition."""
    editions = sorted(int(e) for e in frame["edition"].unique())
    paired = _paired(frame, ["total", "status"])
    change = paired["total"] - paired["total_prev"]
    paired = paired.assign(_size=change.abs()).sort_values(
        ["edition", "_size", "name", "country_id"],
        ascending=[True, False, True, True],
        kind="mergesort",
    )
    improved: dict[int, list[TotalChange]] = {e: [] for e in editions}
    declined: dict[int, list[TotalChange]] = {e: [] for e in editions}
    moved: dict[int, list[StatusChange]] = {e: [] for e in editions}
    unchanged = dict.fromkeys(editions, 0)
    compared: dict[int, set[str]] = {e: set() for e in editions}
    columns = ["edition", "name", "country_id", "total_prev", "total", "status_prev", "status"]
    for edition, name, cid, before, after, status_before, status_after in zip(
        *(paired[c].tolist() for c in columns), strict=True
    ):
        compared[edition].add(cid)
        if after > before:
            improved[edition].append(TotalChange(name, cid, before, after))
        elif after < before:
            declined[edition].append(TotalChange(name, cid, before, after))
        else:
            unchanged[edition] += 1
        if status_before != status_after:
            moved[edition].append(StatusChange(name, cid, str(status_before), str(status_after)))
    present: dict[int, set[str]] = {e: set() for e in editions}
    for edition, cid in zip(frame["edition"].tolist(), frame["country_id"].tolist(), strict=True):
        present[edition].add(cid)
    return tuple(
        EditionChanges(
            edition=edition,
            previous=previous,
            territories=territories,
            improved=tuple(improved[edition]),
            declined=tuple(declined[edition]),
            unchanged=unchanged[edition],
            status_changes=tuple(sorted(moved[edition], key=lambda c: (c.country, c.id))),
            not_compared=tuple(sorted(present[edition] - compared[edition])),
        )
        for previous, edition in pairwise(editions)
    )


def edition_changes(
    scores: pd.DataFrame, edition: int, territories: bool = False
) -> EditionChanges:
    """Who improved, declined or stayed in `edition` against the previous edition.

    Countries only, as Freedom House counts them, unless `territories` is true.
    """
    frame = scores_frame(scores, territories)
    previous = _previous_edition(frame, edition)
    window = frame[frame["edition"].isin([previous, edition])]
    return _changes(window, territories)[-1]


def all_edition_changes(
    scores: pd.DataFrame, territories: bool = False
) -> tuple[EditionChanges, ...]:
    """`edition_changes` for every edition that has a previous one, oldest first."""
    return _changes(scores_frame(scores, territories), territories)


def net_decline_series(scores: pd.DataFrame, territories: bool = False) -> tuple[NetDecline, ...]:
    """Improved, declined and unchanged counts for every edition with a previous one."""
    frame = scores_frame(scores, territories)
    editions = sorted(int(e) for e in frame["edition"].unique())
    paired = _paired(frame, ["total"])
    sign = (paired["total"] - paired["total_prev"]).clip(-1, 1)
    counts = pd.crosstab(paired["edition"], sign).reindex(
        index=editions[1:], columns=[-1, 0, 1], fill_value=0
    )
    table: dict[Any, dict[Any, Any]] = counts.to_dict("index")
    return tuple(
        NetDecline(int(edition), improved=int(row[1]), declined=int(row[-1]), unchanged=int(row[0]))
        for edition, row in table.items()
    )


def indicator_changes(
    scores: pd.DataFrame, edition: int, territories: bool = False
) -> IndicatorChanges:
    """Which of the 25 indicators moved in `edition`, for whom, and a tally per indicator."""
    frame = scores_frame(scores, territories)
    previous = _previous_edition(frame, edition)
    window = frame[frame["edition"].isin([previous, edition])]
    paired = _paired(window, list(INDICATORS))
    after = paired[["country_id", "name", *INDICATORS]].melt(
        id_vars=["country_id", "name"], var_name="indicator", value_name="after"
    )
    before = paired[[f"{code}_prev" for code in INDICATORS]].melt(value_name="before")
    long = after.assign(before=before["before"].to_numpy())
    long = long[long["after"] != long["before"]]
    position = {code: i for i, code in enumerate(INDICATORS)}
    long = long.assign(
        _pos=long["indicator"].map(position), _size=(long["after"] - long["before"]).abs()
    ).sort_values(
        ["_pos", "_size", "name", "country_id"],
        ascending=[True, False, True, True],
        kind="mergesort",
    )
    moves = tuple(
        IndicatorMove(name, cid, code, int(b), int(a))
        for name, cid, code, b, a in zip(
            long["name"],
            long["country_id"],
            long["indicator"],
            long["before"],
            long["after"],
            strict=True,
        )
    )
    delta = long["after"] - long["before"]
    grouped = (
        pd.DataFrame(
            {"indicator": long["indicator"], "up": delta > 0, "down": delta < 0, "net": delta}
        )
        .groupby("indicator")
        .sum()
    )
    grouped = grouped.reindex(list(INDICATORS), fill_value=0)
    tally = tuple(
        IndicatorTally(str(code), int(row["up"]), int(row["down"]), int(row["net"]))
        for code, row in grouped.to_dict("index").items()
    )
    return IndicatorChanges(edition, previous, territories, moves, tally)


def previous_totals(scores: pd.DataFrame) -> pd.DataFrame:
    """Each entity (territories too) scored in an edition and in the edition before it, with
    that earlier total and status: columns country_id, edition, previous_total,
    previous_status and change (total minus previous_total)."""
    paired = _paired(scores_frame(scores, territories=True), ["total", "status"])
    return pd.DataFrame(
        {
            "country_id": paired["country_id"],
            "edition": paired["edition"],
            "previous_total": paired["total_prev"],
            "previous_status": paired["status_prev"],
            "change": paired["total"] - paired["total_prev"],
        }
    )

"""Ratings derived from the scores workbook, for editions the ratings workbook lacks yet.

Freedom House has at times published the scores workbook (All_data) of a new edition before
the ratings workbook. Its rows carry the PR rating, CL rating and Status, so the ratings
history is extended from them for every edition newer than the latest one a ratings workbook
gave; such entries say `derived_from = "All_data"`. A later ratings workbook that covers the
edition replaces them with its own entries, and the import reports each value it changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, select, update

from fiw.methodology import statuses_for_ratings
from fiw.store.batch import Batch
from fiw.store.schema import Assessment, Base, Edition, Rating

DERIVED_FROM = "All_data"
"""The `derived_from` of a ratings entry that the scores workbook gave."""

FIELDS = {"pr_rating": "PR rating", "cl_rating": "CL rating", "status": "Status"}
"""The derived values, by column, and the workbook's name of each (as messages write them)."""

_RATINGS = Base.metadata.tables[Rating.__tablename__]
_ASSESSMENTS = Base.metadata.tables[Assessment.__tablename__]
_EDITIONS = Base.metadata.tables[Edition.__tablename__]


@dataclass(frozen=True)
class Replaced:
    """What a ratings workbook did to the derived entries of the editions it covers."""

    confirmed: int  # derived entries whose values the ratings workbook gives unchanged
    changes: tuple[str, ...]  # one line per value it changed, or per entry it lacks

    def lines(self) -> tuple[str, ...]:
        confirmed = (
            (f"{self.confirmed} derived entr{'y' if self.confirmed == 1 else 'ies'} "
             "confirmed by the ratings workbook",)
            if self.confirmed
            else ()
        )  # fmt: skip
        return (*self.changes, *confirmed)


@dataclass(frozen=True)
class Derived:
    """Ratings entries derived from All_data by one import: added, changed, unchanged."""

    added: int = 0
    changed: int = 0
    unchanged: int = 0


def _status_rule(pr: int, cl: int, status: str, year: int) -> str:
    allowed = statuses_for_ratings((pr, cl), year)
    if status not in allowed:
        return "contradicts"
    return "either" if len(allowed) > 1 else "follows"


def replace_derived(connection: Connection, batch: Batch) -> Replaced:
    """Before a ratings workbook's rows are written: compare its entries with the derived
    ones of the editions it covers, and delete those (its own entries take their place)."""
    rows = batch.rows.get("ratings") if batch.kind == "ratings" else None
    if not rows:
        return Replaced(0, ())
    editions = sorted({int(str(r["edition"])) for r in rows})
    r = _RATINGS.c
    covered = r.derived_from.is_not(None) & r.edition.in_(editions)
    derived = connection.execute(
        select(r.country_id, r.edition, *(r[c] for c in FIELDS)).where(covered)
    ).all()
    if not derived:
        return Replaced(0, ())
    incoming: Mapping[tuple[object, object], dict[str, object]] = {
        (row["country_id"], row["edition"]): row for row in rows
    }
    confirmed = 0
    changes: list[str] = []
    for old in sorted(derived, key=lambda o: (o.edition, o.country_id)):
        new = incoming.get((old.country_id, old.edition))
        if new is None:
            changes.append(
                f"{old.country_id} {old.edition}: derived from {DERIVED_FROM}, not in the "
                "ratings workbook: removed"
            )
            continue
        diff = [
            f"{label} {getattr(old, column)!r} → {new[column]!r}"
            for column, label in FIELDS.items()
            if getattr(old, column) != new[column]
        ]
        if diff:
            changes.append(
                f"{old.country_id} {old.edition}: {', '.join(diff)} (derived from "
                f"{DERIVED_FROM}, replaced by the ratings workbook)"
            )
        else:
            confirmed += 1
    connection.execute(delete(_RATINGS).where(covered))
    return Replaced(confirmed, tuple(changes))


def derive_ratings(connection: Connection) -> Derived:
    """Extend the ratings history from the scores rows of every edition newer than the latest
    one a ratings workbook (or export) gave; nothing before any ratings are imported."""
    r, a = _RATINGS.c, _ASSESSMENTS.c
    latest = connection.execute(select(func.max(r.edition)).where(r.derived_from.is_(None)))
    newest = latest.scalar()
    if newest is None:
        return Derived()
    sources = connection.execute(
        select(
            a.country_id, a.edition, a.kind, a.pr_rating, a.cl_rating, a.status,
            a.source_file_id, a.source_sheet, a.source_row,
        ).where(a.edition > newest)
    ).all()  # fmt: skip
    existing = {
        (row.country_id, row.edition): row
        for row in connection.execute(
            select(r.country_id, r.edition, r.kind, *(r[c] for c in FIELDS), r.derived_from)
            .where(r.edition > newest)
        )
    }  # fmt: skip
    added: list[dict[str, object]] = []
    changed: list[dict[str, object]] = []
    unchanged = 0
    for s in sources:
        row: dict[str, object] = {
            "country_id": s.country_id,
            "edition": s.edition,
            "kind": s.kind,
            "pr_rating": s.pr_rating,
            "cl_rating": s.cl_rating,
            "status": s.status,
            "raw": None,
            "status_rule": _status_rule(s.pr_rating, s.cl_rating, s.status, s.edition),
            "source_file_id": s.source_file_id,
            "source_sheet": s.source_sheet,
            "source_row": s.source_row,
            "derived_from": DERIVED_FROM,
        }
        old = existing.get((s.country_id, s.edition))
        if old is None:
            added.append(row)
        elif old.derived_from is None:
            unchanged += 1  # a ratings entry of its own: never overwritten
        elif (old.kind, *(getattr(old, c) for c in FIELDS)) == (
            s.kind, s.pr_rating, s.cl_rating, s.status
        ):  # fmt: skip
            unchanged += 1
        else:
            changed.append(row)
    if added:
        connection.execute(insert(_RATINGS), added)
    if changed:
        keys = ("country_id", "edition")
        statement = (
            update(_RATINGS)
            .where(and_(*(r[k] == bindparam(f"k_{k}") for k in keys)))
            .values({c: bindparam(f"v_{c}") for c in changed[0] if c not in keys})
        )
        connection.execute(
            statement,
            [
                {**{f"k_{k}": row[k] for k in keys},
                 **{f"v_{c}": v for c, v in row.items() if c not in keys}}
                for row in changed
            ],
        )  # fmt: skip
    _order_editions(connection, sorted({int(str(row["edition"])) for row in added}))
    return Derived(len(added), len(changed), unchanged)


def _order_editions(connection: Connection, years: list[int]) -> None:
    """Give the editions that derived ratings extend the history with their place in the
    series (the scores workbook knows only their year): the next order after the latest.
    A ratings workbook that has the edition later writes its own label and order."""
    e = _EDITIONS.c
    for year in years:
        if connection.execute(select(e.order).where(e.year == year)).scalar() is not None:
            continue
        last = connection.execute(select(func.max(e.order))).scalar() or 0
        connection.execute(update(_EDITIONS).where(e.year == year).values(order=last + 1))

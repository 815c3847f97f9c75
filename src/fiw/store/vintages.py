"""Vintages: what each release (an imported workbook or export file) published.

Current values stay in `assessments` and `ratings`, so every reader keeps reading one row per
country-edition. Each import also records, in its own transaction, the import itself
(`release_imports`), the editions its file holds (`release_editions`) and every published
value it changed (`value_revisions`: old and new). The database as a release had it is the
current one with the revisions of every later import undone (`state_as_of`); two releases
or two files are compared by the same rule (`compare`).
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, select

from fiw.errors import NotFoundError
from fiw.store.batch import _WORKBOOK_LABELS, PROVENANCE, TABLE_KEYS, Batch
from fiw.store.schema import (
    Base,
    ReleaseEdition,
    ReleaseImport,
    SourceFile,
    ValueRevision,
    public_name,
)

VERSIONED = ("assessments", "ratings")
"""The tables whose values have vintages (one row per country-edition)."""
RELEASE_KINDS = ("all_data", "ratings", "export")
"""Source kinds that are releases: files whose rows the importer merges by key."""
WHOLE_EDITION_KINDS = ("all_data", "ratings")
"""Official workbooks hold whole editions: a row of one of their editions that a later
workbook lacks is dropped (and reported, new = null). An export may hold a subset."""
DERIVED = frozenset({"status_rule"})
"""Columns fiw derives rather than reads: versioned so that a vintage rebuilds exactly,
never listed as a revision."""
# Identity columns of the indicator workbook that the tables keep under another name.
_IDENTITY_HEADINGS = {"kind": "C/T", "region": "Region"}

Key = tuple[str, int]
Values = dict[str, Any]
Rows = dict[Key, Values]


class UnknownRelease(NotFoundError):
    """No imported release answers to a key (an id or a sha256 prefix)."""

    fix = "`fiw releases` lists them"

    def __init__(self, key: object, message: str) -> None:
        self.key = key
        self.where = "release"
        super().__init__(message)


def columns(table: str) -> tuple[str, ...]:
    """The versioned columns of a table, in its order: every column but the key, the row id
    and where the row came from."""
    keys = TABLE_KEYS[table]
    return tuple(
        c.name
        for c in Base.metadata.tables[table].columns
        if c.name not in keys and c.name not in PROVENANCE and c.name != "id"
    )


def field_name(column: str) -> str:
    """A column as the workbooks head it: A1, Add Q, Add A, A, PR, Total, PR rating, Status,
    C/T, Region (the ratings workbook's PR, CL and Status under an edition are the PR rating,
    CL rating and Status); other columns by their own name (raw, status_rule)."""
    if column in _IDENTITY_HEADINGS:
        return _IDENTITY_HEADINGS[column]
    name = public_name(column)
    return _WORKBOOK_LABELS.get(name, name)


def column_of(table: str, field: str) -> str:
    """The column a field name stands for in `table` (the inverse of `field_name`)."""
    for column in columns(table):
        if field_name(column) == field:
            return column
    raise KeyError(f"{table} has no field {field!r}")


def _encode(value: object) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _decode(text: str | None) -> Any:
    return None if text is None else json.loads(text)


@dataclass(frozen=True)
class Change:
    """One published value that differs between two vintages (None: no such value)."""

    table: str
    country_id: str
    edition: int
    column: str
    old: Any
    new: Any

    @property
    def field(self) -> str:
        return field_name(self.column)

    def to_dict(self) -> dict[str, Any]:
        return {
            "country_id": self.country_id,
            "edition": self.edition,
            "field": self.field,
            "old": self.old,
            "new": self.new,
            "table": self.table,
        }


def compare(
    table: str,
    old: Mapping[Key, Values],
    new: Mapping[Key, Values],
    *,
    added_in: Container[int],
    removed_in: Container[int],
) -> list[Change]:
    """Every value that differs from `old` to `new`, by key then column order. A row only in
    `new` counts where its edition is in `added_in` (the editions `old` held: a new edition is
    not a revision), a row only in `old` where its edition is in `removed_in`."""
    order = columns(table)
    changes: list[Change] = []
    for key in sorted(old.keys() | new.keys(), key=lambda k: (k[1], k[0])):
        before, after = old.get(key), new.get(key)
        if before is None and key[1] not in added_in:
            continue
        if after is None and key[1] not in removed_in:
            continue
        for column in order:
            a = None if before is None else before.get(column)
            b = None if after is None else after.get(column)
            if a != b:
                changes.append(Change(table, key[0], key[1], column, a, b))
    return changes


def batch_rows(batch: Batch) -> dict[str, Rows]:
    """A file's rows of the versioned tables, by table and key (no database needed)."""
    found: dict[str, Rows] = {}
    for table in VERSIONED:
        rows = batch.rows.get(table)
        if rows:
            order = columns(table)
            found[table] = {
                (str(r["country_id"]), int(str(r["edition"]))): {c: r.get(c) for c in order}
                for r in rows
            }
    return found


# --- recording, inside the import's transaction -------------------------------------------

# The first import of each open import transaction (keyed by its connection): imports of one
# `fiw import` command form one group, the unit "as a release had it" rolls back to.
_GROUPS: weakref.WeakKeyDictionary[Connection, tuple[object, int]] = weakref.WeakKeyDictionary()


def _import_id(connection: Connection, file_id: int) -> int:
    table = Base.metadata.tables[ReleaseImport.__tablename__]
    transaction = connection.get_transaction()
    group = _GROUPS.get(connection)
    now = datetime.now(UTC)
    new_id = connection.execute(
        insert(table)
        .values(source_file_id=file_id, import_group=0, imported_at=now)
        .returning(table.c.id)
    ).scalar_one()
    first = group[1] if group is not None and group[0] is transaction else int(new_id)
    _GROUPS[connection] = (transaction, first)
    connection.execute(table.update().where(table.c.id == new_id).values(import_group=first))
    return int(new_id)


@dataclass(frozen=True)
class Recorded:
    """What recording an import found: the revisions written and the rows it dropped."""

    revisions: int
    removed: dict[str, list[Key]]


def record(connection: Connection, batch: Batch, file_id: int) -> Recorded:
    """Record one import of a release before its rows are merged: the import, the values it
    changes (a first import of an edition changes none), and the editions the file holds.
    Rows of the file's editions that an official workbook no longer has are deleted here
    (their values recorded with new = null); the importer merges the rest. Importing a
    known file again that changes nothing records nothing (imports stay idempotent)."""
    if batch.kind not in RELEASE_KINDS:
        return Recorded(0, {})
    held = Base.metadata.tables[ReleaseEdition.__tablename__]
    imports = Base.metadata.tables[ReleaseImport.__tablename__]
    changes: list[Change] = []
    removed: dict[str, list[Key]] = {}
    coverage: list[dict[str, Any]] = []
    for table, rows in batch_rows(batch).items():
        editions = {key[1] for key in rows}
        covered = set(
            connection.execute(select(held.c.edition).where(held.c.table_name == table)).scalars()
        )
        stored, kinds = _stored(connection, table)
        gone_in = editions if batch.kind in WHOLE_EDITION_KINDS else set()
        gone = {
            k for k in stored
            if k[1] in gone_in and k not in rows and kinds[k] in WHOLE_EDITION_KINDS
        }  # fmt: skip
        found = compare(table, stored, rows, added_in=covered, removed_in={k[1] for k in gone})
        changes += [c for c in found if (c.country_id, c.edition) in rows.keys() | gone]
        if gone:
            removed[table] = sorted(gone, key=lambda k: (k[1], k[0]))
        known = set(
            connection.execute(
                select(held.c.edition).where(
                    held.c.table_name == table, held.c.source_file_id == file_id
                )
            ).scalars()
        )
        coverage += [
            {"source_file_id": file_id, "table_name": table, "edition": e}
            for e in sorted(editions - known)
        ]
    seen = connection.execute(
        select(imports.c.id).where(imports.c.source_file_id == file_id).limit(1)
    ).first()
    if seen is None or changes or removed:
        import_id = _import_id(connection, file_id)
        if changes:
            connection.execute(
                insert(Base.metadata.tables[ValueRevision.__tablename__]),
                [
                    {
                        "import_id": import_id, "table_name": c.table, "country_id": c.country_id,
                        "edition": c.edition, "field": c.field, "old": _encode(c.old),
                        "new": _encode(c.new),
                    }
                    for c in changes
                ],
            )  # fmt: skip
    for table, keys in removed.items():
        target = Base.metadata.tables[table]
        connection.execute(
            delete(target).where(
                and_(
                    target.c.country_id == bindparam("k_country"),
                    target.c.edition == bindparam("k_edition"),
                )
            ),
            [{"k_country": k[0], "k_edition": k[1]} for k in keys],
        )
    if coverage:
        connection.execute(insert(held), coverage)
    return Recorded(len(changes), removed)


def _stored(connection: Connection, table: str) -> tuple[Rows, dict[Key, str]]:
    """The table's current rows by key, and the kind of file that last wrote each."""
    target = Base.metadata.tables[table]
    files = SourceFile.__table__
    order = columns(table)
    query = select(
        target.c.country_id, target.c.edition, files.c.kind, *(target.c[c] for c in order)
    ).select_from(target.join(files, files.c.id == target.c.source_file_id))
    rows: Rows = {}
    kinds: dict[Key, str] = {}
    for row in connection.execute(query):
        key = (row[0], row[1])
        kinds[key] = row[2]
        rows[key] = dict(zip(order, row[3:], strict=True))
    return rows, kinds


# --- releases -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Release:
    """An imported release: its file, when it was first and last imported, what it holds."""

    id: int
    name: str
    kind: str
    sha256: str
    size: int
    url: str | None
    imported_at: datetime  # first import
    last_imported_at: datetime
    editions: dict[str, tuple[int, ...]]  # table -> editions the file holds

    @property
    def short(self) -> str:
        """The sha256 prefix addresses use (12 hex digits)."""
        return self.sha256[:12]

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "file": self.name,
            "kind": self.kind,
            "sha256": self.sha256,
            "size": self.size,
            "url": self.url,
            "imported_at": self.imported_at.isoformat(),
            "last_imported_at": self.last_imported_at.isoformat(),
            "editions": {t: list(e) for t, e in self.editions.items()},
        }


def releases(connection: Connection) -> list[Release]:
    """Every imported release, in the order first imported."""
    files = SourceFile.__table__.c
    imports = ReleaseImport.__table__.c
    held = ReleaseEdition.__table__.c
    times = (
        select(
            imports.source_file_id,
            func.min(imports.imported_at).label("first"),
            func.max(imports.imported_at).label("last"),
            func.min(imports.id).label("seq"),
        )
        .group_by(imports.source_file_id)
        .subquery()
    )
    query = (
        select(
            files.id, files.name, files.kind, files.sha256, files.size, files.url,
            times.c.first, times.c.last,
        )
        .join(times, times.c.source_file_id == files.id)
        .order_by(times.c.seq)
    )  # fmt: skip
    editions: dict[int, dict[str, list[int]]] = {}
    for fid, table, edition in connection.execute(
        select(held.source_file_id, held.table_name, held.edition).order_by(held.edition)
    ):
        editions.setdefault(fid, {}).setdefault(table, []).append(edition)
    return [
        Release(
            id=row.id, name=row.name, kind=row.kind, sha256=row.sha256, size=row.size,
            url=row.url, imported_at=_aware(row.first), last_imported_at=_aware(row.last),
            editions={t: tuple(e) for t, e in editions.get(row.id, {}).items()},
        )
        for row in connection.execute(query)
    ]  # fmt: skip


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes: they were written in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def find_release(connection: Connection, key: str | int) -> Release:
    """A release by id (as `fiw releases` lists it) or by a prefix of its sha256 (4 or more
    hex digits); UnknownRelease when none or several match."""
    text = str(key).strip().lower()
    known = releases(connection)
    if text.isdigit() and len(text) < 4:
        found = [r for r in known if r.id == int(text)]
    elif len(text) >= 4 and all(c in "0123456789abcdef" for c in text):
        found = [r for r in known if r.sha256.startswith(text)]
    else:
        raise UnknownRelease(
            key, f"release {key!r}: expected a release id or 4 or more hex digits of a sha256"
        )
    if len(found) == 1:
        return found[0]
    if not found:
        raise UnknownRelease(key, f"no imported release {key!r}")
    raise UnknownRelease(
        key, f"release {key!r} is ambiguous: {', '.join(r.short for r in found)}; give more digits"
    )


# --- reading a vintage ----------------------------------------------------------------------


def mark(connection: Connection, release: Release) -> int:
    """The last import of the transaction that last imported `release`: the database as the
    release had it is the state after that import."""
    imports = ReleaseImport.__table__.c
    last = connection.execute(
        select(imports.import_group)
        .where(imports.source_file_id == release.id)
        .order_by(imports.id.desc())
        .limit(1)
    ).scalar_one()
    return int(
        connection.execute(
            select(func.max(imports.id)).where(imports.import_group == last)
        ).scalar_one()
    )


def state_as_of(
    connection: Connection, table: str, upto: int, editions: Iterable[int] | None = None
) -> Rows:
    """A table's rows as they stood after import `upto`: only editions some release imported
    by then held (or `editions`), with the revisions of every later import undone."""
    imports = ReleaseImport.__table__.c
    held = ReleaseEdition.__table__.c
    if editions is None:
        first = (
            select(imports.source_file_id, func.min(imports.id).label("first"))
            .group_by(imports.source_file_id)
            .subquery()
        )
        wanted = set(
            connection.execute(
                select(held.edition)
                .join(first, first.c.source_file_id == held.source_file_id)
                .where(held.table_name == table, first.c.first <= upto)
            ).scalars()
        )
    else:
        wanted = set(editions)
    target = Base.metadata.tables[table]
    order = columns(table)
    rows: Rows = {
        (r[0], r[1]): dict(zip(order, r[2:], strict=True))
        for r in connection.execute(
            select(target.c.country_id, target.c.edition, *(target.c[c] for c in order)).where(
                target.c.edition.in_(sorted(wanted))
            )
        )
    }
    v = ValueRevision.__table__.c
    undone: dict[Key, Values] = {}
    for cid, edition, field, old in connection.execute(
        select(v.country_id, v.edition, v.field, v.old)
        .where(v.table_name == table, v.import_id > upto)
        .order_by(v.import_id, v.id)
    ):
        if edition in wanted:
            undone.setdefault((cid, edition), {}).setdefault(column_of(table, field), old)
    for key, olds in undone.items():
        row = dict(rows.get(key) or dict.fromkeys(order))
        row.update({c: _decode(o) for c, o in olds.items()})
        if all(value is None for value in row.values()):
            rows.pop(key, None)
        else:
            rows[key] = row
    return rows


def release_rows(connection: Connection, release: Release) -> dict[str, Rows]:
    """The rows a release holds, as it had them (its own editions, later revisions undone)."""
    upto = mark(connection, release)
    return {
        table: state_as_of(connection, table, upto, editions)
        for table, editions in release.editions.items()
    }


def diff(old: Mapping[str, Rows], new: Mapping[str, Rows]) -> list[Change]:
    """The published values that differ from one vintage to another, table by table: rows
    only in `new` count in the editions `old` holds, rows only in `old` in those `new` holds."""
    changes: list[Change] = []
    for table in VERSIONED:
        if table in old and table in new:
            before, after = old[table], new[table]
            changes += compare(
                table, before, after,
                added_in={k[1] for k in before}, removed_in={k[1] for k in after},
            )  # fmt: skip
    return [c for c in changes if c.column not in DERIVED]


@dataclass(frozen=True)
class Revision:
    """A published value an imported release changed, with the release."""

    country_id: str
    edition: int
    field: str
    old: Any
    new: Any
    table: str
    release: int
    file: str
    sha256: str
    imported_at: datetime


REVISION_COLUMNS: tuple[str, ...] = tuple(Revision.__dataclass_fields__)


def revisions(
    connection: Connection,
    release: Release | None = None,
    countries: Sequence[str] | None = None,
    editions: Sequence[int] | None = None,
) -> list[Revision]:
    """Every published value an import changed (derived columns left out), in import order,
    then by edition, country and the workbook's column order."""
    v = ValueRevision.__table__.c
    imports = ReleaseImport.__table__.c
    files = SourceFile.__table__.c
    query = (
        select(
            v.country_id, v.edition, v.field, v.old, v.new, v.table_name, files.id,
            files.name, files.sha256, imports.imported_at, v.import_id,
        )
        .join(ReleaseImport.__table__, imports.id == v.import_id)
        .join(SourceFile.__table__, files.id == imports.source_file_id)
        .where(v.field.not_in([field_name(c) for c in DERIVED]))
    )  # fmt: skip
    if release is not None:
        query = query.where(files.id == release.id)
    if countries is not None:
        query = query.where(v.country_id.in_(countries))
    if editions is not None:
        query = query.where(v.edition.in_(editions))
    found = connection.execute(query).all()

    def place(row: Any) -> tuple[Any, ...]:
        position = columns(row.table_name).index(column_of(row.table_name, row.field))
        return (row.import_id, row.edition, row.country_id, position)

    return [
        Revision(
            country_id=row.country_id, edition=row.edition, field=row.field,
            old=_decode(row.old), new=_decode(row.new), table=row.table_name, release=row.id,
            file=row.name, sha256=row.sha256, imported_at=_aware(row.imported_at),
        )
        for row in sorted(found, key=place)
    ]  # fmt: skip


@dataclass(frozen=True)
class Publication:
    """A release that published a value, and the value it published (None: none)."""

    table: str
    release: int
    file: str
    sha256: str
    imported_at: datetime
    value: Any


PUBLICATION_COLUMNS: tuple[str, ...] = tuple(Publication.__dataclass_fields__)


def publications(
    connection: Connection, country_id: str, edition: int, field: str
) -> list[Publication]:
    """Every release holding `edition` of a table with `field`, and the value it published
    there for `country_id` (the current value, or the first later revision's `old`)."""
    found: list[Publication] = []
    known = releases(connection)
    v = ValueRevision.__table__.c
    for table in VERSIONED:
        try:
            column = column_of(table, field)
        except KeyError:
            continue
        target = Base.metadata.tables[table]
        current = connection.execute(
            select(target.c[column]).where(
                target.c.country_id == country_id, target.c.edition == edition
            )
        ).scalar()
        revised = connection.execute(
            select(v.import_id, v.old)
            .where(
                v.table_name == table, v.country_id == country_id, v.edition == edition,
                v.field == field,
            )
            .order_by(v.import_id, v.id)
        ).all()  # fmt: skip
        for release in known:
            if edition not in release.editions.get(table, ()):
                continue
            upto = mark(connection, release)
            later = next((old for i, old in revised if i > upto), None)
            value = _decode(later) if any(i > upto for i, _ in revised) else current
            found.append(
                Publication(
                    table, release.id, release.name, release.sha256, release.imported_at, value
                )
            )
    return found

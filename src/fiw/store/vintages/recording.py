"""Recording an import of a release, inside the import's transaction: the file's rows
compared with the stored ones (`fiw.store.vintages.changes.compare`), the values it changes
written as revisions, the rows an official workbook dropped deleted, the editions it holds."""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, func, insert, select

from fiw.store.batch import Batch
from fiw.store.schema import Base, ReleaseEdition, ReleaseImport, SourceFile, ValueRevision
from fiw.store.vintages.changes import (
    RELEASE_KINDS,
    WHOLE_EDITION_KINDS,
    Change,
    Key,
    Rows,
    batch_rows,
    columns,
    compare,
    encode,
)

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
        _write_revisions(connection, _import_id(connection, file_id), changes)
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


def record_later(connection: Connection, file_id: int, changes: Sequence[Change]) -> None:
    """Record values changed after a release's rows were merged (the ratings derived from a
    scores workbook: `fiw.store.derived`) as revisions of that release's latest import."""
    imports = Base.metadata.tables[ReleaseImport.__tablename__]
    import_id = connection.execute(
        select(func.max(imports.c.id)).where(imports.c.source_file_id == file_id)
    ).scalar()
    if import_id is not None:
        _write_revisions(connection, int(import_id), changes)


def _write_revisions(connection: Connection, import_id: int, changes: Sequence[Change]) -> None:
    """Store each change as a revision of import `import_id` (old and new as JSON)."""
    if not changes:
        return
    connection.execute(
        insert(Base.metadata.tables[ValueRevision.__tablename__]),
        [
            {
                "import_id": import_id, "table_name": c.table, "country_id": c.country_id,
                "edition": c.edition, "field": c.field, "old": encode(c.old), "new": encode(c.new),
            }
            for c in changes
        ],
    )  # fmt: skip


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

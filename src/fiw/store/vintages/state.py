"""A vintage: the database as a release had it, rebuilt from the current rows with the
revisions of every later import undone (`state_as_of`)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, func, select

from fiw.store.schema import Base, ReleaseEdition, ReleaseImport, ValueRevision
from fiw.store.vintages.changes import Key, Rows, Values, column_of, columns, decode
from fiw.store.vintages.releases import Release


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
        row.update({c: decode(o) for c, o in olds.items()})
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

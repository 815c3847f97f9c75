"""Revisions: the published values each import changed (`fiw revisions`, `ds.revisions()`),
and the releases that published one value (`ds.published()`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from fiw.store.schema import Base, ReleaseImport, SourceFile, ValueRevision
from fiw.store.vintages.changes import DERIVED, VERSIONED, column_of, columns, decode, field_name
from fiw.store.vintages.releases import Release, aware, releases
from fiw.store.vintages.state import mark


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
            old=decode(row.old), new=decode(row.new), table=row.table_name, release=row.id,
            file=row.name, sha256=row.sha256, imported_at=aware(row.imported_at),
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
            value = decode(later) if any(i > upto for i, _ in revised) else current
            found.append(
                Publication(
                    table, release.id, release.name, release.sha256, release.imported_at, value
                )
            )
    return found

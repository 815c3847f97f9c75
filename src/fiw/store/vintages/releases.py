"""Releases: the files (workbooks and exports) imported as releases, listed and found by id
or sha256 prefix (`fiw releases`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from fiw.errors import NotFoundError
from fiw.numerals import ascii_digits
from fiw.store.schema import ReleaseEdition, ReleaseImport, SourceFile


class UnknownRelease(NotFoundError):
    """No imported release answers to a key (an id or a sha256 prefix)."""

    fix = "`fiw releases` lists them"

    def __init__(self, key: object, message: str) -> None:
        self.key = key
        self.where = "release"
        super().__init__(message)


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
            url=row.url, imported_at=aware(row.first), last_imported_at=aware(row.last),
            editions={t: tuple(e) for t, e in editions.get(row.id, {}).items()},
        )
        for row in connection.execute(query)
    ]  # fmt: skip


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes: they were written in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def find_release(connection: Connection, key: str | int) -> Release:
    """A release by id (as `fiw releases` lists it) or by a prefix of its sha256 (4 or more
    hex digits); UnknownRelease when none or several match."""
    text = str(key).strip().lower()
    known = releases(connection)
    if ascii_digits(text) and len(text) < 4:
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

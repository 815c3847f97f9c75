"""What a database holds, read without changing it: the files imported into it (the data
releases, each with its sha256) and its schema revision. `fiw --version` prints this."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, inspect, select
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from fiw.store.database import make_engine, normalise_url
from fiw.store.errors import DatabaseError
from fiw.store.migrate import current_revision
from fiw.store.schema import SourceFile


@dataclass(frozen=True)
class ImportedFile:
    """One file imported into the database: a data release as fiw recorded it."""

    name: str
    kind: str  # all_data, ratings, export or pages (schema.SOURCE_KINDS)
    sha256: str
    size: int
    url: str | None
    imported_at: datetime


@dataclass(frozen=True)
class Inventory:
    """The database's URL (no password), whether it exists, its revision and its files."""

    database: str
    exists: bool
    revision: str | None = None
    files: tuple[ImportedFile, ...] = ()


def _sqlite_file(url: URL) -> Path | None:
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(url.database).expanduser()


def inventory(url: str | URL | None = None) -> Inventory:
    """The files imported into the database at `url` (else FIW_DATABASE_URL, else the default
    SQLite file), oldest first. A SQLite file that does not exist is reported, not created;
    a database that cannot be read (a server down, a file that is not SQLite) raises
    DatabaseError."""
    parsed = normalise_url(url)
    shown = parsed.render_as_string(hide_password=True)
    path = _sqlite_file(parsed)
    if path is not None and not path.exists():
        return Inventory(shown, exists=False)
    engine = make_engine(parsed)
    try:
        return _read(engine, shown)
    except SQLAlchemyError as exc:
        cause = getattr(exc, "orig", None) or exc
        raise DatabaseError(f"cannot read {shown}: {type(exc).__name__}: {cause}") from exc
    finally:
        engine.dispose()


def _read(engine: Engine, shown: str) -> Inventory:
    revision = current_revision(engine)
    with engine.connect() as connection:
        if not inspect(connection).has_table(SourceFile.__tablename__):
            return Inventory(shown, exists=True, revision=revision)
        f = SourceFile.__table__.c
        query = select(f.name, f.kind, f.sha256, f.size, f.url, f.imported_at)
        rows = connection.execute(query.order_by(f.imported_at, f.id))
        files = tuple(ImportedFile(*row) for row in rows)
    return Inventory(shown, exists=True, revision=revision, files=files)

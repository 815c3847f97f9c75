"""Engines for fiw's database: a SQLite file by default, PostgreSQL through psycopg 3."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url

from fiw.settings import get_settings
from fiw.store.errors import DatabaseError


def normalise_url(url: str | URL | None = None) -> URL:
    """The SQLAlchemy URL to use: `url`, else FIW_DATABASE_URL, else the default SQLite file.

    `postgresql://` and `postgres://` URLs get the psycopg (3) driver.
    """
    text = url if url is not None else get_settings().database_url
    try:
        parsed = make_url(text)
    except Exception as exc:
        raise DatabaseError(f"{text!r} is not a database URL ({exc})") from exc
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise DatabaseError(
            f"{parsed.render_as_string(hide_password=True)}: fiw supports sqlite:/// and "
            "postgresql:// URLs"
        )
    return parsed


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.close()


def make_engine(url: str | URL | None = None, **kwargs: Any) -> Engine:
    """An engine for `url` (see normalise_url); a SQLite file's folder is created if missing.

    SQLite gets foreign keys enforced; extra keyword arguments go to `create_engine`.
    """
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, **kwargs)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(parsed, **kwargs)


def describe(engine: Engine) -> str:
    """The engine's URL without its password, for messages."""
    return engine.url.render_as_string(hide_password=True)

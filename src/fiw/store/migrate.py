"""Apply fiw's Alembic revisions to a database programmatically (`fiw db upgrade`)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from fiw.store.database import describe
from fiw.store.errors import DatabaseError


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic config pointing at the revisions inside the package."""
    config = Config()
    config.set_main_option("script_location", "fiw.store:migrations")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    """The newest revision shipped with this version of fiw."""
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Bring the database to `revision`; returns (revision before, revision after)."""
    before = current_revision(engine)
    try:
        with engine.begin() as connection:
            command.upgrade(alembic_config(connection), revision)
    except Exception as exc:
        raise DatabaseError(f"cannot migrate {describe(engine)}: {exc}") from exc
    return before, current_revision(engine) or ""


def require_current(engine: Engine) -> None:
    """Fail with a clear message unless the database is at the newest revision."""
    try:
        revision = current_revision(engine)
    except Exception as exc:
        raise DatabaseError(f"cannot open {describe(engine)}: {exc}") from exc
    if revision != head_revision():
        state = "empty" if revision is None else f"at revision {revision}"
        raise DatabaseError(
            f"{describe(engine)} is {state}, not at fiw's schema {head_revision()}: "
            "run `fiw db upgrade` (and `fiw import FILE…` to load data)"
        )

"""The Alembic revisions create exactly the models, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from fiw.store.database import make_engine, normalise_url
from fiw.store.migrate import current_revision, head_revision, upgrade
from fiw.store.schema import Base, include_object


def test_migrations_match_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        diff = compare_metadata(
            MigrationContext.configure(connection, opts={"include_object": include_object}),
            Base.metadata,
        )
    assert diff == []
    assert current_revision(engine) == head_revision()


def test_upgrade_is_idempotent_and_creates_every_table(database_url: str) -> None:
    engine = make_engine(database_url)
    assert upgrade(engine)[0] is None
    assert upgrade(engine) == (head_revision(), head_revision())
    tables = set(inspect(engine).get_table_names())
    assert {"countries", "country_names", "editions", "assessments", "ratings",
            "source_files", "reports", "report_paragraphs"} <= tables  # fmt: skip


def test_postgresql_urls_get_the_psycopg_driver() -> None:
    assert normalise_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert normalise_url("sqlite:///x.sqlite").drivername == "sqlite"

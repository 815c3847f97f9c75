"""The Alembic revisions create exactly the models, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import IntegrityError

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


def test_revision_0004_gives_two_population_entries_their_own_rule(database_url: str) -> None:
    engine = make_engine(database_url)
    upgrade(engine, "0003")
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO source_files (id, name, kind, sha256, size, imported_at) "
                "VALUES (1, 'r.xlsx', 'ratings', 'ab', 1, CURRENT_TIMESTAMP)"
            )
        )
        connection.execute(
            text(
                "INSERT INTO countries (id, name, iso3, source_file_id) "
                "VALUES ('south-africa', 'South Africa', 'ZAF', 1)"
            )
        )
        connection.execute(
            text(
                'INSERT INTO editions (year, "order", label, period, methodology_version, '
                "source_file_id) VALUES (1973, 1, 'Jan.-Feb. 1973', '1972', 'fiw-1973', 1)"
            )
        )
        connection.execute(text(
            "INSERT INTO ratings (country_id, edition, kind, pr_rating, cl_rating, status, raw, "
            "status_rule, source_file_id) VALUES ('south-africa', 1973, 'country', 2, 3, "
            "'Free', '2(5); 3(6); F (NF)', 'follows', 1)"))  # fmt: skip
    upgrade(engine)
    with engine.connect() as connection:
        row = connection.execute(text("SELECT status, status_rule, raw FROM ratings")).one()
    assert tuple(row) == (None, "split", "2(5); 3(6); F (NF)")
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text("UPDATE ratings SET status_rule = 'bogus'"))

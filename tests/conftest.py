"""Shared fixtures: the official workbooks from FIW_SHARED, and fresh migrated databases
(a SQLite file, and a PostgreSQL schema of its own at FIW_TEST_DATABASE_URL) per test."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from fiw.settings import SharedDataMissing, get_settings
from fiw.store.database import make_engine, normalise_url
from fiw.store.importer import import_files
from fiw.store.migrate import upgrade

BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _need(path_of: str) -> Path:
    try:
        return getattr(get_settings(), path_of)()  # type: ignore[no-any-return]
    except SharedDataMissing as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def all_data_path() -> Path:
    """The official indicator workbook; the test fails (never skips) when it is missing."""
    return _need("all_data_workbook")


@pytest.fixture(scope="session")
def ratings_path() -> Path:
    """The official ratings workbook; the test fails (never skips) when it is missing."""
    return _need("ratings_workbook")


@pytest.fixture(scope="session")
def workbooks(all_data_path: Path, ratings_path: Path) -> list[Path]:
    return [all_data_path, ratings_path]


def _postgres_schema() -> tuple[str, str]:
    """A new empty schema on the test server, and a URL whose connections use it."""
    server = normalise_url(get_settings().test_database_url)
    schema = f"fiw_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server)
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:
        pytest.fail(
            f"PostgreSQL at {server.render_as_string(hide_password=True)} does not answer "
            f"({exc}); start it (make services) or set FIW_TEST_DATABASE_URL",
            pytrace=False,
        )
    finally:
        admin.dispose()
    url = server.update_query_dict({"options": f"-csearch_path={schema}"})
    return schema, url.render_as_string(hide_password=False)


def _drop_schema(schema: str) -> None:
    admin = create_engine(normalise_url(get_settings().test_database_url))
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    admin.dispose()


def _fresh_url(backend: str, folder: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'fiw.sqlite'}"
        return
    schema, url = _postgres_schema()
    try:
        yield url
    finally:
        _drop_schema(schema)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of a fresh, empty database (not migrated) on each backend."""
    yield from _fresh_url(request.param, tmp_path)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    """A fresh database with fiw's migrations applied."""
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def imported_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, workbooks: list[Path]
) -> Iterator[str]:
    """A database (shared by the tests of a session: do not write) with both workbooks."""
    for url in _fresh_url(request.param, tmp_path_factory.mktemp("imported")):
        engine = make_engine(url)
        import_files(engine, workbooks)
        engine.dispose()
        yield url


@pytest.fixture
def fresh_twin_url(imported_url: str, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database on the same backend as `imported_url` (for round trips)."""
    yield from _fresh_url(make_url(imported_url).get_backend_name(), tmp_path)


@pytest.fixture(scope="session")
def shared() -> Path:
    """The shared data folder (FIW_SHARED), absolute so that a subprocess started in another
    folder (the packaging test's `fiw serve`) finds it too; the test fails when it is missing."""
    try:
        return get_settings().shared_file().resolve()
    except SharedDataMissing as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The seed page, Kazakhstan 2023."""
    try:
        return get_settings().shared_file("seed", "kazakhstan-2023.txt")
    except SharedDataMissing as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium under Playwright, one per test process: Playwright's sync API runs
    one instance per thread, so every browser test shares this one."""
    from tests.web_server import CHROMIUM, CHROMIUM_ARGS

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: `make services` installs Debian's chromium")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()

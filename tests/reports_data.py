"""Shared by the report-store tests: a database (per backend) holding both workbooks and the
whole pages corpus, imported once per test session, with what the import reported."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from fiw.settings import SharedDataMissing, get_settings
from fiw.store.database import make_engine
from fiw.store.importer import ImportReport, import_files
from tests.conftest import BACKENDS, _fresh_url

CORPUS_PAGES = 1228


def pages_dir() -> Path:
    """$FIW_SHARED/data/pages; the test fails (never skips) when it is missing."""
    try:
        return get_settings().shared_file("data", "pages")
    except SharedDataMissing as exc:
        pytest.fail(str(exc), pytrace=False)


def variants_dir() -> Path:
    try:
        return get_settings().shared_file("data", "page-variants")
    except SharedDataMissing as exc:
        pytest.fail(str(exc), pytrace=False)


IMPORTS: dict[str, list[ImportReport]] = {}


@pytest.fixture(scope="session", params=BACKENDS)
def reports_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, workbooks: list[Path]
) -> Iterator[str]:
    """A database (shared by the session: write only what leaves it as it was) with both
    workbooks and the 1,228 corpus pages, imported in one call."""
    for url in _fresh_url(request.param, tmp_path_factory.mktemp("reports")):
        engine = make_engine(url)
        IMPORTS[url] = import_files(engine, [*workbooks, pages_dir()])
        engine.dispose()
        yield url


def backend(url: str) -> str:
    return make_url(url).get_backend_name()

"""The explorer's security headers on the workbench too (its auth and CSRF have their own
tests): every workbench page and API route, anonymous and logged in, answers with the
headers, and its pages satisfy the strict CSP (no inline script, style or handler)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fiw.settings import Settings
from tests.conftest import BACKENDS
from tests.test_web_security import check_headers
from tests.test_workbench_api import PARAMS, _path, all_routes
from tests.workbench_support import Store, ThreadServer, login, make_store


@pytest.fixture(scope="module", params=BACKENDS)
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, workbooks: list[Path]
) -> Iterator[Store]:
    yield from make_store(request.param, tmp_path_factory.mktemp("wb-security"), workbooks)


@pytest.fixture(scope="module")
def server(store: Store) -> Iterator[ThreadServer]:
    with ThreadServer(Settings(database_url=store.url, login_delay=0.2)) as running:
        yield running


def test_every_workbench_route_carries_the_headers(server: ThreadServer) -> None:
    paths = sorted(
        _path(path)
        for path, methods in all_routes(server.app.routes)
        if "GET" in methods and path.startswith(("/workbench", "/api/v1/workbench", "/api/v1/auth"))
    )
    assert len(paths) >= 10 and PARAMS
    with httpx.Client(base_url=server.url, timeout=30) as anonymous:
        for path in paths:
            check_headers(anonymous.get(path))
    with httpx.Client(base_url=server.url, timeout=30) as analyst:
        login(analyst, "ana")
        for path in paths:
            response = analyst.get(path)
            assert response.status_code < 500, path
            check_headers(response)
            if response.headers.get("content-type", "").startswith("text/html") and (
                "export" not in path
            ):
                html = response.text
                for tag in re.findall(r"<script\b[^>]*>", html):
                    assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
                assert not re.search(r"\sstyle=|<style\b|\son[a-z]+\s*=", html), path
        options = analyst.options("/api/v1/workbench/drafts/kazakhstan/2025")
        assert options.status_code == 204
        assert "PUT" in options.headers["allow"]

"""The workbench's HTML pages on a real uvicorn (SQLite and PostgreSQL): login redirects
that never leave the site, the editor built from the methodology data, admin-only pages,
private caching, and the narrative preview rendered inert."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from fiw.methodology import load_index
from fiw.settings import Settings
from tests.conftest import BACKENDS
from tests.web_server import ThreadServer
from tests.workbench_support import (
    EDITION,
    Store,
    assert_inert_html,
    login,
    make_store,
)

EDITOR = f"/workbench/drafts/kazakhstan/{EDITION}"
PAGES = ["/workbench", EDITOR, f"{EDITOR}/history", f"/workbench/editions/{EDITION}/progress",
         "/workbench/admin"]  # fmt: skip
ATTACKS = (
    "<script>alert(1)</script> and <img src=x onerror=alert(2)> and "
    '[click](javascript:alert(3)) and <a href="javascript:alert(4)">x</a> *fine*'
)


@pytest.fixture(scope="module", params=BACKENDS)
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, workbooks: list[Path]
) -> Iterator[Store]:
    yield from make_store(request.param, tmp_path_factory.mktemp("wb-pages"), workbooks)


@pytest.fixture(scope="module")
def server(store: Store) -> Iterator[ThreadServer]:
    with ThreadServer(Settings(database_url=store.url)) as running:
        yield running


@contextmanager
def client(server: ThreadServer, name: str | None = None) -> Iterator[httpx.Client]:
    """An HTTP client, logged in as `name` when given (its CSRF token as a default header)."""
    with httpx.Client(base_url=server.url, timeout=30, follow_redirects=False) as c:
        if name is not None:
            login(c, name)
        yield c


def test_pages_send_anonymous_users_to_the_login_and_back(server: ThreadServer) -> None:
    with client(server) as anonymous:
        for path in PAGES:
            r = anonymous.get(path)
            assert r.status_code == 303, path
            assert r.headers["location"].startswith("/workbench/login?next=")
        form = anonymous.get("/workbench/login", params={"next": "/workbench/admin"})
        assert form.status_code == 200
        assert 'data-next="/workbench/admin"' in form.text
        assert form.headers["cache-control"] == "no-store"
        for elsewhere in ("https://evil.example/", "//evil.example", "/\\evil.example", "/"):
            r = anonymous.get("/workbench/login", params={"next": elsewhere})
            assert 'data-next="/workbench"' in r.text, elsewhere  # never off the workbench
    with client(server, "ana") as ana:
        r = ana.get("/workbench/login", params={"next": EDITOR})
        assert (r.status_code, r.headers["location"]) == (303, EDITOR)


def test_every_page_is_private_labelled_and_free_of_inline_script(server: ThreadServer) -> None:
    with client(server, "admin") as admin:
        for path in PAGES:
            r = admin.get(path)
            assert r.status_code == 200, path
            assert r.headers["cache-control"] == "no-store"
            assert not re.search(r"<script(?![^>]*\bsrc=)", r.text), path
            assert not re.search(r"\son[a-z]+=", r.text), path
            ids = set(re.findall(r'<(?:input|textarea|select)[^>]*\bid="([^"]+)"', r.text))
            labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', r.text))
            assert ids <= labelled, (path, ids - labelled)


def test_the_editor_holds_every_question_and_guidance_of_the_edition(
    server: ThreadServer,
) -> None:
    rules = load_index("fiw")
    sections = [*rules.indicators, *rules.discretionary_for(EDITION)]
    with client(server, "ana") as ana:
        page = ana.get(EDITOR).text
    assert page.count('class="wb-indicator"') == len(sections)
    for s in sections:
        question = s.question(EDITION)
        assert question is not None
        block = page.split(f'id="{s.code}"', 1)[1].split('class="wb-indicator"', 1)[0]
        assert question.text.replace("'", "&#39;") in block, s.code
        assert s.guidance.replace("'", "&#39;") in block, s.code
        assert f'id="score-{s.code}"' in block and f'max="{s.max}"' in block
        assert f'id="reason-{s.code}"' in block and f'id="narrative-{s.code}"' in block


def test_only_admins_see_the_admin_page(server: ThreadServer) -> None:
    for name in ("ana", "rita"):
        with client(server, name) as user:
            assert user.get("/workbench/admin").status_code == 403
    with client(server, "admin") as admin:
        page = admin.get("/workbench/admin").text
    assert '<option value="kazakhstan">Kazakhstan</option>' in page


def test_the_preview_renders_markdown_and_nothing_executable(server: ThreadServer) -> None:
    with client(server, "ana") as ana:
        r = ana.post("/workbench/preview", json={"text": ATTACKS})
        assert r.status_code == 200
        html = r.json()["html"]
        assert "<em>fine</em>" in html
        assert_inert_html(html)
        del ana.headers["X-CSRF-Token"]
        assert ana.post("/workbench/preview", json={"text": "x"}).status_code == 403
    with client(server) as anonymous:
        r = anonymous.post("/workbench/preview", json={"text": "x"})
        assert r.status_code == 303

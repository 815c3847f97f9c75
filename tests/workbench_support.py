"""Shared by the workbench tests: a store (per backend) with both official workbooks and
edition 2025 opened, users of each role, and the app served by a real uvicorn on a free
loopback port inside the test process."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
import uvicorn

from fiw.settings import Settings
from fiw.store.database import make_engine
from fiw.store.importer import import_files
from fiw.web.app import create_app
from fiw.workbench import Actor, Workbench
from tests.conftest import _fresh_url
from tests.web_server import free_port

EDITION = 2025
PASSWORD = "correct horse battery"
USERS = {
    "admin": "admin",
    "ana": "analyst",  # drafts Kazakhstan and Kyrgyzstan
    "bob": "analyst",  # drafts Russia
    "rita": "reviewer",
    "rene": "reviewer",
}


@dataclass(frozen=True)
class Store:
    """A migrated store with the workbooks, its users and edition 2025 opened."""

    url: str
    workbench: Workbench

    def actor(self, name: str) -> Actor:
        return self.workbench.system_actor(name)


def make_store(backend: str, folder: Path, workbooks: list[Path]) -> Iterator[Store]:
    for url in _fresh_url(backend, folder):
        engine = make_engine(url)
        import_files(engine, workbooks)
        wb = Workbench(engine)
        for name, role in USERS.items():
            wb.add_user(name, role, PASSWORD)
        wb.assign("ana", ["kazakhstan", "KGZ"])
        wb.assign("bob", ["Russia"])
        wb.open_edition(wb.system_actor("admin"), EDITION)
        yield Store(url, wb)
        engine.dispose()


class ThreadServer:
    """The fiw app served by uvicorn in a thread of the test process (a real HTTP server)."""

    def __init__(self, settings: Settings) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.app = create_app(settings)
        config = uvicorn.Config(self.app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> ThreadServer:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                pytest.fail(f"uvicorn did not start on {self.url}")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def login(client: httpx.Client, name: str, password: str = PASSWORD) -> str:
    """Log `client` in as `name`; returns the CSRF token (also set as the default header)."""
    r = client.post("/api/v1/auth/login", json={"username": name, "password": password})
    assert r.status_code == 200, r.text
    token: str = r.json()["csrf_token"]
    client.headers["X-CSRF-Token"] = token
    return token


class _Elements(HTMLParser):
    """Every element and attribute of an HTML document, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str, str]] = []
        self.scripts: list[str] = []  # each script element's src ("" when inline)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes += [(tag, name, value or "") for name, value in attrs]
        if tag == "script":
            self.scripts.append(dict(attrs).get("src") or "")


def assert_inert_html(document: str) -> None:
    """No script but fiw's own static files, no event-handler attribute, no javascript: URL
    in the document."""
    parsed = _Elements()
    parsed.feed(document)
    assert all(src.startswith("/static/") for src in parsed.scripts), parsed.scripts
    handlers = [(t, n) for t, n, _ in parsed.attributes if n.startswith("on")]
    assert handlers == []
    urls = [v for _, n, v in parsed.attributes if n in ("href", "src", "action", "formaction")]
    assert not any(
        v.strip().lower().startswith(("javascript:", "vbscript:", "data:")) for v in urls
    )

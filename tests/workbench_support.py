"""Shared by the workbench tests: a store (per backend) with both official workbooks and
edition 2025 opened, and users of each role (the app is served by `tests.web_server`'s
`ThreadServer`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import httpx

from fiw.store.database import make_engine
from fiw.store.importer import import_files
from fiw.workbench import Actor, Workbench
from tests.conftest import _fresh_url

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

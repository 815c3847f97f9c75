"""The explorer's security headers on the workbench too (its auth and CSRF have their own
tests): every workbench page and API route, anonymous and logged in, answers with the
headers, and its pages satisfy the strict CSP (no inline script, style or handler)."""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from fiw.settings import Settings
from tests.conftest import BACKENDS
from tests.test_web_security import check_headers
from tests.test_workbench_api import PARAMS, _path, all_routes
from tests.web_server import ThreadServer
from tests.workbench_support import Store, assert_inert_html, login, make_store


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


SCRIPTED = (
    "Rallies <script>alert('x')</script> grew. <img src=x onerror=alert(1)> "
    '[see](javascript:alert(2)) <a href="javascript:alert(3)">link</a> '
    '<a href="#" onclick="alert(4)">click</a> [the source](https://example.org/report)'
)
PDF_ACTIONS = (b"/JavaScript", b"/JS", b"/Launch", b"/OpenAction", b"/AA", b"/SubmitForm")


def pdf_objects(pdf: bytes) -> bytes:
    """The PDF's bytes followed by every Flate stream inflated: WeasyPrint packs annotation
    dictionaries (links) into compressed object streams, where a raw search misses them."""
    inflated = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            inflated.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue  # not Flate (an image, a font subset): holds no action dictionary
    return pdf + b"\n".join(inflated)


def test_a_scripted_narrative_is_inert_in_every_export(server: ThreadServer) -> None:
    path = "/api/v1/workbench/drafts/kyrgyzstan/2025"
    with httpx.Client(base_url=server.url, timeout=60) as analyst:
        login(analyst, "ana")
        draft = analyst.get(path).json()
        saved = analyst.put(
            path,
            headers={"If-Match": str(draft["revision"])},
            json={"narratives": {"A1": SCRIPTED}, "overview": SCRIPTED},
        )
        assert saved.status_code == 200, saved.text
        exports = {
            fmt: analyst.get(path + "/export", params={"format": fmt})
            for fmt in ("text", "md", "html", "pdf")
        }
    for fmt, response in exports.items():
        assert response.status_code == 200, (fmt, response.text[:200])
        assert "default-src 'none'" in response.headers["content-security-policy"]
    for fmt in ("text", "md"):
        body = exports[fmt].text.lower()
        assert "rallies" in body and "grew." in body
        assert not re.search(r"<script|<img|<a\b|onerror|onclick|javascript:", body), fmt
    assert "Rallies" in exports["html"].text
    assert_inert_html(exports["html"].text)
    pdf = exports["pdf"].content
    assert pdf.startswith(b"%PDF") and exports["pdf"].headers["content-type"] == "application/pdf"
    objects = pdf_objects(pdf)
    uris = [u.decode("latin-1") for u in re.findall(rb"/URI\s*\(((?:\\.|[^\\)])*)\)", objects)]
    # the narrative's one safe link is in the PDF, so the search does see link annotations
    assert "https://example.org/report" in uris
    assert all(u.startswith(("https://", "http://", "mailto:")) for u in uris), uris
    assert b"javascript" not in objects.lower() and b"vbscript" not in objects.lower()
    found = [a for a in PDF_ACTIONS if re.search(re.escape(a) + rb"(?![A-Za-z])", objects)]
    assert found == [], found

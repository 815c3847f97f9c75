"""Search of the narratives through a real `fiw serve` over a SQLite database holding the
workbooks and the whole pages corpus: `/search`, `/search.json` and `/api/v1/search`."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
import snowballstemmer

from fiw.pages import parse_file
from fiw.store.database import make_engine
from fiw.store.importer import import_files
from tests.processes import alive, children
from tests.reports_data import pages_dir
from tests.web_server import start_server, stop

STEM = snowballstemmer.stemmer("english")  # the search matches word forms


@pytest.fixture(scope="module")
def search_url(tmp_path_factory: pytest.TempPathFactory, workbooks: list[Path]) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('search') / 'fiw.sqlite'}"
    engine = make_engine(url)
    import_files(engine, [*workbooks, pages_dir()])
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def search_client(search_url: str) -> Iterator[httpx.Client]:
    process, base = start_server({"FIW_DATABASE_URL": search_url})
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            yield client
    finally:
        stop(process)


def kazakhstan_word(code: str) -> str:
    """The longest word of Kazakhstan 2023's first paragraph under `code` (read from the page)."""
    report = parse_file(pages_dir() / "2023" / "kazakhstan.txt")
    return max(re.findall(r"[^\W_]+", report.indicator(code).paragraphs[0]), key=len)


def error_of(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    message: str = body["error"]["message"]
    return message


def test_api_search_finds_a_paragraph_and_links_to_its_indicator(
    search_client: httpx.Client,
) -> None:
    word = kazakhstan_word("B2")
    r = search_client.get("/api/v1/search", params={"q": word, "edition": 2023, "indicator": "b2"})
    assert r.status_code == 200 and "etag" in r.headers
    hits = r.json()
    hit = next(h for h in hits if h["country_id"] == "kazakhstan")
    assert hit["url"] == f"/country/kazakhstan/2023?hl={word}#B2"  # the words marked there
    assert (hit["edition"], hit["indicator"], hit["status"]) == (2023, "B2", "Not Free")
    assert [STEM.stemWord(hit["snippet"][s:e].lower()) for s, e in hit["marks"]] == [
        STEM.stemWord(word.lower())
    ] * len(hit["marks"])  # the word, or another form of it
    country = search_client.get("/country/kazakhstan/2023")
    assert 'id="B2"' in country.text  # the anchor the hit links to


def test_api_search_as_csv_has_the_same_rows(search_client: httpx.Client) -> None:
    params = {"q": "journalists", "edition": 2022, "status": "NF", "limit": 40}
    hits = search_client.get("/api/v1/search", params=params).json()
    r = search_client.get("/api/v1/search", params={**params, "format": "csv"})
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert [(x["country_id"], x["indicator"], x["url"]) for x in rows] == [
        (h["country_id"], h["indicator"], h["url"]) for h in hits
    ]
    assert len(rows) == 40 and all(x["status"] == "Not Free" for x in rows)


class _Labels(HTMLParser):
    """Collects the ids of form controls, the `for` of labels, marks and result links."""

    def __init__(self) -> None:
        super().__init__()
        self.controls: list[str] = []
        self.labels: set[str] = set()
        self.links: list[str] = []
        self.in_mark = False
        self.marks: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("input", "select") and a.get("type") != "hidden":
            self.controls.append(a.get("id") or "")
        if tag == "label":
            self.labels.add(a.get("for") or "")
        if tag == "a" and (a.get("href") or "").startswith("/country/"):
            self.links.append(a["href"] or "")
        self.in_mark = tag == "mark"

    def handle_endtag(self, tag: str) -> None:
        if tag == "mark":
            self.in_mark = False

    def handle_data(self, data: str) -> None:
        if self.in_mark:
            self.marks.append(data)


def test_search_page_has_labelled_controls_and_marked_hits(search_client: httpx.Client) -> None:
    word = kazakhstan_word("A1")
    params = {"q": word, "edition": 2023, "region": "eurasia", "indicator": "A1"}
    r = search_client.get("/search", params=params)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = _Labels()
    page.feed(r.text)
    assert page.controls and all(c and c in page.labels for c in page.controls)
    assert f"/country/kazakhstan/2023?hl={word}#A1" in page.links
    assert page.marks
    assert {STEM.stemWord(m.lower()) for m in page.marks} == {STEM.stemWord(word.lower())}
    twin = search_client.get("/search.json", params=params).json()
    api = search_client.get("/api/v1/search", params=params).json()
    assert twin["hits"] == api
    assert twin["filters"] == {"q": word, "indicator": "A1", "edition": 2023,
                               "region": "Eurasia", "status": None}  # fmt: skip


def test_empty_search_page_shows_the_form(search_client: httpx.Client) -> None:
    r = search_client.get("/search")
    assert r.status_code == 200 and 'role="search"' in r.text
    assert search_client.get("/search.json").json()["hits"] == []


@pytest.mark.parametrize(
    ("params", "status", "needle"),
    [
        ({}, 422, "q"),
        ({"q": "!!!"}, 422, "at least one word"),
        ({"q": " "}, 422, "q"),
        ({"q": "press", "indicator": "Z9"}, 422, "indicator"),
        ({"q": "press", "region": "Atlantis"}, 422, "region"),
        ({"q": "press", "status": "unfree"}, 422, "status"),
        ({"q": "press", "edition": 1900}, 404, "1900"),
        ({"q": "press", "limit": 0}, 422, "limit"),
        ({"q": "press", "format": "xml"}, 422, "format"),
        ({"q": "press a*", "indicator": "B2"}, 422, "at least 3 letters before *"),
    ],
)
def test_api_search_errors(
    search_client: httpx.Client, params: dict[str, object], status: int, needle: str
) -> None:
    message = error_of(search_client.get("/api/v1/search", params=params), status)  # type: ignore[arg-type]
    assert needle in message


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_searches_run_in_a_worker_that_gives_way_and_dies_with_the_server(
    search_url: str,
) -> None:
    """A broad search used to take a core (and the GIL) from every page and API request in
    the server's process; it now runs in a child at the OS's idle priority, which `kill -9`
    of the server takes with it."""
    process, base = start_server({"FIW_DATABASE_URL": search_url})
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            assert client.get("/api/v1/search", params={"q": "journalists"}).status_code == 200
        found = children(process.pid)
        idle = [c for c in found if os.sched_getscheduler(c) == os.SCHED_IDLE]
        assert idle, "no search worker at idle priority"
    finally:
        process.kill()
        process.wait(timeout=10)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(map(alive, found)):
        time.sleep(0.1)
    assert not [c for c in found if alive(c)], "processes outlived the killed server"


def test_search_is_in_the_openapi_spec(search_client: httpx.Client) -> None:
    spec = search_client.get("/api/openapi.json").json()
    assert "/api/v1/search" in spec["paths"]

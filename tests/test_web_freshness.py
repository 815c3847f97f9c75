"""One data version: a page re-imported while `fiw serve` runs is what every view, cache and
ETag of that server serves within 2 seconds, with no restart (a country page viewed before
used to keep its old narrative), on SQLite and PostgreSQL."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import httpx

from fiw.store.database import make_engine
from fiw.store.importer import import_files
from tests.web_server import start_server, stop

TOKEN = "Zyxwvutsfresh"
WITHIN = 2.0


def _within(seconds: float, ok: Callable[[], bool]) -> float:
    """Seconds until `ok()` held; fails when it did not within `seconds`."""
    began = time.monotonic()
    while not ok():
        assert time.monotonic() - began < seconds, f"not seen within {seconds:g} s"
        time.sleep(0.05)
    return time.monotonic() - began


def test_a_reimported_page_is_served_everywhere_within_two_seconds(
    database_url: str, workbooks: list[Path], seed_path: Path, tmp_path: Path
) -> None:
    engine = make_engine(database_url)
    import_files(engine, [*workbooks, seed_path])
    process, url = start_server({"FIW_DATABASE_URL": database_url})
    try:
        with httpx.Client(base_url=url, timeout=30) as client:
            page, twin = "/country/kazakhstan/2023", "/country/kazakhstan/2023.json"
            search = "/api/v1/search?q=" + TOKEN.lower()
            before = {path: client.get(path) for path in (page, twin)}
            assert TOKEN not in before[page].text and TOKEN not in before[twin].text
            assert client.get(search).json() == []
            etag = before[page].headers["etag"]
            assert client.get(page, headers={"If-None-Match": etag}).status_code == 304

            changed = tmp_path / "kazakhstan-2023.txt"
            text = seed_path.read_text(encoding="utf-8")
            changed.write_text(
                text.replace("President Nursultan", f"{TOKEN} President Nursultan", 1),
                encoding="utf-8",
            )
            import_files(engine, [changed])

            def served() -> bool:
                return all(TOKEN in client.get(path).text for path in (page, twin))

            _within(WITHIN, served)
            assert [hit["country_id"] for hit in client.get(search).json()] == ["kazakhstan"]
            fresh = client.get(page, headers={"If-None-Match": etag})
            assert fresh.status_code == 200 and fresh.headers["etag"] != etag
            assert TOKEN in client.get("/search", params={"q": TOKEN}).text
    finally:
        stop(process)
        engine.dispose()

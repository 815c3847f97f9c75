"""Two `fiw serve` worker processes over one PostgreSQL behave as one server: optimistic
locking holds across them, and a publish on one is what every worker serves soon after (the
2 s target is measured by bench/workbench.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from fiw.store.database import make_engine
from fiw.store.state import bump_data_version
from fiw.web.freshness import DataWatcher
from tests.web_server import start_server, stop
from tests.workbench_support import EDITION, Store, login, make_store

pytestmark = pytest.mark.postgres
WORKERS = 2


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, workbooks: list[Path]) -> Iterator[Store]:
    yield from make_store("postgresql", tmp_path_factory.mktemp("wb-workers"), workbooks)


@pytest.fixture(scope="module")
def server(store: Store, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    no_pages = tmp_path_factory.mktemp("no-pages") / "none"
    process, url = start_server(
        {"FIW_DATABASE_URL": store.url, "FIW_PAGES_DIR": str(no_pages)},
        timeout=120,
        args=("--workers", str(WORKERS)),
    )
    yield url
    stop(process)


def _race(server: str, path: str, round_: int) -> None:
    """Two users on two connections save on the same revision at once."""
    clients = [httpx.Client(base_url=server, timeout=30) for _ in range(2)]
    try:
        login(clients[0], "ana")
        login(clients[1], "admin")
        base = clients[0].get(path).json()["revision"]
        texts = [f"Ana's text, round {round_}.", f"Admin's text, round {round_}."]
        start = threading.Barrier(2)
        answers: list[httpx.Response | None] = [None, None]

        def put(i: int) -> None:
            start.wait()
            answers[i] = clients[i].put(
                path,
                json={"narratives": {"E1": texts[i]}},
                headers={"If-Match": str(base), "Connection": "close"},
            )

        threads = [threading.Thread(target=put, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        done = [a for a in answers if a is not None]
        assert sorted(a.status_code for a in done) == [200, 409], [a.text for a in done]
        loser = next(i for i, a in enumerate(answers) if a is not None and a.status_code == 409)
        body = done[0].json() if done[0].status_code == 409 else done[1].json()
        assert body["yours"] == {"narratives": {"E1": texts[loser]}}
        assert body["theirs"]["narratives"]["E1"] == texts[1 - loser]
        assert clients[0].get(path).json()["narratives"]["E1"] == texts[1 - loser]
    finally:
        for c in clients:
            c.close()


def test_two_saves_on_one_revision_across_workers_one_conflicts(server: str) -> None:
    path = f"/api/v1/workbench/drafts/kazakhstan/{EDITION}"
    for round_ in range(6):
        _race(server, path, round_)


def test_a_publish_on_one_worker_is_served_by_every_worker(server: str, store: Store) -> None:
    country = "kyrgyzstan"
    path = f"/api/v1/workbench/drafts/{country}/{EDITION}"
    with (
        httpx.Client(base_url=server, timeout=30) as ana,
        httpx.Client(base_url=server, timeout=30) as rita,
    ):
        login(ana, "ana")
        login(rita, "rita")
        draft = ana.get(path).json()
        f1 = draft["scores"]["F1"]
        new = f1 + 1 if f1 < 4 else f1 - 1
        edit = {"scores": {"F1": new}, "reasons": {"F1": "courts reopened"}}
        saved = ana.put(path, headers={"If-Match": str(draft["revision"])}, json=edit)
        assert saved.status_code == 200, saved.text
        total = saved.json()["result"]["total"]
        assert ana.post(path + "/submit").status_code == 200
        assert rita.post(path + "/approve").status_code == 200
        # every worker has served the country before the publish (its old latest edition)
        for _ in range(8):
            before = httpx.get(f"{server}/api/v1/countries/{country}", timeout=30).json()
            assert before["latest"]["edition"] == 2024
        assert rita.post(path + "/publish").status_code == 200
        published = time.monotonic()
    # Every worker must serve the publish: 16 fresh connections in a row (the workers share
    # the listening socket) all answer it. The publish's NOTIFY starts each worker's reload
    # at once (the next test); what remains is reading the snapshot. The 2 s target is
    # measured by bench/workbench.py (about 1 s with the machine busy); here a loaded CI
    # machine gets 10 s.
    streak, streak_start = 0, 0.0
    while streak < 16:
        sent = time.monotonic()
        assert sent - published < 10, (
            f"after {sent - published:.1f} s some worker still serves 2024"
        )
        latest = httpx.get(f"{server}/api/v1/countries/{country}", timeout=30).json()["latest"]
        if (latest["edition"], latest["total"]) == (EDITION, total):
            streak_start = sent if streak == 0 else streak_start
            streak += 1
        else:
            assert latest["edition"] == 2024
            streak = 0
    print(f"every worker served the publish {streak_start - published:.2f} s after it")


def test_a_bump_wakes_a_listening_watcher_long_before_its_poll(store: Store) -> None:
    """On PostgreSQL a worker does not wait for its next poll: the NOTIFY that a publish's
    (or an import's) bump of the data version sends on commit wakes its watcher at once."""
    engine = make_engine(store.url)
    app = FastAPI()
    reloaded = threading.Event()

    def load() -> Any:
        reloaded.set()
        return "the new snapshot"

    watcher = DataWatcher(app, engine, load, interval=60)  # polls once a minute at most
    watcher.start()
    try:
        with engine.begin() as connection:
            bump_data_version(connection)
        began = time.monotonic()
        assert reloaded.wait(20), "the watcher did not reload within 20 s of the commit"
        print(f"reload began {time.monotonic() - began:.3f} s after the commit")
        assert app.state.data == "the new snapshot"
    finally:
        watcher.stop()
        engine.dispose()

"""Searches in a worker process at the lowest priority (`SearchPool`), for a server.

A broad query keeps SQLite busy for a good part of a second. Run in the server's own process
it takes a core (and, between SQLite's steps, the GIL) from the pages and the API beside it;
in a worker at the OS's idle priority (`fiw.workers.give_way`) it only gets the time no
request wants, and the worker dies with the server. Its time limit counts the worker's CPU
time (`fiw.store.search.time_limit`), so a search that waits for a core is not cut short.
On PostgreSQL the query runs in the database's own process; the worker only waits for it.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from functools import lru_cache
from typing import Any, TypeVar

from sqlalchemy.pool import NullPool

from fiw.store.database import make_engine
from fiw.store.dataset import Dataset
from fiw.store.search import SearchHit
from fiw.workers import start_background_worker

T = TypeVar("T")


@lru_cache(maxsize=4)  # a server searches one store; tests open many
def _store(url: str) -> Dataset:
    """The worker's Dataset for `url`, kept for the next search. Its engine holds no
    connection between searches (NullPool): a SQLite file replaced on disk is read as it is
    now, and a PostgreSQL database is not kept busy (it could not be dropped or renamed)."""
    return Dataset(make_engine(url, poolclass=NullPool))


def _search(url: str, q: str, filters: dict[str, Any]) -> list[SearchHit]:
    return _store(url).search(q, **filters)


def _ready() -> int:
    return os.getpid()


class SearchPool:
    """`workers` processes that run `Dataset.search` at the lowest priority, started on the
    first search (or by `start()`); `search()` blocks until the worker answers."""

    def __init__(self, workers: int = 1) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=multiprocessing.get_context("spawn"),  # safe beside threads
                    initializer=start_background_worker,
                    initargs=(os.getpid(),),
                )
            return self._pool

    def _run(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(*args)` in a worker; a pool whose worker died (killed, out of memory) is
        replaced and the call made once more."""
        for attempt in (1, 2):
            pool = self._executor()
            try:
                return pool.submit(fn, *args).result()
            except BrokenProcessPool:
                with self._lock:
                    if self._pool is pool:
                        self._pool = None
                pool.shutdown(wait=False, cancel_futures=True)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def start(self) -> int:
        """Start a worker now (a server's start-up) rather than on the first search; its pid."""
        return self._run(_ready)

    def search(self, store: Dataset, q: str, **filters: Any) -> list[SearchHit]:
        """`store.search(q, **filters)`, run by a worker."""
        url = store.engine.url.render_as_string(hide_password=False)
        return self._run(_search, url, q, filters)

    def close(self) -> None:
        """Stop the workers (a new search starts them again)."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

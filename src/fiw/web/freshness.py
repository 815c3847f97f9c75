"""Keep a running server's snapshot current: a thread per process checks the store's data
version (one tiny query) every `interval` seconds and, when an import or a publish changed
it, reads a new Snapshot and swaps it in. So several `fiw serve` workers over one database
serve a publish within about a second (docs/workbench.md)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from fastapi import FastAPI
from sqlalchemy import Engine

from fiw.store.state import data_version
from fiw.web.snapshot import Snapshot

INTERVAL = 0.5
log = logging.getLogger(__name__)


class DataWatcher:
    """Reload `app.state.data` when the store's data version moves."""

    def __init__(
        self, app: FastAPI, engine: Engine, load: Callable[[], Snapshot], interval: float = INTERVAL
    ) -> None:
        self.app = app
        self.engine = engine
        self.load = load
        self.interval = interval
        self.version = self._read()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fiw-data-watcher", daemon=True)

    def _read(self) -> int:
        with self.engine.connect() as connection:
            return data_version(connection)

    def check(self) -> bool:
        """Reload if the data version moved; True when it did."""
        version = self._read()
        if version == self.version:
            return False
        data = self.load()
        self.app.state.data = data
        self.app.state.generation = getattr(self.app.state, "generation", 0) + 1
        self.version = version
        return True

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.check()
            except Exception:  # keep serving the old snapshot; try again next time
                log.exception("could not reload the store's data")

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

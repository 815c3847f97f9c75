"""Keep a running server's snapshot current: a thread per process watches the store's data
version and, when an import or a publish changed it, reads a new Snapshot and swaps it in.

On PostgreSQL the thread LISTENs for the NOTIFY that every bump of the data version sends on
commit (`fiw.store.state.CHANNEL`), so each `fiw serve` worker starts reloading as soon as a
publish on any worker commits; it still reads the version (one tiny query) every `interval`
seconds, which covers SQLite and a listening connection that was lost."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine

from fiw.store.state import CHANNEL, data_version
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
        self._listener: Any = None  # a psycopg connection LISTENing on CHANNEL, when there is one
        self._thread = threading.Thread(target=self._run, name="fiw-data-watcher", daemon=True)

    def _read(self) -> int:
        """The data version, in autocommit: one round trip (no BEGIN and ROLLBACK)."""
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
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

    def _listen(self) -> Any:
        """A connection of its own (autocommit, outside the pool) LISTENing on CHANNEL."""
        import psycopg

        args, params = self.engine.dialect.create_connect_args(self.engine.url)
        connection = psycopg.connect(*args, **{**params, "autocommit": True})
        connection.execute(f"LISTEN {CHANNEL}")
        return connection

    def _wait(self) -> None:
        """Until a notification arrives (PostgreSQL) or `interval` passes."""
        if self.engine.dialect.name != "postgresql":
            self._stop.wait(self.interval)
            return
        try:
            if self._listener is None:
                self._listener = self._listen()
            for _ in self._listener.notifies(timeout=self.interval, stop_after=1):
                pass
        except Exception:  # polling goes on; listen again next time
            log.warning("lost the data-version listener; polling meanwhile", exc_info=True)
            self._close_listener()
            self._stop.wait(self.interval)

    def _close_listener(self) -> None:
        listener, self._listener = self._listener, None
        if listener is not None:
            try:
                listener.close()
            except Exception:
                log.debug("closing the listener failed", exc_info=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wait()
            if self._stop.is_set():
                break
            try:
                self.check()
            except Exception:  # keep serving the old snapshot; try again next time
                log.exception("could not reload the store's data")
        self._close_listener()

    def start(self) -> None:
        """Start watching; on PostgreSQL the LISTEN is in place when this returns."""
        if self.engine.dialect.name == "postgresql":
            try:
                self._listener = self._listen()
            except Exception:
                log.warning("cannot LISTEN for data-version changes; polling", exc_info=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=5)

"""The import lock: one writer at a time, held by the database itself so that it works across
processes and machines on both backends.

PostgreSQL: a transaction-level advisory lock (`pg_try_advisory_xact_lock`, polled until the
wait runs out; released at commit or rollback, also when the process dies), keyed by the
store's schema: advisory locks are database-wide, and two stores in one database (a schema
each) do not wait for each other. SQLite: the
import's transaction starts with `BEGIN IMMEDIATE` under a busy timeout (the database's one
write lock, taken up front rather than at the first write).
"""

from __future__ import annotations

import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError

from fiw.store.database import describe
from fiw.store.errors import StoreError

LOCK_KEY = 0x66_69_77_01  # "fiw" 1: the advisory lock of imports (with the schema's key)
DEFAULT_WAIT = 60.0


class ImportBusy(StoreError):
    """Another import holds the lock and did not finish within the wait: nothing was written."""

    exit_code = 3
    http_status = 409

    def __init__(self, where: str, waited: float) -> None:
        self.where = where
        super().__init__(
            f"{where}: another import is running (waited {waited:g} s); nothing was imported, "
            "run it again when the other one has finished"
        )


def begin_sqlite(connection: Connection, where: str, wait: float) -> None:
    """Start the transaction of a SQLite connection holding the write lock (BEGIN IMMEDIATE),
    waiting up to `wait` seconds for another writer to finish."""
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
    try:
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    except OperationalError as exc:
        if "locked" in str(exc.orig).lower() or "busy" in str(exc.orig).lower():
            raise ImportBusy(where, wait) from exc
        raise


def schema_key(schema: str) -> int:
    """The second key of a store's advisory lock: its schema's name as a signed 32-bit int."""
    value = zlib.crc32(schema.encode())
    return value - (1 << 32) if value >= 1 << 31 else value


def lock_postgres(connection: Connection, where: str, wait: float) -> None:
    """Take the store's import lock in the connection's transaction, polling for `wait`
    seconds."""
    deadline = time.monotonic() + wait
    schema = str(connection.execute(text("SELECT current_schema()")).scalar_one())
    query = text("SELECT pg_try_advisory_xact_lock(:key, :schema)").bindparams(
        key=LOCK_KEY, schema=schema_key(schema)
    )
    while not connection.execute(query).scalar():
        if time.monotonic() >= deadline:
            raise ImportBusy(where, wait)
        time.sleep(0.1)


@contextmanager
def import_transaction(engine: Engine, wait: float = DEFAULT_WAIT) -> Iterator[Connection]:
    """A connection in one transaction holding the import lock (committed when the block ends,
    rolled back on an error); ImportBusy when another import holds it for `wait` seconds."""
    where = describe(engine)
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            lock_postgres(connection, where, wait)
        else:
            begin_sqlite(connection, where, wait)
        yield connection
        connection.commit()

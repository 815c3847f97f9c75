"""The store-wide data version: one counter that every import and publish bumps in its own
transaction, so that a running server (each `fiw serve` worker) can tell cheaply whether what
it serves is still current. On PostgreSQL the bump also sends a NOTIFY on `CHANNEL`, which
PostgreSQL delivers when the transaction commits, so a listening server learns of it at once."""

from __future__ import annotations

from sqlalchemy import Connection, select, text, update

from fiw.store.workbench_schema import StoreState, table_of

_TABLE = table_of(StoreState)
CHANNEL = "fiw_data_version"


def bump_data_version(connection: Connection) -> None:
    """Add one to the data version, inside the caller's transaction."""
    connection.execute(
        update(_TABLE).where(_TABLE.c.id == 1).values(data_version=_TABLE.c.data_version + 1)
    )
    if connection.dialect.name == "postgresql":
        connection.execute(text(f"NOTIFY {CHANNEL}"))  # sent on commit, dropped on rollback


def data_version(connection: Connection) -> int:
    """The current data version (0 where the store predates it)."""
    found = connection.execute(select(_TABLE.c.data_version).where(_TABLE.c.id == 1)).scalar()
    return int(found or 0)

"""Alembic environment: runs on the connection that fiw.store.migrate passes in."""

from __future__ import annotations

from alembic import context

from fiw.store.schema import Base, include_object

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    include_object=include_object,
    render_as_batch=connection.dialect.name == "sqlite",
    transaction_per_migration=True,
)
with context.begin_transaction():
    context.run_migrations()

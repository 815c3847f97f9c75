"""Alembic revisions of fiw's schema, run programmatically (see fiw.store.migrate)."""

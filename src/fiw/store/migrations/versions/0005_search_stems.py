"""search stems: word forms match (stemming), the same on SQLite and PostgreSQL

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 10:00:00

Beside the words as written, the search index now holds each word's Snowball English stem
(fiw.store.textsearch.stems, the stemmer of PostgreSQL's `english` configuration, run in
Python for both engines so that they find the same paragraphs): on SQLite the FTS5 table
`report_search` gets a second column `stems` (FTS5 tables cannot be altered: it is built
again), on PostgreSQL a tsvector column `stem_vector` with a GIN index. Existing paragraphs
are indexed here, in the migration's transaction.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from fiw.store.textsearch import fts5_stems, fts5_terms, stem_tsvector

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

BATCH = 2000


def _paragraphs(connection: sa.Connection) -> list[tuple[int, str]]:
    rows = connection.execute(sa.text("SELECT id, text FROM report_paragraphs ORDER BY id"))
    return [(int(i), str(t)) for i, t in rows]


def upgrade() -> None:
    connection = op.get_bind()
    paragraphs = _paragraphs(connection)
    if connection.dialect.name == "sqlite":
        op.execute("DROP TABLE IF EXISTS report_search")
        op.execute(
            "CREATE VIRTUAL TABLE report_search USING fts5("
            "terms, stems, tokenize = 'unicode61 remove_diacritics 0')"
        )
        insert = sa.text("INSERT INTO report_search (rowid, terms, stems) VALUES (:id, :t, :s)")
        for start in range(0, len(paragraphs), BATCH):
            connection.execute(
                insert,
                [{"id": i, "t": fts5_terms(t), "s": fts5_stems(t)}
                 for i, t in paragraphs[start : start + BATCH]],
            )  # fmt: skip
    elif connection.dialect.name == "postgresql":
        op.add_column(
            "report_paragraphs", sa.Column("stem_vector", postgresql.TSVECTOR(), nullable=True)
        )
        update = sa.text(
            "UPDATE report_paragraphs SET stem_vector = CAST(:v AS tsvector) WHERE id = :id"
        )
        for start in range(0, len(paragraphs), BATCH):
            connection.execute(
                update,
                [{"id": i, "v": stem_tsvector(t)} for i, t in paragraphs[start : start + BATCH]],
            )
        op.create_index(
            "ix_report_paragraphs_stems",
            "report_paragraphs",
            ["stem_vector"],
            postgresql_using="gin",
        )


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        paragraphs = _paragraphs(connection)
        op.execute("DROP TABLE IF EXISTS report_search")
        op.execute(
            "CREATE VIRTUAL TABLE report_search USING fts5("
            "terms, tokenize = 'unicode61 remove_diacritics 0')"
        )
        insert = sa.text("INSERT INTO report_search (rowid, terms) VALUES (:id, :t)")
        for start in range(0, len(paragraphs), BATCH):
            connection.execute(
                insert,
                [{"id": i, "t": fts5_terms(t)} for i, t in paragraphs[start : start + BATCH]],
            )
    elif connection.dialect.name == "postgresql":
        op.drop_index("ix_report_paragraphs_stems", table_name="report_paragraphs")
        op.drop_column("report_paragraphs", "stem_vector")

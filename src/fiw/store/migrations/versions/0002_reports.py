"""reports: country report pages with versions, narrative paragraphs and full-text search

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 10:00:00

The same tables on both databases; the search index is each engine's own: an FTS5 virtual
table `report_search` on SQLite, a tsvector column `search_vector` with a GIN index on
PostgreSQL. The importer fills either from fiw's tokenizer (fiw.store.textsearch).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

STATUSES = "'Free', 'Partly Free', 'Not Free'"


def upgrade() -> None:
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.String(length=64), nullable=False),
        sa.Column("edition", sa.Integer(), nullable=False),
        sa.Column("version", sa.SmallInteger(), nullable=False),
        sa.Column("current", sa.Boolean(), nullable=False),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("territory", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=True),
        sa.Column("pr", sa.SmallInteger(), nullable=False),
        sa.Column("cl", sa.SmallInteger(), nullable=False),
        sa.Column("total", sa.SmallInteger(), nullable=False),
        sa.Column("last_year_total", sa.SmallInteger(), nullable=True),
        sa.Column("last_year_status", sa.String(length=16), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("overview", sa.Text(), nullable=False),
        sa.Column("key_developments", sa.Text(), nullable=False),
        sa.Column("add_q", sa.SmallInteger(), nullable=True),
        sa.Column("site_latest_total", sa.SmallInteger(), nullable=True),
        sa.Column("site_latest_status", sa.String(length=16), nullable=True),
        sa.Column("internet_freedom_total", sa.SmallInteger(), nullable=True),
        sa.Column("internet_freedom_status", sa.String(length=16), nullable=True),
        sa.Column("problems", sa.SmallInteger(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("digest", sa.String(length=64), nullable=False),
        sa.Column("source_path", sa.String(length=1000), nullable=False),
        sa.Column("source_file_id", sa.Integer(), nullable=False),
        sa.CheckConstraint(f"status IS NULL OR status IN ({STATUSES})", name="ck_reports_status"),
        sa.CheckConstraint("version >= 1", name="ck_reports_version"),
        sa.ForeignKeyConstraint(
            ["country_id"], ["countries.id"], name="fk_reports_country_id_countries"
        ),
        sa.ForeignKeyConstraint(["edition"], ["editions.year"], name="fk_reports_edition_editions"),
        sa.ForeignKeyConstraint(
            ["source_file_id"], ["source_files.id"], name="fk_reports_source_file_id_source_files"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_reports"),
        sa.UniqueConstraint("country_id", "edition", "version", name="uq_reports_version"),
    )
    op.create_index("ix_reports_edition", "reports", ["edition"])
    op.create_index(
        "uq_reports_current",
        "reports",
        ["country_id", "edition"],
        unique=True,
        sqlite_where=sa.text("current"),
        postgresql_where=sa.text("current"),
    )
    op.create_table(
        "report_paragraphs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("section", sa.String(length=64), nullable=False),
        sa.Column("position", sa.SmallInteger(), nullable=False),
        sa.Column("ordinal", sa.SmallInteger(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["reports.id"],
            name="fk_report_paragraphs_report_id_reports",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_report_paragraphs"),
    )
    op.create_index("ix_report_paragraphs_report_id", "report_paragraphs", ["report_id"])
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE report_search USING fts5("
            "terms, tokenize = 'unicode61 remove_diacritics 0')"
        )
        op.execute(
            "CREATE TRIGGER report_search_delete AFTER DELETE ON report_paragraphs BEGIN "
            "DELETE FROM report_search WHERE rowid = old.id; END"
        )
    elif dialect == "postgresql":
        op.add_column(
            "report_paragraphs", sa.Column("search_vector", postgresql.TSVECTOR(), nullable=True)
        )
        op.create_index(
            "ix_report_paragraphs_search",
            "report_paragraphs",
            ["search_vector"],
            postgresql_using="gin",
        )


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS report_search_delete")
        op.execute("DROP TABLE IF EXISTS report_search")
    op.drop_table("report_paragraphs")
    op.drop_index("uq_reports_current", table_name="reports")
    op.drop_index("ix_reports_edition", table_name="reports")
    op.drop_table("reports")

"""vintages: every import of a release, the editions each release holds, revised values

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 12:00:00

`release_imports` logs each import of a workbook or export file, `release_editions` the
editions each such file holds per table, `value_revisions` every published value an import
changed (fiw.store.vintages). Files imported before this revision get one import each (at
their import time) and the editions of the rows they last wrote; no earlier revision is known.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

RELEASE_KINDS = "'all_data', 'ratings', 'export'"


def upgrade() -> None:
    op.create_table(
        "release_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_file_id", sa.Integer(), nullable=False),
        sa.Column("import_group", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["source_file_id"],
            ["source_files.id"],
            name="fk_release_imports_source_file_id_source_files",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_release_imports"),
    )
    op.create_index("ix_release_imports_source_file_id", "release_imports", ["source_file_id"])
    op.create_table(
        "release_editions",
        sa.Column("source_file_id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=32), nullable=False),
        sa.Column("edition", sa.Integer(), autoincrement=False, nullable=False),
        sa.ForeignKeyConstraint(
            ["source_file_id"],
            ["source_files.id"],
            name="fk_release_editions_source_file_id_source_files",
        ),
        sa.PrimaryKeyConstraint(
            "source_file_id", "table_name", "edition", name="pk_release_editions"
        ),
    )
    op.create_table(
        "value_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("table_name", sa.String(length=32), nullable=False),
        sa.Column("country_id", sa.String(length=64), nullable=False),
        sa.Column("edition", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=32), nullable=False),
        sa.Column("old", sa.Text(), nullable=True),
        sa.Column("new", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["import_id"],
            ["release_imports.id"],
            name="fk_value_revisions_import_id_release_imports",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_value_revisions"),
    )
    op.create_index("ix_value_revisions_import_id", "value_revisions", ["import_id"])
    op.create_index(
        "ix_value_revisions_key", "value_revisions", ["table_name", "country_id", "edition"]
    )
    # Releases already imported: one import each, and the editions of the rows they wrote.
    for table in ("assessments", "ratings"):
        op.execute(
            "INSERT INTO release_editions (source_file_id, table_name, edition) "
            f"SELECT DISTINCT t.source_file_id, '{table}', t.edition FROM {table} t "
            "JOIN source_files f ON f.id = t.source_file_id "
            f"WHERE f.kind IN ({RELEASE_KINDS})"
        )
    op.execute(
        "INSERT INTO release_imports (source_file_id, import_group, imported_at) "
        "SELECT f.id, f.id, f.imported_at FROM source_files f "
        "WHERE f.id IN (SELECT source_file_id FROM release_editions) ORDER BY f.id"
    )
    op.execute("UPDATE release_imports SET import_group = id")


def downgrade() -> None:
    op.drop_index("ix_value_revisions_key", table_name="value_revisions")
    op.drop_index("ix_value_revisions_import_id", table_name="value_revisions")
    op.drop_table("value_revisions")
    op.drop_table("release_editions")
    op.drop_index("ix_release_imports_source_file_id", table_name="release_imports")
    op.drop_table("release_imports")

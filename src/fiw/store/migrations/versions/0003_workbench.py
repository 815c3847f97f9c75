"""workbench: users, sessions, drafts with revisions, review, publications; the data version

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-28 08:30:39

The same tables on both databases. `store_state` holds one row whose `data_version` every
import and publish bumps; source files gain the kind `workbench` (published assessments).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

OLD_KINDS = "'all_data', 'ratings', 'export', 'pages'"
NEW_KINDS = f"{OLD_KINDS}, 'workbench'"


def upgrade() -> None:
    op.create_table(
        "store_state",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("data_version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_store_state")),
    )
    op.bulk_insert(
        sa.table(
            "store_state", sa.column("id", sa.Integer()), sa.column("data_version", sa.Integer())
        ),
        [{"id": 1, "data_version": 1}],
    )
    _source_kinds(OLD_KINDS, NEW_KINDS)
    op.create_table(
        "wb_login_failures",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_wb_login_failures")),
    )
    op.create_table(
        "wb_users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "role IN ('admin', 'analyst', 'reviewer')", name=op.f("ck_wb_users_role")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wb_users")),
        sa.UniqueConstraint("name", name=op.f("uq_wb_users_name")),
    )
    op.create_table(
        "wb_editions",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("previous", sa.Integer(), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.Integer(), nullable=False),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["opened_by"], ["wb_users.id"], name=op.f("fk_wb_editions_opened_by_wb_users")
        ),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_wb_editions")),
    )
    op.create_table(
        "wb_sessions",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["wb_users.id"],
            name=op.f("fk_wb_sessions_user_id_wb_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wb_sessions")),
    )
    with op.batch_alter_table("wb_sessions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_wb_sessions_user_id"), ["user_id"], unique=False)

    op.create_table(
        "wb_assignments",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["country_id"], ["countries.id"], name=op.f("fk_wb_assignments_country_id_countries")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["wb_users.id"],
            name=op.f("fk_wb_assignments_user_id_wb_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "country_id", name=op.f("pk_wb_assignments")),
    )
    op.create_table(
        "wb_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.String(length=64), nullable=False),
        sa.Column("edition", sa.Integer(), nullable=False),
        sa.Column("previous", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("region", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('draft', 'submitted', 'returned', 'approved', 'published')",
            name=op.f("ck_wb_drafts_state"),
        ),
        sa.ForeignKeyConstraint(
            ["country_id"], ["countries.id"], name=op.f("fk_wb_drafts_country_id_countries")
        ),
        sa.ForeignKeyConstraint(
            ["edition"], ["wb_editions.year"], name=op.f("fk_wb_drafts_edition_wb_editions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wb_drafts")),
        sa.UniqueConstraint("country_id", "edition", name="uq_wb_drafts_country_edition"),
    )
    with op.batch_alter_table("wb_drafts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_wb_drafts_edition"), ["edition"], unique=False)

    op.create_table(
        "wb_revisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("based_on", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("changed", sa.Text(), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "kind IN ('open', 'save', 'restore')", name=op.f("ck_wb_revisions_kind")
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["wb_users.id"], name=op.f("fk_wb_revisions_author_id_wb_users")
        ),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["wb_drafts.id"],
            name=op.f("fk_wb_revisions_draft_id_wb_drafts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wb_revisions")),
        sa.UniqueConstraint("draft_id", "number", name="uq_wb_revisions_draft_number"),
    )
    op.create_table(
        "wb_transitions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("from_state", sa.String(length=16), nullable=False),
        sa.Column("to_state", sa.String(length=16), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("comments", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["wb_drafts.id"],
            name=op.f("fk_wb_transitions_draft_id_wb_drafts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["wb_users.id"], name=op.f("fk_wb_transitions_user_id_wb_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wb_transitions")),
    )
    with op.batch_alter_table("wb_transitions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_wb_transitions_draft_id"), ["draft_id"], unique=False)

    op.create_table(
        "wb_publications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("country_id", sa.String(length=64), nullable=False),
        sa.Column("edition", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("revision_id", sa.Integer(), nullable=False),
        sa.Column("approver_id", sa.Integer(), nullable=False),
        sa.Column("publisher_id", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source_file_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["approver_id"], ["wb_users.id"], name=op.f("fk_wb_publications_approver_id_wb_users")
        ),
        sa.ForeignKeyConstraint(
            ["country_id"], ["countries.id"], name=op.f("fk_wb_publications_country_id_countries")
        ),
        sa.ForeignKeyConstraint(
            ["draft_id"], ["wb_drafts.id"], name=op.f("fk_wb_publications_draft_id_wb_drafts")
        ),
        sa.ForeignKeyConstraint(
            ["publisher_id"], ["wb_users.id"], name=op.f("fk_wb_publications_publisher_id_wb_users")
        ),
        sa.ForeignKeyConstraint(
            ["revision_id"],
            ["wb_revisions.id"],
            name=op.f("fk_wb_publications_revision_id_wb_revisions"),
        ),
        sa.ForeignKeyConstraint(
            ["source_file_id"],
            ["source_files.id"],
            name=op.f("fk_wb_publications_source_file_id_source_files"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wb_publications")),
        sa.UniqueConstraint("country_id", "edition", name="uq_wb_publications_country_edition"),
    )


def downgrade() -> None:
    op.drop_table("wb_publications")
    with op.batch_alter_table("wb_transitions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wb_transitions_draft_id"))

    op.drop_table("wb_transitions")
    op.drop_table("wb_revisions")
    with op.batch_alter_table("wb_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wb_drafts_edition"))

    op.drop_table("wb_drafts")
    op.drop_table("wb_assignments")
    with op.batch_alter_table("wb_sessions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_wb_sessions_user_id"))

    op.drop_table("wb_sessions")
    op.drop_table("wb_editions")
    op.drop_table("wb_users")
    op.drop_table("wb_login_failures")
    op.drop_table("store_state")
    op.execute("DELETE FROM source_files WHERE kind = 'workbench'")
    _source_kinds(NEW_KINDS, OLD_KINDS)


def _source_kinds(old: str, new: str) -> None:
    """Change source_files' kind constraint. SQLite cannot alter a CHECK constraint and copying
    the table would break the foreign keys that point at it, so there the table's definition is
    edited in place, the documented way for constraint changes that leave the stored rows as
    they are (https://sqlite.org/lang_altertable.html#otheralter)."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        op.drop_constraint(op.f("ck_source_files_kind"), "source_files", type_="check")
        op.create_check_constraint(op.f("ck_source_files_kind"), "source_files", f"kind IN ({new})")
        return
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    bind.exec_driver_sql(
        "UPDATE sqlite_master SET sql = replace(sql, ?, ?) WHERE type = 'table' AND name = ?",
        (f"kind IN ({old})", f"kind IN ({new})", "source_files"),
    )
    bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    bind.exec_driver_sql("PRAGMA writable_schema = OFF")

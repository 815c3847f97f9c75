"""user countries and aliases; ratings derived from the scores workbook

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 12:00:00

Countries, territories and name spellings a user adds (`fiw countries add`, `fiw countries
alias`) live in the database, beside the package mapping, so that an upgrade of fiw keeps
them: tables `user_countries` and `user_aliases`. A ratings entry that the scores workbook
gave for an edition the ratings workbook did not have yet says so in `ratings.derived_from`
("All_data"); the ratings workbook's own entry replaces it when imported.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "user_countries",
        sa.Column("id", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("iso3", sa.String(length=3), nullable=True),
        sa.Column("region", sa.String(length=32), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('country', 'territory')", name=op.f("ck_user_countries_kind")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_countries")),
        sa.UniqueConstraint("iso3", name=op.f("uq_user_countries_iso3")),
    )
    op.create_table(
        "user_aliases",
        sa.Column("name", sa.String(length=128), nullable=False),
        sa.Column("country_id", sa.String(length=64), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_user_aliases")),
    )
    op.create_index(
        op.f("ix_user_aliases_country_id"), "user_aliases", ["country_id"], unique=False
    )
    with op.batch_alter_table("ratings") as batch:
        batch.add_column(sa.Column("derived_from", sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ratings") as batch:
        batch.drop_column("derived_from")
    op.drop_index(op.f("ix_user_aliases_country_id"), table_name="user_aliases")
    op.drop_table("user_aliases")
    op.drop_table("user_countries")

"""ratings: a status rule of its own for entries that rate two populations

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-28 09:00:00

South Africa in the 1973 edition is published with two sets of cells (white and Black
populations: "2(5); 3(6); F (NF)"), and the Historical distribution sheet does not count it.
Such an entry keeps its cells in `raw`, has no counted status, and its `status_rule` is
`split`, so that a plain group-by of the ratings gives the published counts.
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _rules(*rules: str) -> str:
    return f"status_rule IS NULL OR status_rule IN ({', '.join(repr(r) for r in rules)})"


def upgrade() -> None:
    with op.batch_alter_table("ratings", recreate="always") as batch:
        batch.drop_constraint(op.f("ck_ratings_status_rule"), type_="check")
        batch.create_check_constraint(
            op.f("ck_ratings_status_rule"), _rules("follows", "either", "contradicts", "split")
        )
    op.execute("UPDATE ratings SET status = NULL, status_rule = 'split' WHERE raw IS NOT NULL")


def downgrade() -> None:
    # Back to the first of the two statuses as status (revision 0002's reading of the cells).
    op.execute(
        "UPDATE ratings SET status = CASE WHEN raw LIKE '%; F %' THEN 'Free' "
        "WHEN raw LIKE '%; PF %' THEN 'Partly Free' ELSE 'Not Free' END, "
        "status_rule = 'follows' WHERE status_rule = 'split'"
    )
    with op.batch_alter_table("ratings", recreate="always") as batch:
        batch.drop_constraint(op.f("ck_ratings_status_rule"), type_="check")
        batch.create_check_constraint(
            op.f("ck_ratings_status_rule"), _rules("follows", "either", "contradicts")
        )

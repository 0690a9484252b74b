"""content revision

One row whose token every commit that changes published content (organisations, units,
plans, materials, audiences, study sessions) replaces; caches of that content compare it.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-26 16:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "content_revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_content_revision")),
    )
    op.bulk_insert(table, [{"id": 1, "token": 0}])


def downgrade() -> None:
    op.drop_table("content_revision")

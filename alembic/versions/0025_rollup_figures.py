"""rollup figures: each plan's roll-up counts kept per day, and the log of changed organisations

`organization_change` gets a row per organisation from every commit that writes to its records
(app.core.changes); `rollup_figures` keeps each adopted plan's counts on a day (or live) while
no such change and no clock event has happened since (app.reports.rollup_cache). Both start
empty: the first reading of a roll-up counts everything, as before. The downgrade drops both.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-05 08:27:46.271285
"""

from collections.abc import Sequence

import sqlalchemy as sa

import app.core.base
from alembic import op

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organization_change",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("mark", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_organization_change_organization_id_organization"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organization_change")),
    )
    with op.batch_alter_table("organization_change", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_organization_change_mark"), ["mark"], unique=False)
        batch_op.create_index(
            "ix_organization_change_organization_id_mark",
            ["organization_id", "mark"],
            unique=False,
        )

    op.create_table(
        "rollup_figures",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.String(length=10), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        sa.Column("since", sa.BigInteger(), nullable=False),
        sa.Column("computed_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("valid_until", app.core.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plan.id"],
            name=op.f("fk_rollup_figures_plan_id_plan"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("plan_id", "day", name=op.f("pk_rollup_figures")),
    )


def downgrade() -> None:
    op.drop_table("rollup_figures")
    with op.batch_alter_table("organization_change", schema=None) as batch_op:
        batch_op.drop_index("ix_organization_change_organization_id_mark")
        batch_op.drop_index(batch_op.f("ix_organization_change_mark"))
    op.drop_table("organization_change")

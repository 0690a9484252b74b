"""outreach activities

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 09:31:16.115230
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import app.core.base
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "activity",
        sa.Column("created_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("happened_on", sa.Date(), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("reach", sa.Integer(), nullable=True),
        sa.Column("responsible_participant_id", sa.Integer(), nullable=True),
        sa.Column("responsible_unit_id", sa.Integer(), nullable=True),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_activity_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_activity_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_activity_plan_id_plan")),
        sa.ForeignKeyConstraint(
            ["responsible_participant_id"],
            ["participant.id"],
            name=op.f("fk_activity_responsible_participant_id_participant"),
        ),
        sa.ForeignKeyConstraint(
            ["responsible_unit_id"], ["unit.id"], name=op.f("fk_activity_responsible_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activity")),
    )
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_activity_happened_on"), ["happened_on"], unique=False)
        batch_op.create_index(batch_op.f("ix_activity_kind"), ["kind"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_activity_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_activity_plan_id"), ["plan_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("activity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_activity_plan_id"))
        batch_op.drop_index(batch_op.f("ix_activity_organization_id"))
        batch_op.drop_index(batch_op.f("ix_activity_kind"))
        batch_op.drop_index(batch_op.f("ix_activity_happened_on"))

    op.drop_table("activity")

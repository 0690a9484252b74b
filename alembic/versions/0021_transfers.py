"""transfers: a person's move to another organisation

participant_transfer links the row she leaves to the row she starts at the same moment
(each row leaves and arrives at most once), with the decision's number and date. A new
table only; the downgrade drops it.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05 06:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import app.core.base
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "participant_transfer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_participant_id", sa.Integer(), nullable=False),
        sa.Column("to_participant_id", sa.Integer(), nullable=False),
        sa.Column("from_organization_id", sa.Integer(), nullable=False),
        sa.Column("to_organization_id", sa.Integer(), nullable=False),
        sa.Column("moved_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decision_ref", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_participant_transfer_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["from_organization_id"],
            ["organization.id"],
            name=op.f("fk_participant_transfer_from_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["from_participant_id"],
            ["participant.id"],
            name=op.f("fk_participant_transfer_from_participant_id_participant"),
        ),
        sa.ForeignKeyConstraint(
            ["to_organization_id"],
            ["organization.id"],
            name=op.f("fk_participant_transfer_to_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["to_participant_id"],
            ["participant.id"],
            name=op.f("fk_participant_transfer_to_participant_id_participant"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participant_transfer")),
        sa.UniqueConstraint(
            "from_participant_id", name=op.f("uq_participant_transfer_from_participant_id")
        ),
        sa.UniqueConstraint(
            "to_participant_id", name=op.f("uq_participant_transfer_to_participant_id")
        ),
    )
    with op.batch_alter_table("participant_transfer", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_participant_transfer_from_organization_id"),
            ["from_organization_id"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_participant_transfer_to_organization_id"),
            ["to_organization_id"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("participant_transfer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_participant_transfer_to_organization_id"))
        batch_op.drop_index(batch_op.f("ix_participant_transfer_from_organization_id"))

    op.drop_table("participant_transfer")

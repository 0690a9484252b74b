"""tasks and evidence

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 09:31:49.491837
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import app.core.base
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "task",
        sa.Column("created_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(length=10000), nullable=True),
        sa.Column("section", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("assignee_participant_id", sa.Integer(), nullable=True),
        sa.Column("assignee_unit_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("priority", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("recurrence", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("previous_task_id", sa.Integer(), nullable=True),
        sa.Column("completed_at", app.core.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(assignee_participant_id IS NULL) <> (assignee_unit_id IS NULL)",
            name=op.f("ck_task_one_assignee"),
        ),
        sa.ForeignKeyConstraint(
            ["assignee_participant_id"],
            ["participant.id"],
            name=op.f("fk_task_assignee_participant_id_participant"),
        ),
        sa.ForeignKeyConstraint(
            ["assignee_unit_id"], ["unit.id"], name=op.f("fk_task_assignee_unit_id_unit")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_task_created_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_task_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_task_plan_id_plan")),
        sa.ForeignKeyConstraint(
            ["previous_task_id"], ["task.id"], name=op.f("fk_task_previous_task_id_task")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task")),
        sa.UniqueConstraint("previous_task_id", name=op.f("uq_task_previous_task_id")),
    )
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_task_assignee_participant_id"), ["assignee_participant_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_task_assignee_unit_id"), ["assignee_unit_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_task_due_on"), ["due_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_task_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_task_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_task_status"), ["status"], unique=False)

    op.create_table(
        "task_evidence",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=True),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.Column("submitted_by_participant_id", sa.Integer(), nullable=True),
        sa.Column("submitted_by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("review_status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("review_comment", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", app.core.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["file_id"], ["stored_file.id"], name=op.f("fk_task_evidence_file_id_stored_file")
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"],
            ["user_account.id"],
            name=op.f("fk_task_evidence_reviewed_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_participant_id"],
            ["participant.id"],
            name=op.f("fk_task_evidence_submitted_by_participant_id_participant"),
        ),
        sa.ForeignKeyConstraint(
            ["submitted_by_user_id"],
            ["user_account.id"],
            name=op.f("fk_task_evidence_submitted_by_user_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["task_id"], ["task.id"], name=op.f("fk_task_evidence_task_id_task")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_evidence")),
    )
    with op.batch_alter_table("task_evidence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_task_evidence_task_id"), ["task_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("task_evidence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_evidence_task_id"))

    op.drop_table("task_evidence")
    with op.batch_alter_table("task", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_task_status"))
        batch_op.drop_index(batch_op.f("ix_task_plan_id"))
        batch_op.drop_index(batch_op.f("ix_task_organization_id"))
        batch_op.drop_index(batch_op.f("ix_task_due_on"))
        batch_op.drop_index(batch_op.f("ix_task_assignee_unit_id"))
        batch_op.drop_index(batch_op.f("ix_task_assignee_participant_id"))

    op.drop_table("task")

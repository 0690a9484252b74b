"""the follow-up loop: reminder policies, the reminder log and in-app notifications

reminder_policy: an organisation's default rules (plan_id NULL, one per organisation) or one
plan's own. reminder: every reminder and digest sent, unique per recipient, kind, item and day
so that nothing is sent twice whatever runs twice. notification: the messages under the bell.
The downgrade drops the three tables (the log and the notifications with them).

Chained after 0017 on its branch; re-chain after 0018 at merge.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 03:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import app.core.base
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("stage", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("created_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_reminder_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_reminder_participant_id_participant"),
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_reminder_plan_id_plan")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_reminder_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder")),
        sa.UniqueConstraint(
            "participant_id",
            "kind",
            "item_id",
            "day",
            name=op.f("uq_reminder_participant_id_kind_item_id_day"),
        ),
        sa.UniqueConstraint(
            "user_id", "kind", "item_id", "day", name=op.f("uq_reminder_user_id_kind_item_id_day")
        ),
    )
    with op.batch_alter_table("reminder", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reminder_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index("ix_reminder_plan_id_day", ["plan_id", "day"], unique=False)

    op.create_table(
        "reminder_policy",
        sa.Column("created_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=True),
        sa.Column("rules", sa.JSON(), nullable=False),
        sa.Column("confirmation_due_on", sa.Date(), nullable=True),
        sa.Column("escalate_after_reminders", sa.Integer(), nullable=False),
        sa.Column("escalate_after_days", sa.Integer(), nullable=False),
        sa.Column("target_rate", sa.Integer(), nullable=False),
        sa.Column("work_start_hour", sa.Integer(), nullable=False),
        sa.Column("work_end_hour", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_reminder_policy_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_reminder_policy_plan_id_plan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reminder_policy")),
        sa.UniqueConstraint("plan_id", name=op.f("uq_reminder_policy_plan_id")),
    )
    with op.batch_alter_table("reminder_policy", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reminder_policy_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(
            "uq_reminder_policy_org_default",
            ["organization_id"],
            unique=True,
            sqlite_where=sa.text("plan_id IS NULL"),
            postgresql_where=sa.text("plan_id IS NULL"),
        )

    op.create_table(
        "notification",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("reminder_id", sa.Integer(), nullable=True),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("body", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("link", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("created_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("read_at", app.core.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_notification_participant_id_participant"),
        ),
        sa.ForeignKeyConstraint(
            ["reminder_id"], ["reminder.id"], name=op.f("fk_notification_reminder_id_reminder")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user_account.id"], name=op.f("fk_notification_user_id_user_account")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notification")),
    )
    with op.batch_alter_table("notification", schema=None) as batch_op:
        batch_op.create_index(
            "ix_notification_participant_id_read_at", ["participant_id", "read_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_notification_reminder_id"), ["reminder_id"], unique=False
        )
        batch_op.create_index(
            "ix_notification_user_id_read_at", ["user_id", "read_at"], unique=False
        )


def downgrade() -> None:
    op.drop_table("notification")
    op.drop_table("reminder_policy")
    op.drop_table("reminder")

"""The follow-up loop's tables: when to remind (policy), who was reminded (the log), and the
in-app notifications a signed-in person reads under the bell."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from app.core.base import TimestampMixin, UTCDateTime, created_at_field

ORG_DEFAULT = sa.text("plan_id IS NULL")


class ReminderPolicy(TimestampMixin, table=True):
    """When to remind: an organisation's default (no plan) or one plan's own rules.

    `rules` holds one entry per kind (confirmation, reflection, task, session): enabled,
    days_before, on_due, every_days, max_after. A plan without its own row follows its
    organisation's default, and that the built-in one (`policy.DEFAULT`).
    """

    __tablename__ = "reminder_policy"
    __table_args__ = (
        sa.Index(
            "uq_reminder_policy_org_default",
            "organization_id",
            unique=True,
            sqlite_where=ORG_DEFAULT,
            postgresql_where=ORG_DEFAULT,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    plan_id: int | None = Field(default=None, foreign_key="plan.id", unique=True)
    rules: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    confirmation_due_on: date | None = Field(
        default=None, description="The plan's deadline to confirm; unset: when it starts"
    )
    escalate_after_reminders: int = Field(default=2)
    escalate_after_days: int = Field(default=5)
    target_rate: int = Field(default=80, description="Percent confirmed a school should reach")
    work_start_hour: int = Field(default=7)
    work_end_hour: int = Field(default=17)


class Reminder(SQLModel, table=True):
    """One reminder or digest sent: the log, and the key that makes sending idempotent.

    Unique per recipient, kind, item and day: whatever runs twice, or at once, nobody is
    reminded twice of one thing on one day. A reminder goes to a participant; a digest to a
    participant (a unit's leader) or to a login (an organisation's admin).
    """

    __tablename__ = "reminder"
    __table_args__ = (
        sa.UniqueConstraint("participant_id", "kind", "item_id", "day"),
        sa.UniqueConstraint("user_id", "kind", "item_id", "day"),
        sa.Index("ix_reminder_plan_id_day", "plan_id", "day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    plan_id: int = Field(foreign_key="plan.id")
    participant_id: int | None = Field(default=None, foreign_key="participant.id")
    user_id: int | None = Field(default=None, foreign_key="user_account.id")
    kind: str = Field(max_length=20, description="confirmation, reflection, task, session, digest")
    item_id: int = Field(description="The plan, task or session; a digest's plan")
    stage: str = Field(max_length=20, description="before, due, overdue-N, or the digest's level")
    channel: str = Field(default="in_app", max_length=30)
    day: date
    status: str = Field(default="sent", max_length=12)
    created_at: datetime = created_at_field()


class Notification(SQLModel, table=True):
    """A message under the bell: for a login, or for a participant (read once they sign in)."""

    __tablename__ = "notification"
    __table_args__ = (
        sa.Index("ix_notification_user_id_read_at", "user_id", "read_at"),
        sa.Index("ix_notification_participant_id_read_at", "participant_id", "read_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    user_id: int | None = Field(default=None, foreign_key="user_account.id")
    participant_id: int | None = Field(default=None, foreign_key="participant.id")
    reminder_id: int | None = Field(default=None, foreign_key="reminder.id", index=True)
    title: str = Field(max_length=300)
    body: str = Field(max_length=4000)
    link: str | None = Field(default=None, max_length=500)
    created_at: datetime = created_at_field()
    read_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

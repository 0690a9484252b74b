from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.core.base import TimestampMixin, UTCDateTime, created_at_field


class Task(TimestampMixin, table=True):
    """Work a plan assigns to one participant or one unit. Overdue is derived, never stored."""

    __tablename__ = "task"
    __table_args__ = (
        sa.CheckConstraint(
            "(assignee_participant_id IS NULL) <> (assignee_unit_id IS NULL)",
            name="one_assignee",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    organization_id: int = Field(
        foreign_key="organization.id", index=True, description="The plan's organisation"
    )
    title: str = Field(max_length=300)
    description: str | None = Field(default=None, max_length=10_000)
    section: str | None = Field(default=None, max_length=20, description="Plan part, e.g. III.2")
    assignee_participant_id: int | None = Field(
        default=None, foreign_key="participant.id", index=True
    )
    assignee_unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    due_on: date | None = Field(default=None, index=True)
    priority: str = Field(default="normal", max_length=10, description="low, normal or high")
    status: str = Field(default="todo", max_length=20, index=True)
    recurrence: str = Field(default="none", max_length=10, description="none or yearly")
    # Unique: a done yearly task makes next year's copy exactly once.
    previous_task_id: int | None = Field(default=None, foreign_key="task.id", unique=True)
    completed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")


class TaskEvidence(SQLModel, table=True):
    """A link, file or note showing the work was done, and a manager's review of it."""

    __tablename__ = "task_evidence"

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True)
    kind: str = Field(max_length=10, description="link, file or note")
    url: str | None = Field(default=None, max_length=1000)
    note: str | None = Field(default=None, max_length=4000)
    file_id: int | None = Field(default=None, foreign_key="stored_file.id")
    submitted_by_participant_id: int | None = Field(default=None, foreign_key="participant.id")
    submitted_by_user_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = created_at_field()
    review_status: str = Field(
        default="pending", max_length=10, description="pending, accepted, returned"
    )
    review_comment: str | None = Field(default=None, max_length=2000)
    reviewed_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    reviewed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

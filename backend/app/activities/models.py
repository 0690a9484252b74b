from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Field

from app.core.base import TimestampMixin, UTCDateTime


class Activity(TimestampMixin, table=True):
    """One entry of the outreach log: what was published or done to spread the resolution.

    Archived, never deleted: figures as of a day before `archived_at` still count it.
    """

    __tablename__ = "activity"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    kind: str = Field(max_length=30, index=True)
    title: str = Field(max_length=300)
    happened_on: date = Field(index=True)
    url: str | None = Field(default=None, max_length=1000)
    reach: int | None = Field(default=None, description="People reached: views, attendees …")
    responsible_participant_id: int | None = Field(default=None, foreign_key="participant.id")
    responsible_unit_id: int | None = Field(default=None, foreign_key="unit.id")
    notes: str | None = Field(default=None, max_length=4000)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.core.base import TimestampMixin, UTCDateTime


class StudySession(TimestampMixin, table=True):
    """A meeting of a plan: a study session, a seminar (tọa đàm), parent outreach, a make-up."""

    __tablename__ = "study_session"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    kind: str = Field(default="study", max_length=20)
    title: str = Field(max_length=300)
    starts_at: datetime = Field(sa_type=UTCDateTime, index=True)
    ends_at: datetime = Field(sa_type=UTCDateTime)
    place: str | None = Field(default=None, max_length=300)
    online_url: str | None = Field(default=None, max_length=1000)
    presenter: str | None = Field(default=None, max_length=200)
    audience_all: bool = Field(default=True)
    status: str = Field(default="scheduled", max_length=12, index=True)
    minutes: str | None = Field(default=None, max_length=20000)
    # Seeds the rotating check-in code; never leaves the server.
    checkin_secret: str = Field(max_length=64)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")


class SessionAudienceUnit(SQLModel, table=True):
    __tablename__ = "session_audience_unit"

    session_id: int = Field(foreign_key="study_session.id", primary_key=True, ondelete="CASCADE")
    unit_id: int = Field(foreign_key="unit.id", primary_key=True, index=True)


class Attendance(SQLModel, table=True):
    """One person's attendance at a session: marked by staff, or self check-in."""

    __tablename__ = "attendance"
    __table_args__ = (sa.UniqueConstraint("session_id", "participant_id"),)

    id: int | None = Field(default=None, primary_key=True)
    session_id: int = Field(foreign_key="study_session.id", index=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    status: str = Field(max_length=10, description="present, late, excused, absent")
    method: str = Field(max_length=12, description="marked, checkin, link")
    marked_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    # The personal link of a check-in by link (method "link"); its issuer answers for it.
    link_id: int | None = Field(default=None, foreign_key="personal_link.id")
    note: str | None = Field(default=None, max_length=500)
    recorded_at: datetime = Field(sa_type=UTCDateTime)
    client_address: str | None = Field(default=None, max_length=64)

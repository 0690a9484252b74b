"""An online contest on a plan: its rounds, and each entry in a round.

An entry keeps the questions it drew as they were shown (as a quiz attempt does) and who
entered as they were then (name, school and district), so the results never change when a
person moves or a school is renamed. One entry per person per round: `entrant` is the
staff member ("p:<participant id>") or, for a public entry, the phone ("t:<0xxxxxxxxx>"),
unique per round, so two tabs starting at once make one entry.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from app.core.base import TimestampMixin, UTCDateTime


class Contest(TimestampMixin, table=True):
    __tablename__ = "contest"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    organization_id: int = Field(foreign_key="organization.id", description="The plan's issuer")
    title: str = Field(max_length=300)
    rules: str = Field(default="", max_length=10000)
    public_entries: bool = Field(default=False, description="Invited people may enter by phone")
    public_token: str = Field(max_length=64, unique=True, description="The public link's key")
    published_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ContestRound(TimestampMixin, table=True):
    __tablename__ = "contest_round"
    __table_args__ = (sa.UniqueConstraint("contest_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    contest_id: int = Field(foreign_key="contest.id", index=True)
    number: int
    opens_at: datetime = Field(sa_type=UTCDateTime)
    closes_at: datetime = Field(sa_type=UTCDateTime)
    question_count: int
    time_limit_minutes: int
    tiebreak_question: str = Field(max_length=500)


class ContestEntry(SQLModel, table=True):
    __tablename__ = "contest_entry"
    __table_args__ = (sa.UniqueConstraint("round_id", "entrant"),)

    id: int | None = Field(default=None, primary_key=True)
    round_id: int = Field(foreign_key="contest_round.id", index=True)
    entrant: str = Field(max_length=40)
    participant_id: int | None = Field(default=None, foreign_key="participant.id", index=True)
    phone: str | None = Field(default=None, max_length=20)
    full_name: str = Field(max_length=200)
    school_id: int | None = Field(default=None, foreign_key="organization.id")
    school_name: str = Field(max_length=200)
    district_id: int | None = Field(default=None, foreign_key="organization.id")
    district_name: str = Field(default="", max_length=200)
    status: str = Field(default="running", max_length=10, description="running or submitted")
    started_at: datetime = Field(sa_type=UTCDateTime)
    deadline_at: datetime = Field(sa_type=UTCDateTime)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    questions: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    answers: dict[str, list[int]] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    total: int
    score: int | None = None
    duration_ms: int | None = Field(default=None, description="Server time taken, capped")
    tiebreak: int | None = None

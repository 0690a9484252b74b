"""A plan's quiz: its question bank, its settings, and each attempt at it.

An attempt keeps the questions it drew as they were shown (options in their shuffled order,
with which of them are right and the explanation), so editing or deleting a question later
never changes an attempt already taken. Attempts count per material major version: a new
major version of the plan's materials asks for a new attempt.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from app.core.base import TimestampMixin, UTCDateTime, created_at_field


class QuizQuestion(TimestampMixin, table=True):
    __tablename__ = "quiz_question"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    topic: str | None = Field(default=None, max_length=100)
    text: str = Field(max_length=2000)
    kind: str = Field(default="single", max_length=10, description="single or multiple")
    options: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    correct: list[int] = Field(
        default_factory=list,
        sa_column=Column(JSON, nullable=False),
        description="Indexes of the right options",
    )
    explanation: str = Field(default="", max_length=4000)
    added_in_major: int = Field(default=1, description="The plan's material major it came with")


class QuizSettings(TimestampMixin, table=True):
    """Whether a plan asks for its quiz, and how the quiz is drawn, timed and passed."""

    __tablename__ = "quiz_settings"

    plan_id: int = Field(foreign_key="plan.id", primary_key=True)
    required: bool = Field(default=False)
    question_count: int = Field(default=10)
    topic: str | None = Field(default=None, max_length=100)
    time_limit_minutes: int = Field(default=15)
    attempts_allowed: int = Field(default=2)
    pass_percent: int = Field(default=80)


class QuizAttempt(SQLModel, table=True):
    """One person's attempt: what was drawn, what she answered, and, once submitted, the
    score. Numbered per person, plan and material major; the number is unique, so two
    attempts started at once cannot both be the next one."""

    __tablename__ = "quiz_attempt"
    __table_args__ = (sa.UniqueConstraint("plan_id", "participant_id", "material_major", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    material_major: int
    number: int
    status: str = Field(default="running", max_length=10, description="running or submitted")
    started_at: datetime = created_at_field()
    deadline_at: datetime = Field(sa_type=UTCDateTime)
    submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    pass_percent: int
    questions: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    answers: dict[str, list[int]] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    score: int | None = None
    total: int
    percent: int | None = None
    passed: bool | None = None

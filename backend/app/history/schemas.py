"""A person's learning record across plans and school years (hồ sơ học tập)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

ConfirmationState = Literal["current", "superseded", "withdrawn"]


class HistoryPerson(BaseModel):
    id: int
    full_name: str
    staff_code: str
    organization_id: int


class HistoryPlan(BaseModel):
    id: int
    symbol: str | None
    title: str
    organization_id: int
    issuer: str
    issued_on: date | None
    status: str
    material_major: int


class HistoryConfirmation(BaseModel):
    """One version of her confirmation: the live one of the current materials, one a new
    major version superseded, or one withdrawn (with when and why)."""

    id: int
    material_major: int
    state: ConfirmationState
    current: bool
    confirmed_at: datetime
    method: str
    on_behalf_reason: str | None
    withdrawn_at: datetime | None
    withdraw_reason: str | None
    reflection: str | None
    reflection_submitted_at: datetime | None
    grade: str | None
    grade_label: str | None
    grade_comment: str | None
    graded_at: datetime | None


class HistoryAttendance(BaseModel):
    """A session of the plan addressed to her (or that she attended) and her mark, if any."""

    session_id: int
    title: str
    kind: str
    kind_label: str
    starts_at: datetime
    session_status: str
    status: str | None = None
    method: str | None = None


class HistoryTask(BaseModel):
    id: int
    title: str
    via_unit: str | None = None
    due_on: date | None
    status: str
    status_label: str
    completed_at: datetime | None
    evidence_accepted: int


class HistoryActivity(BaseModel):
    id: int
    kind: str
    kind_label: str
    title: str
    happened_on: date
    via_unit: str | None = None
    reach: int | None


class HistoryQuiz(BaseModel):
    """Her attempts at the plan's quiz, on its current material (a new major version asks for
    new attempts): how many she used, her best submitted score, whether she passed."""

    required: bool
    pass_percent: int
    attempts_allowed: int
    attempts: int = Field(description="Attempts she started, submitted or not")
    best_percent: int | None = Field(description="Her best submitted score; null: none yet")
    passed: bool


class PlanHistory(BaseModel):
    plan: HistoryPlan
    # Her staff row the plan's records are on, and its school: after a move, plans of the
    # school she left are marked `earlier_school` (read here, kept there).
    participant_id: int
    school_id: int
    school_name: str
    earlier_school: bool = False
    confirmations: list[HistoryConfirmation]
    attendance: list[HistoryAttendance]
    tasks: list[HistoryTask]
    activities: list[HistoryActivity]
    quiz: HistoryQuiz | None = Field(default=None, description="null: the plan has no quiz")


class SchoolYear(BaseModel):
    year: int
    label: str
    plans: list[PlanHistory]


class HistorySchool(BaseModel):
    """One of her staff rows, newest first: the school, her code there, and when she was on
    its staff (`until` None: she still is)."""

    participant_id: int
    organization_id: int
    organization_name: str
    staff_code: str
    since: datetime
    until: datetime | None


class ParticipantHistory(BaseModel):
    participant: HistoryPerson
    years: list[SchoolYear]
    schools: list[HistorySchool] = []

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from app.core.errors import invalid_body_field
from app.people.schemas import normalise_phone
from app.quizzes.schemas import Answer, DrawnQuestion, QuestionResult


class RoundWrite(BaseModel):
    """A round as the organiser writes it; `id` names a round kept from before (absent: a
    new round). A round that has opened is frozen: it must come back unchanged."""

    model_config = ConfigDict(extra="forbid")

    id: int | None = None
    opens_at: datetime
    closes_at: datetime
    question_count: int = Field(10, ge=1, le=100)
    time_limit_minutes: int = Field(15, ge=1, le=240)
    tiebreak_question: str = Field(
        "Dự đoán số người tham gia vòng thi", min_length=1, max_length=500
    )

    @model_validator(mode="after")
    def _window(self) -> RoundWrite:
        if self.opens_at.tzinfo is None or self.closes_at.tzinfo is None:
            raise invalid_body_field(
                "opens_at", "Thời gian cần có múi giờ. / Times need a time zone."
            )
        if self.closes_at <= self.opens_at:
            raise invalid_body_field(
                "closes_at",
                "Giờ đóng phải sau giờ mở. / A round must close after it opens.",
            )
        return self


class ContestWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=300)
    rules: str = Field("", max_length=10000)
    public_entries: bool = False
    rounds: list[RoundWrite] = Field(min_length=1, max_length=10)


class RoundPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True, extra="ignore")

    id: int
    number: int
    opens_at: datetime
    closes_at: datetime
    question_count: int
    time_limit_minutes: int
    tiebreak_question: str
    state: Literal["upcoming", "open", "closed"]


class ContestPublic(BaseModel):
    """The contest as its organiser sees it."""

    id: int
    plan_id: int
    organization_id: int
    organization_name: str
    title: str
    rules: str
    public_entries: bool
    public_token: str
    published_at: datetime | None
    rounds: list[RoundPublic]


class SchoolChoice(BaseModel):
    id: int
    name: str


class ContestInfo(BaseModel):
    """The contest as anyone with its public link sees it (and an entrant on her page)."""

    id: int
    title: str
    rules: str
    organization_name: str
    public_entries: bool
    published: bool
    public_token: str = Field(description="The public link's key: the announcement's address")
    rounds: list[RoundPublic]
    schools: list[SchoolChoice] = Field(
        default_factory=list, description="Schools of the organiser's tree, to choose from"
    )


def _shown_text(value: str) -> str:
    """A name the public results show: spaces collapsed, and no invisible format characters
    (right-to-left overrides, zero-width spaces), which would make it read as another's."""
    if any(unicodedata.category(c) == "Cf" for c in value):
        raise ValueError(
            "Không được chứa ký tự định dạng ẩn. / Must not contain invisible format characters."
        )
    return " ".join(value.split())


class PublicEntryStart(BaseModel):
    """An invited person, without an account: name, school (one of the list, or typed) and
    phone (one entry per phone per round)."""

    model_config = ConfigDict(extra="forbid")

    full_name: str = Field(min_length=2, max_length=200)
    phone: str = Field(min_length=9, max_length=20)
    school_id: int | None = None
    school_name: str | None = Field(None, max_length=200)

    @field_validator("full_name")
    @classmethod
    def _name(cls, value: str) -> str:
        value = _shown_text(value)
        if len(value) < 2 or not any(c.isalpha() for c in value):
            raise ValueError("Cần nhập họ và tên. / The full name is required.")
        return value

    @field_validator("school_name")
    @classmethod
    def _school_name(cls, value: str | None) -> str | None:
        return None if value is None else _shown_text(value)

    @field_validator("phone")
    @classmethod
    def _phone(cls, value: str) -> str:
        return normalise_phone(value)

    @model_validator(mode="after")
    def _school(self) -> PublicEntryStart:
        if self.school_id is None and not (self.school_name or "").strip():
            raise invalid_body_field(
                "school_name",
                "Chọn trường hoặc nhập tên trường. / Choose or type your school.",
            )
        return self


class EntrySubmit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: list[Answer] = Field(default_factory=list, max_length=100)
    tiebreak: int | None = Field(
        None, ge=0, le=100_000_000, description="The answer to the round's tie-break question"
    )


class EntryResult(BaseModel):
    score: int | None = Field(
        description="Hidden from an invited person until the round closes: one score per "
        "unverified phone would tell, entry by entry, which options are right"
    )
    total: int
    duration_ms: int
    tiebreak: int | None
    questions: list[QuestionResult] | None = Field(
        None, description="The right options, only once the round has closed"
    )


class EntryPublic(BaseModel):
    """An entry as its entrant sees it: which options are right never before it is
    submitted (and, in a contest, not before the round closes)."""

    id: int
    key: str | None = Field(None, description="A public entry's own key, for its later requests")
    contest_id: int
    round_id: int
    round_number: int
    tiebreak_question: str
    status: Literal["running", "submitted"]
    full_name: str
    school_name: str
    started_at: datetime
    deadline_at: datetime
    submitted_at: datetime | None
    questions: list[DrawnQuestion]
    answers: dict[str, list[int]]
    result: EntryResult | None = None


class MyContest(BaseModel):
    """A contest open to a staff member, with her entry in each round."""

    contest: ContestInfo
    entries: dict[int, int] = Field(description="Round id → her entry's id")


class PersonRow(BaseModel):
    rank: int
    entry_id: int
    full_name: str
    school_name: str
    district_name: str
    phone: str | None = Field(description="Masked on the public page")
    public_entry: bool
    score: int
    total: int
    duration_ms: int
    tiebreak: int | None
    submitted_at: datetime


class PeopleBoard(BaseModel):
    round_id: int
    entries: int = Field(description="Entries in the round: the tie-break's right answer")
    items: list[PersonRow]
    total: int
    limit: int
    offset: int


class GroupRow(BaseModel):
    rank: int
    name: str
    entries: int
    average_score: float
    best_score: int


class GroupBoard(BaseModel):
    round_id: int
    by: Literal["school", "district"]
    items: list[GroupRow]


class RoundResults(BaseModel):
    round: RoundPublic
    people: PeopleBoard
    schools: GroupBoard
    districts: GroupBoard


class ContestResults(BaseModel):
    """The announcement: each round's leaderboards, phones masked."""

    contest: ContestInfo
    published_at: datetime
    rounds: list[RoundResults]

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.core.errors import invalid_body_field
from app.people.schemas import ImportRowError

QuestionKind = Literal["single", "multiple"]
# The model's limits, which the spreadsheet import checks row by row too.
MAX_TOPIC = 100
MAX_TEXT = 2000
MAX_OPTIONS = 8
MAX_OPTION = 500
MAX_EXPLANATION = 4000


class QuestionWrite(BaseModel):
    """A question as a manager writes it; `correct` holds the indexes of the right options."""

    model_config = ConfigDict(extra="forbid")

    topic: str | None = Field(None, max_length=MAX_TOPIC)
    text: str = Field(min_length=1, max_length=MAX_TEXT)
    kind: QuestionKind = "single"
    options: list[str] = Field(min_length=2, max_length=MAX_OPTIONS)
    correct: list[int] = Field(min_length=1, description="Indexes (from 0) of the right options")
    explanation: str = Field("", max_length=MAX_EXPLANATION)

    @model_validator(mode="after")
    def _consistent(self) -> QuestionWrite:
        if any(not option.strip() or len(option) > MAX_OPTION for option in self.options):
            raise invalid_body_field(
                "options",
                f"Mỗi phương án phải có nội dung (tối đa {MAX_OPTION} ký tự). "
                f"/ Each option needs text (at most {MAX_OPTION} characters).",
            )
        if len(set(self.correct)) != len(self.correct) or not all(
            0 <= index < len(self.options) for index in self.correct
        ):
            raise invalid_body_field(
                "correct",
                "Đáp án đúng phải là số thứ tự của phương án, không lặp. "
                "/ Right answers must be distinct option indexes.",
            )
        if self.kind == "single" and len(self.correct) != 1:
            raise invalid_body_field(
                "correct",
                "Câu hỏi một lựa chọn có đúng một đáp án. "
                "/ A single-choice question has exactly one right option.",
            )
        return self


class QuestionPublic(QuestionWrite):
    model_config = ConfigDict(from_attributes=True, extra="ignore")

    id: int
    plan_id: int
    added_in_major: int


class QuizSettingsWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    required: bool = False
    question_count: int = Field(10, ge=1, le=100)
    topic: str | None = Field(None, max_length=100, description="Draw only from this topic")
    time_limit_minutes: int = Field(15, ge=1, le=240)
    attempts_allowed: int = Field(2, ge=1, le=20)
    pass_percent: int = Field(80, ge=0, le=100)


class QuizSettingsPublic(QuizSettingsWrite):
    model_config = ConfigDict(from_attributes=True, extra="ignore")

    plan_id: int
    bank_size: int = Field(description="Questions in the bank the quiz draws from")


class AttemptStart(BaseModel):
    model_config = ConfigDict(extra="forbid")

    plan_id: int


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question_id: int
    chosen: list[int] = Field(max_length=8, description="Indexes of the options as shown")


class AnswersWrite(BaseModel):
    model_config = ConfigDict(extra="forbid")

    answers: list[Answer] = Field(max_length=100)


class DrawnQuestion(BaseModel):
    """A question as the attempt shows it: never which options are right."""

    id: int
    topic: str | None
    text: str
    kind: QuestionKind
    options: list[str]


class QuestionResult(BaseModel):
    id: int
    chosen: list[int]
    correct: list[int]
    right: bool
    explanation: str


class AttemptResult(BaseModel):
    score: int
    total: int
    percent: int
    passed: bool
    questions: list[QuestionResult]


class AttemptPublic(BaseModel):
    id: int
    plan_id: int
    number: int
    attempts_allowed: int
    status: Literal["running", "submitted"]
    started_at: datetime
    deadline_at: datetime
    submitted_at: datetime | None
    questions: list[DrawnQuestion]
    answers: dict[str, list[int]]
    result: AttemptResult | None = Field(
        None, description="Only once submitted: the score and, per question, the right options"
    )


class QuizResultRow(BaseModel):
    participant_id: int
    full_name: str
    staff_code: str
    attempts: int
    best_percent: int | None
    passed: bool


class QuestionImportRow(BaseModel):
    row: int
    text: str
    changes: list[str] = Field(
        [], description="For a question already in the bank: the fields the file changes"
    )


class QuestionImportReport(BaseModel):
    """What a question file adds and changes (or would, on a dry run), and every bad row.
    A question already in the bank (same text, case and spacing aside) is updated from the
    file, or counted as unchanged when the file says the same."""

    dry_run: bool
    total_rows: int
    created: list[QuestionImportRow]
    updated: list[QuestionImportRow]
    unchanged: int
    errors: list[ImportRowError]


class QuizStanding(BaseModel):
    """A plan's quiz as the teacher sees it on her page: its rules and where she stands."""

    plan_id: int
    plan_symbol: str | None
    plan_title: str
    required: bool
    question_count: int = Field(description="Questions an attempt draws (the bank may hold fewer)")
    time_limit_minutes: int
    attempts_allowed: int
    attempts_used: int = Field(description="Attempts at the current material version")
    pass_percent: int
    best_percent: int | None = Field(description="Her best submitted score, if any")
    passed: bool
    running_attempt_id: int | None = Field(description="The attempt to resume, within its time")
    last_attempt_id: int | None = Field(description="Her latest submitted attempt, to see again")
    can_start: bool = Field(description="Whether she may start another attempt now")
    closed: bool = Field(description="The plan is closed: no new attempt")

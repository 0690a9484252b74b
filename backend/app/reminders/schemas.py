"""What the reminder API takes and gives: a policy's rules, the log, group messages, the
notifications under the bell."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.core.errors import invalid_body_field
from app.core.inputs import IsoDate

Kind = Literal["confirmation", "reflection", "task", "session"]
KINDS: tuple[Kind, ...] = ("confirmation", "reflection", "task", "session")


class KindRule(BaseModel):
    """When to remind about one kind of thing, around its due day (working days only)."""

    model_config = ConfigDict(extra="forbid")

    enabled: bool = True
    days_before: int = Field(
        default=2, ge=0, le=30, description="Remind once this many days before"
    )
    on_due: bool = Field(default=True, description="Remind on the due day itself")
    every_days: int = Field(default=3, ge=1, le=30, description="Then every N days after it")
    max_after: int = Field(default=3, ge=0, le=20, description="At most M times after it")


def _rules() -> dict[str, KindRule]:
    return {
        "confirmation": KindRule(),
        "reflection": KindRule(),
        "task": KindRule(every_days=2),
        "session": KindRule(days_before=1, max_after=0),
    }


class PolicyRules(BaseModel):
    model_config = ConfigDict(extra="forbid")

    confirmation: KindRule = Field(default_factory=lambda: _rules()["confirmation"])
    reflection: KindRule = Field(default_factory=lambda: _rules()["reflection"])
    task: KindRule = Field(default_factory=lambda: _rules()["task"])
    session: KindRule = Field(default_factory=lambda: _rules()["session"])


class PolicyInput(BaseModel):
    """A plan's (or an organisation's default) reminder settings."""

    model_config = ConfigDict(extra="forbid")

    rules: PolicyRules = Field(default_factory=PolicyRules)
    confirmation_due_on: IsoDate | None = Field(
        default=None, description="Deadline to confirm (a plan's only); unset: the plan's start"
    )
    escalate_after_reminders: int = Field(default=2, ge=1, le=20)
    escalate_after_days: int = Field(default=5, ge=0, le=90)
    target_rate: int = Field(default=80, ge=0, le=100)
    work_start_hour: int = Field(default=7, ge=0, le=23)
    work_end_hour: int = Field(default=17, ge=1, le=24)

    @model_validator(mode="after")
    def _hours_in_order(self) -> PolicyInput:
        if self.work_end_hour <= self.work_start_hour:
            raise invalid_body_field(
                "work_end_hour",
                "Giờ kết thúc phải sau giờ bắt đầu. / The end must follow the start.",
            )
        return self


class PolicyPublic(PolicyInput):
    organization_id: int
    plan_id: int | None
    source: Literal["plan", "organization", "default"]


class ReminderRow(BaseModel):
    id: int
    participant_id: int | None
    user_id: int | None
    recipient_name: str
    kind: str
    item_id: int
    item_title: str | None
    stage: str
    channel: str
    status: str
    day: date
    created_at: datetime
    done: bool | None = Field(description="Whether the thing has since been done (digests: null)")
    email_status: str | None = Field(
        default=None, description="Its email: queued, sending, sent or failed (null: none)"
    )
    email_error: str | None = Field(default=None, description="Why its email failed, if it did")


class GroupMessage(BaseModel):
    unit_id: int
    unit_name: str
    missing: list[str]
    deadline: date | None
    text: str


class NotificationPublic(BaseModel):
    id: int
    title: str
    body: str
    link: str | None
    created_at: datetime
    read_at: datetime | None


class NotificationList(BaseModel):
    items: list[NotificationPublic]
    unread: int


class DigestEntry(BaseModel):
    plan_id: int
    plan_title: str
    unit_id: int
    unit_name: str
    behind: list[str]
    link: str

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.core.errors import invalid_body_field
from app.core.inputs import IsoDate, omittable

TaskStatus = Literal["todo", "in_progress", "done", "cancelled"]
# The words the screens use (frontend/js/i18n/work.vi.js), for exports.
TASK_STATUS_LABELS: dict[str, str] = {
    "todo": "Chưa làm",
    "in_progress": "Đang làm",
    "done": "Đã xong",
    "cancelled": "Đã hủy",
}
TaskPriority = Literal["low", "normal", "high"]
TaskRecurrence = Literal["none", "yearly"]
TaskSort = Literal[
    "due_on", "-due_on", "priority", "-priority", "created_at", "-created_at", "title"
]
EvidenceKind = Literal["link", "file", "note"]
ReviewStatus = Literal["pending", "accepted", "returned"]
URL_PATTERN = r"^https?://\S+$"


class TaskCreate(BaseModel):
    """Exactly one of assignee_participant_id and assignee_unit_id; a yearly task needs due_on."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    plan_id: int
    title: str = Field(min_length=1, max_length=300, examples=["Tổ chức tọa đàm chuyển đổi số"])
    description: str | None = Field(default=None, max_length=10_000)
    section: str | None = Field(default=None, max_length=20, examples=["III.2"])
    assignee_participant_id: int | None = None
    assignee_unit_id: int | None = None
    due_on: IsoDate | None = None
    priority: TaskPriority = "normal"
    recurrence: TaskRecurrence = "none"


class TaskUpdate(BaseModel):
    """Managers only. Setting one assignee clears the other."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = omittable(min_length=1, max_length=300)
    description: str | None = Field(default=None, max_length=10_000)
    section: str | None = Field(default=None, max_length=20)
    due_on: IsoDate | None = None
    priority: TaskPriority = omittable()
    recurrence: TaskRecurrence = omittable()
    assignee_participant_id: int | None = None
    assignee_unit_id: int | None = None


class TaskStatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    status: TaskStatus
    note: str | None = Field(
        default=None, max_length=2000, description="Kept with the change in the audit trail"
    )


class TaskBulkUpdate(BaseModel):
    """All or nothing: every task must exist, be writable, and accept every change."""

    model_config = ConfigDict(extra="forbid")

    task_ids: list[int] = Field(min_length=1, max_length=500)
    status: TaskStatus | None = None
    assignee_participant_id: int | None = None
    assignee_unit_id: int | None = None
    due_on: IsoDate | None = None

    @model_validator(mode="after")
    def _check(self):
        if self.assignee_participant_id is not None and self.assignee_unit_id is not None:
            raise invalid_body_field(
                "assignee_unit_id",
                "assign to one only: assignee_participant_id or assignee_unit_id",
            )
        if (
            self.status is None
            and self.assignee_participant_id is None
            and self.assignee_unit_id is None
            and self.due_on is None
        ):
            raise invalid_body_field(
                "status", "nothing to change: give status, an assignee or due_on"
            )
        return self


class EvidenceCreate(BaseModel):
    """A link or a note; files go to POST /tasks/{id}/evidence/file."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: Literal["link", "note"]
    url: str | None = Field(default=None, max_length=1000, pattern=URL_PATTERN)
    note: str | None = Field(default=None, max_length=4000)

    @model_validator(mode="after")
    def _check(self):
        if self.kind == "link" and not self.url:
            raise invalid_body_field("url", "a link needs its url")
        if self.kind == "note" and not self.note:
            raise invalid_body_field("note", "a note needs its text")
        if self.kind == "note" and self.url:
            raise invalid_body_field("url", "a note has no url; send kind=link")
        return self


class EvidenceReview(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    decision: Literal["accept", "return"]
    comment: str | None = Field(default=None, max_length=2000)


class EvidenceCounts(BaseModel):
    pending: int = 0
    accepted: int = 0
    returned: int = 0


class TaskPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    plan_id: int
    plan_symbol: str | None
    plan_title: str
    plan_status: str
    organization_id: int
    title: str
    description: str | None
    section: str | None
    assignee_participant_id: int | None
    assignee_unit_id: int | None
    assignee_name: str = Field(description="The participant's full name or the unit's name")
    due_on: date | None
    priority: TaskPriority
    status: TaskStatus
    overdue: bool = Field(
        description="Due before today (Asia/Ho_Chi_Minh) and still todo or in progress"
    )
    recurrence: TaskRecurrence
    previous_task_id: int | None
    completed_at: datetime | None
    evidence_counts: EvidenceCounts
    created_by_id: int | None
    created_at: datetime
    updated_at: datetime


class EvidencePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    task_id: int
    kind: EvidenceKind
    url: str | None
    note: str | None
    file_name: str | None = None
    file_size: int | None = None
    file_content_type: str | None = None
    submitted_by_participant_id: int | None
    submitted_by_user_id: int | None
    submitted_by_name: str | None = None
    created_at: datetime
    review_status: ReviewStatus
    review_comment: str | None
    reviewed_by_id: int | None
    reviewed_at: datetime | None


class TaskDetail(TaskPublic):
    evidence: list[EvidencePublic]
    may_manage: bool = Field(description="The caller may edit, reassign and review this task")
    may_work: bool = Field(
        description="The caller may move it along and add evidence (its assignee or a manager)"
    )
    allowed_moves: list[TaskStatus] = Field(
        description="The statuses the caller may move it to now; empty once its plan is closed"
    )

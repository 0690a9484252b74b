from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.core.errors import invalid_body_field
from app.core.inputs import IsoDateTime, omittable

SessionKind = Literal["study", "seminar", "parent_outreach", "makeup"]
SessionStatus = Literal["scheduled", "held", "cancelled"]
AttendanceStatus = Literal["present", "late", "excused", "absent"]
# The words the screens use (frontend/js/i18n/study.vi.js), for exports and documents.
SESSION_KIND_LABELS: dict[str, str] = {
    "study": "Học tập, quán triệt",
    "seminar": "Tọa đàm, chuyên đề",
    "parent_outreach": "Tuyên truyền phụ huynh",
    "makeup": "Học bù",
}
SESSION_STATUS_LABELS: dict[str, str] = {
    "scheduled": "Đã lên lịch",
    "held": "Đã tổ chức",
    "cancelled": "Đã hủy",
}


class SessionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    plan_id: int
    kind: SessionKind = "study"
    title: str = Field(
        min_length=1, max_length=300, examples=["Học tập, quán triệt Nghị quyết 57-NQ/TW"]
    )
    starts_at: IsoDateTime = Field(examples=["2025-03-15T07:30:00+07:00"])
    ends_at: IsoDateTime
    place: str | None = Field(default=None, max_length=300, examples=["Hội trường nhà trường"])
    online_url: str | None = Field(default=None, max_length=1000, pattern=r"^https?://\S+$")
    presenter: str | None = Field(default=None, max_length=200)
    audience_all: bool = True
    audience_unit_ids: list[int] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self):
        if self.ends_at <= self.starts_at:
            raise invalid_body_field("ends_at", "ends_at must be after starts_at")
        if not self.audience_all and not self.audience_unit_ids:
            raise invalid_body_field(
                "audience_unit_ids", "choose at least one unit, or invite all staff"
            )
        return self


class SessionUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: SessionKind = omittable()
    title: str = omittable(min_length=1, max_length=300)
    starts_at: IsoDateTime = omittable()
    ends_at: IsoDateTime = omittable()
    place: str | None = Field(default=None, max_length=300)
    online_url: str | None = Field(default=None, max_length=1000, pattern=r"^https?://\S+$")
    presenter: str | None = Field(default=None, max_length=200)
    minutes: str | None = Field(default=None, max_length=20000)
    audience_all: bool = omittable()
    audience_unit_ids: list[int] = omittable()


class SessionStatusChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: SessionStatus
    minutes: str | None = Field(default=None, max_length=20000)


class AttendanceCounts(BaseModel):
    audience: int = 0
    present: int = 0
    late: int = 0
    excused: int = 0
    absent: int = 0
    unmarked: int = 0


class SessionPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    plan_id: int
    organization_id: int
    kind: SessionKind
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str | None
    online_url: str | None
    presenter: str | None
    audience_all: bool
    audience_unit_ids: list[int] = []
    status: SessionStatus
    minutes: str | None
    counts: AttendanceCounts = AttendanceCounts()


class RosterRow(BaseModel):
    participant_id: int
    full_name: str
    staff_code: str
    units: list[str]
    status: AttendanceStatus | None
    method: str | None
    recorded_at: datetime | None
    note: str | None
    via_link_issued_by: str | None = Field(
        default=None, description="For a check-in by personal link: who issued the link"
    )


class AttendanceMark(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: AttendanceStatus
    note: str | None = Field(default=None, max_length=500)


class AttendanceBulk(BaseModel):
    model_config = ConfigDict(extra="forbid")

    status: AttendanceStatus
    participant_ids: list[int] | None = Field(
        default=None, description="Whom to mark; omitted means everyone not marked yet"
    )


class CheckinCode(BaseModel):
    session_id: int
    code: str
    valid_for_seconds: int
    period_seconds: int
    checkin_url: str
    qr_svg_data_uri: str
    open: bool
    opens_at: datetime
    closes_at: datetime


class CheckinRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(pattern=r"^\d{6}$", examples=["482913"], description="The six digits shown")


class CheckinResult(BaseModel):
    session_id: int
    session_title: str
    status: AttendanceStatus
    recorded_at: datetime

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from app.acknowledgements.schemas import AcknowledgementPublic
from app.plans.schemas import MaterialPublic, ReflectionTiming
from app.study_sessions.schemas import AttendanceStatus, SessionKind, SessionStatus


class LinkCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    valid_days: int = Field(default=60, ge=1, le=366)


class LinkIssued(BaseModel):
    participant_id: int
    full_name: str
    staff_code: str = Field(description="Printed on the card: tells two people of one name apart")
    url: str
    token: str
    expires_at: datetime
    qr_svg_data_uri: str


class LinkSheetRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit_id: int | None = Field(
        default=None, description="Only this unit; omitted means all active staff"
    )
    valid_days: int = Field(default=60, ge=1, le=366)
    revoke_previous: bool = Field(
        default=False,
        description="Revoke the links these people already hold, so only the new sheet works",
    )


class HomePerson(BaseModel):
    id: int
    full_name: str
    position: str | None
    organization_name: str
    units: list[str]


class HomePlan(BaseModel):
    id: int
    symbol: str | None
    title: str
    issuer_name: str
    issued_on: date | None
    material_major: int
    reflection_required: bool
    reflection_min_length: int
    reflection_timing: ReflectionTiming
    reflection_due_on: date | None
    summary: str
    materials: list[MaterialPublic]
    acknowledgement: AcknowledgementPublic | None
    closed: bool


class HomeSession(BaseModel):
    id: int
    plan_id: int
    kind: SessionKind
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str | None
    online_url: str | None
    presenter: str | None
    status: SessionStatus
    my_status: AttendanceStatus | None
    checkin_open: bool


class HomeTask(BaseModel):
    id: int
    plan_id: int
    title: str
    due_on: date | None
    status: str
    overdue: bool
    assigned_to_unit: str | None


class TeacherHome(BaseModel):
    """Everything a staff member needs on one phone screen."""

    person: HomePerson
    pending_count: int
    plans: list[HomePlan]
    sessions: list[HomeSession]
    tasks: list[HomeTask]

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Grade = Literal["tot", "kha", "dat", "chua_dat"]
GRADE_LABELS = {"tot": "Tốt", "kha": "Khá", "dat": "Đạt", "chua_dat": "Chưa đạt"}
Method = Literal["self", "link", "qr", "on_behalf"]


class ConfirmRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reflection: str | None = Field(default=None, max_length=20000, description="Bài thu hoạch")


class OnBehalfRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    participant_id: int
    reason: str = Field(
        min_length=5, max_length=500, examples=["Cô Mai xác nhận qua điện thoại, đang nghỉ ốm"]
    )
    reflection: str | None = Field(default=None, max_length=20000)


class ReflectionRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reflection: str = Field(min_length=1, max_length=20000)


class GradeRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    grade: Grade
    comment: str | None = Field(default=None, max_length=2000)


class WithdrawRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    reason: str = Field(min_length=5, max_length=500)


class AcknowledgementPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    plan_id: int
    participant_id: int
    participant_name: str = ""
    material_major: int
    confirmed_at: datetime
    method: Method
    on_behalf_reason: str | None
    link_id: int | None = Field(
        default=None, description="The personal link it was confirmed through, if any"
    )
    via_link_issued_by: str | None = Field(
        default=None, description="Who issued that link: they answer for its use"
    )
    reflection: str | None
    reflection_submitted_at: datetime | None
    reflection_link_id: int | None = Field(
        default=None, description="The personal link the reflection came through, if any"
    )
    reflection_via_link_issued_by: str | None = Field(
        default=None, description="Who issued the reflection's link"
    )
    grade: Grade | None
    grade_label: str | None = None
    grade_comment: str | None
    graded_at: datetime | None
    withdrawn_at: datetime | None
    withdraw_reason: str | None
    current: bool = Field(default=True, description="For the plan's current materials version")


class PendingRow(BaseModel):
    participant_id: int
    full_name: str
    staff_code: str
    position: str | None
    units: list[str]
    email: str | None
    phone: str | None

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.core.errors import invalid_body_field
from app.core.inputs import IsoDate, omittable

ActivityKind = Literal[
    "article",
    "social_post",
    "video",
    "infographic",
    "seminar",
    "commendation",
    "innovation",
    "parent_outreach",
    "pupil_outreach",
    "other",
]
KIND_LABELS: dict[str, str] = {
    "article": "Bài viết, tin bài",
    "social_post": "Bài đăng mạng xã hội",
    "video": "Video clip",
    "infographic": "Infographic",
    "seminar": "Tọa đàm, hội thảo",
    "commendation": "Biểu dương, khen thưởng",
    "innovation": "Sáng kiến, cải tiến",
    "parent_outreach": "Tuyên truyền phụ huynh",
    "pupil_outreach": "Tuyên truyền học sinh",
    "other": "Khác",
}


class _ActivityFields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: ActivityKind
    title: str = Field(min_length=1, max_length=300)
    happened_on: IsoDate
    url: str | None = Field(default=None, max_length=1000, pattern=r"^https?://\S+$")
    reach: int | None = Field(default=None, ge=0, le=100_000_000)
    responsible_participant_id: int | None = None
    responsible_unit_id: int | None = None
    notes: str | None = Field(default=None, max_length=4000)


class ActivityCreate(_ActivityFields):
    plan_id: int

    @model_validator(mode="after")
    def _one_responsible(self):
        if self.responsible_participant_id and self.responsible_unit_id:
            raise invalid_body_field(
                "responsible_unit_id", "give a responsible person or a unit, not both"
            )
        return self


class ActivityUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: ActivityKind = omittable()
    title: str = omittable(min_length=1, max_length=300)
    happened_on: IsoDate = omittable()
    url: str | None = Field(default=None, max_length=1000, pattern=r"^https?://\S+$")
    reach: int | None = Field(default=None, ge=0, le=100_000_000)
    responsible_participant_id: int | None = None
    responsible_unit_id: int | None = None
    notes: str | None = Field(default=None, max_length=4000)


class ActivityPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    organization_id: int
    plan_id: int
    kind: ActivityKind
    kind_label: str = ""
    title: str
    happened_on: date
    url: str | None
    reach: int | None
    responsible_participant_id: int | None
    responsible_unit_id: int | None
    responsible_name: str | None = None
    notes: str | None
    created_at: datetime
    archived_at: datetime | None = None

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from app.core.errors import InvalidInput, field_error, invalid_body_field
from app.core.inputs import IsoDate, omittable

PlanStatus = Literal["draft", "active", "closed"]
ReflectionTiming = Literal["with_confirmation", "later"]
SECTION_KEYS = ("purpose", "content", "audience", "timeline", "organisation", "other")


class PlanSection(BaseModel):
    """One numbered part of the plan body: 'I. MỤC ĐÍCH, YÊU CẦU' and its text."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    key: Literal["purpose", "content", "audience", "timeline", "organisation", "other"]
    heading: str = Field(min_length=1, max_length=300, examples=["MỤC ĐÍCH, YÊU CẦU"])
    body: str = Field(default="", max_length=50_000)


def check_reflection_due(timing: str, due_on: date | None, period_start: date) -> None:
    """A deadline only for a reflection due later, and not before the plan's period starts."""
    if due_on is None:
        return
    if timing != "later":
        raise InvalidInput(
            "Chỉ đặt hạn nộp thu hoạch khi thu hoạch nộp sau. "
            "/ A reflection deadline only applies when the reflection is due later.",
            errors=[field_error("body.reflection_due_on", "only with reflection_timing 'later'")],
        )
    if due_on < period_start:
        raise InvalidInput(
            "Hạn nộp thu hoạch trước ngày bắt đầu kế hoạch. "
            "/ The reflection deadline is before the plan starts.",
            errors=[field_error("body.reflection_due_on", "must not be before period_start")],
        )


class _PlanFields(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=500)
    place_name: str | None = Field(default=None, max_length=100)
    resolution: str = Field(default="", max_length=500)
    preamble: str = Field(default="", max_length=5000)
    closing: str = Field(default="", max_length=5000)
    legal_basis: list[str] = Field(default_factory=list, max_length=50)
    sections: list[PlanSection] = Field(default_factory=list, max_length=30)
    audience_all: bool = True
    audience_unit_ids: list[int] = Field(default_factory=list)
    period_start: IsoDate
    period_end: IsoDate | None = None
    recipients: list[str] = Field(default_factory=list, max_length=50)
    signer_name: str = Field(default="", max_length=200)
    signer_title: str = Field(default="", max_length=200)
    reflection_required: bool = False
    reflection_min_length: int = Field(default=0, ge=0, le=20_000)
    reflection_timing: ReflectionTiming = Field(
        default="with_confirmation",
        description="with_confirmation: the reflection comes with the one-tap confirmation; "
        "later: confirming asks for none, the reflection follows by reflection_due_on",
    )
    reflection_due_on: IsoDate | None = Field(
        default=None, description="When a reflection due later is due (only with 'later')"
    )

    @model_validator(mode="after")
    def _period_in_order(self):
        if self.period_end is not None and self.period_end < self.period_start:
            raise invalid_body_field("period_end", "period_end must not be before period_start")
        check_reflection_due(self.reflection_timing, self.reflection_due_on, self.period_start)
        if not self.audience_all and not self.audience_unit_ids:
            raise invalid_body_field(
                "audience_unit_ids", "choose at least one unit, or address all staff"
            )
        return self


class PlanCreate(_PlanFields):
    organization_id: int


class PlanUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = omittable(min_length=1, max_length=500)
    place_name: str | None = Field(default=None, max_length=100)
    resolution: str = omittable(max_length=500)
    preamble: str = omittable(max_length=5000)
    closing: str = omittable(max_length=5000)
    legal_basis: list[str] = omittable(max_length=50)
    sections: list[PlanSection] = omittable(max_length=30)
    audience_all: bool = omittable()
    audience_unit_ids: list[int] = omittable()
    period_start: IsoDate = omittable()
    period_end: IsoDate | None = None
    recipients: list[str] = omittable(max_length=50)
    signer_name: str = omittable(max_length=200)
    signer_title: str = omittable(max_length=200)
    reflection_required: bool = omittable()
    reflection_min_length: int = omittable(ge=0, le=20_000)
    reflection_timing: ReflectionTiming = omittable()
    reflection_due_on: IsoDate | None = None


class PlanIssue(BaseModel):
    model_config = ConfigDict(extra="forbid")

    issued_on: IsoDate | None = Field(
        default=None, description="Defaults to today (Asia/Ho_Chi_Minh)"
    )


class PlanAdopt(BaseModel):
    model_config = ConfigDict(extra="forbid")

    organization_id: int = Field(
        description="The adopting organisation, below the parent plan's issuer"
    )


class UnitRef(BaseModel):
    id: int
    name: str


class PlanSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    organization_id: int
    organization_name: str = ""
    parent_plan_id: int | None
    status: PlanStatus
    symbol: str | None
    title: str
    issued_on: date | None
    period_start: date
    period_end: date | None
    material_major: int


class MaterialPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    plan_id: int
    title: str
    kind: Literal["link", "file"]
    url: str | None
    summary: str | None
    file_name: str | None = None
    file_size: int | None = None
    added_in_major: int
    position: int


class PlanPublic(PlanSummary):
    doc_type: str
    number: int | None
    year: int | None
    place_name: str | None
    date_line: str = Field(
        description="Place and date as printed: 'Thanh Khê, ngày 05 tháng 3 năm 2025'"
    )
    issuer_name: str
    issuer_abbreviation: str
    issuer_parent_name: str | None
    resolution: str
    preamble: str
    closing: str
    legal_basis: list[str]
    sections: list[PlanSection]
    audience_all: bool
    audience_units: list[UnitRef]
    recipients: list[str]
    signer_name: str
    signer_title: str
    material_minor: int
    reflection_required: bool
    reflection_min_length: int
    reflection_timing: ReflectionTiming
    reflection_due_on: date | None
    materials: list[MaterialPublic]
    parent_plan: PlanSummary | None
    contests_available: bool = Field(
        description="A contest can be opened on the plan (its issuer has organisations under "
        "it) or it has one: where the plan's screen offers its contests"
    )
    created_at: datetime
    updated_at: datetime


class AdoptionRow(BaseModel):
    organization_id: int
    organization_name: str
    organization_code: str
    plan: PlanSummary | None


class MaterialLinkCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    title: str = Field(min_length=1, max_length=300)
    url: str = Field(min_length=1, max_length=1000, pattern=r"^https?://\S+$")
    summary: str | None = Field(default=None, max_length=4000)


class MaterialPublish(BaseModel):
    model_config = ConfigDict(extra="forbid")

    major: bool = Field(description="A major version asks everyone to confirm again")

from __future__ import annotations

from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from app.core.base import TimestampMixin


class Plan(TimestampMixin, table=True):
    """The official plan (Kế hoạch) a campaign hangs from.

    An organisation adopts a parent plan once (`uq_plan_adoption`); a symbol names one plan
    of its issuer in a year (numbers restart each calendar year, Decree 30).
    """

    __tablename__ = "plan"
    __table_args__ = (
        sa.UniqueConstraint("organization_id", "doc_type", "year", "number"),
        sa.Index("uq_plan_symbol", "organization_id", "year", "symbol", unique=True),
        sa.Index("uq_plan_adoption", "organization_id", "parent_plan_id", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    parent_plan_id: int | None = Field(default=None, foreign_key="plan.id", index=True)
    status: str = Field(default="draft", max_length=10, index=True)
    doc_type: str = Field(default="KH", max_length=10)
    number: int | None = None
    year: int | None = None
    symbol: str | None = Field(default=None, max_length=60, description="05/KH-THNBK once issued")
    place_name: str | None = Field(default=None, max_length=100)
    issued_on: date | None = None
    title: str = Field(max_length=500, description="Trích yếu")
    resolution: str = Field(default="", max_length=500, description="The resolution it implements")
    preamble: str = Field(
        default="", max_length=5000, description="Opening paragraph: 'Thực hiện …'"
    )
    closing: str = Field(
        default="", max_length=5000, description="Closing paragraph: 'Trên đây là …'"
    )
    legal_basis: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    sections: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    audience_all: bool = Field(default=True)
    period_start: date
    period_end: date | None = None
    recipients: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    signer_name: str = Field(default="", max_length=200)
    signer_title: str = Field(
        default="", max_length=200, description="HIỆU TRƯỞNG, or KT. … over the deputy"
    )
    material_major: int = Field(
        default=1, description="A new major version asks everyone to confirm again"
    )
    material_minor: int = Field(default=0)
    reflection_required: bool = Field(default=False)
    reflection_min_length: int = Field(default=0)
    reflection_timing: str = Field(
        default="with_confirmation",
        max_length=20,
        sa_column_kwargs={"server_default": "with_confirmation"},
        description="with_confirmation, or later: confirming asks for no reflection",
    )
    reflection_due_on: date | None = Field(
        default=None, description="When a reflection due later is due"
    )
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")


class PlanAudienceUnit(SQLModel, table=True):
    """Units the plan addresses when it is not for all staff."""

    __tablename__ = "plan_audience_unit"

    plan_id: int = Field(foreign_key="plan.id", primary_key=True, ondelete="CASCADE")
    unit_id: int = Field(foreign_key="unit.id", primary_key=True, index=True)


class PlanMaterial(TimestampMixin, table=True):
    """A document or link to study, added in some version of the plan's materials."""

    __tablename__ = "plan_material"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    title: str = Field(max_length=300)
    kind: str = Field(default="link", max_length=10, description="link or file")
    url: str | None = Field(default=None, max_length=1000)
    summary: str | None = Field(default=None, max_length=4000)
    file_id: int | None = Field(default=None, foreign_key="stored_file.id")
    added_in_major: int = Field(default=1)
    position: int = Field(default=0)

"""A person's move to another organisation (chuyển trường, điều động)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.core.inputs import IsoDate
from app.people.schemas import valid_staff_code


class TransferCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    to_org_id: int = Field(description="The receiving organisation: a school, like hers")
    staff_code: str | None = Field(
        default=None, max_length=50, description="Her code there; left out: the code she has here"
    )
    position: str | None = Field(
        default=None, max_length=120, description="Her position there; left out: the one here"
    )
    unit_ids: list[int] = Field(default_factory=list, description="Her units there")
    decision_ref: str | None = Field(
        default=None, max_length=100, examples=["125/QĐ-UBND"], description="Số quyết định"
    )
    decided_on: IsoDate | None = Field(default=None, description="The decision's date")
    note: str | None = Field(default=None, max_length=1000)

    _code = field_validator("staff_code")(valid_staff_code)


class TransferPublic(BaseModel):
    """One move, seen from either side: `direction` says whether the person asked about
    arrived by it (`in`) or left by it (`out`); lists of moves leave it out."""

    id: int
    direction: Literal["in", "out"] | None = None
    full_name: str
    from_participant_id: int
    from_staff_code: str
    from_organization_id: int
    from_organization_name: str
    to_participant_id: int
    to_staff_code: str
    to_organization_id: int
    to_organization_name: str
    moved_at: datetime
    decision_ref: str | None
    decided_on: date | None
    note: str | None
    created_by_name: str | None

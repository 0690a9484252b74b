from __future__ import annotations

import re
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.core.inputs import omittable

_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_ABBREVIATION = re.compile(r"^[A-ZĐ0-9][A-ZĐ0-9-]*$")


def _check_code(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not _CODE.match(value):
        raise ValueError("only letters, digits, '.', '_' and '-' (no spaces or accents)")
    return value


def _check_abbreviation(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip().upper()
    if not _ABBREVIATION.match(value):
        raise ValueError("capital letters, digits and '-', as in a document symbol (THNBK)")
    return value


class OrganizationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    parent_id: int
    kind: str = Field(min_length=1, max_length=40, examples=["school"])
    name: str = Field(min_length=1, max_length=200, examples=["Trường Tiểu học Nguyễn Bỉnh Khiêm"])
    code: str = Field(min_length=1, max_length=50, examples=["th-nguyen-binh-khiem"])
    abbreviation: str = Field(min_length=1, max_length=30, examples=["THNBK"])
    address: str | None = Field(default=None, max_length=300)
    place_name: str | None = Field(default=None, max_length=100, examples=["Thanh Khê"])

    _code = field_validator("code")(_check_code)
    _abbreviation = field_validator("abbreviation")(_check_abbreviation)


class OrganizationUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: str = omittable(min_length=1, max_length=40)
    name: str = omittable(min_length=1, max_length=200)
    code: str = omittable(min_length=1, max_length=50)
    abbreviation: str = omittable(min_length=1, max_length=30)
    address: str | None = Field(default=None, max_length=300)
    place_name: str | None = Field(default=None, max_length=100)

    _code = field_validator("code")(_check_code)
    _abbreviation = field_validator("abbreviation")(_check_abbreviation)


class OrganizationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    parent_id: int | None
    kind: str
    name: str
    code: str
    abbreviation: str
    path: str
    depth: int
    address: str | None
    place_name: str | None
    created_at: datetime


class UnitCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=120, examples=["Tổ 1"])
    kind: str = Field(default="other", max_length=30, examples=["professional"])


class UnitUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = omittable(min_length=1, max_length=120)
    kind: str = omittable(max_length=30)


class UnitPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    organization_id: int
    name: str
    kind: str
    member_count: int = 0
    archived_at: datetime | None = None


class UnitMemberPublic(BaseModel):
    participant_id: int
    full_name: str
    staff_code: str
    is_leader: bool


class UnitMemberSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    is_leader: bool = False

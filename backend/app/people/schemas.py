from __future__ import annotations

import re
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from app.authz import Role
from app.core.inputs import omittable

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_DIGITS = re.compile(r"^0\d{9}$")


def normalise_phone(value: str) -> str:
    """'+84 905 123 456' → '0905123456'. Raises ValueError when it is no Vietnamese number."""
    digits = re.sub(r"[\s.\-()]", "", value)
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    if not PHONE_DIGITS.match(digits):
        raise ValueError("phone must be a Vietnamese number of 10 digits starting with 0")
    return digits


def _email(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    value = value.strip().lower()
    if not _EMAIL.match(value):
        raise ValueError("not a valid email address")
    return value


def _phone(value: str | None) -> str | None:
    if value is None or value.strip() == "":
        return None
    return normalise_phone(value)


def valid_staff_code(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if not value or any(ch.isspace() for ch in value):
        raise ValueError("staff code must not be empty or contain spaces")
    return value


class ParticipantCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    organization_id: int
    full_name: str = Field(min_length=1, max_length=200, examples=["Nguyễn Thị Mai"])
    staff_code: str = Field(min_length=1, max_length=50, examples=["GV014"])
    position: str | None = Field(default=None, max_length=120, examples=["Giáo viên"])
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=20)
    unit_ids: list[int] = Field(default_factory=list)
    active: bool = True

    _email = field_validator("email")(_email)
    _phone = field_validator("phone")(_phone)
    _code = field_validator("staff_code")(valid_staff_code)


class ParticipantUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    full_name: str = omittable(min_length=1, max_length=200)
    staff_code: str = omittable(min_length=1, max_length=50)
    position: str | None = Field(default=None, max_length=120)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=20)
    unit_ids: list[int] = omittable(description="The person's units; left out: unchanged")

    _email = field_validator("email")(_email)
    _phone = field_validator("phone")(_phone)
    _code = field_validator("staff_code")(valid_staff_code)


class ParticipantUnit(BaseModel):
    id: int
    name: str
    is_leader: bool


class ParticipantPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    organization_id: int
    full_name: str
    staff_code: str
    position: str | None
    email: str | None
    phone: str | None
    active: bool
    anonymized_at: datetime | None = Field(
        default=None, description="When her personal data was scrubbed; null: never"
    )
    units: list[ParticipantUnit] = []
    user_id: int | None = None
    username: str | None = None
    role: Role | None = None
    created_at: datetime
    updated_at: datetime


ParticipantSort = Literal[
    "full_name", "-full_name", "staff_code", "-staff_code", "created_at", "-created_at"
]


class AccountCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    username: str | None = Field(
        default=None,
        max_length=254,
        description="Email, phone or staff code; defaults to the staff code",
    )
    password: str = Field(min_length=8, max_length=128)
    role: Role = Role.MEMBER


class ImportRowResult(BaseModel):
    row: int
    staff_code: str
    full_name: str
    changes: list[str] = []


class ImportRowError(BaseModel):
    row: int | None
    field: str | None
    column: str | None
    message: str


class ImportReport(BaseModel):
    dry_run: bool
    total_rows: int
    created: list[ImportRowResult]
    updated: list[ImportRowResult]
    unchanged: int
    units_created: list[str]
    errors: list[ImportRowError]

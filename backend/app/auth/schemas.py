from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from app.authz import Permission, Role
from app.core.inputs import omittable


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    username: str = Field(min_length=1, max_length=254, examples=["gv014"])
    password: str = Field(min_length=1, max_length=128)


class UserPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    display_name: str
    participant_id: int | None


class RolePublic(BaseModel):
    organization_id: int
    organization_name: str
    organization_code: str
    organization_kind: str = Field(
        description="A school keeps staff; a district or ward above schools follows their figures",
        examples=["school"],
    )
    role: Role
    permissions: list[Permission]


class Me(BaseModel):
    user: UserPublic
    roles: list[RolePublic]


class LoginResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime
    me: Me


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(min_length=1, max_length=128)
    new_password: str = Field(min_length=8, max_length=128)


class PasswordReset(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    username: str = Field(min_length=1, max_length=254)
    reset_code: str = Field(min_length=1, max_length=32)
    new_password: str = Field(min_length=8, max_length=128)


class ResetIssued(BaseModel):
    username: str
    reset_code: str
    expires_at: datetime


class RoleSet(BaseModel):
    model_config = ConfigDict(extra="forbid")

    role: Role


class RoleAssignmentPublic(BaseModel):
    user_id: int
    username: str
    display_name: str
    organization_id: int
    role: Role


class ApiTokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    organization_id: int
    name: str = Field(min_length=1, max_length=120, examples=["Phòng GDĐT — báo cáo tiến độ"])
    scopes: list[Permission] = Field(min_length=1, examples=[["reports:read"]])
    expires_in_days: int = omittable(
        ge=1,
        le=3650,
        description="Days until the token expires: 365 when left out, at most the server's "
        "API_TOKEN_MAX_DAYS (365 unless configured). Every token expires.",
    )


class ApiTokenPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    organization_id: int
    name: str
    token_prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class ApiTokenCreated(ApiTokenPublic):
    token: str = Field(description="Shown once; store it now.")

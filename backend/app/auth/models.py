from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from app.core.base import TimestampMixin, UTCDateTime, created_at_field


class User(TimestampMixin, table=True):
    """A login. Usually a participant's; a district officer's may stand alone."""

    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(
        max_length=254, unique=True, description="Lower-case email, phone or staff code"
    )
    display_name: str = Field(max_length=200)
    participant_id: int | None = Field(default=None, foreign_key="participant.id", unique=True)
    password_hash: str = Field(max_length=255)
    is_active: bool = Field(default=True)
    reset_code_hash: str | None = Field(default=None, max_length=64)
    reset_expires_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class RoleAssignment(TimestampMixin, table=True):
    """A user's role in an organisation; it holds for the whole subtree below it."""

    __tablename__ = "role_assignment"
    __table_args__ = (sa.UniqueConstraint("user_id", "organization_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    role: str = Field(max_length=20)


class LoginSession(SQLModel, table=True):
    """A short-lived access token from a password login; logout revokes it."""

    __tablename__ = "login_session"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = created_at_field()
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ApiToken(SQLModel, table=True):
    """A machine client's token (the district office): hashed, scoped, expiring, revocable."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    created_by_id: int = Field(foreign_key="user_account.id", index=True)
    name: str = Field(max_length=120)
    token_hash: str = Field(max_length=64, unique=True)
    token_prefix: str = Field(max_length=16)
    scopes: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_at: datetime = created_at_field()
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class FailedAttempt(SQLModel, table=True):
    """One failed login, reset or personal-link use, kept briefly to throttle guessing."""

    __tablename__ = "failed_attempt"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=10, description="login or link")
    subject: str = Field(max_length=254, index=True, description="The username tried, or empty")
    address: str = Field(max_length=64, index=True)
    created_at: datetime = created_at_field()

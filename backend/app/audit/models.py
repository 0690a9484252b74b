from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import JSON, Column, Field, SQLModel

from app.core.base import created_at_field


class AuditEvent(SQLModel, table=True):
    """Append-only record of one write: who, when, what, on which record, before and after."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = created_at_field()
    organization_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    actor_user_id: int | None = Field(default=None, foreign_key="user_account.id", index=True)
    actor_token_id: int | None = Field(default=None, foreign_key="api_token.id")
    actor_label: str = Field(max_length=200)
    action: str = Field(max_length=60, index=True)
    entity_type: str = Field(max_length=40, index=True)
    entity_id: str | None = Field(default=None, max_length=40, index=True)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    request_id: str | None = Field(default=None, max_length=64)

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class AuditEventPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    created_at: datetime
    organization_id: int | None
    actor_user_id: int | None
    actor_token_id: int | None
    actor_label: str
    action: str
    entity_type: str
    entity_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    request_id: str | None
    actor_name: str | None = Field(
        None,
        description="The display name of the account that acted; null for the system or a token",
        examples=["Bùi Can"],
    )
    entity_label: str | None = Field(
        None,
        description="The record's name as people know it (a person's full name, a plan's "
        "symbol, a unit's name…); null when the record is gone",
        examples=["Nguyễn Thị Mai"],
    )
    value_names: dict[str, dict[str, str]] = Field(
        default_factory=dict,
        description="The names of the records the before/after fields point to, by field and "
        "id (an organisation, unit, plan, person, task, session or account); an id left out "
        "names a record that is gone or outside the caller's scope",
        examples=[{"organization_id": {"2": "Trường Tiểu học Nguyễn Bỉnh Khiêm"}}],
    )

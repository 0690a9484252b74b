from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    database: Literal["ok", "unavailable"]
    database_backend: str
    version: str
    time: datetime
    time_zone: str  # where the app shows times and reads days (TIME_ZONE)


class Readiness(BaseModel):
    ready: bool
    database: Literal["ok", "unavailable"]
    schema_revision: str | None
    expected_revision: str | None


class ProbeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    note: str = ""


class ProbePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    note: str
    created_at: datetime

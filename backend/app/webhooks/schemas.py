from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from app.core.inputs import omittable

EventType = Literal["acknowledgement.created", "plan.progress", "report.issued", "plan.adopted"]
DeliveryStatus = Literal["pending", "sending", "delivered", "failed"]


class WebhookEndpointCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    organization_id: int
    url: str = Field(max_length=2000, description="https://… of the receiver")
    events: list[EventType] = Field(min_length=1, max_length=4)
    description: str = Field(default="", max_length=200)
    progress_thresholds: list[int] = Field(
        default_factory=list,
        max_length=10,
        description="plan.progress also when a plan's confirmed rate reaches each (in %)",
    )


class WebhookEndpointUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = omittable(max_length=2000)
    events: list[EventType] = omittable(min_length=1, max_length=4)
    description: str = omittable(max_length=200)
    progress_thresholds: list[int] = omittable(max_length=10)
    active: bool = omittable()


class WebhookEndpointPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    organization_id: int
    url: str
    description: str
    events: list[str]
    progress_thresholds: list[int]
    active: bool
    created_at: datetime
    previous_secret_until: datetime | None = Field(
        description="Until then, deliveries are also signed with the secret before the last "
        "rotation"
    )


class WebhookEndpointWithSecret(WebhookEndpointPublic):
    secret: str = Field(description="Shown once: keep it to verify the signatures")


class WebhookDeliveryPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    endpoint_id: int
    event_type: str
    key: str
    message_id: str
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    last_status_code: int | None
    last_error: str
    last_duration_ms: int | None
    delivered_at: datetime | None
    created_at: datetime


class WebhookTestResult(BaseModel):
    delivered: bool
    status_code: int | None
    error: str
    duration_ms: int

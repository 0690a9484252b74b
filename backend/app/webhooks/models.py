from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.core.base import UTCDateTime, created_at_field


class WebhookEndpoint(SQLModel, table=True):
    """Where an organisation (a district office) wants events of its subtree pushed.

    The signing secret is kept as given to the receiver: the server must sign with it. It is
    shown once, at creation and at each rotation; the one before a rotation keeps signing too
    until `previous_secret_until`, so a receiver can switch without losing deliveries.
    """

    __tablename__ = "webhook_endpoint"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    url: str = Field(max_length=2000)
    description: str = Field(default="", max_length=200)
    events: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    progress_thresholds: list[int] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    active: bool = Field(default=True)
    secret: str = Field(max_length=100)
    previous_secret: str | None = Field(default=None, max_length=100)
    previous_secret_until: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = created_at_field()


class WebhookDelivery(SQLModel, table=True):
    """One event for one endpoint, and what became of sending it.

    `key` names the event (`acknowledgement.created:41`, `plan.progress:7:2026-12-07`): one
    delivery per endpoint and key, whoever emits it twice. `next_attempt_at` is when a worker
    may take it: the next retry, or the end of the lease of the worker sending it now.
    """

    __tablename__ = "webhook_delivery"
    __table_args__ = (UniqueConstraint("endpoint_id", "key", name="uq_webhook_delivery_key"),)

    id: int | None = Field(default=None, primary_key=True)
    endpoint_id: int = Field(foreign_key="webhook_endpoint.id", index=True)
    key: str = Field(max_length=200)
    message_id: str = Field(max_length=40, unique=True)
    event_type: str = Field(max_length=40)
    payload: str = Field(description="The JSON body sent, the same on every attempt")
    status: str = Field(default="pending", max_length=12, index=True)
    attempts: int = Field(default=0)
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime, index=True)
    last_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    last_status_code: int | None = Field(default=None)
    last_error: str = Field(default="", max_length=500)
    last_duration_ms: int | None = Field(default=None)
    delivered_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = created_at_field()

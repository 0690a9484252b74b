from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.core.base import UTCDateTime, created_at_field

STATUSES = ("queued", "sending", "sent", "failed")


class OutboundMessage(SQLModel, table=True):
    """One email to one person, kept whatever became of it.

    `idempotency_key` names what it is about (a reminder of one thing to one person on one
    day): a second message with the same key is never made. `next_attempt_at` is when a job
    may next take it: the moment it was queued, after a failure the retry, while it is being
    sent the end of that job's lease; none once sent or given up.
    """

    __tablename__ = "outbound_message"
    __table_args__ = (
        sa.Index("ix_outbound_message_due", "status", "next_attempt_at"),
        sa.Index("ix_outbound_message_organization_created", "organization_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    participant_id: int | None = Field(default=None, foreign_key="participant.id", index=True)
    channel: str = Field(default="email", max_length=20)
    idempotency_key: str = Field(max_length=200, unique=True)
    to_address: str = Field(max_length=254)
    subject: str = Field(max_length=300)
    body_text: str = Field(sa_type=sa.Text)
    body_html: str | None = Field(default=None, sa_type=sa.Text)
    status: str = Field(default="queued", max_length=20)
    attempts: int = Field(default=0)
    last_error: str | None = Field(default=None, max_length=1000)
    created_at: datetime = created_at_field()
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    next_attempt_at: datetime | None = Field(default=None, sa_type=UTCDateTime)

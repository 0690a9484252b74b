from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field, field_validator

from app.mail.smtp import valid_address

MessageStatus = Literal["queued", "sending", "sent", "failed"]


class OutboundMessagePublic(BaseModel):
    """A message as the outbox lists it: who, what, and what became of it (not its body,
    which may carry the person's personal link)."""

    model_config = ConfigDict(from_attributes=True)
    id: int
    organization_id: int
    participant_id: int | None
    channel: str
    idempotency_key: str
    to_address: str
    subject: str
    status: MessageStatus
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def gave_up(self) -> bool:
        """Failed for good: no attempt is coming."""
        return self.status == "failed" and self.next_attempt_at is None


class MailTest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    organization_id: int = Field(description="Whose test it is, for the audit log")
    to: str = Field(min_length=3, max_length=254, examples=["hieutruong@truong.edu.vn"])

    @field_validator("to")
    @classmethod
    def _an_address(cls, value: str) -> str:
        if not valid_address(value):
            raise ValueError("Địa chỉ thư không hợp lệ. / Not an email address.")
        return value


class MailTestResult(BaseModel):
    sent: Literal[True]
    to: str
    server: str = Field(description="host:port of the SMTP server that took it")

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from app.core.base import TimestampMixin, UTCDateTime


class Participant(TimestampMixin, table=True):
    """A staff member (CBVC-NLĐ) of an organisation. Deactivated, never deleted."""

    __tablename__ = "participant"
    __table_args__ = (sa.UniqueConstraint("organization_id", "staff_code"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    full_name: str = Field(max_length=200)
    staff_code: str = Field(max_length=50)
    position: str | None = Field(default=None, max_length=120)
    email: str | None = Field(default=None, max_length=254)
    phone: str | None = Field(default=None, max_length=20)
    active: bool = Field(default=True, index=True)
    # When it stopped counting in the audience, so reports as of an earlier day stay true.
    deactivated_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Accent-free lower-case name, code, email and phone: "nguyen" finds "Nguyễn" on any database.
    search_text: str = Field(default="", max_length=600, index=True)

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field

from app.core.base import TimestampMixin, UTCDateTime
from app.core.text import fold, name_sort_key


class Participant(TimestampMixin, table=True):
    """A staff member (CBVC-NLĐ) of an organisation. Deactivated, never deleted."""

    __tablename__ = "participant"
    __table_args__ = (
        sa.UniqueConstraint("organization_id", "staff_code"),
        sa.Index("ix_participant_organization_id_sort_name", "organization_id", "sort_name"),
    )

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
    # When her personal data was scrubbed for good (`app.privacy.anonymize`); her rows stay.
    anonymized_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Accent-free lower-case name, code, email and phone: "nguyen" finds "Nguyễn" on any database.
    search_text: str = Field(default="", max_length=600, index=True)
    # Lists of staff are ordered by it: given name first, in the Vietnamese alphabet.
    sort_name: str = Field(default="", max_length=1250, sa_column_kwargs={"server_default": ""})


@sa.event.listens_for(Participant, "before_insert")
@sa.event.listens_for(Participant, "before_update")
def _derive_keys(_mapper, _connection, participant: Participant) -> None:
    """The search and sort keys follow the name and contact details on every write."""
    parts = [participant.full_name, participant.staff_code, participant.email, participant.phone]
    participant.search_text = fold(" ".join(p for p in parts if p))
    participant.sort_name = name_sort_key(participant.full_name)

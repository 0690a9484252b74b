from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.core.base import UTCDateTime


class Acknowledgement(SQLModel, table=True):
    """A person's confirmation of having studied one major version of a plan's materials.

    At most one live (not withdrawn) record per participant, plan and version: a partial
    unique index makes parallel confirmations collapse into one on both databases.
    """

    __tablename__ = "acknowledgement"
    __table_args__ = (
        sa.Index(
            "uq_acknowledgement_live",
            "participant_id",  # first: a person's confirmations are read by it (their home)
            "plan_id",
            "material_major",
            unique=True,
            sqlite_where=sa.text("withdrawn_at IS NULL"),
            postgresql_where=sa.text("withdrawn_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    material_major: int
    confirmed_at: datetime = Field(sa_type=UTCDateTime, index=True)
    method: str = Field(max_length=12, description="self, link, qr, on_behalf")
    recorded_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    # The personal link the confirmation, and later the reflection, came through (each may be
    # another): whoever issued it answers for what was done in the person's name.
    link_id: int | None = Field(default=None, foreign_key="personal_link.id")
    on_behalf_reason: str | None = Field(default=None, max_length=500)
    client_address: str | None = Field(default=None, max_length=64)
    reflection: str | None = Field(default=None, max_length=20000)
    reflection_submitted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    reflection_link_id: int | None = Field(default=None, foreign_key="personal_link.id")
    grade: str | None = Field(default=None, max_length=10, description="tot, kha, dat, chua_dat")
    grade_comment: str | None = Field(default=None, max_length=2000)
    graded_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    graded_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    withdrawn_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    withdraw_reason: str | None = Field(default=None, max_length=500)

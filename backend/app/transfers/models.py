from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.core.base import UTCDateTime, created_at_field
from app.orgs.models import Organization


class ParticipantTransfer(SQLModel, table=True):
    """A person's move to another organisation (điều động, chuyển trường): the one home of
    the link between her row there and her row here.

    A transfer ends her old row and starts a new one at the same moment, `moved_at`: the old
    row's `deactivated_at` and the new row's `created_at`. So the old school's figures as of
    any earlier moment count her, its later ones do not, and the new school's plans address
    her from that moment on. Each row leaves at most once and arrives at most once, so her
    rows form one chain, and two requests at once cannot both move her.
    """

    __tablename__ = "participant_transfer"

    id: int | None = Field(default=None, primary_key=True)
    from_participant_id: int = Field(foreign_key="participant.id", unique=True)
    to_participant_id: int = Field(foreign_key="participant.id", unique=True)
    from_organization_id: int = Field(foreign_key="organization.id", index=True)
    to_organization_id: int = Field(foreign_key="organization.id", index=True)
    moved_at: datetime = Field(sa_type=UTCDateTime)
    decision_ref: str | None = Field(default=None, max_length=100)
    decided_on: date | None = None
    note: str | None = Field(default=None, max_length=1000)
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = created_at_field()


def onward(participant_id: int) -> sa.Select:
    """SELECT of where she went from this row, if she moved: (`name` of the organisation,
    `to_participant_id` of her row there). A row she left by a move stays closed: it is not
    moved, reactivated or anonymised on its own."""
    return (
        sa.select(Organization.name, ParticipantTransfer.to_participant_id)
        .join(ParticipantTransfer, ParticipantTransfer.to_organization_id == Organization.id)
        .where(ParticipantTransfer.from_participant_id == participant_id)
    )

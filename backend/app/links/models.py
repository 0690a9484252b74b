from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.auth.models import User
from app.core.base import UTCDateTime, created_at_field


class PersonalLink(SQLModel, table=True):
    """A password-free link that acts for one participant only; stored as a keyed hash."""

    __tablename__ = "personal_link"

    id: int | None = Field(default=None, primary_key=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = created_at_field()
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    expires_at: datetime = Field(sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


def issued_by_name(link_id: sa.ColumnElement[int | None]) -> sa.ScalarSelect[str]:
    """SQL: the name of the account that issued the personal link `link_id` (NULL for none,
    or for a link the system issued)."""
    link = PersonalLink.__table__.alias("issued_link")  # apart from any link of the query
    return (
        sa.select(User.display_name)
        .join(link, link.c.created_by_id == User.id)
        .where(link.c.id == link_id)
        .scalar_subquery()
    )

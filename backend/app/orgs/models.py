from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.core.base import TimestampMixin, UTCDateTime, utcnow

LIVE_UNIT = sa.text("archived_at IS NULL")
LIVE_MEMBERSHIP = sa.text("ended_at IS NULL")


class Organization(TimestampMixin, table=True):
    """A node of the administrative tree (department, ward, school …); any depth."""

    __tablename__ = "organization"

    id: int | None = Field(default=None, primary_key=True)
    parent_id: int | None = Field(default=None, foreign_key="organization.id", index=True)
    kind: str = Field(max_length=40)
    name: str = Field(max_length=200)
    code: str = Field(max_length=50, unique=True)
    abbreviation: str = Field(max_length=30, description="Used in document symbols: 05/KH-THNBK")
    # "/1/4/9/": ancestors then self, so a subtree is one indexed prefix match.
    path: str = Field(default="", max_length=500, index=True)
    depth: int = Field(default=0)
    address: str | None = Field(default=None, max_length=300)
    place_name: str | None = Field(
        default=None, max_length=100, description="Place in dates: Thanh Khê"
    )


class Unit(TimestampMixin, table=True):
    """A group inside an organisation: Ban giám hiệu, Công đoàn, Tổ 1 …

    Archived, never deleted: the plans, sessions, tasks and figures of the past still name it.
    A live unit's name is unique in its organisation; an archived unit's name is free again.
    """

    __tablename__ = "unit"
    __table_args__ = (
        sa.Index(
            "uq_unit_live_name",
            "organization_id",
            "search_key",
            unique=True,
            sqlite_where=LIVE_UNIT,
            postgresql_where=LIVE_UNIT,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    name: str = Field(max_length=120)
    search_key: str = Field(max_length=120, description="Accent-free name, unique per organisation")
    kind: str = Field(default="other", max_length=30)
    archived_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class UnitMembership(SQLModel, table=True):
    """A person's membership of a unit, from `started_at` until `ended_at` (NULL while it lasts).

    Rows are ended, never deleted, so figures as of a past day count that day's members. At
    most one live row per unit and person: a partial unique index on both databases.
    """

    __tablename__ = "unit_membership"
    __table_args__ = (
        sa.Index(
            "uq_unit_membership_live",
            "unit_id",
            "participant_id",
            unique=True,
            sqlite_where=LIVE_MEMBERSHIP,
            postgresql_where=LIVE_MEMBERSHIP,
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    participant_id: int = Field(foreign_key="participant.id", index=True)
    is_leader: bool = Field(default=False)
    started_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


def live_membership() -> sa.ColumnElement[bool]:
    """SQL: the UnitMembership row is in force now (every current-time reader uses this)."""
    return UnitMembership.ended_at.is_(None)


def membership_at(moment: datetime) -> sa.ColumnElement[bool]:
    """SQL: the UnitMembership row was in force at `moment` (figures as of a past day)."""
    return sa.and_(
        UnitMembership.started_at <= moment,
        sa.or_(UnitMembership.ended_at.is_(None), UnitMembership.ended_at > moment),
    )

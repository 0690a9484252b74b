from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from app.core.base import TimestampMixin


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
    """A group inside an organisation: Ban giám hiệu, Công đoàn, Tổ 1 …"""

    __tablename__ = "unit"
    __table_args__ = (sa.UniqueConstraint("organization_id", "search_key"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    name: str = Field(max_length=120)
    search_key: str = Field(max_length=120, description="Accent-free name, unique per organisation")
    kind: str = Field(default="other", max_length=30)


class UnitMembership(SQLModel, table=True):
    __tablename__ = "unit_membership"

    unit_id: int = Field(foreign_key="unit.id", primary_key=True, ondelete="CASCADE")
    participant_id: int = Field(foreign_key="participant.id", primary_key=True, index=True)
    is_leader: bool = Field(default=False)

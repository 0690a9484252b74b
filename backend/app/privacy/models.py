"""How long the personal data of people who left is kept: an organisation's setting, which
its whole subtree follows unless a nearer organisation sets its own."""

from __future__ import annotations

from sqlmodel import Field

from app.core.base import TimestampMixin


class RetentionPolicy(TimestampMixin, table=True):
    """Anonymise people inactive for `inactive_years` years; None: never (also when an
    ancestor sets a period, so a school may keep its people's data longer)."""

    __tablename__ = "retention_policy"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", unique=True)
    inactive_years: int | None = Field(default=None)

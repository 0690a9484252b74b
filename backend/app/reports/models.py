from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from app.core.base import created_at_field


class Report(SQLModel, table=True):
    """An issued progress report (Báo cáo, …/BC-<issuer>): its number and the clerk's text.

    The figures are computed again when the document is downloaded, as of `as_of`
    (or of the issue date), so the file always matches its number.
    """

    __tablename__ = "report"
    __table_args__ = (sa.UniqueConstraint("organization_id", "year", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    number: int
    year: int
    symbol: str = Field(max_length=60)
    issued_on: date
    as_of: date | None = None
    title: str = Field(max_length=500)
    assessment: str = Field(default="", max_length=20000)
    proposals: str = Field(default="", max_length=20000)
    signer_name: str = Field(default="", max_length=200)
    signer_title: str = Field(default="", max_length=200)
    recipients: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    created_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = created_at_field()

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

from app.core.base import UTCDateTime, created_at_field


class Report(SQLModel, table=True):
    """An issued progress report (Báo cáo, …/BC-<issuer>): its number, the clerk's text, and
    what it says, frozen when it is issued.

    `figures` (the Progress it was rendered from) and `document` (the .docx itself, kept in
    the row so it commits, backs up and restores with it, and every app machine reads the
    same bytes) never change afterwards. Reports issued before freezing existed have neither
    until they are first read; they are frozen then (`frozen_at`) and kept. `document_pdf`,
    the PDF LibreOffice renders from `document`, is kept the same way from its first download.
    """

    __tablename__ = "report"
    __table_args__ = (
        sa.UniqueConstraint("organization_id", "year", "number"),
        sa.Index("uq_report_symbol", "organization_id", "year", "symbol", unique=True),
    )

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
    figures: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    document: bytes | None = Field(default=None, sa_column=Column(sa.LargeBinary))
    document_sha256: str | None = Field(default=None, max_length=64)
    frozen_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    document_pdf: bytes | None = Field(default=None, sa_column=Column(sa.LargeBinary))
    document_pdf_sha256: str | None = Field(default=None, max_length=64)


class RollupFigures(SQLModel, table=True):
    """The roll-up's counts of one adopted plan on one day, kept so that the top of a large
    tree need not count every school again (`app.reports.rollup_cache`).

    `day` is the `as_of` date (ISO) or "live". `counts` holds the roll-up's per-organisation
    sums by name, so a count added later needs no migration. `since` is the change mark below
    which every change was visible when they were counted (`app.core.changes`); `valid_until`
    the moment a live row's figures change with the clock alone (midnight, a session ending).
    """

    __tablename__ = "rollup_figures"

    plan_id: int = Field(foreign_key="plan.id", primary_key=True, ondelete="CASCADE")
    day: str = Field(primary_key=True, max_length=10)
    counts: dict[str, int] = Field(sa_column=Column(JSON, nullable=False))
    since: int = Field(sa_type=sa.BigInteger)
    computed_at: datetime = Field(sa_type=UTCDateTime)
    valid_until: datetime | None = Field(default=None, sa_type=UTCDateTime)

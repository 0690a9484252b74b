from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


class DocumentCounter(SQLModel, table=True):
    """The last number given per issuer, document type and calendar year (Decree 30)."""

    __tablename__ = "document_counter"
    __table_args__ = (sa.UniqueConstraint("organization_id", "doc_type", "year"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id")
    doc_type: str = Field(max_length=10)
    year: int
    last_number: int = Field(default=0)

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.core.base import created_at_field


class StoredFile(SQLModel, table=True):
    """An uploaded file kept under the data folder; served only through its owning record."""

    __tablename__ = "stored_file"

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True)
    original_name: str = Field(max_length=255)
    content_type: str = Field(max_length=120)
    size: int
    sha256: str = Field(max_length=64)
    storage_key: str = Field(max_length=120, unique=True)
    uploaded_by_id: int | None = Field(default=None, foreign_key="user_account.id")
    created_at: datetime = created_at_field()

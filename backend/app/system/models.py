from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from app.core.base import created_at_field


class BenchProbe(SQLModel, table=True):
    """Rows written by the bare insert endpoint that load benchmarks compare against."""

    __tablename__ = "bench_probe"

    id: int | None = Field(default=None, primary_key=True)
    note: str = Field(default="", max_length=200)
    created_at: datetime = created_at_field()

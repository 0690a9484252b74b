"""Official document numbers and dates in the form of Decree 30/2020/NĐ-CP."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from app.documents.models import DocumentCounter

DOC_TYPES = {
    "KH": "Kế hoạch",
    "BC": "Báo cáo",
    "QĐ": "Quyết định",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
}


def next_number(db: Session, *, organization_id: int, doc_type: str, year: int) -> int:
    """Take the next number atomically: concurrent issues never share one.

    The counter row is created if missing, then incremented in one UPDATE … RETURNING,
    which holds the row (PostgreSQL) or the database (SQLite) until the transaction ends.
    """
    dialect = db.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    db.exec(
        insert(DocumentCounter)
        .values(organization_id=organization_id, doc_type=doc_type, year=year, last_number=0)
        .on_conflict_do_nothing(index_elements=["organization_id", "doc_type", "year"])
    )
    return db.exec(
        sa.update(DocumentCounter)
        .where(
            DocumentCounter.organization_id == organization_id,
            DocumentCounter.doc_type == doc_type,
            DocumentCounter.year == year,
        )
        .values(last_number=DocumentCounter.last_number + 1)
        .returning(DocumentCounter.last_number)
    ).scalar_one()


def symbol(number: int | None, doc_type: str, abbreviation: str) -> str:
    """'05/KH-THNBK'; numbers under 10 get a leading zero; blank before issue ('/KH-THNBK')."""
    return f"{number:02d}/{doc_type}-{abbreviation}" if number else f"/{doc_type}-{abbreviation}"


def date_in_words(place: str | None, day: date | None) -> str:
    """'Thanh Khê, ngày 05 tháng 3 năm 2025' (days under 10 and months 1–2 take a leading zero)."""
    prefix = f"{place}, " if place else ""
    if day is None:
        return f"{prefix}ngày      tháng      năm"
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{prefix}ngày {day.day:02d} tháng {month} năm {day.year}"

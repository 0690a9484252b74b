"""Throttling of guesses (passwords, reset codes, personal links), shared by all workers.

Failures are rows in the database, so every worker sees the same count; a caller over a
limit gets 429 with Retry-After until the oldest failure in the window ages out.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from app.auth.models import FailedAttempt
from app.core.errors import TooManyRequests

WINDOW = timedelta(minutes=15)


def check(
    db: Session, kind: str, *, subject: str | None, address: str, per_subject: int, per_address: int
) -> None:
    since = datetime.now(UTC) - WINDOW
    checks = [(FailedAttempt.address == address, per_address)]
    if subject is not None:
        checks.insert(0, (FailedAttempt.subject == subject, per_subject))
    for condition, limit in checks:
        count, oldest = db.exec(
            sa.select(sa.func.count(), sa.func.min(FailedAttempt.created_at)).where(
                FailedAttempt.kind == kind, condition, FailedAttempt.created_at > since
            )
        ).one()
        if count >= limit:
            oldest = oldest.replace(tzinfo=UTC) if oldest.tzinfo is None else oldest
            wait = max(1, int((oldest + WINDOW - datetime.now(UTC)).total_seconds()) + 1)
            raise TooManyRequests(
                f"Thử sai quá nhiều lần; vui lòng thử lại sau {wait // 60 + 1} phút. "
                f"/ Too many failed attempts; try again in {wait} s.",
                headers={"Retry-After": str(wait)},
            )


def record_failure(db: Session, kind: str, *, subject: str = "", address: str) -> None:
    """Kept even though the request fails: committed on its own."""
    db.add(FailedAttempt(kind=kind, subject=subject, address=address))
    db.commit()


def clear(db: Session, kind: str, *, subject: str) -> None:
    db.exec(
        sa.delete(FailedAttempt).where(FailedAttempt.kind == kind, FailedAttempt.subject == subject)
    )

"""Throttling of guesses (passwords, reset codes, personal links, check-in codes), shared by
all workers.

Failures are rows in the database, so every worker sees the same count; a caller over a
limit gets 429 with Retry-After. Limits are kept by address, or by a subject (an account, a
person) together with an address, never by a subject alone where the owner must still get
in: a stranger's failures must not lock the owner out.
"""

from __future__ import annotations

import ipaddress
import math
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from app.auth.models import FailedAttempt
from app.core.errors import TooManyRequests

WINDOW = timedelta(minutes=15)


def _aware(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _too_many(wait: timedelta) -> TooManyRequests:
    seconds = max(1, math.ceil(wait.total_seconds()))
    return TooManyRequests(
        f"Thử sai quá nhiều lần; vui lòng thử lại sau {math.ceil(seconds / 60)} phút. "
        f"/ Too many failed attempts; try again in {seconds} s.",
        headers={"Retry-After": str(seconds)},
    )


def _source(address: str) -> str:
    """Whom an address's failures count against: the address, or for IPv6 its /64 network,
    which one subscriber holds whole (rotating through it must not reset the count)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        return str(ipaddress.ip_network((ip, 64), strict=False))
    return address


def check(
    db: Session,
    kind: str,
    *,
    address: str,
    per_address: int,
    subject: str | None = None,
    per_subject: int = 0,
    window: timedelta = WINDOW,
) -> None:
    """429 while `address` or `subject` (from any address) has as many failures in `window`
    as its limit, until the oldest of them ages out."""
    now = datetime.now(UTC)
    checks = [(FailedAttempt.address == _source(address), per_address)]
    if subject is not None:
        checks.insert(0, (FailedAttempt.subject == subject, per_subject))
    for condition, limit in checks:
        count, oldest = db.exec(
            sa.select(sa.func.count(), sa.func.min(FailedAttempt.created_at)).where(
                FailedAttempt.kind == kind, condition, FailedAttempt.created_at > now - window
            )
        ).one()
        if count >= limit:
            raise _too_many(_aware(oldest) + window - now)


def check_backoff(
    db: Session,
    kind: str,
    *,
    subject: str,
    address: str,
    free: int,
    first_wait: timedelta,
    longest_wait: timedelta,
    lookback: timedelta,
) -> None:
    """Progressive delay for one subject from one address: `free` failures pass at once;
    after them each try waits `first_wait` after the last failure, twice as long after each
    further one, up to `longest_wait`. Failures older than `lookback` no longer count."""
    now = datetime.now(UTC)
    count, latest = db.exec(
        sa.select(sa.func.count(), sa.func.max(FailedAttempt.created_at)).where(
            FailedAttempt.kind == kind,
            FailedAttempt.subject == subject,
            FailedAttempt.address == _source(address),
            FailedAttempt.created_at > now - lookback,
        )
    ).one()
    if count < free:
        return
    wait = min(longest_wait, first_wait * 2 ** min(count - free, 32))
    ready = _aware(latest) + wait
    if now < ready:
        raise _too_many(ready - now)


def record_failure(db: Session, kind: str, *, subject: str = "", address: str) -> None:
    """Count a failure. It must outlast the request it fails: the caller refuses with an
    error that keeps the request's writes (`ProblemError.keep_writes`), this row and the
    failure's audit event."""
    db.add(FailedAttempt(kind=kind, subject=subject, address=_source(address)))


def clear(db: Session, kind: str, *, subject: str, address: str) -> None:
    """Forget this subject's failures from this address (its owner just proved who they are
    there); failures from elsewhere keep counting against whoever made them."""
    db.exec(
        sa.delete(FailedAttempt).where(
            FailedAttempt.kind == kind,
            FailedAttempt.subject == subject,
            FailedAttempt.address == _source(address),
        )
    )

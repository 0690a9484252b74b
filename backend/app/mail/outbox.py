"""The outbox: every email the app sends is first a row here, then a job.

Queuing writes the row in the caller's transaction, once per idempotency key whoever asks
how often (INSERT … ON CONFLICT DO NOTHING, on SQLite and PostgreSQL alike), and enqueues
`send_message(id)` when that transaction commits. A job sends only the row it claims, in one
UPDATE that moves it to `sending` only if it is due: two workers given the same message send
it once. A failure is stored with its reason and retried, each wait twice the last
(`MAIL_RETRY_SECONDS`, `MAIL_MAX_ATTEMPTS`); a message given up stays `failed`, visible to the
admins. A job that never ran (the queue was down at commit, the worker died mid-send) is
found again by the periodic sweep: the queue may lose a job, the outbox loses no message.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from app.audit import trail as audit
from app.authz import Actor, Permission, authorize, in_scope
from app.core.base import utcnow
from app.core.config import Settings
from app.core.errors import InvalidInput, InvalidTransition, NotFound, field_error
from app.jobs import after_commit
from app.mail import smtp
from app.mail.models import OutboundMessage
from app.orgs.models import Organization

# How long a job may hold a message it is sending before the sweep presumes it dead.
LEASE = timedelta(minutes=10)
# The sweep leaves a due message this long to the job queued for it.
SWEEP_GRACE = timedelta(minutes=2)
SWEEP_BATCH = 500
ERROR_LENGTH = 1000
INSERT_BATCH = 500  # rows of one INSERT: 12 values each, under SQLite's 32,766 parameters
JOB_BATCH = 50  # messages one job sends in turn

_INSERTS = {
    dialect: insert(OutboundMessage)
    .on_conflict_do_nothing(index_elements=["idempotency_key"])
    .returning(OutboundMessage.id)
    for dialect, insert in (("postgresql", postgresql.insert), ("sqlite", sqlite.insert))
}
_TAKEN = OutboundMessage.__table__.c


@dataclass(frozen=True)
class Email:
    """One email to queue: what it is about (`key`), for whom, and what it says."""

    key: str
    organization_id: int
    to: str
    subject: str
    body_text: str
    body_html: str | None = None
    participant_id: int | None = None


def enqueue_email(
    db: Session,
    *,
    key: str,
    organization_id: int,
    to: str,
    subject: str,
    body_text: str,
    body_html: str | None = None,
    participant_id: int | None = None,
) -> tuple[OutboundMessage, bool]:
    """Queue one email unless one with `key` exists: (the message, whether it is new).

    Only flushes, as services do; the job that sends it is enqueued when the caller's
    transaction commits, and nothing is sent if it rolls back. Sending never happens here.
    """
    email = Email(key, organization_id, to, subject, body_text, body_html, participant_id)
    new_id = db.exec(_INSERTS[db.get_bind().dialect.name].values(_row(email, utcnow()))).scalar()
    if new_id is None:
        existing = db.exec(
            sa.select(OutboundMessage).where(OutboundMessage.idempotency_key == key)
        ).scalar_one()
        return existing, False
    after_commit(db, _send_job(), new_id)
    return db.get(OutboundMessage, new_id), True


def enqueue_emails(db: Session, emails: Iterable[Email]) -> list[int]:
    """Queue many emails at once, each unless its key exists (or comes twice): the ids of
    the new messages. A statement per 500 messages and, after the commit, a job per 50, so
    that a school's reminders cost a few queries and several workers share them."""
    now = utcnow()
    rows = list({email.key: _row(email, now) for email in emails}.values())
    insert = _INSERTS[db.get_bind().dialect.name]
    new_ids: list[int] = []
    for start in range(0, len(rows), INSERT_BATCH):
        new_ids += db.exec(insert.values(rows[start : start + INSERT_BATCH])).scalars().all()
    jobs = _send_many_job()
    for start in range(0, len(new_ids), JOB_BATCH):
        after_commit(db, jobs, new_ids[start : start + JOB_BATCH])
    return new_ids


def _row(email: Email, now: datetime) -> dict[str, Any]:
    if not smtp.valid_address(email.to):
        raise InvalidInput(
            f"Địa chỉ thư không hợp lệ: {email.to!r} ({email.key}). / Not an email address.",
            errors=[field_error("to", "Not an email address.")],
        )
    return {
        "organization_id": email.organization_id,
        "participant_id": email.participant_id,
        "channel": "email",
        "idempotency_key": email.key,
        "to_address": email.to,
        "subject": email.subject,
        "body_text": email.body_text,
        "body_html": email.body_html,
        "status": "queued",
        "attempts": 0,
        "created_at": now,
        "next_attempt_at": now,
    }


def _send_job():
    from app.mail.jobs import send_message  # the job module imports this one

    return send_message


def _send_many_job():
    from app.mail.jobs import send_messages

    return send_messages


def claim(db: Session, message_id: int, now: datetime) -> sa.Row | None:
    """Take the message for sending if it is due: its content, or None if it is not due
    (sent, given up, waiting for its retry, or being sent by another job)."""
    return db.exec(
        sa.update(OutboundMessage)
        .where(
            OutboundMessage.id == message_id,
            OutboundMessage.status.in_(("queued", "failed", "sending")),
            OutboundMessage.next_attempt_at <= now,
        )
        .values(
            status="sending",
            attempts=OutboundMessage.attempts + 1,
            next_attempt_at=now + LEASE,
        )
        .returning(
            _TAKEN.to_address, _TAKEN.subject, _TAKEN.body_text, _TAKEN.body_html, _TAKEN.attempts
        )
    ).first()


def record_sent(db: Session, message_id: int, now: datetime) -> None:
    db.exec(
        sa.update(OutboundMessage)
        .where(OutboundMessage.id == message_id, OutboundMessage.status == "sending")
        .values(status="sent", sent_at=now, last_error=None, next_attempt_at=None)
    )


def retry_delay(settings: Settings, attempts: int) -> timedelta:
    """The wait after the `attempts`-th failure: MAIL_RETRY_SECONDS, doubling each time."""
    return timedelta(seconds=settings.mail_retry_seconds * 2 ** (attempts - 1))


def record_failure(
    db: Session,
    settings: Settings,
    message_id: int,
    *,
    attempts: int,
    error: smtp.MailError,
    now: datetime,
) -> timedelta | None:
    """Store why it failed; the wait before the next attempt, None once given up."""
    give_up = error.permanent or attempts >= settings.mail_max_attempts
    delay = None if give_up else retry_delay(settings, attempts)
    db.exec(
        sa.update(OutboundMessage)
        .where(OutboundMessage.id == message_id, OutboundMessage.status == "sending")
        .values(
            status="failed",
            last_error=error.message[:ERROR_LENGTH],
            next_attempt_at=None if delay is None else now + delay,
        )
    )
    return delay


def statuses(db: Session, message_ids: list[int]) -> dict[str, int]:
    """How many of these messages stand at each status."""
    found = db.exec(
        sa.select(OutboundMessage.status, sa.func.count())
        .where(OutboundMessage.id.in_(message_ids))
        .group_by(OutboundMessage.status)
    ).all()
    return dict(found)


def due(db: Session, now: datetime) -> list[int]:
    """Messages whose job should have taken them by now: lost jobs, dead senders."""
    return list(
        db.exec(
            sa.select(OutboundMessage.id)
            .where(
                OutboundMessage.status.in_(("queued", "failed", "sending")),
                OutboundMessage.next_attempt_at <= now - SWEEP_GRACE,
            )
            .order_by(OutboundMessage.next_attempt_at)
            .limit(SWEEP_BATCH)
        ).scalars()
    )


def retry(db: Session, actor: Actor, message_id: int) -> OutboundMessage:
    """An admin sends a failed message again (the server fixed, the address corrected
    elsewhere): queued now, its attempts counted afresh."""
    message = db.get(OutboundMessage, message_id)
    organization = db.get(Organization, message.organization_id) if message else None
    if message is None or organization is None:
        raise NotFound("Không tìm thấy thư. / Message not found.")
    authorize(actor, Permission.ORGS_MANAGE, organization.path)
    if message.status != "failed":
        raise InvalidTransition(
            f"Chỉ gửi lại được thư lỗi; thư này đang ở trạng thái {message.status}. / "
            "Only a failed message can be sent again."
        )
    with audit.change(db, actor, "outbound_message.retry", message, picture=_picture):
        message.status, message.attempts, message.next_attempt_at = "queued", 0, utcnow()
    after_commit(db, _send_job(), message.id)
    return message


def _picture(message: OutboundMessage) -> dict:
    """The message for the audit log, without its body (it may carry a personal link)."""
    return audit.snapshot(message.model_dump(exclude={"body_text", "body_html"}))


def list_messages(
    db: Session,
    actor: Actor,
    *,
    organization: Organization | None,
    status: str | None,
    limit: int,
    offset: int,
) -> tuple[list[OutboundMessage], int]:
    """A page of the messages of the organisations the caller administers, newest first."""
    query = sa.select(OutboundMessage).join(
        Organization, Organization.id == OutboundMessage.organization_id
    )
    conditions = [in_scope(actor, Permission.AUDIT_READ, Organization.path)]
    if organization is not None:
        authorize(actor, Permission.AUDIT_READ, organization.path)
        conditions.append(Organization.path.startswith(organization.path, autoescape=True))
    if status:
        conditions.append(OutboundMessage.status == status)
    query = query.where(*conditions)
    total = db.exec(sa.select(sa.func.count()).select_from(query.subquery())).one()[0]
    rows = db.exec(
        query.order_by(OutboundMessage.created_at.desc(), OutboundMessage.id.desc())
        .limit(limit)
        .offset(offset)
    ).scalars()
    return list(rows), total

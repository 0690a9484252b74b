"""Handing reminders and digests to their channels: the one place a channel is plugged in.

Every reminder reaches the person in the app (a notification under the bell). A person with
an email address is also reached by email (the outbox, `app.mail`, which sends it as a job
over SMTP), carrying a fresh one-tap personal link (`app.links.service`) that lasts
REMINDER_LINK_DAYS. Digests stay in the app. Group messages (`group_messages`) are copied by
hand into a unit's chat and never carry a link.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session

from app.authz import Actor
from app.core.base import utcnow
from app.core.config import current_settings
from app.links.service import issue_many
from app.mail import smtp
from app.mail.outbox import Email, enqueue_emails
from app.reminders.messages import email_text
from app.reminders.models import Notification

IN_APP = "in_app"
EMAIL = "email"
REMINDER_LINK_DAYS = 30
REMINDER_KEY = "reminder:"  # an email's outbox key: this and the reminder's id


@dataclass(frozen=True)
class Delivery:
    """One reminder or digest newly recorded in the log, ready for its channels."""

    reminder_id: int
    organization_id: int
    participant_id: int | None
    user_id: int | None
    email: str | None
    title: str
    body: str
    link: str


def _mailable(email: str | None) -> bool:
    return bool(email) and smtp.valid_address(email)


def channels(email: str | None) -> str:
    """The channels a reminder goes through, as the log records them."""
    return f"{IN_APP},{EMAIL}" if _mailable(email) else IN_APP


def deliver(db: Session, items: Sequence[Delivery]) -> list[int]:
    """Record every item in the app now (one INSERT for all), then queue the emails: the ids
    of the outbox messages made (a job sends each once the transaction commits)."""
    if not items:
        return []
    now = utcnow()
    db.connection().execute(
        sa.insert(Notification),
        [
            {
                "user_id": item.user_id,
                "participant_id": item.participant_id,
                "reminder_id": item.reminder_id,
                "title": item.title[:300],
                "body": item.body[:4000],
                "link": item.link,
                "created_at": now,
                "read_at": None,
            }
            for item in items
        ],
    )
    return _email(db, [item for item in items if item.participant_id and _mailable(item.email)])


def _email(db: Session, items: Sequence[Delivery]) -> list[int]:
    """One email per reminder, keyed by it (sent once, whatever retries), with a new link."""
    if not items:
        return []
    settings = current_settings()
    links = issue_many(
        db,
        Actor(label="reminders", grants=()),
        {item.participant_id: item.organization_id for item in items},
        REMINDER_LINK_DAYS,
        settings.base_url,
    )
    expires = (utcnow() + timedelta(days=REMINDER_LINK_DAYS)).astimezone(settings.zone).date()
    emails = []
    for item in items:
        text, html = email_text(item.body, links[item.participant_id], expires)
        emails.append(
            Email(
                key=f"{REMINDER_KEY}{item.reminder_id}",
                organization_id=item.organization_id,
                to=item.email,
                subject=item.title,
                body_text=text,
                body_html=html,
                participant_id=item.participant_id,
            )
        )
    return enqueue_emails(db, emails)

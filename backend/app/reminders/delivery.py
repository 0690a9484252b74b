"""Handing reminders and digests to their channels: the one place a channel is plugged in.

Every reminder reaches the person in the app (a notification under the bell). A person with
an email address is also to be reached by email, carrying their one-tap personal link
(`app.links.service`); that channel is wired in at the marked place below. Group messages
(`group_messages`) are copied by hand into a unit's chat and never carry a link.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sqlalchemy as sa
from sqlmodel import Session

from app.core.base import utcnow
from app.reminders.models import Notification

IN_APP = "in_app"


@dataclass(frozen=True)
class Delivery:
    """One reminder or digest newly recorded in the log, ready for its channels."""

    reminder_id: int
    participant_id: int | None
    user_id: int | None
    email: str | None
    title: str
    body: str
    link: str


def channels(email: str | None) -> str:
    """The channels a reminder goes through, as the log records them."""
    return IN_APP  # EMAIL: becomes "in_app,email" for a person with an email address


def deliver(db: Session, items: Sequence[Delivery]) -> None:
    """Record every item in the app now (one INSERT for all), then hand the rest on."""
    if not items:
        return
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
    # EMAIL (wired at merge): for each item with an `email`, enqueue one message in the
    # outbox (app.mail), keyed by `reminder_id` so that a retry never sends it twice, carrying
    # the person's personal link (app.links.service) for a participant's reminder; the
    # outbox's job sends it over SMTP and sets the reminder's status (queued, sent, failed).

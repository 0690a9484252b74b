"""The webhooks' schedule and their one job: every minute, the confirmations' events are
emitted and each due delivery becomes a job; every quarter of an hour, the plans' progress
(a roll-up each, so not every minute). The database is the queue of record: a job lost with
a worker is enqueued again by the next minute, and the claim in `delivery` keeps two workers
from sending one delivery twice."""

from __future__ import annotations

from datetime import UTC, datetime

from app.jobs import crontab, huey, job_session
from app.jobs.engine import settings as job_settings
from app.webhooks import delivery, events


@huey.periodic_task(crontab(minute="*"), name="webhooks.tick")
def tick() -> None:
    now = datetime.now(UTC)
    with job_session() as db:
        events.acknowledgements(db, now)
        due = delivery.due(db, now)
    for delivery_id in due:
        deliver(delivery_id)


@huey.periodic_task(crontab(minute="*/15"), name="webhooks.progress")
def progress() -> None:
    with job_session() as db:
        events.progress(db, datetime.now(UTC))


@huey.task(name="webhooks.deliver")
def deliver(delivery_id: int) -> None:
    """Claim, send, record: each in its own transaction, none open while it sends."""
    with job_session() as db:
        outgoing = delivery.claim(db, delivery_id, datetime.now(UTC))
    if outgoing is None:
        return
    outcome = delivery.send(outgoing, job_settings().webhook_timeout_seconds)
    with job_session() as db:
        delivery.record(db, delivery_id, outcome, datetime.now(UTC))

"""The jobs that send the outbox: one per message, and a sweep every minute for the
messages whose job was lost (see `app.mail.outbox`)."""

from __future__ import annotations

import logging

from app.core.base import utcnow
from app.jobs import crontab, huey, job_session
from app.jobs.engine import settings as job_settings
from app.mail import outbox, smtp

logger = logging.getLogger(__name__)


def deliver(message_id: int) -> None:
    """Send the message if it is due and no other job has it; on failure, store why and
    schedule the retry. Sending happens outside any database transaction."""
    settings = job_settings()
    with job_session() as db:
        taken = outbox.claim(db, message_id, utcnow())
    if taken is None:
        return
    try:
        message = smtp.compose(
            settings,
            to=taken.to_address,
            subject=taken.subject,
            body_text=taken.body_text,
            body_html=taken.body_html,
        )
        smtp.send(settings, message)
    except smtp.MailError as error:
        with job_session() as db:
            delay = outbox.record_failure(
                db, settings, message_id, attempts=taken.attempts, error=error, now=utcnow()
            )
        logger.warning("email %s not sent (attempt %s): %s", message_id, taken.attempts, error)
        if delay is not None:
            send_message.schedule((message_id,), delay=delay.total_seconds())
        return
    with job_session() as db:
        outbox.record_sent(db, message_id, utcnow())


@huey.task(name="mail.send")
def send_message(message_id: int) -> None:
    deliver(message_id)


@huey.task(name="mail.send_many")
def send_messages(message_ids: list[int]) -> None:
    """Several messages queued together (`outbox.enqueue_emails`), one after the other."""
    for message_id in message_ids:
        deliver(message_id)


@huey.periodic_task(crontab(minute="*"), name="mail.sweep")
def sweep_outbox() -> None:
    """Enqueue again the messages due for a while that no job has taken."""
    with job_session() as db:
        message_ids = outbox.due(db, utcnow())
    for message_id in message_ids:
        send_message(message_id)

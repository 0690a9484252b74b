"""The reminders' schedule: every half hour, what is due is recorded and delivered (as
`lantoa remind --send` does); the log's key makes a second run, or a run in another worker
at the same moment, deliver nothing twice. Planning skips hours and days off by itself."""

from __future__ import annotations

from datetime import UTC, datetime

from app.jobs import crontab, huey, job_session
from app.reminders.sending import send_due


@huey.periodic_task(crontab(minute="*/30"), name="reminders.send_due")
def send_due_reminders() -> None:
    with job_session() as db:
        send_due(db, datetime.now(UTC))

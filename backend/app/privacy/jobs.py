"""The retention schedule: once a day, everyone inactive for longer than her organisation
keeps data is anonymised (as `lantoa anonymize-inactive` does); a second run finds nobody."""

from __future__ import annotations

from datetime import UTC, datetime

from app.jobs import crontab, huey, job_session
from app.privacy.retention import sweep


@huey.periodic_task(crontab(hour="20", minute="15"), name="privacy.retention")
def anonymize_inactive() -> None:
    """At 03:15 in Vietnam (20:15 UTC), when nobody works."""
    with job_session() as db:
        sweep(db, datetime.now(UTC))

"""Once a day, the roll-up's change log is cut with the kept counts it vouches for
(`rollup_cache.prune`): it gains a row with every write and would otherwise grow for ever."""

from __future__ import annotations

import logging

from app.jobs import crontab, huey, job_session
from app.reports.rollup_cache import prune

logger = logging.getLogger(__name__)


@huey.periodic_task(crontab(hour="20", minute="45"), name="reports.prune_kept_counts")
def prune_kept_counts() -> None:
    """At 03:45 in Vietnam (20:45 UTC), when nobody works: the first readings of the day
    count afresh."""
    with job_session() as db:
        kept, cut = prune(db)
    logger.info("roll-up: %d kept rows and %d changes cut", kept, cut)

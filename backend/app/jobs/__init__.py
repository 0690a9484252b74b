"""Durable background jobs on huey (see `engine`): `lantoa worker` consumes them, and so does
`lantoa serve` on the embedded queue.

A module that adds jobs registers them on `huey` and is listed in `engine.TASK_MODULES`:

    from app.jobs import crontab, huey

    @huey.periodic_task(crontab(minute="*/5"), name="reminders.plan")
    def plan_reminders() -> None: ...
"""

from app.jobs.engine import TASK_MODULES, after_commit, configure, crontab, huey, job_session

__all__ = ["TASK_MODULES", "after_commit", "configure", "crontab", "huey", "job_session"]

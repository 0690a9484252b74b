"""The webhooks' schedule on the job engine: the minute's tick emits what the data says and
makes each due delivery a job, which posts it signed to a real local receiver (issue 18)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Session

from app.core.config import Settings, current_settings
from app.jobs import engine as jobs_engine
from app.webhooks import events, signing
from app.webhooks import jobs as webhook_jobs
from app.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.api.test_webhooks import Receiver, verified
from tests.factories import make_org


def test_the_tick_sends_each_due_delivery_once(
    scratch_engine, scratch_url, use_jobs, tmp_path, monkeypatch
):
    monkeypatch.setattr(current_settings(), "webhook_allow_private_targets", True)
    settings = Settings(_env_file=None, database_url=scratch_url, data_dir=tmp_path)
    use_jobs(settings)
    jobs_engine.configure(settings, immediate=True)
    receiver = Receiver()
    try:
        with Session(scratch_engine, expire_on_commit=False) as db:
            district = make_org(db, "pgd", "Phòng GDĐT", kind="district")
            school = make_org(db, "th", "Trường Tiểu học", district)
            endpoint = WebhookEndpoint(
                organization_id=district.id,
                url=receiver.url,
                events=["report.issued"],
                secret=signing.new_secret(),
            )
            db.add(endpoint)
            db.flush()
            events.emit(
                db,
                school.path,
                "report.issued",
                "report.issued:9",
                {"report_id": 9},
                datetime.now(UTC),
            )
            db.commit()

        webhook_jobs.tick.call_local()
        webhook_jobs.tick.call_local()  # the next minute: nothing left to send

        [got] = receiver.received
        assert verified(endpoint.secret, got["headers"], got["body"])
        assert json.loads(got["body"])["data"] == {"report_id": 9}
        with Session(scratch_engine) as db:
            status = db.exec(sa.select(WebhookDelivery.status)).scalars().all()
        assert status == ["delivered"]
    finally:
        receiver.close()
        jobs_engine.configure(Settings(_env_file=None, data_dir=tmp_path))


def test_the_schedule_runs_reminders_half_hourly_and_webhooks_every_minute():
    jobs_engine.load_tasks()

    def scheduled(minute: int) -> set[str]:
        moment = datetime(2026, 12, 7, 9, minute)
        return {task.name for task in jobs_engine.huey.read_periodic(moment)}

    assert {"webhooks.tick", "webhooks.progress", "reminders.send_due"} <= scheduled(0)
    assert {"webhooks.tick", "reminders.send_due"} <= scheduled(30)
    assert "webhooks.progress" in scheduled(45)
    assert scheduled(7) & {"webhooks.progress", "reminders.send_due"} == set()
    assert "webhooks.tick" in scheduled(7)

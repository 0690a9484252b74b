"""Two workers given the same webhook delivery at once send it once, on the database the
suite runs on (SQLite, or PostgreSQL with TEST_DATABASE_URL) (issue 18)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Session

from app.core.config import Settings, current_settings
from app.jobs import engine as jobs_engine
from app.webhooks import events, signing
from app.webhooks import jobs as webhook_jobs
from app.webhooks.models import WebhookDelivery, WebhookEndpoint
from tests.api.test_webhooks import Receiver
from tests.factories import make_org


def test_two_workers_at_once_send_each_delivery_once(
    scratch_engine, scratch_url, use_jobs, tmp_path, monkeypatch
):
    monkeypatch.setattr(current_settings(), "webhook_allow_private_targets", True)
    use_jobs(Settings(_env_file=None, database_url=scratch_url, data_dir=tmp_path))
    receiver = Receiver()
    try:
        with Session(scratch_engine) as db:
            district = make_org(db, "pgd", "Phòng GDĐT", kind="district")
            db.add(
                WebhookEndpoint(
                    organization_id=district.id,
                    url=receiver.url,
                    events=["report.issued"],
                    secret=signing.new_secret(),
                )
            )
            db.flush()
            for n in range(20):
                events.emit(
                    db, district.path, "report.issued", f"r:{n}", {"n": n}, datetime.now(UTC)
                )
            db.commit()
            ids = db.exec(sa.select(WebhookDelivery.id)).scalars().all()

        start = threading.Barrier(2)

        def worker() -> None:
            start.wait()
            for delivery_id in ids:
                webhook_jobs.deliver.call_local(delivery_id)

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

        assert len(receiver.received) == 20
        assert len({r["headers"]["webhook-id"] for r in receiver.received}) == 20
        with Session(scratch_engine) as db:
            statuses = db.exec(sa.select(WebhookDelivery.status, WebhookDelivery.attempts)).all()
        assert set(statuses) == {("delivered", 1)}
    finally:
        receiver.close()
        jobs_engine.configure(Settings(_env_file=None, data_dir=tmp_path))

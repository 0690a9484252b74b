"""`lantoa serve` on the embedded queue consumes it too: no worker to start for `make run`."""

from __future__ import annotations

import time

from sqlmodel import Session

from app.mail import outbox
from app.mail.models import OutboundMessage
from tests.support import LiveServer


def test_serve_sends_the_outbox_and_stops_cleanly(
    scratch_engine, scratch_url, school, mail_server, use_jobs, tmp_path
):
    settings = mail_server.settings(scratch_url, tmp_path)
    use_jobs(settings)
    server = LiveServer(
        scratch_url,
        tmp_path,
        JOBS_QUEUE=settings.jobs_queue,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(mail_server.port),
        SMTP_STARTTLS="false",
        SMTP_FROM=settings.smtp_from,
    ).start()
    try:
        with Session(scratch_engine, expire_on_commit=False) as db:
            message, _ = outbox.enqueue_email(
                db,
                key="serve:1",
                organization_id=school[0],
                to="mai@example.vn",
                subject="Gửi từ lantoa serve",
                body_text="Nội dung",
            )
            db.commit()
        deadline = time.monotonic() + 30
        while mail_server.inbox.subjects() != ["Gửi từ lantoa serve"]:
            assert time.monotonic() < deadline, server.log()[-3000:]
            time.sleep(0.1)
    finally:
        code = server.stop()
    # Uvicorn raises SIGTERM again once it has stopped, after the jobs have (see test_concurrency).
    assert code == -15, server.log()[-3000:]
    assert "Traceback" not in server.log()
    with Session(scratch_engine) as db:
        assert db.get(OutboundMessage, message.id).status == "sent"

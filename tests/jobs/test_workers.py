"""Two `lantoa worker` processes on one queue, on the embedded SQLite file and on Redis: every
message is sent exactly once, even when its job is enqueued twice."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from sqlmodel import Session

from app.jobs import engine as jobs_engine
from app.mail import jobs as mail_jobs
from app.mail import outbox
from app.mail.models import OutboundMessage
from tests.support import ROOT

MESSAGES = 40


def start_worker(settings, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": settings.database_url,
        "DATA_DIR": str(settings.data_dir),
        "JOBS_URL": settings.jobs_url,
        "JOBS_QUEUE": settings.jobs_queue,
        "SMTP_HOST": settings.smtp_host,
        "SMTP_PORT": str(settings.smtp_port),
        "SMTP_STARTTLS": "false",
        "SMTP_FROM": settings.smtp_from,
        "LOG_LEVEL": "INFO",
    }
    with log.open("wb") as out:
        return subprocess.Popen(
            [sys.executable, "-m", "app.cli", "worker", "--threads", "2"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def test_two_workers_send_each_message_once(
    scratch_engine, scratch_url, school, mail_server, use_jobs, jobs_url, tmp_path
):
    settings = mail_server.settings(scratch_url, tmp_path, jobs_url=jobs_url)
    use_jobs(settings)
    logs = [tmp_path / f"worker-{n}.log" for n in (1, 2)]
    workers = [start_worker(settings, log) for log in logs]
    try:
        _wait_until(lambda: all(b"Huey consumer started" in log.read_bytes() for log in logs))
        org_id, person_id = school
        ids = []
        with Session(scratch_engine, expire_on_commit=False) as db:
            for n in range(MESSAGES):
                message, _ = outbox.enqueue_email(
                    db,
                    key=f"test:{n}",
                    organization_id=org_id,
                    participant_id=person_id,
                    to=f"gv{n}@example.vn",
                    subject=f"Thư số {n}",
                    body_text="Nội dung",
                )
                ids.append(message.id)
            db.commit()  # one job each, enqueued now
        for message_id in ids:  # and a second job for every one of them
            mail_jobs.send_message(message_id)

        def all_sent() -> bool:
            with Session(scratch_engine) as db:
                return all(db.get(OutboundMessage, i).status == "sent" for i in ids)

        _wait_until(all_sent, timeout=60)
        time.sleep(1)  # the second jobs finish too, sending nothing
        assert jobs_engine.huey.pending_count() == 0
    finally:
        for worker in workers:
            worker.terminate()
        codes = [worker.wait(timeout=40) for worker in workers]
    subjects = mail_server.inbox.subjects()
    assert sorted(subjects) == sorted(f"Thư số {n}" for n in range(MESSAGES))
    with Session(scratch_engine) as db:
        assert {db.get(OutboundMessage, i).attempts for i in ids} == {1}
    for log in logs:  # both took part, and stopped cleanly on SIGTERM
        text = log.read_text()
        assert "Executing app.mail.jobs.mail.send" in text, text[-3000:]
        assert "Traceback" not in text, text[-3000:]
    assert codes == [0, 0]


def _wait_until(condition, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")

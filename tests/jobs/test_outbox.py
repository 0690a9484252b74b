"""The outbox on a committed database: one message per key, sent over real SMTP by its job,
failures stored with their reason and retried."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from app.core.base import utcnow
from app.core.errors import InvalidInput
from app.jobs import engine as jobs_engine
from app.mail import jobs as mail_jobs
from app.mail import outbox
from app.mail.models import OutboundMessage
from tests.jobs.conftest import PASSWORD, USERNAME, MailServer
from tests.support import free_port

KEY = "remind:ack:7:42:2026-12-07"


def queue(engine, school, key=KEY, **values) -> tuple[int, bool]:
    org_id, person_id = school
    with Session(engine, expire_on_commit=False) as db:
        message, created = outbox.enqueue_email(
            db,
            key=key,
            organization_id=org_id,
            participant_id=person_id,
            to=values.pop("to", "mai@example.vn"),
            subject=values.pop("subject", "Nhắc xác nhận: Kế hoạch 05/KH-THNBK"),
            body_text=values.pop("body_text", "Kính gửi cô Mai,\nXin cô xác nhận đã học."),
            body_html=values.pop("body_html", "<p>Kính gửi cô <b>Mai</b>, xin cô xác nhận.</p>"),
        )
        db.commit()
        return message.id, created


def row(engine, message_id) -> OutboundMessage:
    with Session(engine, expire_on_commit=False) as db:
        return db.get(OutboundMessage, message_id)


def test_a_key_makes_one_message_and_one_job(
    scratch_engine, scratch_url, school, mail_server, use_jobs, tmp_path
):
    use_jobs(mail_server.settings(scratch_url, tmp_path))
    first, created = queue(scratch_engine, school)
    again, created_again = queue(scratch_engine, school, subject="Khác")
    assert (created, created_again) == (True, False)
    assert first == again
    assert jobs_engine.huey.pending_count() == 1  # enqueued on commit, once

    with Session(scratch_engine) as db:  # nothing is enqueued for a rolled-back message
        outbox.enqueue_email(
            db, key="other", organization_id=school[0], to="a@b.vn", subject="s", body_text="t"
        )
        db.rollback()
    assert jobs_engine.huey.pending_count() == 1


def test_callers_at_once_make_one_message(scratch_engine, scratch_url, school, use_jobs, tmp_path):
    use_jobs(MailServer().settings(scratch_url, tmp_path))
    callers = 8
    start = threading.Barrier(callers)
    results: list[tuple[int, bool]] = []

    def call() -> None:
        start.wait()
        results.append(queue(scratch_engine, school))

    threads = [threading.Thread(target=call) for _ in range(callers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == callers
    assert len({message_id for message_id, _ in results}) == 1
    assert sum(created for _, created in results) == 1
    with Session(scratch_engine) as db:
        assert db.exec(sa.select(sa.func.count()).select_from(OutboundMessage)).one()[0] == 1
    assert jobs_engine.huey.pending_count() == 1


def test_an_address_that_is_none_is_refused(scratch_engine, school):
    with pytest.raises(InvalidInput), Session(scratch_engine) as db:
        outbox.enqueue_email(
            db, key="k", organization_id=school[0], to="mai", subject="s", body_text="t"
        )


def test_the_job_sends_utf8_text_and_html(
    scratch_engine, scratch_url, school, mail_server, use_jobs, tmp_path
):
    use_jobs(mail_server.settings(scratch_url, tmp_path))
    message_id, _ = queue(scratch_engine, school)
    mail_jobs.deliver(message_id)
    mail_jobs.deliver(message_id)  # a second job for it sends nothing

    assert len(mail_server.inbox.messages) == 1
    received = mail_server.inbox.messages[0]
    assert received["Subject"] == "Nhắc xác nhận: Kế hoạch 05/KH-THNBK"
    assert received["To"] == "mai@example.vn"
    assert "no-reply@lantoa.test" in received["From"]
    assert received.get_content_type() == "multipart/alternative"
    assert "Xin cô xác nhận đã học." in received.get_body(("plain",)).get_content()
    assert "<b>Mai</b>" in received.get_body(("html",)).get_content()
    sent = row(scratch_engine, message_id)
    assert (sent.status, sent.attempts, sent.last_error) == ("sent", 1, None)
    assert sent.sent_at is not None and sent.next_attempt_at is None


def test_a_server_down_fails_with_its_reason_then_the_retry_sends(
    scratch_engine, scratch_url, school, use_jobs, tmp_path
):
    """With a real consumer: the first attempt finds no server, the scheduled retry does."""
    server = MailServer()  # not started: nothing listens on its port
    settings = use_jobs(server.settings(scratch_url, tmp_path, mail_retry_seconds=1))._settings
    consumer = jobs_engine.consumer(2, periodic=False, embedded=True)
    consumer.start()
    try:
        message_id, _ = queue(scratch_engine, school)
        failed = _wait_for(scratch_engine, message_id, lambda m: m.status == "failed")
        assert failed.attempts == 1
        assert "không nhận kết nối" in failed.last_error
        assert "refused the connection" in failed.last_error
        assert failed.next_attempt_at is not None  # it will be tried again
        server.start()
        try:
            sent = _wait_for(scratch_engine, message_id, lambda m: m.status == "sent")
            assert sent.attempts >= 2 and sent.last_error is None
            assert server.inbox.subjects() == ["Nhắc xác nhận: Kế hoạch 05/KH-THNBK"]
        finally:
            server.stop()
    finally:
        consumer.stop(graceful=True)
    assert settings.mail_retry_seconds == 1


def test_the_retries_back_off_then_give_up_and_stay_visible(
    scratch_engine, scratch_url, school, use_jobs, tmp_path
):
    use_jobs(MailServer().settings(scratch_url, tmp_path, mail_max_attempts=3))
    message_id, _ = queue(scratch_engine, school)
    waits = []
    for _ in range(3):
        _make_due(scratch_engine, message_id)
        before = utcnow()
        mail_jobs.deliver(message_id)
        failed = row(scratch_engine, message_id)
        if failed.next_attempt_at is not None:
            waits.append(failed.next_attempt_at - before)
    assert [round(w.total_seconds() * 2) / 2 for w in waits] == [0.5, 1.0]  # doubling
    gave_up = row(scratch_engine, message_id)
    assert (gave_up.status, gave_up.attempts, gave_up.next_attempt_at) == ("failed", 3, None)
    assert gave_up.last_error
    retries = [task for task in jobs_engine.huey.pending() if task.eta is not None]
    assert len(retries) == 2  # none after giving up
    with Session(scratch_engine) as db:
        assert outbox.due(db, utcnow() + timedelta(days=1)) == []  # the sweep leaves it be


def test_wrong_credentials_are_named(scratch_engine, scratch_url, school, use_jobs, tmp_path):
    server = MailServer(with_auth=True).start()
    try:
        use_jobs(server.settings(scratch_url, tmp_path, smtp_username=USERNAME, smtp_password="x"))
        message_id, _ = queue(scratch_engine, school)
        mail_jobs.deliver(message_id)
        failed = row(scratch_engine, message_id)
        assert failed.status == "failed"
        assert "từ chối tên đăng nhập hoặc mật khẩu" in failed.last_error
        assert "535" in failed.last_error

        use_jobs(
            server.settings(scratch_url, tmp_path, smtp_username=USERNAME, smtp_password="mật")
        )
        _make_due(scratch_engine, message_id)
        mail_jobs.deliver(message_id)
        assert "ký tự ngoài ASCII" in row(scratch_engine, message_id).last_error

        use_jobs(
            server.settings(scratch_url, tmp_path, smtp_username=USERNAME, smtp_password=PASSWORD)
        )
        _make_due(scratch_engine, message_id)
        mail_jobs.deliver(message_id)
        assert row(scratch_engine, message_id).status == "sent"
        assert len(server.inbox.messages) == 1
    finally:
        server.stop()


def test_the_sweep_sends_what_no_job_took(
    scratch_engine, scratch_url, school, mail_server, use_jobs, tmp_path
):
    """The queue was down at commit, or a worker died while sending: the outbox remembers."""
    use_jobs(mail_server.settings(scratch_url, tmp_path))
    queued, _ = queue(scratch_engine, school, key="a")
    stuck, _ = queue(scratch_engine, school, key="b", subject="Thư bị kẹt")
    jobs_engine.huey.flush()  # the jobs are lost
    with Session(scratch_engine) as db:
        db.exec(
            sa.update(OutboundMessage)
            .where(OutboundMessage.id == stuck)
            .values(status="sending", attempts=1, next_attempt_at=utcnow())
        )
        db.commit()
    _make_due(scratch_engine, queued)
    _make_due(scratch_engine, stuck)

    mail_jobs.sweep_outbox.call_local()
    assert jobs_engine.huey.pending_count() == 2
    while (task := jobs_engine.huey.dequeue()) is not None:
        jobs_engine.huey.execute(task)
    assert {row(scratch_engine, i).status for i in (queued, stuck)} == {"sent"}
    assert len(mail_server.inbox.messages) == 2


def _make_due(engine, message_id) -> None:
    """As if its next attempt were due a while ago."""
    with Session(engine) as db:
        db.exec(
            sa.update(OutboundMessage)
            .where(OutboundMessage.id == message_id)
            .values(next_attempt_at=utcnow() - outbox.SWEEP_GRACE - timedelta(seconds=1))
        )
        db.commit()


def _wait_for(engine, message_id, condition, timeout: float = 20) -> OutboundMessage:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        message = row(engine, message_id)
        if condition(message):
            return message
        time.sleep(0.1)
    raise AssertionError(f"message {message_id} stayed {row(engine, message_id)}")


def test_a_queue_gone_away_loses_no_message(
    scratch_engine, scratch_url, school, use_jobs, tmp_path, caplog
):
    """The commit stands; the sweep enqueues the message once the queue is back."""
    dead = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    use_jobs(MailServer().settings(scratch_url, tmp_path, jobs_url=dead))
    started = time.monotonic()
    message_id, created = queue(scratch_engine, school)
    assert created and time.monotonic() - started < 3
    assert row(scratch_engine, message_id).status == "queued"
    assert "could not enqueue mail.send" in caplog.text
    use_jobs(MailServer().settings(scratch_url, tmp_path))  # a queue again (the SQLite file)
    _make_due(scratch_engine, message_id)
    mail_jobs.sweep_outbox.call_local()
    assert jobs_engine.huey.pending_count() == 1


def test_immediate_mode_sends_on_commit(
    scratch_engine, scratch_url, school, mail_server, use_jobs, tmp_path
):
    """For tests where the engine does not matter: no queue, the job runs in the caller."""
    jobs_engine.configure(mail_server.settings(scratch_url, tmp_path), immediate=True)
    try:
        message_id, _ = queue(scratch_engine, school)
        assert row(scratch_engine, message_id).status == "sent"
        assert len(mail_server.inbox.messages) == 1
    finally:
        use_jobs(mail_server.settings(scratch_url, tmp_path))  # back to a real queue


def test_many_at_once_cost_a_few_statements_and_jobs(
    scratch_engine, scratch_url, school, mail_server, use_jobs, tmp_path
):
    use_jobs(mail_server.settings(scratch_url, tmp_path))
    org_id = school[0]
    queue(scratch_engine, school, key="bulk:0")  # queued before: skipped
    emails = [
        outbox.Email(f"bulk:{n}", org_id, f"gv{n}@example.vn", f"Thư {n}", "Nội dung")
        for n in range(620)
    ]
    statements: list[str] = []
    with Session(scratch_engine) as db:
        connection = db.connection()
        sa.event.listen(connection, "before_cursor_execute", lambda *a: statements.append(a[2]))
        new_ids = outbox.enqueue_emails(db, [*emails, emails[5]])  # one twice
        db.commit()
    inserts = [s for s in statements if s.lstrip().upper().startswith("INSERT")]
    assert len(inserts) == 2  # 500 rows a statement
    assert len(new_ids) == 619
    assert jobs_engine.huey.pending_count() == 1 + 13  # the single one's, then 50 a job
    with Session(scratch_engine) as db:
        assert outbox.enqueue_emails(db, emails[:3]) == []  # all queued already

    jobs_engine.huey.flush()
    with Session(scratch_engine) as db:
        outbox.enqueue_emails(
            db,
            [outbox.Email(f"bulk-b:{n}", org_id, "a@example.vn", f"B{n}", "t") for n in range(3)],
        )
        db.commit()
    while (task := jobs_engine.huey.dequeue()) is not None:
        jobs_engine.huey.execute(task)
    assert sorted(mail_server.inbox.subjects()) == ["B0", "B1", "B2"]
    with pytest.raises(InvalidInput), Session(scratch_engine) as db:
        outbox.enqueue_emails(db, [outbox.Email("bad", org_id, "gv", "s", "t")])


def test_the_sweep_is_on_the_schedule_every_minute():
    jobs_engine.load_tasks()
    for minute in (0, 1, 37):
        moment = datetime(2026, 12, 7, 9, minute)
        assert "mail.sweep" in [task.name for task in jobs_engine.huey.read_periodic(moment)]

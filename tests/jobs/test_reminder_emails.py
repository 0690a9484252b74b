"""A reminder reaches a teacher with an email address over SMTP, carrying a personal link
that opens her page; sent once, whatever runs twice (issue 18)."""

from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session

from app.authz import Actor, Grant, Permission
from app.core.config import Settings
from app.jobs import engine as jobs_engine
from app.links import service as links
from app.mail.models import OutboundMessage
from app.reminders import listings
from app.reminders.models import Reminder
from app.reminders.sending import send_due
from tests.factories import at, make_org, make_participant, make_plan


def test_a_reminder_email_carries_her_link_and_goes_once(
    scratch_engine, scratch_url, mail_server, use_jobs, tmp_path
):
    settings = mail_server.settings(scratch_url, tmp_path)
    use_jobs(settings)
    jobs_engine.configure(settings, immediate=True)  # the job runs on commit, in this process
    with Session(scratch_engine, expire_on_commit=False) as db:
        school = make_org(db, "th-nbk", "Trường Tiểu học Nguyễn Bỉnh Khiêm")
        mai = make_participant(db, school, "Nguyễn Thị Mai", "GV001", email="mai@example.vn")
        make_participant(db, school, "Trần Văn Hùng", "GV002")  # no address: the bell only
        plan = make_plan(db, school, period_start=date(2026, 12, 1), issued_on=date(2026, 11, 25))
        db.commit()

    for _ in range(2):  # the schedule, run twice the same day
        with Session(scratch_engine) as db:
            send_due(db, at("2026-11-30"))
            db.commit()

    [received] = mail_server.inbox.messages
    assert received["To"] == "mai@example.vn"
    assert received["Subject"].startswith("Nhắc xác nhận đã học tập")
    text = received.get_body(("plain",)).get_content()
    assert "Kính nhắc thầy/cô Nguyễn Thị Mai" in text
    link = re.search(r"https?://[^/\s]+/l/(ltp_[\w-]+)", text)
    assert link, text
    assert link.group(0) in received.get_body(("html",)).get_content()
    with Session(scratch_engine) as db:
        page = links.link_home(db, link.group(1), "127.0.0.1")
        assert page.person.id == mai.id
        channels = dict(db.exec(sa.select(Reminder.participant_id, Reminder.channel)).all())
        assert channels[mai.id] == "in_app,email"
        assert set(channels.values()) == {"in_app,email", "in_app"}
        [sent] = db.exec(sa.select(OutboundMessage)).scalars().all()
        assert sent.status == "sent" and sent.idempotency_key.startswith("reminder:")
        # The plan's log says how each went: her email sent, his in the app only.
        reader = Actor(label="test", grants=(Grant(school.id, school.path, frozenset(Permission)),))
        log, _ = listings.reminder_log(db, reader, plan.id, None, 50, 0)
        emails = {row.participant_id: (row.channel, row.email_status) for row in log}
        assert emails[mai.id] == ("in_app,email", "sent")
        assert sorted(emails.values())[0] == ("in_app", None)
    jobs_engine.configure(Settings(_env_file=None, data_dir=tmp_path))

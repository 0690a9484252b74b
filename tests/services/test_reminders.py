"""Reminders: when they are due (working days, hours, stages), that they stop once done, that
nothing is sent twice, and who hears of those behind (issue 18)."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from app.reminders import calendar
from app.reminders.models import Notification, Reminder
from app.reminders.planning import Logged, plan_reminders, stage
from app.reminders.schemas import KindRule
from app.reminders.sending import send_due
from tests.factories import ack, at, lead, make_plan, make_task


@pytest.fixture
def plan(db, world):
    """Issued on 25/11/2026, starting (so due to confirm) Tuesday 1/12/2026."""
    made = make_plan(db, world.school, period_start=date(2026, 12, 1), issued_on=date(2026, 11, 25))
    db.commit()
    return made


def reminded(due_now, kind="confirmation"):
    return {(d.full_name, d.stage) for d in due_now.reminders if d.kind == kind}


def test_holidays_are_data_and_weekends_rest():
    assert not calendar.is_working_day(date(2026, 9, 2))  # Quốc khánh
    assert not calendar.is_working_day(date(2026, 2, 17))  # Tết
    assert not calendar.is_working_day(date(2026, 4, 27))  # Giỗ Tổ, in lieu of Sunday
    assert not calendar.is_working_day(date(2026, 12, 5))  # a Saturday
    assert calendar.is_working_day(date(2026, 12, 7))
    assert len(calendar.holidays()) >= 20


def test_stages_before_on_and_after_the_due_day():
    rule = KindRule(days_before=2, on_due=True, every_days=3, max_after=2)
    due = date(2026, 12, 10)
    assert stage(rule, due, date(2026, 12, 7), Logged(0, 0, None)) is None  # 3 days before
    assert stage(rule, due, date(2026, 12, 8), Logged(0, 0, None)) == "before"
    assert stage(rule, due, date(2026, 12, 9), Logged(1, 0, date(2026, 12, 8))) is None
    assert stage(rule, due, date(2026, 12, 10), Logged(1, 0, date(2026, 12, 8))) == "due"
    # A due day on a holiday: reminded on the next working day instead.
    assert stage(rule, due, date(2026, 12, 11), Logged(1, 0, date(2026, 12, 8))) == "due"
    after_due = Logged(2, 0, date(2026, 12, 10))
    assert stage(rule, due, date(2026, 12, 11), after_due) is None
    assert stage(rule, due, date(2026, 12, 14), after_due) == "overdue-1"
    assert stage(rule, due, date(2026, 12, 17), Logged(3, 1, date(2026, 12, 14))) == "overdue-2"
    assert stage(rule, due, date(2026, 12, 21), Logged(4, 2, date(2026, 12, 17))) is None  # M
    assert stage(KindRule(enabled=False), due, due, Logged(0, 0, None)) is None
    silent_due = KindRule(days_before=0, on_due=False, every_days=2, max_after=1)
    assert stage(silent_due, due, due, Logged(0, 0, None)) is None
    assert stage(silent_due, due, date(2026, 12, 14), Logged(0, 0, None)) == "overdue-1"


def test_who_has_not_confirmed_is_reminded_on_working_days_in_working_hours(db, world, plan):
    ack(db, plan, world.teacher, "2026-11-26")
    db.commit()
    before = plan_reminders(db, at("2026-11-30"), plan.id)
    assert reminded(before) == {("Trần Văn Hùng", "before"), ("Bùi Can", "before")}
    assert plan_reminders(db, at("2026-11-30", hour=18), plan.id).reminders == []
    assert plan_reminders(db, at("2026-11-30", hour=6), plan.id).reminders == []
    assert plan_reminders(db, at("2026-12-05"), plan.id).reminders == []  # Saturday
    # The other school's teacher is no one's concern here.
    assert all(d.organization_id == world.school.id for d in before.reminders)


def test_sending_twice_sends_nothing_new_and_stops_once_done(db, world, plan):
    first = send_due(db, at("2026-11-30"), plan.id)
    assert first.reminders == 3
    again = send_due(db, at("2026-11-30", hour=10), plan.id)
    assert again.reminders == 0 and again.digests == 0
    assert db.exec(sa.select(sa.func.count()).select_from(Reminder)).scalar_one() == 3
    notes = db.exec(sa.select(Notification).where(Notification.participant_id == world.teacher.id))
    assert len(notes.all()) == 1
    assert send_due(db, at("2026-12-01"), plan.id).reminders == 3  # the due day
    ack(db, plan, world.teacher, "2026-12-01")
    db.commit()
    # Friday: three days after, the first overdue reminder, for the two still missing.
    later = send_due(db, at("2026-12-04"), plan.id)
    assert reminded(later.planned) == {
        ("Trần Văn Hùng", "overdue-1"),
        ("Bùi Can", "overdue-1"),
    }


def test_open_tasks_remind_their_assignee_and_a_units_leader(db, world, plan):
    lead(db, world.colleague, world.units["Tổ 1"])
    make_task(db, plan, person=world.teacher, due_on=date(2026, 12, 2))
    make_task(db, plan, unit=world.units["Tổ 1"], title="Báo cáo của tổ", due_on=date(2026, 12, 2))
    make_task(db, plan, person=world.teacher, due_on=date(2026, 12, 2), status="done")
    due = plan_reminders(db, at("2026-12-02"), plan.id)
    assert reminded(due, "task") == {("Nguyễn Thị Mai", "due"), ("Trần Văn Hùng", "due")}


def test_escalation_digests_go_to_the_leader_and_the_schools_admins_only(db, world, plan):
    lead(db, world.colleague, world.units["Tổ 1"])
    ack(db, plan, world.colleague, "2026-11-26")
    db.commit()
    send_due(db, at("2026-11-30"), plan.id)
    send_due(db, at("2026-12-01"), plan.id)
    sent = send_due(db, at("2026-12-02"), plan.id)  # two reminders unanswered: escalate
    digests = {(d.kind, d.recipient_name): d for d in sent.planned.digests}
    assert set(digests) == {("digest_unit", "Trần Văn Hùng"), ("digest_school", "Bùi Can")}
    unit = digests[("digest_unit", "Trần Văn Hùng")]
    assert unit.lines == ("Nguyễn Thị Mai: chưa xác nhận đã học tập (hạn 01/12/2026)",)
    assert unit.link == f"#/plans/{plan.id}/pending?unit={world.units['Tổ 1'].id}"
    school = digests[("digest_school", "Bùi Can")]
    assert set(school.lines) == {"Tổ 1: 1 người", "Ban giám hiệu: 1 người"}
    assert sent.digests == 2
    assert send_due(db, at("2026-12-02", hour=15), plan.id).digests == 0  # once a day


def test_the_level_above_hears_of_schools_that_have_not_adopted(db, world):
    district_plan = make_plan(
        db, world.district, period_start=date(2026, 11, 2), issued_on=date(2026, 11, 2)
    )
    adopted = make_plan(
        db,
        world.school,
        parent_plan_id=district_plan.id,
        period_start=date(2026, 11, 2),
        issued_on=date(2026, 11, 3),
    )
    ack(db, adopted, world.teacher, "2026-11-04")
    db.commit()
    due = plan_reminders(db, at("2026-12-01"), district_plan.id)
    above = [d for d in due.digests if d.kind == "digest_above"]
    assert [d.recipient_name for d in above] == []  # the district has no admin yet
    from app.authz import Role
    from tests.factories import make_user

    make_user(db, "district-admin", world.district, Role.ADMIN)
    db.commit()
    due = plan_reminders(db, at("2026-12-01"), district_plan.id)
    (digest,) = [d for d in due.digests if d.kind == "digest_above"]
    assert digest.recipient_name == "district-admin"
    assert digest.lines == (
        "Trường Tiểu học Nguyễn Bỉnh Khiêm: 33% đã xác nhận (mục tiêu 80%)",
        "Trường Tiểu học Khác: chưa triển khai kế hoạch",
    )
    assert digest.link == f"#/plans/{district_plan.id}/rollup"


def _statements(db, work) -> int:
    seen = []
    connection = db.connection()
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    sa.event.listen(connection, "before_cursor_execute", listener)
    try:
        work()
    finally:
        sa.event.remove(connection, "before_cursor_execute", listener)
    return len([s for s in seen if not s.lstrip().upper().startswith(("SAVEPOINT", "RELEASE"))])


def test_planning_reads_as_many_statements_for_many_people_as_for_few(db, world, plan):
    from tests.factories import make_participant

    lead(db, world.colleague, world.units["Tổ 1"])
    make_task(db, plan, person=world.teacher, due_on=date(2026, 12, 2))
    send_due(db, at("2026-12-01"), plan.id)
    few = _statements(db, lambda: plan_reminders(db, at("2026-12-07")))
    for i in range(40):
        make_participant(db, world.school, f"Giáo viên {i}", f"X{i:03}", [world.units["Tổ 1"]])
    db.commit()
    send_due(db, at("2026-12-02"), plan.id)
    many = _statements(db, lambda: plan_reminders(db, at("2026-12-07")))
    assert many == few <= 12


def test_a_reflection_due_later_reminds_who_confirmed_without_one(db, world):
    plan = make_plan(
        db,
        world.school,
        period_start=date(2026, 11, 2),
        reflection_required=True,
        reflection_timing="later",
        reflection_due_on=date(2026, 12, 10),
    )
    ack(db, plan, world.teacher, "2026-11-03")
    ack(db, plan, world.colleague, "2026-11-03", reflection="Bài thu hoạch " * 10)
    db.commit()
    due = plan_reminders(db, at("2026-12-08"), plan.id)
    assert reminded(due, "reflection") == {("Nguyễn Thị Mai", "before")}


def test_a_session_is_reminded_of_the_day_before_and_not_once_it_started(db, world, plan):
    from app.study_sessions.models import StudySession

    session = StudySession(
        plan_id=plan.id,
        organization_id=world.school.id,
        title="Học tập chuyên đề",
        starts_at=at("2026-12-08", hour=14),
        ends_at=at("2026-12-08", hour=16),
        checkin_secret="s" * 64,
    )
    db.add(session)
    db.commit()
    assert reminded(plan_reminders(db, at("2026-12-04"), plan.id), "session") == set()
    before = plan_reminders(db, at("2026-12-07"), plan.id)
    assert {name for name, stage in reminded(before, "session")} == {
        "Nguyễn Thị Mai",
        "Trần Văn Hùng",
        "Bùi Can",
    }
    assert {stage for _, stage in reminded(before, "session")} == {"before"}
    on_the_day = plan_reminders(db, at("2026-12-08", hour=9), plan.id)
    assert {stage for _, stage in reminded(on_the_day, "session")} == {"due"}
    assert reminded(plan_reminders(db, at("2026-12-08", hour=15), plan.id), "session") == set()


def test_a_plan_follows_its_organisations_hours_and_its_own_deadline(db, world, plan):
    from app.reminders.models import ReminderPolicy

    db.add(ReminderPolicy(organization_id=world.school.id, work_start_hour=13, work_end_hour=16))
    db.commit()
    assert plan_reminders(db, at("2026-12-01", hour=9), plan.id).reminders == []
    assert plan_reminders(db, at("2026-12-01", hour=14), plan.id).reminders != []
    db.add(
        ReminderPolicy(
            organization_id=world.school.id,
            plan_id=plan.id,
            confirmation_due_on=date(2026, 12, 15),
            rules={"confirmation": {"enabled": True, "days_before": 1}},
        )
    )
    db.commit()
    # The plan's own row: its deadline, and the default hours (7 to 17) again.
    assert plan_reminders(db, at("2026-12-01", hour=9), plan.id).reminders == []
    assert {s for _, s in reminded(plan_reminders(db, at("2026-12-14"), plan.id))} == {"before"}


def test_a_done_task_is_no_longer_reminded(db, world, plan):
    task = make_task(db, plan, person=world.teacher, due_on=date(2026, 12, 2))
    assert send_due(db, at("2026-12-02"), plan.id).reminders == 4  # three to confirm, a task
    task.status = "done"
    db.commit()
    assert reminded(plan_reminders(db, at("2026-12-07"), plan.id), "task") == set()


def test_a_leader_of_two_units_gets_one_digest_naming_both(db, world, plan):
    lead(db, world.colleague, world.units["Tổ 1"])
    lead(db, world.colleague, world.units["Công đoàn"])
    ack(db, plan, world.teacher, "2026-11-26")
    db.commit()
    due = plan_reminders(db, at("2026-12-08"), plan.id)  # a week late: escalated
    (digest,) = [d for d in due.digests if d.kind == "digest_unit"]
    assert digest.recipient_name == "Trần Văn Hùng"
    assert set(digest.lines) == {
        "Tổ 1 — Trần Văn Hùng: chưa xác nhận đã học tập (hạn 01/12/2026)",
        "Công đoàn — Trần Văn Hùng: chưa xác nhận đã học tập (hạn 01/12/2026)",
    }
    assert digest.link == "#/digest"


def test_a_group_message_never_asks_for_a_day_gone_by(db, world, plan):
    from app.reminders.messages import group_message

    ahead = group_message("Tổ 1", plan, ["Trần Văn Hùng"], date(2026, 12, 10), date(2026, 12, 7))
    assert "hoàn thành trước ngày 10/12/2026" in ahead
    past = group_message("Tổ 1", plan, ["Trần Văn Hùng"], date(2026, 12, 1), date(2026, 12, 7))
    assert "trước ngày" not in past
    assert "hoàn thành ngay (hạn ngày 01/12/2026 đã qua)" in past
    assert "http" not in ahead + past  # names only, never a link

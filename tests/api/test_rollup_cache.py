"""The roll-up's kept counts (`app.reports.rollup_cache`) always equal a fresh count: after
each kind of write, through the API, for the live figures, today's and a past day's; across
midnight and the end of a held session with no write at all; with two readers storing the
same rows. And they are used: a kept row is what a reading shows until something changes.

A fresh count is the same reading after every kept row is deleted."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from app.authz import Role
from app.core import changes
from app.core.config import current_settings
from app.jobs import engine as jobs_engine
from app.plans.models import Plan
from app.reports import figures, rollup_cache
from app.reports import jobs as report_jobs
from app.reports.models import RollupFigures
from tests.factories import login_token, make_user, report_history

PAST = "2025-03-20"  # between the confirmations (16/3, 20/3) and the outreach (18/3, 5/4)


@pytest.fixture
def plans(db, world):
    """The district's plan, the school's adopted from it (see `report_history`), a district
    admin for transfers, and the principal's own token (a member of the school)."""
    district_plan, plan = report_history(db, world)
    chief = make_user(db, "district-admin", world.district, Role.ADMIN)
    world.tokens["district_admin"] = login_token(db, chief)
    db.commit()
    return district_plan, plan


def today() -> str:
    return datetime.now(current_settings().zone).date().isoformat()


def read(client, world, plan: Plan, **params) -> dict:
    """The district's level, its flat list and the school's own level, without the moment
    they were made."""
    found = {}
    for name, path, extra in (
        ("level", "rollup", {}),
        ("flat", "rollup/organizations", {}),
        ("school", "rollup", {"org_id": world.school.id}),
    ):
        response = client.get(
            f"/api/v1/plans/{plan.id}/{path}",
            params=params | extra,
            headers=world.headers("viewer"),
        )
        assert response.status_code == 200, response.text
        body = response.json()
        del body["generated_at"]
        found[name] = body
    return found


def kept_equal_fresh(client, world, db, plan: Plan) -> dict:
    """Read live, today and the past day with the kept counts, then count afresh: the same.
    Returns the live reading."""
    days = ({}, {"as_of": today()}, {"as_of": PAST})
    kept = [read(client, world, plan, **day) for day in days]
    assert db.exec(sa.select(sa.func.count()).select_from(RollupFigures)).scalar_one() > 0
    db.exec(sa.delete(RollupFigures))
    db.commit()
    fresh = [read(client, world, plan, **day) for day in days]
    assert kept == fresh
    return kept[0]


def school(reading: dict) -> dict:
    return reading["school"]["rows"][0]


def post(client, world, url: str, caller: str = "manager", expect: int = 200, **body) -> dict:
    response = client.post(url, json=body or None, headers=world.headers(caller))
    assert response.status_code == expect, response.text
    return response.json()


def test_kept_counts_are_what_a_reading_shows(client, world, db, plans):
    """A kept row is read instead of counting (here made wrong on purpose), until a write in
    its school makes it stale."""
    if db.get_bind().dialect.name != "sqlite":
        pytest.skip("PostgreSQL: the test's writes share one transaction, never behind a reader")
    district_plan, plan = plans
    before = school(kept_equal_fresh(client, world, db, district_plan))
    db.connection().execute(
        sa.update(RollupFigures)
        .where(RollupFigures.plan_id == plan.id, RollupFigures.day == rollup_cache.LIVE)
        .values(counts=sa.func.json_set(RollupFigures.counts, "$.confirmed", 99))
    )
    assert school(read(client, world, district_plan))["confirmed"] == 99
    # Another organisation's write leaves it; the school's own makes it stale.
    post(client, world, "/api/v1/participants", "other_admin", 201, **new_person(world, "other"))
    assert school(read(client, world, district_plan))["confirmed"] == 99
    post(client, world, "/api/v1/participants", "admin", 201, **new_person(world))
    assert school(read(client, world, district_plan))["confirmed"] == before["confirmed"]


def test_a_count_the_row_lacks_is_counted(client, world, db, plans):
    """A row kept before a count was added to the roll-up is stale."""
    district_plan, plan = plans
    kept_equal_fresh(client, world, db, district_plan)
    read(client, world, district_plan)
    db.connection().execute(
        sa.update(RollupFigures)
        .where(RollupFigures.plan_id == plan.id)
        .values(counts={"organizations": 1, "adopted": 1, "audience": 40})
    )
    assert school(read(client, world, district_plan))["audience"] == 3


def new_person(world, where: str = "school", code: str = "GV050") -> dict:
    org = world.school if where == "school" else world.other_school
    return {"organization_id": org.id, "full_name": "Phạm Văn Mới", "staff_code": code}


def test_confirmations_reflections_grades_and_withdrawals(client, world, db, plans):
    district_plan, plan = plans
    before = school(kept_equal_fresh(client, world, db, district_plan))
    acks = f"/api/v1/plans/{plan.id}/acknowledgements"
    mine = post(client, world, acks, "admin", 201)  # the principal confirms
    after = school(kept_equal_fresh(client, world, db, district_plan))
    assert after["confirmed"] == before["confirmed"] + 1
    client.put(
        f"/api/v1/acknowledgements/{mine['id']}/reflection",
        json={"reflection": "Bài thu hoạch của hiệu trưởng về Nghị quyết 57."},
        headers=world.headers("admin"),
    ).raise_for_status()
    assert school(kept_equal_fresh(client, world, db, district_plan))["reflections"] == 2
    post(client, world, f"/api/v1/acknowledgements/{mine['id']}/grade", grade="kha")
    assert school(kept_equal_fresh(client, world, db, district_plan))["graded"] == 2
    post(
        client,
        world,
        f"/api/v1/acknowledgements/{mine['id']}/withdraw",
        "admin",
        reason="Nhập nhầm người",
    )
    assert school(kept_equal_fresh(client, world, db, district_plan))["confirmed"] == 2


def test_sessions_cancelled_or_held_and_their_attendance(client, world, db, plans):
    district_plan, plan = plans
    before = school(kept_equal_fresh(client, world, db, district_plan))
    start = datetime.now(UTC) - timedelta(hours=3)
    session = post(
        client,
        world,
        "/api/v1/sessions",
        "manager",
        201,
        plan_id=plan.id,
        kind="study",
        title="Học tập lần hai",
        starts_at=start.isoformat(),
        ends_at=(start + timedelta(hours=1)).isoformat(),
    )
    status = f"/api/v1/sessions/{session['id']}/status"
    post(client, world, status, status="cancelled")
    assert school(kept_equal_fresh(client, world, db, district_plan)) == before
    post(client, world, status, status="scheduled")
    post(client, world, f"/api/v1/sessions/{session['id']}/attendance/bulk", status="present")
    assert school(kept_equal_fresh(client, world, db, district_plan)) == before
    post(client, world, status, status="held")
    held = school(kept_equal_fresh(client, world, db, district_plan))
    assert held["sessions_held"] == before["sessions_held"] + 1
    assert held["attendances"] == before["attendances"] + 3
    assert held["expected_attendances"] == before["expected_attendances"] + 3


def test_tasks_done_and_outreach_added_archived_or_back_dated(client, world, db, plans):
    district_plan, plan = plans
    before = school(kept_equal_fresh(client, world, db, district_plan))
    yesterday = (date.fromisoformat(today()) - timedelta(days=1)).isoformat()
    task = post(
        client,
        world,
        "/api/v1/tasks",
        "manager",
        201,
        plan_id=plan.id,
        title="Báo cáo chuyên đề",
        assignee_unit_id=world.units["Tổ 1"].id,
        due_on=yesterday,
    )
    late = school(kept_equal_fresh(client, world, db, district_plan))
    assert (late["tasks_total"], late["tasks_overdue"]) == (3, before["tasks_overdue"] + 1)
    post(client, world, f"/api/v1/tasks/{task['id']}/status", status="done")
    assert school(kept_equal_fresh(client, world, db, district_plan))["tasks_done"] == 2

    # Outreach dated before the past day changes that day's figures too.
    activity = post(
        client,
        world,
        "/api/v1/activities",
        "manager",
        201,
        plan_id=plan.id,
        kind="article",
        title="Bài viết muộn",
        happened_on="2025-03-19",
        reach=30,
    )
    kept_equal_fresh(client, world, db, district_plan)
    past = read(client, world, district_plan, as_of=PAST)
    assert (school(past)["outreach"], school(past)["outreach_reach"]) == (2, 130)
    post(client, world, f"/api/v1/activities/{activity['id']}/archive")
    assert school(kept_equal_fresh(client, world, db, district_plan))["outreach"] == 2


def test_staff_added_deactivated_and_transferred(client, world, db, plans):
    district_plan, plan = plans
    before = school(kept_equal_fresh(client, world, db, district_plan))
    person = post(client, world, "/api/v1/participants", "admin", 201, **new_person(world))
    assert school(kept_equal_fresh(client, world, db, district_plan))["audience"] == 4
    post(client, world, f"/api/v1/participants/{person['id']}/deactivate", "admin")
    assert school(kept_equal_fresh(client, world, db, district_plan)) == before
    # Mai moves to the other school: this school's plan loses her confirmation.
    post(
        client,
        world,
        f"/api/v1/participants/{world.teacher.id}/transfer",
        "district_admin",
        201,
        to_org_id=world.other_school.id,
        staff_code="GV099",
    )
    moved = kept_equal_fresh(client, world, db, district_plan)
    assert (school(moved)["audience"], school(moved)["confirmed"]) == (2, 1)


def test_a_plan_adopted_and_a_major_version_published(client, world, db, plans):
    district_plan, plan = plans
    kept_equal_fresh(client, world, db, district_plan)
    post(
        client,
        world,
        f"/api/v1/plans/{district_plan.id}/adopt",
        "other_admin",
        201,
        organization_id=world.other_school.id,
    )
    kept_equal_fresh(client, world, db, district_plan)
    post(client, world, f"/api/v1/plans/{plan.id}/materials/publish", major=True)
    bumped = school(kept_equal_fresh(client, world, db, district_plan))
    assert (bumped["confirmed"], bumped["reflections"], bumped["graded"]) == (0, 0, 0)


def test_midnight_and_the_end_of_a_held_session_with_no_write(
    client, world, db, plans, monkeypatch
):
    """Live figures change with the clock alone: a task due today is overdue tomorrow, a
    session marked held counts once it has ended."""
    district_plan, plan = plans
    zone = current_settings().zone
    day = date.fromisoformat(today())
    post(
        client,
        world,
        "/api/v1/tasks",
        "manager",
        201,
        plan_id=plan.id,
        title="Nộp báo cáo hôm nay",
        assignee_unit_id=world.units["Tổ 1"].id,
        due_on=day.isoformat(),
    )
    start = datetime.now(UTC) - timedelta(minutes=5)
    session = post(
        client,
        world,
        "/api/v1/sessions",
        "manager",
        201,
        plan_id=plan.id,
        kind="study",
        title="Học tập đang diễn ra",
        starts_at=start.isoformat(),
        ends_at=(start + timedelta(hours=1)).isoformat(),
    )
    post(client, world, f"/api/v1/sessions/{session['id']}/status", status="held")
    now = school(kept_equal_fresh(client, world, db, district_plan))
    read(client, world, district_plan)  # kept again

    def at(moment: datetime) -> dict:
        monkeypatch.setattr(figures, "utcnow", lambda: moment)
        return school(read(client, world, district_plan))

    ended = at(start + timedelta(hours=1, minutes=1))
    assert ended["sessions_held"] == now["sessions_held"] + 1
    tomorrow = datetime.combine(day + timedelta(days=1), time(0, 1), tzinfo=zone)
    later = at(tomorrow.astimezone(UTC))
    assert later["tasks_overdue"] == now["tasks_overdue"] + 1
    db.exec(sa.delete(RollupFigures))
    db.commit()
    assert school(read(client, world, district_plan)) == later


def test_two_readers_storing_the_same_counts(client, world, db, plans, monkeypatch):
    """A reader that finds the row written meanwhile by another (who counted the same)
    replaces it: neither fails."""
    district_plan, _ = plans
    keep = rollup_cache._keep

    def both(*args) -> None:
        keep(*args)  # the other reader, first
        keep(*args)

    monkeypatch.setattr(rollup_cache, "_keep", both)
    first = read(client, world, district_plan)
    monkeypatch.undo()
    assert read(client, world, district_plan) == first
    kept_equal_fresh(client, world, db, district_plan)


def test_the_daily_prune_cuts_the_log_and_trusts_no_row_counted_before(client, world, db, plans):
    """The change log is cut below the mark with the kept rows counted before it; a reader
    that counted before the cut and stores its row after it is not trusted; the figures stay
    those of a fresh count."""
    district_plan, plan = plans
    before = school(kept_equal_fresh(client, world, db, district_plan))
    live = (RollupFigures.plan_id == plan.id, RollupFigures.day == rollup_cache.LIVE)
    counted = db.exec(sa.select(RollupFigures.counts).where(*live)).scalar_one()
    _, cut = rollup_cache.prune(db)
    db.commit()
    change = changes.OrganizationChange
    marks = db.exec(sa.select(change.mark)).scalars().all()
    sentinel = (
        db.exec(  # the prune's "every organisation" change, just below its mark
            sa.select(change.mark)
            .where(change.organization_id.is_(None))
            .order_by(change.id.desc())
        )
        .scalars()
        .first()
    )
    if db.get_bind().dialect.name == "sqlite":  # on PostgreSQL the test's own writes stay
        assert cut > 0 and marks == [sentinel]
    oldest = db.exec(sa.select(sa.func.min(RollupFigures.since))).scalar_one()
    assert oldest is None or oldest > sentinel  # counted after every change it lost
    late = {"plan_id": plan.id, "day": rollup_cache.LIVE, "since": sentinel, "valid_until": None}
    counts = {**counted, "confirmed": 99}
    db.exec(sa.delete(RollupFigures).where(*live))  # as the late reader's upsert replaces it
    db.add(RollupFigures(**late, counts=counts, computed_at=datetime.now(UTC)))
    db.commit()
    assert school(read(client, world, district_plan))["confirmed"] == before["confirmed"]
    kept_equal_fresh(client, world, db, district_plan)


def test_the_prune_runs_once_a_day_at_night():
    assert "app.reports.jobs" in jobs_engine.TASK_MODULES
    daily = report_jobs.prune_kept_counts.s()
    assert daily.validate_datetime(datetime(2026, 12, 5, 20, 45))  # 03:45 in Vietnam
    assert not daily.validate_datetime(datetime(2026, 12, 5, 3, 45))

"""Report figures straight through the service (no HTTP), day by day and school by school:
what a plan's progress and the roll-up say as of each day of a known history, the cut-off
itself, and rates over sums. tests/api/test_reports.py keeps the HTTP side (exports, scope)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.auth import identity
from app.core.errors import InvalidInput
from app.people.models import Participant
from app.reports import figures, progress, rollup
from app.study_sessions.models import Attendance, StudySession
from tests.factories import (
    VN,
    ack,
    at,
    make_org,
    make_participant,
    make_plan,
    report_history,
)

# The school's plan in `report_history`, as of each day (now: as of no day): its audience,
# confirmations, reflections written and graded, people who studied at a held session,
# sessions held and still to come, tasks by their state on that day and those overdue, and
# outreach (items, reach). Staff from 02/01; session on 15/3 (written 11/3); confirmations
# 16/3 and 20/3; reflection 16/3, graded 25/3; tasks written 11/3, one due 25/3 left open,
# one due 31/3 done 01/4; outreach 18/3 (100) and 05/4 (50).
PROGRESS = """
as_of      audience confirmed wrote graded studied held coming todo doing done overdue items reach
2024-12-31        0         0     0      0       0    0      0    0     0    0       0     0     0
2025-03-10        3         0     0      0       0    0      0    0     0    0       0     0     0
2025-03-11        3         0     0      0       0    0      1    1     1    0       0     0     0
2025-03-14        3         0     0      0       0    0      1    1     1    0       0     0     0
2025-03-15        3         0     0      0       2    1      0    1     1    0       0     0     0
2025-03-16        3         1     1      0       2    1      0    1     1    0       0     0     0
2025-03-18        3         1     1      0       2    1      0    1     1    0       0     1   100
2025-03-20        3         2     1      0       2    1      0    1     1    0       0     1   100
2025-03-25        3         2     1      1       2    1      0    1     1    0       0     1   100
2025-03-26        3         2     1      1       2    1      0    1     1    0       1     1   100
2025-03-31        3         2     1      1       2    1      0    1     1    0       1     1   100
2025-04-01        3         2     1      1       2    1      0    1     0    1       1     1   100
2025-04-05        3         2     1      1       2    1      0    1     0    1       1     2   150
now               3         2     1      1       2    1      0    1     0    1       1     2   150
"""

# The district's roll-up as of each day: the school's row (the other school never adopts and
# has one person on its staff). Its plan was written 10/3: before, the school has not adopted.
# Marks: the people who studied, and the marks at sessions held out of those expected.
ROLLUP = """
as_of      adopted audience confirmed studied marks expected tasks done overdue items
2025-03-09    no       3        0        0      0       0      0    0     0      0
2025-03-14    yes      3        0        0      0       0      2    0     0      0
2025-03-15    yes      3        0        2      2       3      2    0     0      0
2025-03-20    yes      3        2        2      2       3      2    0     0      1
2025-03-26    yes      3        2        2      2       3      2    0     1      1
2025-04-01    yes      3        2        2      2       3      2    1     1      1
now           yes      3        2        2      2       3      2    1     1      2
"""


def table(text: str) -> list[dict[str, str]]:
    head, *rows = text.strip().splitlines()
    names = head.split()
    return [dict(zip(names, row.split(), strict=True)) for row in rows]


def day(value: str) -> date | None:
    return None if value == "now" else date.fromisoformat(value)


def numbers(row: dict[str, str]) -> dict[str, int | bool]:
    """The row's figures: its counts as numbers, yes/no as booleans."""
    return {
        name: value == "yes" if value in ("yes", "no") else int(value)
        for name, value in row.items()
        if name != "as_of"
    }


def ratio(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


@pytest.fixture
def history(db, world):
    return report_history(db, world)


@pytest.fixture
def viewer(db, world):
    """The district's viewer: reads the reports of every school below it."""
    return identity.resolve_actor(db, world.tokens["viewer"])


@pytest.mark.parametrize("row", table(PROGRESS), ids=lambda row: row["as_of"])
def test_progress_as_of_each_day(db, history, viewer, row):
    _, plan = history
    p = progress.progress(db, viewer, plan.id, day(row["as_of"]))
    found = {
        "audience": p.audience,
        "confirmed": p.confirmed,
        "wrote": p.reflections.submitted,
        "graded": p.reflections.graded,
        "studied": p.attendance.attended,
        "held": p.attendance.sessions_held,
        "coming": p.attendance.sessions_upcoming,
        "todo": p.tasks.todo,
        "doing": p.tasks.in_progress,
        "done": p.tasks.done,
        "overdue": p.tasks.overdue,
        "items": p.outreach.total,
        "reach": p.outreach.reach,
    }
    assert found == numbers(row)
    assert p.as_of == day(row["as_of"])
    assert (p.confirmed_rate, p.attendance.attended_rate) == (
        ratio(p.confirmed, p.audience),
        ratio(p.attendance.attended, p.audience),
    )
    assert p.reflections.by_grade.tot == p.reflections.graded  # the one grade given: Tốt
    assert (p.tasks.total, p.tasks.cancelled) == (
        p.tasks.todo + p.tasks.in_progress + p.tasks.done,
        0,
    )
    assert [t.title for t in p.tasks.overdue_list] == ["Cập nhật kho học liệu"] * p.tasks.overdue
    assert len(p.pending) == p.audience - p.confirmed
    assert sum(d.count for d in p.confirmations_per_day) == p.confirmed


@pytest.mark.parametrize("row", table(ROLLUP), ids=lambda row: row["as_of"])
def test_rollup_as_of_each_day_agrees_with_the_schools_progress(db, world, history, viewer, row):
    district_plan, plan = history
    as_of = day(row["as_of"])
    r = rollup.every_organization(db, viewer, district_plan.id, as_of, limit=50, offset=0)
    assert [x.organization_code for x in r.rows] == ["th-nbk", "th-other"]
    school, other = r.rows
    found = {
        "adopted": school.adopted,
        "audience": school.audience,
        "confirmed": school.confirmed,
        "studied": school.attended,
        "marks": school.attendances,
        "expected": school.expected_attendances,
        "tasks": school.tasks_total,
        "done": school.tasks_done,
        "overdue": school.tasks_overdue,
        "items": school.outreach,
    }
    assert found == numbers(row)
    assert (other.adopted, other.audience, other.confirmed, other.tasks_total) == (False, 1, 0, 0)
    if school.adopted:  # the school's row says what the school's own progress says
        p = progress.progress(db, viewer, plan.id, as_of)
        assert (school.audience, school.confirmed, school.attended) == (
            p.audience,
            p.confirmed,
            p.attendance.attended,
        )
        assert (school.reflections, school.graded, school.outreach_reach) == (
            p.reflections.submitted,
            p.reflections.graded,
            p.outreach.reach,
        )
        assert (school.tasks_total, school.tasks_done, school.tasks_overdue) == (
            p.tasks.total,
            p.tasks.done,
            p.tasks.overdue,
        )
    assert (r.totals.audience, r.totals.confirmed) == (school.audience + 1, school.confirmed)
    assert r.totals.confirmed_rate == ratio(school.confirmed, school.audience + 1)


# Rates over sums: a school of 40 weighs more than a school of 8.


@pytest.mark.parametrize(
    ("schools", "rates", "total_rate"),
    [
        ([(3, 2), (1, 0)], [0.6667, 0.0], 0.5),
        ([(40, 40), (8, 0)], [1.0, 0.0], 0.8333),  # not 0.5, the mean of the two rates
        ([(8, 8), (40, 0)], [1.0, 0.0], 0.1667),
        ([(3, 1)], [0.3333], 0.3333),
        ([(5, 0), (0, 0)], [0.0, 0.0], 0.0),  # a school with nobody on its staff yet
        ([], [], 0.0),
    ],
)
def test_the_totals_take_each_rate_over_the_sums(db, world, viewer, schools, rates, total_rate):
    """Schools of (staff, confirmed) in a ward below the district, each adopting its plan."""
    ward = make_org(db, "phuong-moi", "Phường Mới", world.district, kind="ward")
    ward_plan = make_plan(db, ward)
    for n, (staff, confirmed) in enumerate(schools):
        school = make_org(db, f"th-{n}", f"Trường số {n}", ward)
        plan = make_plan(db, school, parent_plan_id=ward_plan.id)
        people = [make_participant(db, school, f"Người {i}", f"GV{i:03d}") for i in range(staff)]
        for person in people[:confirmed]:
            ack(db, plan, person, "2025-03-16")
    db.commit()
    r = rollup.level(db, viewer, ward_plan.id, None, rollup.Level())  # by name: Trường số 0, 1 …
    assert [(row.audience, row.confirmed, row.confirmed_rate) for row in r.rows] == [
        (staff, confirmed, rate) for (staff, confirmed), rate in zip(schools, rates, strict=True)
    ]
    audience, confirmed = sum(staff for staff, _ in schools), sum(n for _, n in schools)
    assert (r.totals.organizations, r.totals.adopted) == (len(schools), len(schools))
    assert (r.totals.audience, r.totals.confirmed, r.totals.confirmed_rate) == (
        audience,
        confirmed,
        total_rate,
    )


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [(2, 3, 0.6667), (1, 3, 0.3333), (1, 8, 0.125), (3, 3, 1.0), (0, 5, 0.0), (0, 0, 0.0)],
)
def test_a_rate_has_four_decimals_and_nothing_over_nothing_is_zero(part, whole, expected):
    assert figures.rate(part, whole) == expected


# The cut-off: the end of the day asked for, in Vietnam


@pytest.mark.parametrize(
    ("as_of", "moment"),
    [
        (date(2025, 3, 17), datetime(2025, 3, 17, 17, tzinfo=UTC)),  # midnight after, +07:00
        (date(2024, 12, 31), datetime(2024, 12, 31, 17, tzinfo=UTC)),
        (date(2024, 2, 29), datetime(2024, 2, 29, 17, tzinfo=UTC)),
    ],
)
def test_a_past_day_stands_at_its_end_in_vietnam(as_of, moment):
    assert figures.cutoff(as_of) == figures.Cutoff(as_of, moment, as_of)


@pytest.mark.parametrize("as_of", ["today", "now"])
def test_today_and_now_stand_at_this_moment(as_of):
    before = datetime.now(UTC)
    today = before.astimezone(VN).date()
    cut = figures.cutoff(today if as_of == "today" else None)
    assert (cut.as_of, cut.today) == (today if as_of == "today" else None, today)
    assert before <= cut.moment <= datetime.now(UTC)


def test_a_day_still_to_come_is_refused():
    tomorrow = datetime.now(VN).date() + timedelta(days=1)
    with pytest.raises(InvalidInput) as refused:
        figures.cutoff(tomorrow)
    assert [(e.field, e.type) for e in refused.value.errors] == [("query.as_of", "future_date")]


def test_a_session_to_come_on_a_past_day_is_upcoming_and_its_early_marks_do_not_count(
    db, world, history, viewer
):
    """A second session, written 11/3 for 20/3 and held since: as of 17/3 it was still to come
    (scheduled by then, so upcoming), and the mark recorded for it on 16/3, in advance, says
    nobody studied at it yet. Written after a cut-off, it is no part of that day's figures."""
    _, plan = history
    principal = db.exec(
        sa.select(Participant).where(Participant.staff_code == "HT001")
    ).scalar_one()
    later = StudySession(
        plan_id=plan.id,
        organization_id=plan.organization_id,
        title="Học bù NQ57",
        kind="makeup",
        starts_at=at("2025-03-20", 7),
        ends_at=at("2025-03-20", 10),
        status="held",
        checkin_secret="s" * 32,
        created_at=at("2025-03-11"),
    )
    db.add(later)
    db.flush()
    db.add(
        Attendance(
            session_id=later.id,
            participant_id=principal.id,
            status="present",
            method="marked",
            recorded_at=at("2025-03-16"),
        )
    )
    db.commit()

    def figures_on(day: str):
        p = progress.progress(db, viewer, plan.id, date.fromisoformat(day))
        a = p.attendance
        states = [(s.title, s.status) for s in p.sessions]
        return a.sessions_held, a.sessions_upcoming, a.attended, states

    assert figures_on("2025-03-10") == (0, 0, 0, [])
    assert figures_on("2025-03-17") == (
        1,
        1,
        2,
        [("Học tập NQ57", "held"), ("Học bù NQ57", "scheduled")],
    )
    assert figures_on("2025-03-20") == (
        2,
        0,
        3,
        [("Học tập NQ57", "held"), ("Học bù NQ57", "held")],
    )
    rows = rollup.level(db, viewer, history[0].id, date(2025, 3, 17), rollup.Level()).rows
    [school] = [row for row in rows if row.organization_code == "th-nbk"]
    assert (school.sessions_held, school.attended) == (1, 2)

"""Progress of one plan, as SQL aggregates: who it addresses, who confirmed, reflected,
studied and passed its quiz, by unit and by session, its tasks, outreach, confirmations per
day and who is still pending.

The number of queries is the same for a school of 40 and one of 4,000 (tests count them).
`as_of` answers from the records' own timestamps: who was on the staff, who had confirmed
(and not yet withdrawn), which marks were recorded, which tasks were completed by the end of
that day.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlmodel import Session

from app import audience
from app.acknowledgements.models import Acknowledgement
from app.authz import Actor, Permission
from app.core.config import current_settings
from app.orgs import service as orgs
from app.orgs.models import Organization, Unit, UnitMembership, membership_at
from app.people.models import Participant
from app.plans import access as plans
from app.plans.models import Plan
from app.quizzes.models import QuizSettings
from app.reports import figures
from app.reports.figures import Cutoff, rate
from app.reports.schemas import (
    AttendanceFigures,
    DayCount,
    GradeCounts,
    OverdueTask,
    PendingPerson,
    Progress,
    QuizFigures,
    ReflectionFigures,
    SessionRow,
    TaskFigures,
    UnitRow,
)
from app.study_sessions.models import Attendance, StudySession
from app.tasks.models import Task

OVERDUE_LIST_LIMIT = 100


def progress(db: Session, actor: Actor, plan_id: int, as_of: date | None) -> Progress:
    cut = figures.cutoff(as_of)
    plan, org = plans.load_plan(db, actor, plan_id, Permission.REPORTS_READ)
    return plan_progress(db, plan, org, cut)


def plan_progress(db: Session, plan: Plan, org: Organization, cut: Cutoff) -> Progress:
    """The figures of a plan the caller was already allowed to read."""
    addressed = audience.ids(plan, cut.moment).subquery()
    acks = figures.acks(plan, cut)
    attended = figures.attended(plan, cut)
    passed = figures.passed(plan, cut)

    overall = db.exec(
        sa.select(
            sa.func.count(addressed.c.id),
            sa.func.count(acks.c.participant_id),
            sa.func.coalesce(sa.func.sum(acks.c.reflected), 0),
            sa.func.count(acks.c.grade),
            *figures.grade_sums(acks.c.grade),
            sa.func.count(attended.c.participant_id),
            sa.func.count(passed.c.participant_id),
        )
        .select_from(addressed)
        .outerjoin(acks, acks.c.participant_id == addressed.c.id)
        .outerjoin(attended, attended.c.participant_id == addressed.c.id)
        .outerjoin(passed, passed.c.participant_id == addressed.c.id)
    ).one()
    size, confirmed, reflected, graded, *grades, attended_count, passed_count = (
        int(v or 0) for v in overall
    )
    quiz = _quiz(db, plan, cut)

    sessions, held, upcoming, cancelled = _sessions(db, plan, cut)
    return Progress(
        plan=figures.plan_ref(plan, org),
        as_of=cut.as_of,
        generated_at=datetime.now(UTC),
        audience=size,
        confirmed=confirmed,
        confirmed_rate=rate(confirmed, size),
        reflections=ReflectionFigures(
            required=plan.reflection_required,
            submitted=reflected,
            graded=graded,
            by_grade=GradeCounts(**dict(zip(figures.GRADES, grades, strict=True))),
        ),
        attendance=AttendanceFigures(
            attended=attended_count,
            attended_rate=rate(attended_count, size),
            sessions_held=held,
            sessions_upcoming=upcoming,
            sessions_cancelled=cancelled,
        ),
        quiz=QuizFigures(
            required=quiz.required,
            pass_percent=quiz.pass_percent,
            passed=passed_count,
            passed_rate=rate(passed_count, size),
        )
        if quiz
        else None,
        by_unit=_by_unit(db, org, cut, addressed, acks, attended, passed, quiz is not None),
        sessions=sessions,
        tasks=_tasks(db, plan, cut),
        outreach=figures.outreach(db, [plan.id], cut)[plan.id],
        confirmations_per_day=_per_day(db, plan, cut),
        pending=_pending(db, org, cut, addressed, acks),
    )


def _quiz(db: Session, plan: Plan, cut: Cutoff) -> QuizSettings | None:
    """The plan's quiz settings, if it had a quiz by the cut-off."""
    return db.exec(
        sa.select(QuizSettings).where(QuizSettings.plan_id == plan.id, figures.quiz_set_up(cut))
    ).scalar_one_or_none()


def _by_unit(
    db, org: Organization, cut: Cutoff, addressed, acks, attended, passed, has_quiz: bool
) -> list[UnitRow]:
    """The plan's figures for each unit of the organisation; a person in two units (a tổ and
    the union) counts in both."""
    rows = db.exec(
        sa.select(
            Unit.id,
            Unit.name,
            Unit.kind,
            sa.func.count(addressed.c.id),
            sa.func.count(acks.c.participant_id),
            sa.func.coalesce(sa.func.sum(acks.c.reflected), 0),
            sa.func.count(acks.c.grade),
            sa.func.count(attended.c.participant_id),
            sa.func.count(passed.c.participant_id),
        )
        .select_from(Unit)
        .join(UnitMembership, UnitMembership.unit_id == Unit.id)
        .join(addressed, addressed.c.id == UnitMembership.participant_id)
        .outerjoin(acks, acks.c.participant_id == addressed.c.id)
        .outerjoin(attended, attended.c.participant_id == addressed.c.id)
        .outerjoin(passed, passed.c.participant_id == addressed.c.id)
        .where(Unit.organization_id == org.id, membership_at(cut.moment))
        .group_by(Unit.id, Unit.name, Unit.kind)
        .order_by(Unit.name)
    ).all()
    return [
        UnitRow(
            unit_id=uid,
            unit_name=name,
            unit_kind=kind,
            audience=n,
            confirmed=c,
            confirmed_rate=rate(c, n),
            reflections=int(r),
            graded=g,
            attended=a,
            attended_rate=rate(a, n),
            passed=p if has_quiz else None,
            passed_rate=rate(p, n) if has_quiz else None,
        )
        for uid, name, kind, n, c, r, g, a, p in rows
    ]


def _sessions(db: Session, plan: Plan, cut: Cutoff) -> tuple[list[SessionRow], int, int, int]:
    """Each session of the plan with its marks, and how many were held, upcoming, cancelled."""
    rows = (
        db.exec(
            sa.select(StudySession)
            .where(StudySession.plan_id == plan.id, StudySession.created_at <= cut.moment)
            .order_by(StudySession.starts_at, StudySession.id)
        )
        .scalars()
        .all()
    )
    ids = [s.id for s in rows]
    marks: dict[int, dict[str, int]] = {i: {} for i in ids}
    for session_id, status, count in db.exec(
        sa.select(Attendance.session_id, Attendance.status, sa.func.count())
        .where(Attendance.session_id.in_(ids), Attendance.recorded_at <= cut.moment)
        .group_by(Attendance.session_id, Attendance.status)
    ).all():
        marks[session_id][status] = count
    sizes = dict(
        db.exec(audience.sizes(StudySession, cut.moment, [StudySession.id.in_(ids)])).all()
    )
    result, held, upcoming, cancelled = [], 0, 0, 0
    for session in rows:
        state = session.status
        # As `figures.held`: not held before it is over, however it is marked now.
        if state == "held" and session.ends_at > cut.moment:
            state = "scheduled"
        held += state == "held"
        upcoming += state == "scheduled"
        cancelled += state == "cancelled"
        count = marks[session.id]
        size = sizes.get(session.id, 0)
        attended = count.get("present", 0) + count.get("late", 0)
        result.append(
            SessionRow(
                id=session.id,
                title=session.title,
                kind=session.kind,
                starts_at=session.starts_at,
                status=state,
                audience=size,
                present=count.get("present", 0),
                late=count.get("late", 0),
                excused=count.get("excused", 0),
                absent=count.get("absent", 0),
                attendance_rate=rate(attended, size),
            )
        )
    return result, held, upcoming, cancelled


def _tasks(db: Session, plan: Plan, cut: Cutoff) -> TaskFigures:
    state = figures.task_state(cut)
    overdue_now = figures.task_overdue(cut)
    counts = {"todo": 0, "in_progress": 0, "done": 0, "cancelled": 0}
    overdue = 0
    for status, count, late in db.exec(
        sa.select(state, sa.func.count(), sa.func.sum(sa.case((overdue_now, 1), else_=0)))
        .where(Task.plan_id == plan.id, Task.created_at <= cut.moment)
        .group_by(state)
    ).all():
        counts[status] = count
        overdue += int(late or 0)
    late_rows = db.exec(
        sa.select(
            Task.id,
            Task.title,
            Task.due_on,
            state,
            sa.func.coalesce(Participant.full_name, Unit.name),
        )
        .outerjoin(Participant, Participant.id == Task.assignee_participant_id)
        .outerjoin(Unit, Unit.id == Task.assignee_unit_id)
        .where(Task.plan_id == plan.id, Task.created_at <= cut.moment, overdue_now)
        .order_by(Task.due_on, Task.id)
        .limit(OVERDUE_LIST_LIMIT)
    ).all()
    return TaskFigures(
        total=sum(counts.values()),
        **counts,
        overdue=overdue,
        overdue_list=[
            OverdueTask(id=i, title=t, due_on=d, status=s, assignee=who)
            for i, t, d, s, who in late_rows
        ],
    )


def _local_day(db: Session, column):
    """The day in the app's time zone of a stored UTC moment, in each database's SQL."""
    if db.get_bind().dialect.name == "postgresql":
        return sa.func.date(sa.func.timezone(current_settings().time_zone, column))
    offset = datetime.now(current_settings().zone).utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset else 0
    return sa.func.date(column, f"{hours:+d} hours")


def _per_day(db: Session, plan: Plan, cut: Cutoff) -> list[DayCount]:
    day = _local_day(db, Acknowledgement.confirmed_at)
    rows = db.exec(
        sa.select(day, sa.func.count())
        .where(
            Acknowledgement.plan_id == plan.id,
            Acknowledgement.material_major == plan.material_major,
            *figures.live_acks(cut),
        )
        .group_by(day)
        .order_by(day)
    ).all()
    total, result = 0, []
    for value, count in rows:
        total += count
        day_value = value if isinstance(value, date) else date.fromisoformat(str(value))
        result.append(DayCount(day=day_value, count=count, cumulative=total))
    return result


def _pending(db: Session, org: Organization, cut: Cutoff, addressed, acks) -> list[PendingPerson]:
    """The people addressed who have not confirmed, with their units."""
    people = db.exec(
        sa.select(Participant.id, Participant.full_name, Participant.staff_code)
        .join(addressed, addressed.c.id == Participant.id)
        .outerjoin(acks, acks.c.participant_id == Participant.id)
        .where(acks.c.participant_id.is_(None))
        .order_by(Participant.sort_name, Participant.id)
    ).all()
    units = orgs.unit_names_by_participant(db, org.id, cut.moment)
    return [
        PendingPerson(participant_id=i, full_name=n, staff_code=c, units=units.get(i, []))
        for i, n, c in people
    ]

"""Progress of a plan and the roll-up over an organisation subtree, as SQL aggregates.

Every figure comes from a GROUP BY over indexed columns: the number of queries is the same
for a school of 40 and a province of a million (tests count them). `as_of` answers from the
records' own timestamps: who was on the staff, who had confirmed (and not yet withdrawn),
which marks were recorded, which tasks were completed by the end of that day.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import defer
from sqlmodel import Session

from app import audience
from app.acknowledgements.models import Acknowledgement
from app.activities.models import Activity
from app.activities.schemas import KIND_LABELS
from app.audit import trail as audit
from app.authz import Actor, Permission, authorize, in_scope
from app.core.base import utcnow
from app.core.config import current_settings
from app.core.db import writing
from app.core.errors import Conflict, InvalidInput, NotFound, field_error
from app.documents import service as documents
from app.orgs import service as orgs
from app.orgs.models import Organization, Unit, UnitMembership, membership_at
from app.people.models import Participant
from app.plans import access as plans
from app.plans.models import Plan
from app.reports.document import build_report
from app.reports.models import Report
from app.reports.schemas import (
    AttendanceFigures,
    DayCount,
    GradeCounts,
    OutreachFigures,
    OutreachKind,
    OverdueTask,
    PendingPerson,
    PlanRef,
    Progress,
    ReflectionFigures,
    ReportCreate,
    Rollup,
    RollupRow,
    RollupTotals,
    SessionRow,
    TaskFigures,
    UnitRow,
)
from app.study_sessions.models import Attendance, StudySession
from app.tasks.models import Task

GRADES = ("tot", "kha", "dat", "chua_dat")
OVERDUE_LIST_LIMIT = 100


@dataclass(frozen=True)
class Cutoff:
    """The moment figures stand at: the end of `as_of` (local time), or now."""

    as_of: date | None
    moment: datetime
    today: date


def cutoff(as_of: date | None) -> Cutoff:
    zone = current_settings().zone
    now = datetime.now(UTC)
    today = now.astimezone(zone).date()
    if as_of is None:
        return Cutoff(None, now, today)
    if as_of > today:
        raise InvalidInput(
            "Ngày báo cáo không được ở tương lai. / as_of must not be in the future.",
            errors=[field_error("query.as_of", "must not be after today", "future_date")],
        )
    end = datetime.combine(as_of + timedelta(days=1), time(), tzinfo=zone).astimezone(UTC)
    return Cutoff(as_of, min(end, now), as_of)


def rate(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 0.0


# Building blocks (SELECTs), shared by progress and roll-up


def _live_acks(cut: Cutoff) -> list:
    return [
        Acknowledgement.confirmed_at <= cut.moment,
        sa.or_(Acknowledgement.withdrawn_at.is_(None), Acknowledgement.withdrawn_at > cut.moment),
    ]


def _acks(plan: Plan, cut: Cutoff) -> sa.Subquery:
    submitted = sa.and_(
        Acknowledgement.reflection.is_not(None),
        Acknowledgement.reflection_submitted_at <= cut.moment,
    )
    graded = sa.and_(Acknowledgement.grade.is_not(None), Acknowledgement.graded_at <= cut.moment)
    return (
        sa.select(
            Acknowledgement.participant_id.label("participant_id"),
            sa.case((submitted, 1), else_=0).label("reflected"),
            sa.case((graded, Acknowledgement.grade), else_=None).label("grade"),
        )
        .where(
            Acknowledgement.plan_id == plan.id,
            Acknowledgement.material_major == plan.material_major,
            *_live_acks(cut),
        )
        .subquery()
    )


def _studied(cut: Cutoff) -> list:
    """A mark saying its person studied: present or late at a held session, recorded by then."""
    return [
        StudySession.status == "held",
        Attendance.status.in_(("present", "late")),
        Attendance.recorded_at <= cut.moment,
    ]


def _attended(plan: Plan, cut: Cutoff) -> sa.Subquery:
    """People present or late at one held session of the plan at least."""
    return (
        sa.select(Attendance.participant_id.label("participant_id"))
        .join(StudySession, StudySession.id == Attendance.session_id)
        .where(StudySession.plan_id == plan.id, *_studied(cut))
        .distinct()
        .subquery()
    )


def _grade_sums(column) -> list:
    return [sa.func.sum(sa.case((column == grade, 1), else_=0)) for grade in GRADES]


def _task_state(cut: Cutoff):
    """A task's status on the cut-off day, from its completion time."""
    return sa.case(
        (sa.and_(Task.completed_at.is_not(None), Task.completed_at <= cut.moment), "done"),
        (Task.status == "done", "in_progress"),
        else_=Task.status,
    )


def _local_day(db: Session, column):
    if db.get_bind().dialect.name == "postgresql":
        return sa.func.date(sa.func.timezone(current_settings().time_zone, column))
    offset = datetime.now(current_settings().zone).utcoffset()
    hours = int(offset.total_seconds() // 3600) if offset else 0
    return sa.func.date(column, f"{hours:+d} hours")


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _plan_ref(plan: Plan, org: Organization) -> PlanRef:
    return PlanRef(
        id=plan.id,
        symbol=plan.symbol,
        title=plan.title,
        status=plan.status,
        organization_id=org.id,
        organization_name=org.name,
        material_major=plan.material_major,
    )


# One plan


def progress(db: Session, actor: Actor, plan_id: int, as_of: date | None) -> Progress:
    cut = cutoff(as_of)
    plan, org = plans.load_plan(db, actor, plan_id, Permission.REPORTS_READ)
    return _progress(db, plan, org, cut)


def _progress(db: Session, plan: Plan, org: Organization, cut: Cutoff) -> Progress:
    addressed = audience.ids(plan, cut.moment).subquery()
    acks = _acks(plan, cut)
    attended = _attended(plan, cut)

    overall = db.exec(
        sa.select(
            sa.func.count(addressed.c.id),
            sa.func.count(acks.c.participant_id),
            sa.func.coalesce(sa.func.sum(acks.c.reflected), 0),
            sa.func.count(acks.c.grade),
            *_grade_sums(acks.c.grade),
            sa.func.count(attended.c.participant_id),
        )
        .select_from(addressed)
        .outerjoin(acks, acks.c.participant_id == addressed.c.id)
        .outerjoin(attended, attended.c.participant_id == addressed.c.id)
    ).one()
    size, confirmed, reflected, graded, *grades, attended_count = (int(v or 0) for v in overall)

    unit_rows = db.exec(
        sa.select(
            Unit.id,
            Unit.name,
            sa.func.count(addressed.c.id),
            sa.func.count(acks.c.participant_id),
            sa.func.coalesce(sa.func.sum(acks.c.reflected), 0),
            sa.func.count(acks.c.grade),
            sa.func.count(attended.c.participant_id),
        )
        .select_from(Unit)
        .join(UnitMembership, UnitMembership.unit_id == Unit.id)
        .join(addressed, addressed.c.id == UnitMembership.participant_id)
        .outerjoin(acks, acks.c.participant_id == addressed.c.id)
        .outerjoin(attended, attended.c.participant_id == addressed.c.id)
        .where(Unit.organization_id == org.id, membership_at(cut.moment))
        .group_by(Unit.id, Unit.name)
        .order_by(Unit.name)
    ).all()
    by_unit = [
        UnitRow(
            unit_id=uid,
            unit_name=name,
            audience=n,
            confirmed=c,
            confirmed_rate=rate(c, n),
            reflections=int(r),
            graded=g,
            attended=a,
            attended_rate=rate(a, n),
        )
        for uid, name, n, c, r, g, a in unit_rows
    ]

    sessions, held, upcoming, cancelled = _sessions(db, plan, cut)
    return Progress(
        plan=_plan_ref(plan, org),
        as_of=cut.as_of,
        generated_at=datetime.now(UTC),
        audience=size,
        confirmed=confirmed,
        confirmed_rate=rate(confirmed, size),
        reflections=ReflectionFigures(
            required=plan.reflection_required,
            submitted=reflected,
            graded=graded,
            by_grade=GradeCounts(**dict(zip(GRADES, grades, strict=True))),
        ),
        attendance=AttendanceFigures(
            attended=attended_count,
            attended_rate=rate(attended_count, size),
            sessions_held=held,
            sessions_upcoming=upcoming,
            sessions_cancelled=cancelled,
        ),
        by_unit=by_unit,
        sessions=sessions,
        tasks=_tasks(db, plan, cut),
        outreach=_outreach(db, [plan.id], cut)[plan.id],
        confirmations_per_day=_per_day(db, plan, cut),
        pending=_pending(db, plan, org, cut, addressed, acks),
    )


def _sessions(db: Session, plan: Plan, cut: Cutoff) -> tuple[list[SessionRow], int, int, int]:
    rows = (
        db.exec(
            sa.select(StudySession)
            .where(StudySession.plan_id == plan.id, StudySession.created_at <= cut.moment)
            .order_by(StudySession.starts_at)
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
        db.exec(audience.sizes(StudySession, cut.moment).where(StudySession.id.in_(ids))).all()
    )
    result, held, upcoming, cancelled = [], 0, 0, 0
    for session in rows:
        state = session.status
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
    state = _task_state(cut)
    open_and_late = sa.and_(state.in_(("todo", "in_progress")), Task.due_on < cut.today)
    counts = {"todo": 0, "in_progress": 0, "done": 0, "cancelled": 0}
    overdue = 0
    for status, count, late in db.exec(
        sa.select(state, sa.func.count(), sa.func.sum(sa.case((open_and_late, 1), else_=0)))
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
        .where(Task.plan_id == plan.id, Task.created_at <= cut.moment, open_and_late)
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


def _outreach(db: Session, plan_ids: list[int], cut: Cutoff) -> dict[int, OutreachFigures]:
    found: dict[int, list[OutreachKind]] = {i: [] for i in plan_ids}
    for plan_id, kind, count, reach in db.exec(
        sa.select(
            Activity.plan_id,
            Activity.kind,
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(Activity.reach), 0),
        )
        .where(
            Activity.plan_id.in_(plan_ids),
            Activity.happened_on <= cut.today,
            sa.or_(Activity.archived_at.is_(None), Activity.archived_at > cut.moment),
        )
        .group_by(Activity.plan_id, Activity.kind)
        .order_by(Activity.plan_id, Activity.kind)
    ).all():
        found[plan_id].append(
            OutreachKind(kind=kind, label=KIND_LABELS.get(kind, kind), count=count, reach=reach)
        )
    return {
        plan_id: OutreachFigures(
            total=sum(k.count for k in kinds), reach=sum(k.reach for k in kinds), by_kind=kinds
        )
        for plan_id, kinds in found.items()
    }


def _per_day(db: Session, plan: Plan, cut: Cutoff) -> list[DayCount]:
    day = _local_day(db, Acknowledgement.confirmed_at)
    rows = db.exec(
        sa.select(day, sa.func.count())
        .where(
            Acknowledgement.plan_id == plan.id,
            Acknowledgement.material_major == plan.material_major,
            *_live_acks(cut),
        )
        .group_by(day)
        .order_by(day)
    ).all()
    total, result = 0, []
    for value, count in rows:
        total += count
        result.append(DayCount(day=_as_date(value), count=count, cumulative=total))
    return result


def _pending(db, plan, org, cut, addressed, acks) -> list[PendingPerson]:
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


# The subtree


def rollup(db: Session, actor: Actor, plan_id: int, as_of: date | None) -> Rollup:
    """One row per organisation below the plan's issuer that the caller may read."""
    cut = cutoff(as_of)
    plan, org = plans.load_plan(db, actor, plan_id, Permission.REPORTS_READ)

    tree = (
        sa.select(Plan.id, Plan.organization_id)
        .where(Plan.id == plan.id)
        .cte("plan_tree", recursive=True)
    )
    tree = tree.union_all(
        sa.select(Plan.id, Plan.organization_id).join(tree, Plan.parent_plan_id == tree.c.id)
    )
    orgs = (
        db.exec(
            sa.select(Organization)
            .where(
                Organization.path.startswith(org.path, autoescape=True),
                Organization.id != org.id,
                in_scope(actor, Permission.REPORTS_READ, Organization.path),
            )
            .order_by(Organization.path)
        )
        .scalars()
        .all()
    )
    org_ids = [o.id for o in orgs]
    # The newest plan of each organisation in the adoption tree.
    plan_rows = (
        db.exec(
            sa.select(Plan)
            .join(tree, tree.c.id == Plan.id)
            .where(
                Plan.organization_id.in_(org_ids),
                Plan.status != "draft",
                Plan.created_at <= cut.moment,
            )
            .order_by(Plan.organization_id, Plan.id)
        )
        .scalars()
        .all()
    )
    plan_of = {p.organization_id: p for p in plan_rows}
    plan_ids = [p.id for p in plan_of.values()]

    # The audience of each plan; an organisation that has not adopted one counts its staff.
    not_adopted = [i for i in org_ids if i not in plan_of]
    staff = dict(
        db.exec(
            sa.select(Participant.organization_id, sa.func.count())
            .where(Participant.organization_id.in_(not_adopted), audience.on_roll(cut.moment))
            .group_by(Participant.organization_id)
        ).all()
    )
    plan_sizes = dict(db.exec(audience.sizes(Plan, cut.moment).where(Plan.id.in_(plan_ids))).all())
    submitted = sa.and_(
        Acknowledgement.reflection.is_not(None),
        Acknowledgement.reflection_submitted_at <= cut.moment,
    )
    graded = sa.and_(Acknowledgement.grade.is_not(None), Acknowledgement.graded_at <= cut.moment)
    ack_figures = {
        plan_id: (confirmed, int(reflected or 0), int(graded_count or 0))
        for plan_id, confirmed, reflected, graded_count in db.exec(
            sa.select(
                Acknowledgement.plan_id,
                sa.func.count(sa.distinct(Acknowledgement.participant_id)),
                sa.func.sum(sa.case((submitted, 1), else_=0)),
                sa.func.sum(sa.case((graded, 1), else_=0)),
            )
            .join(Plan, Plan.id == Acknowledgement.plan_id)
            .join(Participant, Participant.id == Acknowledgement.participant_id)
            .where(
                Acknowledgement.plan_id.in_(plan_ids),
                Acknowledgement.material_major == Plan.material_major,
                *_live_acks(cut),
                audience.on_roll(cut.moment),
            )
            .group_by(Acknowledgement.plan_id)
        ).all()
    }
    held = sa.and_(StudySession.status == "held", StudySession.ends_at <= cut.moment)
    sessions_held = dict(
        db.exec(
            sa.select(StudySession.plan_id, sa.func.count())
            .where(StudySession.plan_id.in_(plan_ids), held)
            .group_by(StudySession.plan_id)
        ).all()
    )
    # Expected attendances: the audiences of the held sessions at the cut-off, as the plan's
    # own session table counts them, added up.
    expected_attendances = dict(
        db.exec(
            sa.select(StudySession.plan_id, sa.func.count(Participant.id))
            .join(Participant, audience.includes(StudySession, cut.moment))
            .where(StudySession.plan_id.in_(plan_ids), held)
            .group_by(StudySession.plan_id)
        ).all()
    )
    # Marks at the sessions held (and over by the cut-off, as above), and the people of the
    # audience who studied, by the rules of a plan's own progress (`_studied`, `audience`).
    study_figures = {
        plan_id: (int(marks or 0), people)
        for plan_id, marks, people in db.exec(
            sa.select(
                StudySession.plan_id,
                sa.func.sum(sa.case((StudySession.ends_at <= cut.moment, 1), else_=0)),
                sa.func.count(
                    sa.distinct(
                        sa.case(
                            (audience.includes(Plan, cut.moment), Attendance.participant_id),
                            else_=None,
                        )
                    )
                ),
            )
            .join(Attendance, Attendance.session_id == StudySession.id)
            .join(Plan, Plan.id == StudySession.plan_id)
            .join(Participant, Participant.id == Attendance.participant_id)
            .where(StudySession.plan_id.in_(plan_ids), *_studied(cut))
            .group_by(StudySession.plan_id)
        ).all()
    }
    state = _task_state(cut)
    task_figures = {
        plan_id: (total, int(done or 0), int(late or 0))
        for plan_id, total, done, late in db.exec(
            sa.select(
                Task.plan_id,
                sa.func.count(),
                sa.func.sum(sa.case((state == "done", 1), else_=0)),
                sa.func.sum(
                    sa.case(
                        (sa.and_(state.in_(("todo", "in_progress")), Task.due_on < cut.today), 1),
                        else_=0,
                    )
                ),
            )
            .where(Task.plan_id.in_(plan_ids), Task.created_at <= cut.moment)
            .group_by(Task.plan_id)
        ).all()
    }
    outreach = _outreach(db, plan_ids, cut)

    rows = []
    for o in orgs:
        p = plan_of.get(o.id)
        size = plan_sizes.get(p.id, 0) if p else staff.get(o.id, 0)
        confirmed, reflected, graded_count = ack_figures.get(p.id, (0, 0, 0)) if p else (0, 0, 0)
        held_count = sessions_held.get(p.id, 0) if p else 0
        expected = expected_attendances.get(p.id, 0) if p else 0
        seen, attended = study_figures.get(p.id, (0, 0)) if p else (0, 0)
        total, done, late = task_figures.get(p.id, (0, 0, 0)) if p else (0, 0, 0)
        reach = outreach[p.id] if p else OutreachFigures(total=0, reach=0, by_kind=[])
        rows.append(
            RollupRow(
                organization_id=o.id,
                organization_name=o.name,
                organization_code=o.code,
                depth=o.depth - org.depth,
                plan_id=p.id if p else None,
                plan_symbol=p.symbol if p else None,
                plan_status=p.status if p else None,
                adopted=p is not None,
                audience=size,
                confirmed=confirmed,
                confirmed_rate=rate(confirmed, size),
                reflections=reflected,
                graded=graded_count,
                sessions_held=held_count,
                attended=attended,
                attended_rate=rate(attended, size),
                attendances=seen,
                expected_attendances=expected,
                attendance_rate=rate(seen, expected),
                tasks_total=total,
                tasks_done=done,
                tasks_overdue=late,
                outreach=reach.total,
                outreach_reach=reach.reach,
            )
        )
    return Rollup(
        plan=_plan_ref(plan, org),
        as_of=cut.as_of,
        generated_at=datetime.now(UTC),
        rows=rows,
        totals=_totals(rows),
    )


def _totals(rows: list[RollupRow]) -> RollupTotals:
    """Rates over the sums: a school of 40 weighs more than a school of 8."""

    def total(field: str) -> int:
        return sum(getattr(r, field) for r in rows)

    audience, confirmed, attended = total("audience"), total("confirmed"), total("attended")
    attendances, expected = total("attendances"), total("expected_attendances")
    return RollupTotals(
        organizations=len(rows),
        adopted=sum(r.adopted for r in rows),
        audience=audience,
        confirmed=confirmed,
        confirmed_rate=rate(confirmed, audience),
        reflections=total("reflections"),
        graded=total("graded"),
        sessions_held=total("sessions_held"),
        attended=attended,
        attended_rate=rate(attended, audience),
        attendances=attendances,
        expected_attendances=expected,
        attendance_rate=rate(attendances, expected),
        tasks_total=total("tasks_total"),
        tasks_done=total("tasks_done"),
        tasks_overdue=total("tasks_overdue"),
        outreach=total("outreach"),
        outreach_reach=total("outreach_reach"),
    )


# Issued reports (Báo cáo …/BC-<issuer>): frozen when issued, never computed again


class PlanNotIssued(Conflict):
    code = "plan-not-issued"


def default_title(plan: Plan) -> str:
    subject = plan.title
    return f"Kết quả {subject[:1].lower() + subject[1:]}"


def _local_date(moment: datetime) -> date:
    return moment.astimezone(current_settings().zone).date()


def _check_dates(plan: Plan, data: ReportCreate) -> date:
    """The issue day: not in the future, not before the plan (its date, or the day it was
    written if it has none); `as_of` not after it. Returns the issue day."""
    today = plans.today()
    day = data.issued_on or today
    plan_day = plan.issued_on or _local_date(plan.created_at)
    if day > today:
        raise InvalidInput(
            "Ngày ban hành không được ở tương lai. / issued_on must not be in the future.",
            errors=[field_error("body.issued_on", "must not be after today", "future_date")],
        )
    if day < plan_day:
        raise InvalidInput(
            f"Ngày ban hành không được trước ngày của kế hoạch ({plan_day:%d/%m/%Y}). "
            f"/ issued_on must not be before the plan's date.",
            errors=[
                field_error(
                    "body.issued_on",
                    f"must not be before the plan's date {plan_day.isoformat()}",
                    "before_plan",
                )
            ],
        )
    if data.as_of is not None and data.as_of > day:
        raise InvalidInput(
            "Số liệu không thể tính đến sau ngày ban hành. / as_of must not be after issued_on.",
            errors=[field_error("body.as_of", "must not be after issued_on", "after_issue")],
        )
    return day


def _freeze(db: Session, report: Report, plan: Plan, org: Organization) -> None:
    """Compute what the report says, as of its `as_of` (or issue day), render the .docx from
    it, and keep both with the report: nothing later changes them."""
    figures = _progress(db, plan, org, cutoff(report.as_of or min(report.issued_on, plans.today())))
    parent = db.get(Organization, org.parent_id) if org.parent_id else None
    plan_line = f"Kế hoạch số {plan.symbol}" if plan.symbol else "Kế hoạch"
    if plan.issued_on:
        plan_line += f" ngày {plan.issued_on.strftime('%d/%m/%Y')}"
    plan_line += f" của {org.name} về {plan.title[:1].lower() + plan.title[1:]}"
    content = build_report(
        report,
        figures,
        issuer=org.name,
        parent=parent.name if parent else None,
        place=org.place_name or plan.place_name,
        plan_line=plan_line,
    )
    report.figures = figures.model_dump(mode="json")
    report.document = content
    report.document_sha256 = hashlib.sha256(content).hexdigest()
    report.frozen_at = utcnow()


def _audited(report: Report) -> dict:
    """The report in the audit trail: its fields and the checksum of its document."""
    return audit.snapshot(report.model_dump(exclude={"figures", "document"}))


def issue_report(db: Session, actor: Actor, plan_id: int, data: ReportCreate) -> Report:
    """Give the report the next BC number of the issuer and freeze what it says."""
    plan, org = plans.load_plan(db, actor, plan_id, Permission.PLANS_WRITE)
    if plan.status == "draft":
        raise PlanNotIssued(
            "Kế hoạch chưa ban hành, chưa thể báo cáo. / The plan is not issued yet."
        )
    day = _check_dates(plan, data)
    number = documents.next_number(db, organization_id=org.id, doc_type="BC", year=day.year)
    parent = db.get(Organization, org.parent_id) if org.parent_id else None
    report = Report(
        plan_id=plan.id,
        organization_id=org.id,
        number=number,
        year=day.year,
        symbol=documents.symbol(number, "BC", org.abbreviation),
        issued_on=day,
        as_of=data.as_of,
        title=data.title or default_title(plan),
        assessment=data.assessment,
        proposals=data.proposals,
        signer_name=data.signer_name if data.signer_name is not None else plan.signer_name,
        signer_title=data.signer_title if data.signer_title is not None else plan.signer_title,
        recipients=data.recipients
        if data.recipients is not None
        else [*([parent.name] if parent else []), "Lưu: VT"],
        created_by_id=actor.user_id,
    )
    _freeze(db, report, plan, org)
    audit.create(db, actor, "report.issue", report, picture=_audited)
    return report


def list_reports(db: Session, actor: Actor, plan_id: int) -> list[Report]:
    plan, _ = plans.load_plan(db, actor, plan_id, Permission.REPORTS_READ)
    return list(
        db.exec(
            sa.select(Report)
            .options(defer(Report.figures), defer(Report.document))
            .where(Report.plan_id == plan.id)
            .order_by(Report.id.desc())
        ).scalars()
    )


def issued_report(db: Session, actor: Actor, report_id: int) -> Report:
    """An issued report the caller may read, with what it says (frozen now if it was issued
    before reports were frozen at issue)."""
    report = db.get(Report, report_id)
    if report is None:
        raise NotFound("Không tìm thấy báo cáo. / Report not found.")
    authorize(actor, Permission.REPORTS_READ, orgs.load_org(db, report.organization_id).path)
    if report.frozen_at is None:
        _freeze_on_first_read(db, actor, report)
    return report


def _freeze_on_first_read(db: Session, actor: Actor, report: Report) -> None:
    """A report issued before reports were frozen had its figures computed at every download,
    as of its `as_of` or issue day. The first read after the upgrade computes them once more
    in the same way and keeps them, and the document with them; `frozen_at` says when. They
    commit with the read, as any request's writes do: a read that fails after this freezes
    nothing, and the next one freezes the report then."""
    report_id = report.id
    with writing(db):
        db.exec(
            sa.select(Report)
            .where(Report.id == report_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        ).scalar_one()
        if report.frozen_at is None:  # not frozen by a parallel first read meanwhile
            plan = db.get(Plan, report.plan_id)
            org = orgs.load_org(db, report.organization_id)
            _freeze(db, report, plan, org)
            audit.record(
                db,
                actor,
                "report.freeze",
                entity_type="report",
                entity_id=report.id,
                organization_id=org.id,
                after=_audited(report),
            )


def report_figures(db: Session, actor: Actor, report_id: int) -> tuple[Report, Progress]:
    report = issued_report(db, actor, report_id)
    return report, Progress.model_validate(report.figures)

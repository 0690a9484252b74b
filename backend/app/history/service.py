"""A person's record across plans and school years, in a constant number of reads: the
plans, her confirmations, the sessions and her marks, tasks, outreach credited to her and her
quiz results, each one SELECT whatever the number of plans.

A person who moved school has a staff row in each (`app.transfers`): her record is read
through the row she is now and gathers the rows she left to reach it, each plan marked with
the school it was in. A school she has left reads only its own row, as it did before."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from app import audience
from app.acknowledgements.models import Acknowledgement
from app.acknowledgements.schemas import GRADE_LABELS
from app.activities.models import Activity
from app.activities.schemas import KIND_LABELS
from app.authz import Actor
from app.history.schemas import (
    HistoryActivity,
    HistoryAttendance,
    HistoryConfirmation,
    HistoryPerson,
    HistoryPlan,
    HistoryQuiz,
    HistorySchool,
    HistoryTask,
    ParticipantHistory,
    PlanHistory,
    SchoolYear,
)
from app.links import service as links
from app.orgs.models import Organization, Unit, UnitMembership, membership_at
from app.people import service as people
from app.people.models import Participant
from app.plans.models import Plan
from app.quizzes.models import QuizAttempt, QuizSettings
from app.study_sessions.models import Attendance, StudySession
from app.study_sessions.schemas import SESSION_KIND_LABELS
from app.tasks.models import Task, TaskEvidence
from app.tasks.schemas import TASK_STATUS_LABELS
from app.transfers.service import earlier_rows

# A plan belongs to the school year its issue date (or, unissued, its start) falls in.
PLAN_DAY = sa.func.coalesce(Plan.issued_on, Plan.period_start)


def school_year(day: date) -> int:
    """The Vietnamese school year a day falls in, named by the year it starts (1 Sept)."""
    return day.year if day.month >= 9 else day.year - 1


def year_label(year: int) -> str:
    return f"{year}–{year + 1}"


def participant_history(
    db: Session, actor: Actor, participant_id: int, *, year: int | None, plan_id: int | None
) -> ParticipantHistory:
    """Staff who may read the person, or the person herself. A record is personal: a caller
    without the right to read people there learns nothing, not even that she exists (404)."""
    person = people.load_record_of(db, actor, participant_id)
    return build(db, person, year=year, plan_id=plan_id)


def my_history(
    db: Session, actor: Actor, *, year: int | None, plan_id: int | None
) -> ParticipantHistory:
    return build(db, people.own_participant(db, actor), year=year, plan_id=plan_id)


def link_history(
    db: Session, token: str, address: str, *, year: int | None, plan_id: int | None
) -> ParticipantHistory:
    """By her personal link: the token is the credential."""
    person, _ = links.resolve(db, token, address)
    return build(db, person, year=year, plan_id=plan_id)


def build(
    db: Session, person: people.Person, *, year: int | None, plan_id: int | None
) -> ParticipantHistory:
    """Seven reads: her rows, plans, confirmations, sessions with her marks, tasks, activities,
    quizzes."""
    rows = _her_rows(db, person.id)
    schools = {row.participant_id: row for row in rows}
    pid = list(schools)
    plans = _plans(db, pid, year, plan_id)
    ids = [p.id for p in plans]
    by_plan: dict[str, dict[int, list[Any]]] = {
        name: defaultdict(list) for name in ("confirmations", "attendance", "tasks", "activities")
    }
    majors = {p.id: p.material_major for p in plans}
    for row in _confirmations(db, pid, ids):
        by_plan["confirmations"][row.plan_id].append(_confirmation(row, majors[row.plan_id]))
    for row in _sessions(db, pid, ids):
        by_plan["attendance"][row.plan_id].append(
            HistoryAttendance(
                session_id=row.id,
                title=row.title,
                kind=row.kind,
                kind_label=SESSION_KIND_LABELS.get(row.kind, row.kind),
                starts_at=row.starts_at,
                session_status=row.session_status,
                status=row.status,
                method=row.method,
            )
        )
    for row in _tasks(db, pid, ids):
        by_plan["tasks"][row.plan_id].append(
            HistoryTask(
                **row._asdict(), status_label=TASK_STATUS_LABELS.get(row.status, row.status)
            )
        )
    for row in _activities(db, pid, ids):
        by_plan["activities"][row.plan_id].append(
            HistoryActivity(**row._asdict(), kind_label=KIND_LABELS.get(row.kind, row.kind))
        )
    quizzes = _quizzes(db, pid, ids)
    years: dict[int, list[PlanHistory]] = defaultdict(list)
    for plan in plans:
        row = schools[plan.participant_id]
        years[school_year(plan.day)].append(
            PlanHistory(
                plan=HistoryPlan.model_validate(plan, from_attributes=True),
                participant_id=row.participant_id,
                school_id=row.organization_id,
                school_name=row.organization_name,
                earlier_school=row.participant_id != person.id,
                **{name: records.get(plan.id, []) for name, records in by_plan.items()},
                quiz=quizzes.get(plan.id),
            )
        )
    return ParticipantHistory(
        participant=HistoryPerson.model_validate(person, from_attributes=True),
        years=[
            SchoolYear(year=y, label=year_label(y), plans=years[y])
            for y in sorted(years, reverse=True)
        ],
        schools=[HistorySchool.model_validate(row, from_attributes=True) for row in rows],
    )


def _her_rows(db: Session, pid: int) -> list[Any]:
    """Her row `pid` and the rows she left to reach it (a move each), newest first."""
    return list(
        db.exec(
            sa.select(
                Participant.id.label("participant_id"),
                Participant.organization_id,
                Organization.name.label("organization_name"),
                Participant.staff_code,
                Participant.created_at.label("since"),
                Participant.deactivated_at.label("until"),
            )
            .join(Organization, Organization.id == Participant.organization_id)
            .where(Participant.id.in_(earlier_rows([pid])))
            .order_by(Participant.created_at.desc(), Participant.id.desc())
        ).all()
    )


def _hers(column: Any, pid: list[int] | Any) -> sa.ColumnElement[bool]:
    """SQL: `column` names one of her rows: of the list `pid`, or the row the column `pid`
    of the enclosing query stands for."""
    return column.in_(pid) if isinstance(pid, list) else column == pid


def _her_units(pid: list[int] | Any, moment: Any) -> sa.Select:
    """SELECT of the units she was a member of at `moment` (a column of the enclosing row).
    Correlated explicitly: `pid` may be a column of a query two levels up."""
    return (
        sa.select(UnitMembership.unit_id)
        .where(_hers(UnitMembership.participant_id, pid), membership_at(moment))
        .correlate_except(UnitMembership)
    )


def _unit_credit(pid: list[int], unit_column: Any, moment: Any) -> sa.ScalarSelect:
    """The name of the unit a task or activity went to, when she was its member then."""
    return (
        sa.select(Unit.name)
        .where(Unit.id == unit_column, Unit.id.in_(_her_units(pid, moment)))
        .scalar_subquery()
    )


def _plans(db: Session, pids: list[int], year: int | None, plan_id: int | None) -> list[Any]:
    """Issued plans that address one of her rows now or hold any record of it, newest first,
    each once, with the row (`participant_id`) it is on."""
    pid = Participant.id  # each of her rows in turn
    hers = sa.or_(
        audience.includes(Plan),
        Plan.id.in_(
            sa.select(Acknowledgement.plan_id).where(Acknowledgement.participant_id == pid)
        ),
        Plan.id.in_(
            sa.select(StudySession.plan_id)
            .join(Attendance, Attendance.session_id == StudySession.id)
            .where(Attendance.participant_id == pid)
        ),
        Plan.id.in_(
            sa.select(Task.plan_id).where(
                sa.or_(
                    Task.assignee_participant_id == pid,
                    Task.assignee_unit_id.in_(_her_units(pid, Task.created_at)),
                )
            )
        ),
        Plan.id.in_(
            sa.select(Activity.plan_id).where(
                Activity.archived_at.is_(None),
                sa.or_(
                    Activity.responsible_participant_id == pid,
                    Activity.responsible_unit_id.in_(_her_units(pid, Activity.created_at)),
                ),
            )
        ),
    )
    query = (
        sa.select(
            Plan.id,
            Plan.symbol,
            Plan.title,
            Plan.organization_id,
            Organization.name.label("issuer"),
            Plan.issued_on,
            Plan.status,
            Plan.material_major,
            PLAN_DAY.label("day"),
            Participant.id.label("participant_id"),
        )
        .select_from(Plan)
        .join(Organization, Organization.id == Plan.organization_id)
        .join(Participant, Participant.id.in_(pids))
        .where(Plan.status != "draft", hers)
    )
    if year is not None:
        query = query.where(PLAN_DAY.between(date(year, 9, 1), date(year + 1, 8, 31)))
    if plan_id is not None:
        query = query.where(Plan.id == plan_id)
    # A plan holding records of two of her rows (rare: a move in its course) shows once.
    order = (PLAN_DAY.desc(), Plan.id.desc(), Participant.created_at.desc())
    first: dict[int, Any] = {}
    for row in db.exec(query.order_by(*order)).all():
        first.setdefault(row.id, row)
    return list(first.values())


def _confirmation(row: Acknowledgement, major: int) -> HistoryConfirmation:
    state = (
        "withdrawn"
        if row.withdrawn_at is not None
        else "current"
        if row.material_major == major
        else "superseded"
    )
    return HistoryConfirmation(
        **row.model_dump(),
        state=state,
        current=state == "current",
        grade_label=GRADE_LABELS.get(row.grade) if row.grade else None,
    )


def _confirmations(db: Session, pid: list[int], ids: list[int]) -> list[Acknowledgement]:
    """Every version, oldest first."""
    return list(
        db.exec(
            sa.select(Acknowledgement)
            .where(Acknowledgement.participant_id.in_(pid), Acknowledgement.plan_id.in_(ids))
            .order_by(Acknowledgement.confirmed_at, Acknowledgement.id)
        ).scalars()
    )


def _sessions(db: Session, pid: list[int], ids: list[int]) -> list[Any]:
    """Sessions not cancelled that address her now or that she has a mark at, with it."""
    return list(
        db.exec(
            sa.select(
                StudySession.id,
                StudySession.plan_id,
                StudySession.title,
                StudySession.kind,
                StudySession.starts_at,
                StudySession.status.label("session_status"),
                Attendance.status,
                Attendance.method,
            )
            .select_from(StudySession)
            .join(Participant, Participant.id.in_(pid))
            .outerjoin(
                Attendance,
                sa.and_(
                    Attendance.session_id == StudySession.id,
                    Attendance.participant_id == Participant.id,
                ),
            )
            .where(
                StudySession.plan_id.in_(ids),
                StudySession.status != "cancelled",
                sa.or_(Attendance.id.is_not(None), audience.includes(StudySession)),
            )
            .order_by(StudySession.starts_at, StudySession.id)
        ).all()
    )


def _tasks(db: Session, pid: list[int], ids: list[int]) -> list[Any]:
    """Hers, and her unit's while she was in it when the task was given (`via_unit` names it)."""
    via_unit = _unit_credit(pid, Task.assignee_unit_id, Task.created_at)
    accepted = (
        sa.select(sa.func.count())
        .where(TaskEvidence.task_id == Task.id, TaskEvidence.review_status == "accepted")
        .scalar_subquery()
    )
    return list(
        db.exec(
            sa.select(
                Task.id,
                Task.plan_id,
                Task.title,
                via_unit.label("via_unit"),
                Task.due_on,
                Task.status,
                Task.completed_at,
                accepted.label("evidence_accepted"),
            )
            .where(
                Task.plan_id.in_(ids),
                sa.or_(
                    Task.assignee_participant_id.in_(pid),
                    Task.assignee_unit_id.in_(_her_units(pid, Task.created_at)),
                ),
            )
            .order_by(Task.due_on.is_(None), Task.due_on, Task.id)
        ).all()
    )


def _activities(db: Session, pid: list[int], ids: list[int]) -> list[Any]:
    """Outreach the log credits to her, or to her unit while she was in it (not archived)."""
    return list(
        db.exec(
            sa.select(
                Activity.id,
                Activity.plan_id,
                Activity.kind,
                Activity.title,
                Activity.happened_on,
                _unit_credit(pid, Activity.responsible_unit_id, Activity.created_at).label(
                    "via_unit"
                ),
                Activity.reach,
            )
            .where(
                Activity.plan_id.in_(ids),
                Activity.archived_at.is_(None),
                sa.or_(
                    Activity.responsible_participant_id.in_(pid),
                    Activity.responsible_unit_id.in_(_her_units(pid, Activity.created_at)),
                ),
            )
            .order_by(Activity.happened_on, Activity.id)
        ).all()
    )


def _quizzes(db: Session, pid: list[int], ids: list[int]) -> dict[int, HistoryQuiz]:
    """Her results at the quiz of each plan that has one, on the plan's current material."""
    attempt = sa.and_(
        QuizAttempt.plan_id == QuizSettings.plan_id,
        QuizAttempt.participant_id.in_(pid),
        QuizAttempt.material_major == Plan.material_major,
    )
    rows = db.exec(
        sa.select(
            QuizSettings.plan_id,
            QuizSettings.required,
            QuizSettings.pass_percent,
            QuizSettings.attempts_allowed,
            sa.func.count(QuizAttempt.id),
            sa.func.max(QuizAttempt.percent),
            sa.func.max(sa.case((QuizAttempt.passed.is_(True), 1), else_=0)),
        )
        .join(Plan, Plan.id == QuizSettings.plan_id)
        .outerjoin(QuizAttempt, attempt)
        .where(QuizSettings.plan_id.in_(ids))
        .group_by(
            QuizSettings.plan_id,
            QuizSettings.required,
            QuizSettings.pass_percent,
            QuizSettings.attempts_allowed,
        )
    ).all()
    return {
        plan_id: HistoryQuiz(
            required=required,
            pass_percent=pass_percent,
            attempts_allowed=allowed,
            attempts=used,
            best_percent=best,
            passed=bool(passed),
        )
        for plan_id, required, pass_percent, allowed, used, best, passed in rows
    }

"""The building blocks every figure is made of: the cut-off moment, rates, and the SELECTs
that say who confirmed, reflected, studied, passed the quiz and finished a task by then.

`progress` (one plan) and `rollup` (an organisation's subtree) count with these same rules,
so a school's row in the district's roll-up and the school's own progress always agree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Session

from app.acknowledgements.models import Acknowledgement
from app.activities.models import Activity
from app.activities.schemas import KIND_LABELS
from app.core.base import utcnow
from app.core.config import current_settings
from app.core.errors import InvalidInput, field_error
from app.orgs.models import Organization
from app.plans.models import Plan
from app.quizzes.models import QuizAttempt, QuizSettings
from app.reports.schemas import OutreachFigures, OutreachKind, PlanRef
from app.study_sessions.models import Attendance, StudySession
from app.tasks.models import Task

GRADES = ("tot", "kha", "dat", "chua_dat")


@dataclass(frozen=True)
class Cutoff:
    """The moment figures stand at: the end of `as_of` (local time), or now."""

    as_of: date | None
    moment: datetime
    today: date


def cutoff(as_of: date | None) -> Cutoff:
    zone = current_settings().zone
    now = utcnow()
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


def live_acks(cut: Cutoff) -> list:
    """Confirmations made by the cut-off and not withdrawn by then."""
    return [
        Acknowledgement.confirmed_at <= cut.moment,
        sa.or_(Acknowledgement.withdrawn_at.is_(None), Acknowledgement.withdrawn_at > cut.moment),
    ]


def reflected(cut: Cutoff) -> sa.ColumnElement[bool]:
    """A reflection submitted by the cut-off."""
    return sa.and_(
        Acknowledgement.reflection.is_not(None),
        Acknowledgement.reflection_submitted_at <= cut.moment,
    )


def graded(cut: Cutoff) -> sa.ColumnElement[bool]:
    """A grade given by the cut-off."""
    return sa.and_(Acknowledgement.grade.is_not(None), Acknowledgement.graded_at <= cut.moment)


def acks(plan: Plan, cut: Cutoff) -> sa.Subquery:
    """One row per person with a live confirmation of the plan's current material."""
    return (
        sa.select(
            Acknowledgement.participant_id.label("participant_id"),
            sa.case((reflected(cut), 1), else_=0).label("reflected"),
            sa.case((graded(cut), Acknowledgement.grade), else_=None).label("grade"),
        )
        .where(
            Acknowledgement.plan_id == plan.id,
            Acknowledgement.material_major == plan.material_major,
            *live_acks(cut),
        )
        .subquery()
    )


def quiz_set_up(cut: Cutoff) -> sa.ColumnElement[bool]:
    """The plan had its quiz by the cut-off: before, its figures say nothing of a quiz."""
    return QuizSettings.created_at <= cut.moment


def quiz_passed(cut: Cutoff) -> list:
    """A passed attempt at the quiz, submitted by the cut-off. The attempt counts only for the
    material major it was taken on: the caller keeps those of the plan's current major."""
    return [
        QuizAttempt.status == "submitted",
        QuizAttempt.passed.is_(True),
        QuizAttempt.submitted_at <= cut.moment,
    ]


def passed(plan: Plan, cut: Cutoff) -> sa.Subquery:
    """People who passed the plan's quiz of its current material by the cut-off (one row each,
    however many passed attempts)."""
    return (
        sa.select(QuizAttempt.participant_id.label("participant_id"))
        .where(
            QuizAttempt.plan_id == plan.id,
            QuizAttempt.material_major == plan.material_major,
            *quiz_passed(cut),
        )
        .distinct()
        .subquery()
    )


def held(cut: Cutoff) -> sa.ColumnElement[bool]:
    """A session held by the cut-off: marked held and over by then. One still to come on the
    cut-off (a session of today, or of any day after a past cut-off) is not held as of then,
    whatever its status now, and marks recorded for it in advance do not count yet."""
    return sa.and_(StudySession.status == "held", StudySession.ends_at <= cut.moment)


def studied(cut: Cutoff) -> list:
    """A mark saying its person studied: present or late at a session held by the cut-off,
    recorded by then."""
    return [
        held(cut),
        Attendance.status.in_(("present", "late")),
        Attendance.recorded_at <= cut.moment,
    ]


def attended(plan: Plan, cut: Cutoff) -> sa.Subquery:
    """People present or late at one held session of the plan at least."""
    return (
        sa.select(Attendance.participant_id.label("participant_id"))
        .join(StudySession, StudySession.id == Attendance.session_id)
        .where(StudySession.plan_id == plan.id, *studied(cut))
        .distinct()
        .subquery()
    )


def grade_sums(column) -> list:
    return [sa.func.sum(sa.case((column == grade, 1), else_=0)) for grade in GRADES]


def task_state(cut: Cutoff):
    """A task's status on the cut-off day, from its completion time."""
    return sa.case(
        (sa.and_(Task.completed_at.is_not(None), Task.completed_at <= cut.moment), "done"),
        (Task.status == "done", "in_progress"),
        else_=Task.status,
    )


def task_overdue(cut: Cutoff) -> sa.ColumnElement[bool]:
    """Still open on the cut-off day, past its due date."""
    return sa.and_(task_state(cut).in_(("todo", "in_progress")), Task.due_on < cut.today)


def outreach_kept(cut: Cutoff) -> list:
    """Outreach that happened by the cut-off day and was not archived by then."""
    return [
        Activity.happened_on <= cut.today,
        sa.or_(Activity.archived_at.is_(None), Activity.archived_at > cut.moment),
    ]


def outreach(db: Session, plan_ids: list[int], cut: Cutoff) -> dict[int, OutreachFigures]:
    """Outreach by kind for each plan: what happened by the cut-off day and was not archived."""
    found: dict[int, list[OutreachKind]] = {i: [] for i in plan_ids}
    for plan_id, kind, count, reach in db.exec(
        sa.select(
            Activity.plan_id,
            Activity.kind,
            sa.func.count(),
            sa.func.coalesce(sa.func.sum(Activity.reach), 0),
        )
        .where(Activity.plan_id.in_(plan_ids), *outreach_kept(cut))
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


def listed(db: Session, ids: list[int]) -> sa.Select:
    """SELECT of these ids from one bound value (a PostgreSQL array, a JSON array for SQLite):
    thousands of ids as thousands of bound values cost each statement some 30 ms to send at
    2,500 schools, and the adoption tree walked again in each statement grew with the whole
    tree (0.9 s for one district's level at 25,000 schools)."""
    if db.get_bind().dialect.name == "postgresql":
        return sa.select(
            sa.func.unnest(sa.bindparam("ids", ids, type_=ARRAY(sa.Integer), unique=True))
        )
    values = sa.func.json_each(sa.bindparam("ids", json.dumps(ids), unique=True))
    return sa.select(values.table_valued("value").c.value)


def plan_ref(plan: Plan, org: Organization) -> PlanRef:
    return PlanRef(
        id=plan.id,
        symbol=plan.symbol,
        title=plan.title,
        status=plan.status,
        organization_id=org.id,
        organization_name=org.name,
        material_major=plan.material_major,
    )

"""What is due at a moment: who to remind of what, worked out for every person at once.

`plan_reminders` reads a constant number of queries whatever the number of people: the active
plans and their policies, the reminder log summed per person and item, then one query per kind
of thing (who has not confirmed, not written a reflection due later, not finished a task, is
expected at a session), and the escalation's few (see `escalation`). A thing done is no longer
read, so its reminders stop. Stages, on working days only (`calendar`):

- before: once, within `days_before` days of the due day;
- due: on the due day, or the first working day after it when that was a holiday;
- overdue-N: then every `every_days` days, at most `max_after` times.
Sessions have no after: they are reminded of before they start.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from sqlmodel import Session

from app import audience
from app.acknowledgements.confirmation import live_confirmation
from app.acknowledgements.models import Acknowledgement
from app.auth.models import User
from app.core.config import current_settings
from app.orgs.models import UnitMembership, live_membership
from app.people.models import Participant
from app.plans.models import Plan
from app.reminders import calendar
from app.reminders.models import Reminder
from app.reminders.policy import effective
from app.reminders.schemas import KindRule, PolicyPublic
from app.study_sessions.models import StudySession
from app.tasks.models import Task

OPEN_TASK = ("todo", "in_progress")


@dataclass(frozen=True)
class Due:
    """One reminder due now: a person, the thing, its due day and the stage reached."""

    plan_id: int
    organization_id: int
    participant_id: int
    full_name: str
    email: str | None
    user_id: int | None
    kind: str
    item_id: int
    item_title: str
    due_on: date
    stage: str


@dataclass(frozen=True)
class Digest:
    """An escalation: to a unit's leader (participant), or to an organisation's admin (user)."""

    plan_id: int
    organization_id: int
    kind: str  # digest_unit, digest_school, digest_above
    participant_id: int | None
    user_id: int | None
    recipient_name: str
    title: str
    lines: tuple[str, ...]
    link: str


@dataclass
class DueNow:
    day: date
    reminders: list[Due] = field(default_factory=list)
    digests: list[Digest] = field(default_factory=list)


@dataclass(frozen=True)
class Logged:
    """The log's summary of one person's reminders of one thing."""

    count: int
    overdue: int
    last_day: date | None


NOTHING = Logged(0, 0, None)


class Candidate(NamedTuple):
    """A person with something left to do, and its due day."""

    plan_id: int
    organization_id: int
    participant_id: int
    full_name: str
    email: str | None
    user_id: int | None
    kind: str
    item_id: int
    item_title: str
    due_on: date


def stage(rule: KindRule, due_on: date, day: date, logged: Logged) -> str | None:
    """The stage of a reminder due on `day` (a working day), or None: nothing due."""
    if not rule.enabled:
        return None
    last = logged.last_day
    if day < due_on:
        window = (due_on - day).days <= rule.days_before
        return "before" if window and logged.count == 0 else None
    since_due = last is not None and last >= due_on
    if not since_due and rule.on_due:
        return "due"
    if logged.overdue >= rule.max_after:
        return None
    base = last if since_due else due_on
    if (day - base).days >= rule.every_days:
        return f"overdue-{logged.overdue + 1}"
    return None


def confirmation_due(plan: Plan, policy: PolicyPublic) -> date:
    """A plan's deadline to confirm: set in its policy, else when it starts (once issued)."""
    if policy.confirmation_due_on is not None:
        return policy.confirmation_due_on
    return max(d for d in (plan.period_start, plan.issued_on) if d is not None)


def plan_reminders(db: Session, at: datetime, plan_id: int | None = None) -> DueNow:
    """Everything due at `at`: reminders and escalation digests, for one plan or all active."""
    from app.reminders import escalation  # it imports this module's rows and rules

    zone = current_settings().zone
    day = calendar.local(at, zone).date()
    result = DueNow(day)
    if not calendar.is_working_day(day):
        return result
    conditions = [Plan.status == "active"]
    if plan_id is not None:
        conditions.append(Plan.id == plan_id)
    active = list(db.exec(sa.select(Plan).where(*conditions).order_by(Plan.id)).scalars())
    policies = effective(db, active)
    plans = [
        p
        for p in active
        if calendar.in_working_hours(
            at, zone, policies[p.id].work_start_hour, policies[p.id].work_end_hour
        )
    ]
    if not plans:
        return result
    log, candidates = _left_to_do(db, plans, policies, at, day)
    for row in candidates:
        rule = getattr(policies[row.plan_id].rules, row.kind)
        logged = log.get((row.participant_id, row.kind, row.item_id), NOTHING)
        reached = stage(rule, row.due_on, day, logged)
        if reached is not None:
            result.reminders.append(Due(**row._asdict(), stage=reached))
    result.reminders.sort(key=lambda d: (d.plan_id, d.kind, d.item_id, d.full_name))
    late = escalation.behind(candidates, policies, day, log)
    result.digests = escalation.digests(db, plans, policies, day, late)
    return result


def behind_now(db: Session, at: datetime, plans: Sequence[Plan]) -> list[Candidate]:
    """Who is behind at `at` on these plans, as escalation counts it (any day or hour)."""
    from app.reminders import escalation

    policies = effective(db, plans)
    day = calendar.local(at, current_settings().zone).date()
    log, candidates = _left_to_do(db, plans, policies, at, day)
    return escalation.behind(candidates, policies, day, log)


def _left_to_do(db, plans, policies, at, day):
    """The log's summary and what is left to do, for these plans."""
    return _log(db, [p.id for p in plans]), _candidates(db, plans, policies, at, day)


def _log(db: Session, plan_ids: Sequence[int]) -> dict[tuple[int, str, int], Logged]:
    """The reminders of these plans per (person, kind, item): how many, how many after the
    due day, and the last day. One grouped query."""
    overdue = sa.func.sum(sa.case((Reminder.stage.startswith("overdue"), 1), else_=0))
    rows = db.exec(
        sa.select(
            Reminder.participant_id,
            Reminder.kind,
            Reminder.item_id,
            sa.func.count(),
            overdue,
            sa.func.max(Reminder.day),
        )
        .where(Reminder.plan_id.in_(plan_ids), Reminder.participant_id.is_not(None))
        .where(Reminder.kind.in_(("confirmation", "reflection", "task", "session")))
        .group_by(Reminder.participant_id, Reminder.kind, Reminder.item_id)
    ).all()
    return {(p, k, i): Logged(n, int(o or 0), last) for p, k, i, n, o, last in rows}


def _person_columns() -> list[sa.ColumnElement]:
    return [
        Participant.id.label("participant_id"),
        Participant.full_name,
        Participant.email,
        User.id.label("user_id"),
    ]


def _with_login(query: sa.Select) -> sa.Select:
    return query.outerjoin(User, sa.and_(User.participant_id == Participant.id, User.is_active))


def _candidates(db, plans, policies, at: datetime, day: date) -> list[Candidate]:
    """The people who have something left to do, with its due day: one query per kind."""
    rows: list[Candidate] = []
    confirming = {
        p.id: confirmation_due(p, policies[p.id])
        for p in plans
        if policies[p.id].rules.confirmation.enabled
    }
    if confirming:
        pairs = audience.members(Plan, where=[Plan.id.in_(confirming)]).subquery()
        query = _with_login(
            sa.select(
                Plan.id.label("plan_id"),
                Plan.organization_id,
                *_person_columns(),
                sa.literal("confirmation").label("kind"),
                Plan.id.label("item_id"),
                sa.func.coalesce(Plan.symbol, Plan.title).label("item_title"),
            )
            .select_from(pairs)
            .join(Plan, Plan.id == pairs.c.id)
            .join(Participant, Participant.id == pairs.c.participant_id)
            .where(~sa.exists().where(live_confirmation(Participant.id)))
        )
        rows += [Candidate(*r, due_on=confirming[r.plan_id]) for r in db.exec(query).all()]
    reflecting = {
        p.id: p.reflection_due_on
        for p in plans
        if p.reflection_required
        and p.reflection_timing == "later"
        and p.reflection_due_on is not None
        and policies[p.id].rules.reflection.enabled
    }
    if reflecting:
        query = _with_login(
            sa.select(
                Plan.id.label("plan_id"),
                Plan.organization_id,
                *_person_columns(),
                sa.literal("reflection").label("kind"),
                Plan.id.label("item_id"),
                sa.func.coalesce(Plan.symbol, Plan.title).label("item_title"),
                Plan.reflection_due_on.label("due_on"),
            )
            .select_from(Plan)
            .join(Acknowledgement, live_confirmation(Acknowledgement.participant_id))
            .join(Participant, Participant.id == Acknowledgement.participant_id)
            .where(Plan.id.in_(reflecting), Participant.active.is_(True))
            .where(Acknowledgement.reflection.is_(None))
        )
        rows += [Candidate(*r) for r in db.exec(query).all()]
    tasking = [p.id for p in plans if policies[p.id].rules.task.enabled]
    if tasking:
        rows += _task_rows(db, tasking)
    sessions = {p.id: policies[p.id].rules.session for p in plans}
    reach = max((r.days_before for r in sessions.values() if r.enabled), default=None)
    if reach is not None:
        rows += _session_rows(db, [i for i, r in sessions.items() if r.enabled], at, day, reach)
    return rows


def _task_rows(db: Session, plan_ids: Sequence[int]) -> list[Candidate]:
    """Open tasks with a due day: the assignee, or for a unit's task the unit's leaders
    (two indexed joins in one UNION; an OR in the join would scan the staff per task)."""
    person = sa.select(Task.id.label("task_id"), Task.assignee_participant_id.label("person"))
    leader = sa.select(Task.id, UnitMembership.participant_id).join(
        UnitMembership,
        sa.and_(
            UnitMembership.unit_id == Task.assignee_unit_id,
            UnitMembership.is_leader.is_(True),
            live_membership(),
        ),
    )
    open_tasks = (Task.plan_id.in_(plan_ids), Task.status.in_(OPEN_TASK), Task.due_on.is_not(None))
    assigned = sa.union_all(
        person.where(Task.assignee_participant_id.is_not(None), *open_tasks),
        leader.where(*open_tasks),
    ).subquery()
    query = _with_login(
        sa.select(
            Task.plan_id,
            Task.organization_id,
            *_person_columns(),
            sa.literal("task").label("kind"),
            Task.id.label("item_id"),
            Task.title.label("item_title"),
            Task.due_on,
        )
        .select_from(assigned)
        .join(Task, Task.id == assigned.c.task_id)
        .join(Participant, Participant.id == assigned.c.person)
        .where(Participant.active.is_(True))
    )
    return [Candidate(*r) for r in db.exec(query).all()]


def _session_rows(
    db: Session, plan_ids: Sequence[int], at: datetime, day: date, reach: int
) -> list[Candidate]:
    """People expected at the scheduled sessions that start later, within `reach` days."""
    zone = current_settings().zone
    horizon = datetime.combine(day + timedelta(days=reach + 1), datetime.min.time(), tzinfo=zone)
    upcoming = [
        StudySession.plan_id.in_(plan_ids),
        StudySession.status == "scheduled",
        StudySession.starts_at > at,
        StudySession.starts_at < horizon,
    ]
    pairs = audience.members(StudySession, where=upcoming).subquery()
    query = _with_login(
        sa.select(
            StudySession.plan_id,
            StudySession.organization_id,
            *_person_columns(),
            sa.literal("session").label("kind"),
            StudySession.id.label("item_id"),
            StudySession.title.label("item_title"),
            StudySession.starts_at,
        )
        .select_from(pairs)
        .join(StudySession, StudySession.id == pairs.c.id)
        .join(Participant, Participant.id == pairs.c.participant_id)
    )
    return [
        Candidate(*r[:-1], due_on=calendar.local(r.starts_at, zone).date())
        for r in db.exec(query).all()
    ]

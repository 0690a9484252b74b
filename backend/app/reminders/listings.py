"""What staff read of the follow-up loop: a plan's reminder log (and whether each thing has
since been done), its group messages for the units' chats, and a leader's digest page."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from app import audience
from app.acknowledgements.confirmation import live_confirmation
from app.acknowledgements.models import Acknowledgement
from app.auth.models import User
from app.authz import Actor, Permission
from app.mail.models import OutboundMessage
from app.orgs.models import Unit, UnitMembership, live_membership
from app.people.models import Participant
from app.plans import access as plans
from app.plans.models import Plan, PlanAudienceUnit
from app.reminders.delivery import REMINDER_KEY
from app.reminders.messages import behind_label, group_message, plan_name
from app.reminders.models import Reminder
from app.reminders.planning import behind_now, confirmation_due
from app.reminders.policy import effective
from app.reminders.schemas import DigestEntry, GroupMessage, ReminderRow
from app.study_sessions.models import Attendance, StudySession
from app.tasks.models import Task

# Reading who was reminded, and who is missing, names people: the plan's staff readers.
READ = Permission.PEOPLE_READ


def _done() -> sa.ColumnElement:
    """SQL: whether the reminded thing has since been done (NULL for a digest)."""
    person = Reminder.participant_id
    confirmed = sa.exists().where(Plan.id == Reminder.item_id, live_confirmation(person))
    reflected = sa.exists().where(
        Plan.id == Reminder.item_id,
        live_confirmation(person),
        Acknowledgement.reflection.is_not(None),
    )
    finished = sa.exists().where(Task.id == Reminder.item_id, Task.status == "done")
    attended = sa.exists().where(
        Attendance.session_id == Reminder.item_id,
        Attendance.participant_id == person,
        Attendance.status.in_(("present", "late")),
    )
    return sa.case(
        (Reminder.kind == "confirmation", confirmed),
        (Reminder.kind == "reflection", reflected),
        (Reminder.kind == "task", finished),
        (Reminder.kind == "session", attended),
        else_=sa.null(),
    )


def _title() -> sa.ColumnElement:
    return sa.case(
        (
            Reminder.kind.in_(("task",)),
            sa.select(Task.title).where(Task.id == Reminder.item_id).scalar_subquery(),
        ),
        (
            Reminder.kind == "session",
            sa.select(StudySession.title)
            .where(StudySession.id == Reminder.item_id)
            .scalar_subquery(),
        ),
        else_=sa.select(sa.func.coalesce(Plan.symbol, Plan.title))
        .where(Plan.id == Reminder.plan_id)
        .scalar_subquery(),
    )


def reminder_log(
    db: Session, actor: Actor, plan_id: int, kind: str | None, limit: int, offset: int
) -> tuple[list[ReminderRow], int]:
    """The plan's reminders and digests, newest first."""
    plan, _ = plans.load_plan(db, actor, plan_id, READ)
    conditions = [Reminder.plan_id == plan.id]
    if kind:
        conditions.append(Reminder.kind == kind)
    total = db.exec(sa.select(sa.func.count()).select_from(Reminder).where(*conditions)).scalar()
    rows = db.exec(
        sa.select(
            Reminder,
            sa.func.coalesce(Participant.full_name, User.display_name).label("name"),
            _title().label("item_title"),
            _done().label("done"),
            OutboundMessage.status,
            OutboundMessage.last_error,
        )
        .outerjoin(Participant, Participant.id == Reminder.participant_id)
        .outerjoin(User, User.id == Reminder.user_id)
        .outerjoin(
            OutboundMessage,
            OutboundMessage.idempotency_key
            == sa.literal(REMINDER_KEY) + sa.cast(Reminder.id, sa.String),
        )
        .where(*conditions)
        .order_by(Reminder.created_at.desc(), Reminder.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [
        ReminderRow(
            **row.model_dump(),
            recipient_name=name or "",
            item_title=title,
            done=None if done is None else bool(done),
            email_status=email_status,
            email_error=email_error,
        )
        for row, name, title, done, email_status, email_error in rows
    ], total


def group_messages(db: Session, actor: Actor, plan_id: int) -> list[GroupMessage]:
    """For each unit the plan addresses, the text for its chat: who has not confirmed yet."""
    plan, _ = plans.load_plan(db, actor, plan_id, READ)
    deadline = confirmation_due(plan, effective(db, [plan])[plan.id])
    units_query = sa.select(Unit.id, Unit.name).where(
        Unit.organization_id == plan.organization_id, Unit.archived_at.is_(None)
    )
    if not plan.audience_all:
        units_query = units_query.where(
            Unit.id.in_(
                sa.select(PlanAudienceUnit.unit_id).where(PlanAudienceUnit.plan_id == plan.id)
            )
        )
    units = db.exec(units_query.order_by(Unit.name)).all()
    missing = db.exec(
        sa.select(UnitMembership.unit_id, Participant.full_name)
        .join(Participant, Participant.id == UnitMembership.participant_id)
        .where(live_membership(), UnitMembership.unit_id.in_([u.id for u in units]))
        .where(audience.includes(plan))
        .where(~sa.exists().where(live_confirmation(Participant.id), Plan.id == plan.id))
        .order_by(Participant.sort_name, Participant.id)
    ).all()
    names: dict[int, list[str]] = {u.id: [] for u in units}
    for unit_id, full_name in missing:
        names[unit_id].append(full_name)
    return [
        GroupMessage(
            unit_id=u.id,
            unit_name=u.name,
            missing=names[u.id],
            deadline=deadline,
            text=group_message(u.name, plan, names[u.id], deadline, plans.today()),
        )
        for u in units
    ]


def leader_digest(db: Session, actor: Actor, at: datetime) -> list[DigestEntry]:
    """For the units the caller leads: who in each is behind, on each active plan."""
    if actor.participant_id is None:
        return []
    led = db.exec(
        sa.select(Unit.id, Unit.name, Unit.organization_id)
        .join(UnitMembership, UnitMembership.unit_id == Unit.id)
        .where(
            UnitMembership.participant_id == actor.participant_id,
            UnitMembership.is_leader.is_(True),
            live_membership(),
            Unit.archived_at.is_(None),
        )
    ).all()
    if not led:
        return []
    active = list(
        db.exec(
            sa.select(Plan)
            .where(Plan.status == "active", Plan.organization_id.in_({u[2] for u in led}))
            .order_by(Plan.id)
        ).scalars()
    )
    late = behind_now(db, at, active) if active else []
    members = db.exec(
        sa.select(UnitMembership.unit_id, UnitMembership.participant_id).where(
            UnitMembership.unit_id.in_([u[0] for u in led]), live_membership()
        )
    ).all()
    in_unit = {(unit_id, person) for unit_id, person in members}
    entries = []
    for plan in active:
        for unit_id, unit_name, org_id in led:
            if org_id != plan.organization_id:
                continue
            behind = [
                f"{c.full_name}: {behind_label(c)}"
                for c in late
                if c.plan_id == plan.id and (unit_id, c.participant_id) in in_unit
            ]
            if behind:
                entries.append(
                    DigestEntry(
                        plan_id=plan.id,
                        plan_title=plan_name(plan),
                        unit_id=unit_id,
                        unit_name=unit_name,
                        behind=behind,
                        link=f"#/plans/{plan.id}/pending?unit={unit_id}",
                    )
                )
    return entries

"""Confirmations read in bulk: the records in scope with names and whether each still
counts, and the pending list of who in a plan's audience has not confirmed yet."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from app import audience
from app.acknowledgements.models import Acknowledgement
from app.acknowledgements.schemas import GRADE_LABELS, AcknowledgementPublic, PendingRow
from app.authz import Actor, Permission, in_scope
from app.core.errors import Forbidden
from app.links.models import issued_by_name
from app.orgs import service as orgs
from app.orgs.models import Organization, UnitMembership, live_membership
from app.people import service as people
from app.people.models import Participant
from app.plans import access as plans
from app.plans.models import Plan


def present(
    db: Session, rows: list[Acknowledgement], plan: Plan | None = None
) -> list[AcknowledgementPublic]:
    """Records with the person's name and, for what came through a personal link, the name
    of the account that issued it."""
    names = (
        {
            row.id: row
            for row in db.exec(
                sa.select(
                    Acknowledgement.id,
                    Participant.full_name,
                    issued_by_name(Acknowledgement.link_id).label("via_link_issued_by"),
                    issued_by_name(Acknowledgement.reflection_link_id).label(
                        "reflection_via_link_issued_by"
                    ),
                )
                .join(Participant, Participant.id == Acknowledgement.participant_id)
                .where(Acknowledgement.id.in_([r.id for r in rows]))
            ).all()
        }
        if rows
        else {}
    )
    majors = (
        {plan.id: plan.material_major}
        if plan
        else dict(
            db.exec(
                sa.select(Plan.id, Plan.material_major).where(
                    Plan.id.in_({r.plan_id for r in rows})
                )
            ).all()
        )
        if rows
        else {}
    )
    return [
        AcknowledgementPublic.model_validate(
            {
                **r.model_dump(),
                "participant_name": names[r.id].full_name,
                "via_link_issued_by": names[r.id].via_link_issued_by,
                "reflection_via_link_issued_by": names[r.id].reflection_via_link_issued_by,
                "grade_label": GRADE_LABELS.get(r.grade) if r.grade else None,
                "current": r.withdrawn_at is None and r.material_major == majors.get(r.plan_id),
            }
        )
        for r in rows
    ]


def list_acknowledgements(
    db: Session,
    actor: Actor,
    *,
    plan_id: int | None,
    participant_id: int | None,
    unit_id: int | None,
    has_reflection: bool | None,
    graded: bool | None,
    current: bool | None,
    limit: int,
    offset: int,
) -> tuple[list[AcknowledgementPublic], int]:
    """Every confirmation in scope, and the caller's own, withdrawn and superseded ones too
    (each says whether it is `current`); `current` True keeps the live confirmations of
    plans' current versions only, False the others."""
    query = (
        sa.select(Acknowledgement)
        .join(Organization, Organization.id == Acknowledgement.organization_id)
        .join(Plan, Plan.id == Acknowledgement.plan_id)
    )
    visible = in_scope(actor, Permission.PLANS_READ, Organization.path)
    if actor.participant_id is not None:
        visible = sa.or_(visible, Acknowledgement.participant_id == actor.participant_id)
    conditions = [visible]
    if plan_id is not None:
        plan, _ = plans.load_plan(db, actor, plan_id, Permission.PLANS_READ)
        conditions.append(Acknowledgement.plan_id == plan.id)
    if participant_id is not None:
        person = people.load_record_of(db, actor, participant_id)
        conditions.append(Acknowledgement.participant_id == person.id)
    if unit_id is not None:
        conditions.append(
            Acknowledgement.participant_id.in_(
                sa.select(UnitMembership.participant_id).where(
                    UnitMembership.unit_id == unit_id, live_membership()
                )
            )
        )
    if has_reflection is not None:
        conditions.append(
            Acknowledgement.reflection.is_not(None)
            if has_reflection
            else Acknowledgement.reflection.is_(None)
        )
    if graded is not None:
        conditions.append(
            Acknowledgement.grade.is_not(None) if graded else Acknowledgement.grade.is_(None)
        )
    if current is not None:
        live = sa.and_(
            Acknowledgement.withdrawn_at.is_(None),
            Acknowledgement.material_major == Plan.material_major,
        )
        conditions.append(live if current else sa.not_(live))
    query = query.where(*conditions)
    total = db.exec(sa.select(sa.func.count()).select_from(query.subquery())).one()[0]
    rows = list(
        db.exec(
            query.order_by(Acknowledgement.confirmed_at.desc(), Acknowledgement.id.desc())
            .limit(limit)
            .offset(offset)
        ).scalars()
    )
    return present(db, rows), total


def pending(db: Session, actor: Actor, plan_id: int, unit_id: int | None) -> list[PendingRow]:
    """Who in the audience has not confirmed the current version yet (live)."""
    plan, org = plans.load_plan(db, actor, plan_id, Permission.PLANS_READ)
    if not actor.can(Permission.PLANS_READ, org.path):
        # A unit leader sees the pending list of the units they lead.
        led = _units_led(db, actor)
        if unit_id is None or unit_id not in led:
            raise Forbidden(
                "Chỉ xem được danh sách của tổ mình phụ trách. / Only your own unit's list."
            )
    confirmed = sa.select(Acknowledgement.participant_id).where(
        Acknowledgement.plan_id == plan.id,
        Acknowledgement.material_major == plan.material_major,
        Acknowledgement.withdrawn_at.is_(None),
    )
    query = (
        sa.select(Participant)
        .where(audience.includes(plan), Participant.id.not_in(confirmed))
        .order_by(Participant.sort_name, Participant.id)
    )
    if unit_id is not None:
        query = query.where(
            Participant.id.in_(
                sa.select(UnitMembership.participant_id).where(
                    UnitMembership.unit_id == unit_id, live_membership()
                )
            )
        )
    waiting = list(db.exec(query).scalars())
    units = orgs.unit_names_by_participant(db, org.id)
    return [
        PendingRow(
            participant_id=p.id,
            full_name=p.full_name,
            staff_code=p.staff_code,
            position=p.position,
            units=units.get(p.id, []),
            email=p.email,
            phone=p.phone,
        )
        for p in waiting
    ]


def _units_led(db: Session, actor: Actor) -> set[int]:
    if actor.participant_id is None:
        return set()
    return set(
        db.exec(
            sa.select(UnitMembership.unit_id).where(
                UnitMembership.participant_id == actor.participant_id,
                UnitMembership.is_leader.is_(True),
                live_membership(),
            )
        ).scalars()
    )

"""The one-tap confirmation that one studied a plan, by oneself or recorded on one's behalf.

It is the busiest write of the app (a whole school confirms within minutes of the
announcement), so it runs prepared plain SQL: one read that answers every question about the
plan and the person, then the INSERT and its audit event (a test counts the statements).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from app import audience
from app.acknowledgements.models import Acknowledgement
from app.acknowledgements.reflections import check_reflection
from app.acknowledgements.schemas import GRADE_LABELS, AcknowledgementPublic
from app.audit import trail as audit
from app.authz import Actor, Permission
from app.core.base import utcnow
from app.core.db import PreparedRead
from app.core.errors import Forbidden, InvalidInput, NotFound, field_error
from app.links.models import issued_by_name
from app.people import service as people
from app.people.models import Participant
from app.plans import access as plans
from app.plans.models import Plan


def live_confirmation(participant_id: sa.ColumnElement[int]) -> sa.ColumnElement[bool]:
    """SQL: the acknowledgement row is this person's live confirmation of the current
    version of the plan row in the enclosing query."""
    return sa.and_(
        Acknowledgement.plan_id == Plan.id,
        Acknowledgement.participant_id == participant_id,
        Acknowledgement.material_major == Plan.material_major,
        Acknowledgement.withdrawn_at.is_(None),
    )


_PERSON = sa.bindparam("participant_id")
_CONFIRMABLE = PreparedRead(
    sa.select(
        Plan.id,
        Plan.organization_id,
        Plan.status,
        Plan.material_major,
        Plan.reflection_required,
        Plan.reflection_min_length,
        Plan.reflection_timing,
        audience.includes_person(Plan, _PERSON).label("addressed"),
        sa.select(Acknowledgement.id)
        .where(live_confirmation(_PERSON))
        .scalar_subquery()
        .label("existing_id"),
    ).where(Plan.id == sa.bindparam("plan_id"))
)
_BY_ID = sa.select(
    *Acknowledgement.__table__.c,
    issued_by_name(Acknowledgement.link_id).label("via_link_issued_by"),
    issued_by_name(Acknowledgement.reflection_link_id).label("reflection_via_link_issued_by"),
).where(Acknowledgement.id == sa.bindparam("id"))
# Unless the person's live confirmation of the version exists (the partial unique index):
# then no row, and no error that would spoil the transaction.
_INSERTS = {
    dialect: insert(Acknowledgement)
    .on_conflict_do_nothing(
        index_elements=["participant_id", "plan_id", "material_major"],
        index_where=Acknowledgement.withdrawn_at.is_(None),
    )
    .returning(Acknowledgement.id)
    for dialect, insert in (("postgresql", postgresql.insert), ("sqlite", sqlite.insert))
}


def confirmable(db: Session, plan_id: int, participant_id: int) -> Any | None:
    """The plan's state for this person: status, version, reflection rule, whether it
    addresses them (`addressed`) and their live confirmation (`existing_id`); None if no plan."""
    return _CONFIRMABLE.first(db, plan_id=plan_id, participant_id=participant_id)


def own_plan(db: Session, plan_id: int, person: people.Person) -> Any:
    """The plan as `confirmable` reads it, if it is the person's own to read: issued (not a
    draft) and addressing them; otherwise 404, as if there were no such plan (signed in or
    by a personal link alike)."""
    plan = confirmable(db, plan_id, person.id)
    if plan is None or plan.status == "draft" or not plan.addressed:
        raise NotFound(plans.NOT_FOUND)
    return plan


def confirm(
    db: Session,
    actor: Actor,
    plan: Any,
    person: people.Person,
    *,
    method: str,
    reflection: str | None = None,
    reason: str | None = None,
    address: str | None = None,
) -> tuple[AcknowledgementPublic, bool]:
    """Record the confirmation of the plan's current version; a repeat returns the first one.

    `plan` comes from `confirmable`. A plan whose reflection is due later takes the
    confirmation alone (a reflection sent along must still meet its rule). Returns (record,
    created). Parallel confirmations of one person collapse into one row: the partial unique
    index turns the second insert into nothing, and we read the winner back.
    """
    if plan.status == "closed":
        raise plans.PlanClosed(
            "Kế hoạch đã kết thúc; không nhận xác nhận mới. / The plan is closed."
        )
    if plan.status != "active" or not plan.addressed:
        raise Forbidden(
            "Kế hoạch này không dành cho người này. / This plan does not address this person."
        )
    if plan.existing_id is not None:
        return _present_one(db, plan.existing_id, person), False
    if reflection or plan.reflection_timing != "later":
        check_reflection(plan, reflection)
    now = utcnow()
    values = {
        "plan_id": plan.id,
        "participant_id": person.id,
        "organization_id": plan.organization_id,
        "material_major": plan.material_major,
        "confirmed_at": now,
        "method": method,
        "recorded_by_id": actor.user_id,
        "link_id": actor.link_id,
        "on_behalf_reason": reason,
        "client_address": address,
        "reflection": reflection or None,
        "reflection_submitted_at": now if reflection else None,
        "reflection_link_id": actor.link_id if reflection else None,
    }
    connection = db.connection()
    record_id = connection.execute(_INSERTS[connection.dialect.name], values).scalar_one_or_none()
    if record_id is None:  # a parallel confirmation committed first
        return _present_one(db, confirmable(db, plan.id, person.id).existing_id, person), False
    audit.record(
        db,
        actor,
        "acknowledgement.confirm",
        entity_type="acknowledgement",
        entity_id=record_id,
        organization_id=plan.organization_id,
        after=audit.snapshot({"id": record_id, **values}),
    )
    issuer = actor.link.issued_by_name if actor.link else None
    issuers = {
        "via_link_issued_by": issuer,
        "reflection_via_link_issued_by": issuer if reflection else None,
    }
    return as_public({**_NOT_YET, **values, **issuers, "id": record_id}, person.full_name), True


_NOT_YET = dict.fromkeys(("grade", "grade_comment", "graded_at", "withdrawn_at", "withdraw_reason"))


def as_public(values: Mapping[str, Any], participant_name: str) -> AcknowledgementPublic:
    """A live confirmation of the current version from its column values."""
    grade = values["grade"]
    return AcknowledgementPublic.model_validate(
        {
            **values,
            "participant_name": participant_name,
            "grade_label": GRADE_LABELS.get(grade) if grade else None,
        }
    )


def _present_one(db: Session, ack_id: int, person: people.Person) -> AcknowledgementPublic:
    row = db.connection().execute(_BY_ID, {"id": ack_id}).one()
    return as_public(row._mapping, person.full_name)


def confirm_self(
    db: Session, actor: Actor, plan_id: int, reflection: str | None, address: str
) -> tuple:
    participant = people.own_participant(db, actor)
    return confirm(
        db,
        actor,
        own_plan(db, plan_id, participant),
        participant,
        method="self",
        reflection=reflection,
        address=address,
    )


def confirm_on_behalf(
    db: Session,
    actor: Actor,
    plan_id: int,
    participant_id: int,
    reason: str,
    reflection: str | None,
    address: str,
) -> tuple:
    plan, org = plans.load_plan(db, actor, plan_id, Permission.ACKNOWLEDGEMENTS_RECORD)
    participant = db.get(Participant, participant_id)
    if participant is None or participant.organization_id != org.id:
        raise InvalidInput(
            "Người này không thuộc đơn vị ban hành kế hoạch. "
            "/ Not a member of the plan's organisation.",
            errors=[
                field_error("body.participant_id", "not in the plan's organisation", "not_found")
            ],
        )
    return confirm(
        db,
        actor,
        confirmable(db, plan.id, participant.id),
        participant,
        method="on_behalf",
        reflection=reflection,
        reason=reason,
        address=address,
    )

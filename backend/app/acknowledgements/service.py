"""Confirmations that a person studied a plan, their reflections, grades and withdrawals."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from app import audience
from app.acknowledgements.models import Acknowledgement
from app.acknowledgements.schemas import GRADE_LABELS, AcknowledgementPublic, PendingRow
from app.audit import trail as audit
from app.authz import Actor, Permission, authorize, in_scope
from app.core.db import PreparedRead
from app.core.errors import Conflict, Forbidden, InvalidInput, NotFound, field_error
from app.links.models import issued_by_name
from app.orgs import service as orgs
from app.orgs.models import Organization, UnitMembership, live_membership
from app.people import service as people
from app.people.models import Participant
from app.plans import access as plans
from app.plans.models import Plan


def _now() -> datetime:
    return datetime.now(UTC)


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


def _check_reflection(plan: Any, reflection: str | None) -> None:
    text = (reflection or "").strip()
    if plan.reflection_required and len(text) < max(plan.reflection_min_length, 1):
        raise InvalidInput(
            f"Kế hoạch yêu cầu bài thu hoạch tối thiểu {plan.reflection_min_length} ký tự "
            f"(hiện có {len(text)}). "
            f"/ A reflection of at least {plan.reflection_min_length} characters is required.",
            errors=[
                field_error(
                    "body.reflection",
                    f"at least {plan.reflection_min_length} characters",
                    "too_short",
                )
            ],
        )


# The one-tap confirmation is the busiest write of the app (a whole school confirms within
# minutes of the announcement), so it runs prepared plain SQL: one read that answers every
# question about the plan and the person, then the INSERT and its audit event.


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

    `plan` comes from `confirmable`. Returns (record, created). Parallel confirmations of one
    person collapse into one row: the partial unique index turns the second insert into
    nothing, and we read the winner back.
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
    _check_reflection(plan, reflection)
    now = _now()
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


def _load(db: Session, actor: Actor, ack_id: int, permission: Permission) -> Acknowledgement:
    record = db.get(Acknowledgement, ack_id)
    if record is None:
        raise NotFound("Không tìm thấy xác nhận. / Confirmation not found.")
    if not (permission is Permission.PLANS_READ and record.participant_id == actor.participant_id):
        authorize(actor, permission, orgs.load_org(db, record.organization_id).path)
    return record


def submit_reflection(
    db: Session, actor: Actor, record: Acknowledgement, text: str
) -> AcknowledgementPublic:
    """The owner writes or rewrites the reflection, until it is graded."""
    plan = db.get(Plan, record.plan_id)
    if plan.status == "closed":
        raise plans.PlanClosed("Kế hoạch đã kết thúc. / The plan is closed.")
    if record.withdrawn_at is not None:
        raise Conflict("Xác nhận này đã bị thu hồi. / This confirmation was withdrawn.")
    if record.grade is not None:
        raise Conflict(
            "Bài thu hoạch đã được chấm, không sửa được. / The reflection is already graded."
        )
    _check_reflection(plan, text)
    if not plan.reflection_required and not text.strip():
        raise InvalidInput(
            "empty reflection", errors=[field_error("body.reflection", "must not be empty")]
        )
    with audit.change(db, actor, "acknowledgement.reflection", record):
        record.reflection, record.reflection_submitted_at = text, _now()
        record.reflection_link_id = actor.link_id
    return present(db, [record], plan)[0]


def reflect_self(db: Session, actor: Actor, ack_id: int, text: str) -> AcknowledgementPublic:
    record = _load(db, actor, ack_id, Permission.PLANS_READ)
    if record.participant_id != actor.participant_id:
        raise Forbidden(
            "Chỉ người viết mới sửa được bài thu hoạch. / Only its author may change a reflection."
        )
    return submit_reflection(db, actor, record, text)


def grade(
    db: Session, actor: Actor, ack_id: int, grade_value: str, comment: str | None
) -> AcknowledgementPublic:
    record = _load(db, actor, ack_id, Permission.REFLECTIONS_GRADE)
    if record.participant_id == actor.participant_id:
        raise Forbidden(
            "Không tự chấm bài thu hoạch của mình. / You cannot grade your own reflection."
        )
    if not record.reflection:
        raise InvalidInput(
            "Chưa có bài thu hoạch để chấm. / There is no reflection to grade.",
            errors=[field_error("body.grade", "no reflection submitted", "no_reflection")],
        )
    with audit.change(db, actor, "acknowledgement.grade", record):
        record.grade, record.grade_comment = grade_value, comment
        record.graded_by_id, record.graded_at = actor.user_id, _now()
    return present(db, [record])[0]


def withdraw(db: Session, actor: Actor, ack_id: int, reason: str) -> AcknowledgementPublic:
    record = _load(db, actor, ack_id, Permission.ACKNOWLEDGEMENTS_WITHDRAW)
    if record.withdrawn_at is not None:
        raise Conflict("Xác nhận đã bị thu hồi trước đó. / Already withdrawn.")
    with audit.change(db, actor, "acknowledgement.withdraw", record):
        record.withdrawn_at, record.withdrawn_by_id, record.withdraw_reason = (
            _now(),
            actor.user_id,
            reason,
        )
    return present(db, [record])[0]


def list_acknowledgements(
    db: Session,
    actor: Actor,
    *,
    plan_id: int | None,
    unit_id: int | None,
    has_reflection: bool | None,
    graded: bool | None,
    current: bool | None,
    limit: int,
    offset: int,
) -> tuple[list[AcknowledgementPublic], int]:
    """Every confirmation in scope, withdrawn and superseded ones too (each says whether it is
    `current`); `current` True keeps the live confirmations of plans' current versions only,
    False the others."""
    query = (
        sa.select(Acknowledgement)
        .join(Organization, Organization.id == Acknowledgement.organization_id)
        .join(Plan, Plan.id == Acknowledgement.plan_id)
    )
    conditions = [in_scope(actor, Permission.PLANS_READ, Organization.path)]
    if plan_id is not None:
        plan, _ = plans.load_plan(db, actor, plan_id, Permission.PLANS_READ)
        conditions.append(Acknowledgement.plan_id == plan.id)
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

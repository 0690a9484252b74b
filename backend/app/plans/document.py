"""A plan as the official document: drafting and editing it, issuing it under the next
number, closing it, and the shape every reader gets (with its materials listed, which is
why reading materials lives here and not with adding them)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Session

from app.audit import trail as audit
from app.authz import Actor, Permission
from app.contests.models import Contest
from app.core.errors import InvalidInput, InvalidTransition, field_error
from app.documents import service as documents
from app.files.models import StoredFile
from app.orgs import service as orgs
from app.orgs.models import Organization, Unit
from app.plans.access import load_plan, plan_summary, today, writable_plan
from app.plans.models import Plan, PlanAudienceUnit, PlanMaterial
from app.plans.schemas import (
    MaterialPublic,
    PlanCreate,
    PlanPublic,
    PlanUpdate,
    UnitRef,
    check_reflection_due,
)

TRANSITIONS = {"issue": ("draft", "active"), "close": ("active", "closed")}


# Reading


def present(db: Session, plan: Plan, org: Organization) -> PlanPublic:
    parent_org = db.get(Organization, org.parent_id) if org.parent_id else None
    units = db.exec(
        sa.select(Unit)
        .join(PlanAudienceUnit, PlanAudienceUnit.unit_id == Unit.id)
        .where(PlanAudienceUnit.plan_id == plan.id)
        .order_by(Unit.name)
    ).scalars()
    parent_plan = None
    if plan.parent_plan_id:
        found = db.exec(
            sa.select(Plan, Organization.name)
            .join(Organization, Organization.id == Plan.organization_id)
            .where(Plan.id == plan.parent_plan_id)
        ).first()
        parent_plan = plan_summary(*found) if found else None
    return PlanPublic.model_validate(
        {
            **plan.model_dump(),
            "organization_name": org.name,
            "issuer_name": org.name,
            "issuer_abbreviation": org.abbreviation,
            "issuer_parent_name": parent_org.name if parent_org else None,
            "date_line": documents.date_in_words(plan.place_name, plan.issued_on),
            "audience_units": [UnitRef(id=u.id, name=u.name) for u in units],
            "materials": list_materials(db, plan),
            "parent_plan": parent_plan,
            "contests_available": _contests_available(db, plan, org),
        }
    )


def _contests_available(db: Session, plan: Plan, org: Organization) -> bool:
    """As `app.contests.service.create` allows: an issuer with organisations under it."""
    under = sa.exists().where(Organization.parent_id == org.id)
    held = sa.exists().where(Contest.plan_id == plan.id)
    return db.exec(sa.select(sa.or_(under, held))).one()[0]


_MATERIALS_OF = (
    sa.select(
        *PlanMaterial.__table__.c,
        StoredFile.original_name.label("file_name"),
        StoredFile.size.label("file_size"),
    )
    .outerjoin(StoredFile, StoredFile.id == PlanMaterial.file_id)
    .where(PlanMaterial.plan_id.in_(sa.bindparam("plan_ids", expanding=True)))
    .order_by(PlanMaterial.position, PlanMaterial.id)
)


def materials_of(db: Session, plan_ids: list[int]) -> dict[int, list[MaterialPublic]]:
    """The materials of several plans, in one query (the teacher's home asks on every visit)."""
    found: dict[int, list[MaterialPublic]] = {}
    if not plan_ids:
        return found
    for row in db.connection().execute(_MATERIALS_OF, {"plan_ids": plan_ids}):
        found.setdefault(row.plan_id, []).append(MaterialPublic.model_validate(row))
    return found


SUMMARY_LENGTH = 1200


def summary_of(sections: list[dict], preamble: str) -> str:
    """The opening a teacher's home shows of a plan: its purpose section, else its preamble."""
    purpose = next((s for s in sections if s.get("key") == "purpose"), None)
    return (purpose.get("body", "") if purpose else preamble)[:SUMMARY_LENGTH]


def list_materials(db: Session, plan: Plan) -> list[MaterialPublic]:
    return materials_of(db, [plan.id]).get(plan.id, [])


# Writing


def _set_audience(db: Session, plan: Plan, unit_ids: list[int]) -> None:
    db.exec(sa.delete(PlanAudienceUnit).where(PlanAudienceUnit.plan_id == plan.id))
    for unit_id in unit_ids:
        db.add(PlanAudienceUnit(plan_id=plan.id, unit_id=unit_id))


def _audience_ids(db: Session, plan: Plan) -> list[int]:
    return list(
        db.exec(
            sa.select(PlanAudienceUnit.unit_id).where(PlanAudienceUnit.plan_id == plan.id)
        ).scalars()
    )


def _picture(db: Session) -> audit.Picture:
    """A plan in the audit trail: its fields and the units it addresses."""
    return lambda plan: audit.snapshot(plan) | {"audience_unit_ids": _audience_ids(db, plan)}


def create_plan(db: Session, actor: Actor, data: PlanCreate) -> PlanPublic:
    org = orgs.get_org(db, actor, data.organization_id, Permission.PLANS_WRITE)
    unit_ids = [
        u.id
        for u in orgs.units_in(db, org.id, data.audience_unit_ids, field="body.audience_unit_ids")
    ]
    values = data.model_dump(exclude={"audience_unit_ids", "organization_id"})
    values["place_name"] = data.place_name or org.place_name
    plan = Plan(**values, organization_id=org.id, created_by_id=actor.user_id)
    plan.sections = [s.model_dump() for s in data.sections]
    db.add(plan)
    db.flush()
    _set_audience(db, plan, unit_ids)
    audit.create(db, actor, "plan.create", plan, picture=_picture(db))
    return present(db, plan, org)


def update_plan(db: Session, actor: Actor, plan_id: int, data: PlanUpdate) -> PlanPublic:
    """Drafts change freely; an active plan changes too, every change kept in the audit trail."""
    plan, org = writable_plan(db, actor, plan_id)
    changes = data.model_dump(exclude_unset=True, exclude={"audience_unit_ids"})
    start = changes.get("period_start", plan.period_start)
    end = changes.get("period_end", plan.period_end)
    if end is not None and end < start:
        raise InvalidInput(
            "Ngày kết thúc trước ngày bắt đầu. / The period ends before it starts.",
            errors=[field_error("body.period_end", "must not be before period_start")],
        )
    check_reflection_due(
        changes.get("reflection_timing", plan.reflection_timing),
        changes.get("reflection_due_on", plan.reflection_due_on),
        start,
    )
    audience_all = changes.get("audience_all", plan.audience_all)
    unit_ids = (
        [
            u.id
            for u in orgs.units_in(
                db,
                org.id,
                data.audience_unit_ids,
                field="body.audience_unit_ids",
                kept=_audience_ids(db, plan),
            )
        ]
        if data.audience_unit_ids is not None
        else _audience_ids(db, plan)
    )
    if not audience_all and not unit_ids:
        raise InvalidInput(
            "Chọn ít nhất một tổ/bộ phận. / Choose at least one unit.",
            errors=[
                field_error(
                    "body.audience_unit_ids", "choose at least one unit, or address all staff"
                )
            ],
        )
    with audit.change(db, actor, "plan.update", plan, picture=_picture(db)):
        for key, value in changes.items():
            sections = key == "sections"
            setattr(plan, key, [s.model_dump() for s in data.sections] if sections else value)
        if data.audience_unit_ids is not None:
            _set_audience(db, plan, unit_ids)
    return present(db, plan, org)


def transition(
    db: Session, actor: Actor, plan_id: int, action: str, issued_on: date | None = None
) -> PlanPublic:
    plan, org = load_plan(db, actor, plan_id, Permission.PLANS_WRITE)
    source, target = TRANSITIONS[action]
    if plan.status != source:
        raise InvalidTransition(
            f"Không thể chuyển kế hoạch từ '{plan.status}' sang '{target}'. "
            f"/ Cannot go from {plan.status} to {target}.",
            errors=[
                field_error(
                    "status", f"{plan.status} → {target} is not allowed", "invalid_transition"
                )
            ],
        )
    with audit.change(db, actor, f"plan.{action}", plan):
        if action == "issue":
            day = issued_on or today()
            plan.issued_on = day
            plan.year = day.year
            plan.number = documents.next_number(
                db, organization_id=org.id, doc_type=plan.doc_type, year=day.year
            )
            plan.symbol = documents.symbol(plan.number, plan.doc_type, org.abbreviation)
        plan.status = target
    return present(db, plan, org)

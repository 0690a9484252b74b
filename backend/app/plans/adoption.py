"""Adoption downwards: an organisation below the issuer takes an issued plan as a prefilled
draft of its own, once; and the issuer sees who adopted it."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from app.audit import trail as audit
from app.authz import Actor, Permission
from app.core.base import utcnow
from app.core.errors import Conflict, InvalidInput, InvalidTransition, field_error
from app.core.text import lower_first
from app.documents import service as documents
from app.orgs import service as orgs
from app.orgs.models import Organization
from app.plans.access import load_plan, plan_summary
from app.plans.document import present
from app.plans.models import Plan, PlanMaterial
from app.plans.schemas import AdoptionRow, PlanPublic
from app.webhooks import events as webhooks


class AlreadyAdopted(Conflict):
    code = "already-adopted"


def _adoption_of(db: Session, parent: Plan, org: Organization) -> Plan | None:
    return db.exec(
        sa.select(Plan).where(Plan.parent_plan_id == parent.id, Plan.organization_id == org.id)
    ).scalar_one_or_none()


def _already_adopted(plan: Plan) -> AlreadyAdopted:
    name = plan.symbol or f"bản nháp số {plan.id}"
    return AlreadyAdopted(
        f"Đơn vị đã tiếp nhận kế hoạch này ({name}). "
        f"/ This organisation already adopted the plan: plan {plan.id}.",
        errors=[
            field_error(
                "body.organization_id", f"already adopted as plan {plan.id}", "already_adopted"
            )
        ],
    )


def adopt(db: Session, actor: Actor, parent_plan_id: int, organization_id: int) -> PlanPublic:
    """A new draft for `organization_id`, prefilled from an ancestor's issued plan; once per
    organisation and parent plan (a unique index settles two adoptions at once)."""
    parent, parent_org = load_plan(db, actor, parent_plan_id, Permission.PLANS_READ)
    org = orgs.get_org(db, actor, organization_id, Permission.PLANS_WRITE)
    if parent.status == "draft":
        raise InvalidTransition(
            "Chỉ tiếp nhận kế hoạch đã ban hành. / Only an issued plan can be adopted."
        )
    if org.id == parent_org.id or not org.path.startswith(parent_org.path):
        raise InvalidInput(
            "Chỉ đơn vị cấp dưới mới tiếp nhận kế hoạch này. "
            "/ Only an organisation below the issuer can adopt it.",
            errors=[
                field_error(
                    "body.organization_id", "must be below the plan's issuer", "not_descendant"
                )
            ],
        )
    existing = _adoption_of(db, parent, org)
    if existing is not None:
        raise _already_adopted(existing)
    basis = f"Kế hoạch số {parent.symbol}"
    if parent.issued_on:
        basis += f" {documents.date_in_words(None, parent.issued_on)}"
    basis += f" của {parent_org.name} về {lower_first(parent.title)}"
    plan = Plan(
        organization_id=org.id,
        parent_plan_id=parent.id,
        title=parent.title,
        place_name=org.place_name or parent.place_name,
        resolution=parent.resolution,
        preamble=f"Thực hiện {basis}.",
        legal_basis=[*parent.legal_basis, basis],
        sections=parent.sections,
        audience_all=True,
        period_start=parent.period_start,
        period_end=parent.period_end,
        recipients=[parent_org.name, "Lưu: VT"],
        reflection_required=parent.reflection_required,
        reflection_min_length=parent.reflection_min_length,
        reflection_timing=parent.reflection_timing,
        reflection_due_on=parent.reflection_due_on,
        created_by_id=actor.user_id,
    )
    try:
        with db.begin_nested():
            db.add(plan)
            db.flush()
    except sa.exc.IntegrityError:
        # A parallel adoption committed first: name it.
        existing = _adoption_of(db, parent, org)
        if existing is None:
            raise
        raise _already_adopted(existing) from None
    for material in db.exec(
        sa.select(PlanMaterial).where(PlanMaterial.plan_id == parent.id)
    ).scalars():
        db.add(
            PlanMaterial(
                plan_id=plan.id,
                title=material.title,
                kind=material.kind,
                url=material.url,
                summary=material.summary,
                file_id=material.file_id,
                position=material.position,
            )
        )
    audit.create(db, actor, "plan.adopt", plan)
    webhooks.emit(
        db,
        org.path,
        "plan.adopted",
        f"plan.adopted:{plan.id}",
        {
            "plan_id": plan.id,
            "parent_plan_id": parent.id,
            "parent_plan_symbol": parent.symbol,
            "organization_id": org.id,
            "organization_name": org.name,
        },
        utcnow(),
    )
    return present(db, plan, org)


def adoptions(db: Session, actor: Actor, plan_id: int) -> list[AdoptionRow]:
    """Every organisation below the issuer that the caller may read, with its adopted plan."""
    plan, org = load_plan(db, actor, plan_id, Permission.PLANS_READ)
    below = orgs.below(db, actor, org, Permission.PLANS_READ)
    adopted = {
        child.organization_id: child
        for child in db.exec(sa.select(Plan).where(Plan.parent_plan_id == plan.id)).scalars()
    }
    return [
        AdoptionRow(
            organization_id=o.id,
            organization_name=o.name,
            organization_code=o.code,
            plan=plan_summary(adopted[o.id], o.name) if o.id in adopted else None,
        )
        for o in below
    ]

"""A plan's reminder settings: its own, else its organisation's default, else the built-in
one; read for many plans at once, and changed by the organisation's admins."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlmodel import Session

from app.audit import trail as audit
from app.authz import Actor, Permission
from app.core.errors import invalid_body_field
from app.orgs import service as orgs
from app.plans import access as plans
from app.plans.models import Plan
from app.reminders.models import ReminderPolicy
from app.reminders.schemas import PolicyInput, PolicyPublic

# Who may change when a plan's people are reminded: the organisation's admins.
MANAGE = Permission.ORGS_MANAGE


def _public(row: ReminderPolicy | None, organization_id: int, plan_id: int | None) -> PolicyPublic:
    if row is None:
        return PolicyPublic(organization_id=organization_id, plan_id=plan_id, source="default")
    values = row.model_dump(include=set(PolicyInput.model_fields))
    source = "plan" if row.plan_id is not None else "organization"
    return PolicyPublic(**values, organization_id=organization_id, plan_id=plan_id, source=source)


def effective(db: Session, plan_rows: Sequence[Plan]) -> dict[int, PolicyPublic]:
    """Each plan's policy, in one query whatever the number of plans."""
    if not plan_rows:
        return {}
    rows = db.exec(
        sa.select(ReminderPolicy).where(
            sa.or_(
                ReminderPolicy.plan_id.in_([p.id for p in plan_rows]),
                sa.and_(
                    ReminderPolicy.plan_id.is_(None),
                    ReminderPolicy.organization_id.in_({p.organization_id for p in plan_rows}),
                ),
            )
        )
    ).scalars()
    own, defaults = {}, {}
    for row in rows:
        (own if row.plan_id is not None else defaults)[row.plan_id or row.organization_id] = row
    return {
        p.id: _public(own.get(p.id) or defaults.get(p.organization_id), p.organization_id, p.id)
        for p in plan_rows
    }


def plan_policy(db: Session, actor: Actor, plan_id: int) -> PolicyPublic:
    plan, _ = plans.load_plan(db, actor, plan_id, Permission.PLANS_WRITE)
    return effective(db, [plan])[plan.id]


def set_plan_policy(db: Session, actor: Actor, plan_id: int, data: PolicyInput) -> PolicyPublic:
    plan, _ = plans.load_plan(db, actor, plan_id, MANAGE)
    row = db.exec(sa.select(ReminderPolicy).where(ReminderPolicy.plan_id == plan.id)).scalar()
    _save(db, actor, row, data, organization_id=plan.organization_id, plan_id=plan.id)
    return effective(db, [plan])[plan.id]


def org_policy(db: Session, actor: Actor, org_id: int) -> PolicyPublic:
    org = orgs.get_org(db, actor, org_id)
    return _public(_org_default(db, org.id), org.id, None)


def set_org_policy(db: Session, actor: Actor, org_id: int, data: PolicyInput) -> PolicyPublic:
    org = orgs.get_org(db, actor, org_id, MANAGE)
    if data.confirmation_due_on is not None:
        raise invalid_body_field(
            "confirmation_due_on",
            "Hạn xác nhận chỉ đặt cho từng kế hoạch. / A deadline belongs to a plan.",
        )
    row = _save(db, actor, _org_default(db, org.id), data, organization_id=org.id, plan_id=None)
    return _public(row, org.id, None)


def _org_default(db: Session, org_id: int) -> ReminderPolicy | None:
    return db.exec(
        sa.select(ReminderPolicy).where(
            ReminderPolicy.organization_id == org_id, ReminderPolicy.plan_id.is_(None)
        )
    ).scalar()


def _save(
    db: Session,
    actor: Actor,
    row: ReminderPolicy | None,
    data: PolicyInput,
    *,
    organization_id: int,
    plan_id: int | None,
) -> ReminderPolicy:
    values = data.model_dump(mode="python")
    values["rules"] = data.rules.model_dump()
    if row is None:
        row = ReminderPolicy(organization_id=organization_id, plan_id=plan_id, **values)
        audit.create(db, actor, "reminder_policy.create", row)
        return row
    with audit.change(db, actor, "reminder_policy.update", row):
        for name, value in values.items():
            setattr(row, name, value)
    return row

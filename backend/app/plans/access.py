"""Which plans a caller reaches: one plan in their scope (else 404), one they may still
write, the plans listed for them; and today in the app's time zone, the day plans go by."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session

from app import audience
from app.authz import Actor, Permission, authorize, in_scope
from app.core.config import current_settings
from app.core.errors import Conflict, NotFound
from app.orgs import service as orgs
from app.orgs.models import Organization
from app.plans.models import Plan
from app.plans.schemas import PlanSummary

NOT_FOUND = "Không tìm thấy kế hoạch. / Plan not found."


class PlanClosed(Conflict):
    code = "plan-closed"


def today() -> date:
    return datetime.now(current_settings().zone).date()


def _below(actor: Actor, permission: Permission, org: Organization) -> bool:
    """The actor holds `permission` somewhere under `org` (a school reading its district's plan)."""
    return any(root.startswith(org.path) for root in actor.roots(permission))


def load_plan(
    db: Session, actor: Actor, plan_id: int, permission: Permission
) -> tuple[Plan, Organization]:
    """The plan if the caller may act on it with `permission`; 404 when it is none of theirs.

    Reading also covers issued plans of an ancestor (to adopt them) and, for a member,
    issued plans whose audience includes them.
    """
    plan = db.get(Plan, plan_id)
    if plan is None:
        raise NotFound(NOT_FOUND)
    org = orgs.load_org(db, plan.organization_id)
    if (
        permission is Permission.PLANS_READ
        and not actor.can(permission, org.path)
        and plan.status != "draft"
    ):
        if _below(actor, permission, org):
            return plan, org
        if actor.participant_id and audience.addresses(db, plan, actor.participant_id):
            return plan, org
    if plan.status == "draft" and not actor.can(Permission.PLANS_READ, org.path):
        raise NotFound(NOT_FOUND)
    authorize(actor, permission, org.path)
    return plan, org


def writable_plan(db: Session, actor: Actor, plan_id: int) -> tuple[Plan, Organization]:
    """The plan if the caller may write it and it is not closed yet."""
    plan, org = load_plan(db, actor, plan_id, Permission.PLANS_WRITE)
    if plan.status == "closed":
        raise PlanClosed("Kế hoạch đã kết thúc, chỉ được xem. / The plan is closed and read-only.")
    return plan, org


def list_plans(
    db: Session,
    actor: Actor,
    *,
    organization_id: int | None,
    status: str | None,
    q: str | None,
    limit: int,
    offset: int,
) -> tuple[list[PlanSummary], int]:
    """Plans the caller may read, and the issued plans it may report on: a token holding
    only reports:read finds the plans whose progress and roll-up it pulls."""
    readable = [
        in_scope(actor, Permission.PLANS_READ, Organization.path),
        sa.and_(
            Plan.status != "draft", in_scope(actor, Permission.REPORTS_READ, Organization.path)
        ),
    ]
    ancestors = [
        sa.literal(root).startswith(Organization.path)
        for root in actor.roots(Permission.PLANS_READ)
    ]
    if ancestors:
        readable.append(sa.and_(Plan.status != "draft", sa.or_(*ancestors)))
    conditions = [sa.or_(*readable)]
    if organization_id is not None:
        conditions.append(Plan.organization_id == organization_id)
    if status:
        conditions.append(Plan.status == status)
    if q:
        conditions.append(sa.or_(Plan.title.ilike(f"%{q}%"), Plan.symbol.ilike(f"%{q}%")))
    query = (
        sa.select(Plan, Organization.name)
        .join(Organization, Organization.id == Plan.organization_id)
        .where(*conditions)
    )
    total = db.exec(sa.select(sa.func.count()).select_from(query.subquery())).one()[0]
    rows = db.exec(
        query.order_by(Organization.path, Plan.period_start.desc(), Plan.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [plan_summary(plan, name) for plan, name in rows], total


def plan_summary(plan: Plan, organization_name: str) -> PlanSummary:
    """A plan as a row of a list."""
    return PlanSummary.model_validate({**plan.model_dump(), "organization_name": organization_name})

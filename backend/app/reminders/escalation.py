"""Escalation: who hears that others are behind, once a day, in a digest that links to the
list of those people.

A person is behind on a thing past its due day after `escalate_after_reminders` reminders
or `escalate_after_days` days. Then:
- each leader (`is_leader`) of a unit of theirs hears who in the unit is behind;
- the admins of the plan's organisation hear which units are behind, and by how many;
- the admins of an organisation with organisations below it (a district) hear which of them
  have not adopted its plan, or confirm below the target rate, once the deadline is that
  many days past.
A few queries in all, whatever the number of people.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session

from app import audience
from app.acknowledgements.models import Acknowledgement
from app.auth.models import RoleAssignment, User
from app.authz import Role
from app.orgs.models import Organization, Unit, UnitMembership, live_membership
from app.people.models import Participant
from app.plans.models import Plan
from app.reminders.messages import behind_label, plan_name
from app.reminders.planning import NOTHING, Candidate, Digest, Logged, confirmation_due
from app.reminders.schemas import PolicyPublic

NO_UNIT = "Chưa thuộc tổ nào"


def behind(
    candidates: Sequence[Candidate],
    policies: dict[int, PolicyPublic],
    day: date,
    log: dict[tuple[int, str, int], Logged],
) -> list[Candidate]:
    """The things past due that have waited long enough to tell someone about."""
    found = []
    for c in candidates:
        if c.kind == "session" or day <= c.due_on:
            continue
        policy = policies[c.plan_id]
        count = log.get((c.participant_id, c.kind, c.item_id), NOTHING).count
        late = (day - c.due_on).days >= policy.escalate_after_days
        if late or count >= policy.escalate_after_reminders:
            found.append(c)
    return found


def digests(
    db: Session,
    plans: Sequence[Plan],
    policies: dict[int, PolicyPublic],
    day: date,
    late: Sequence[Candidate],
) -> list[Digest]:
    by_plan: dict[int, list[Candidate]] = defaultdict(list)
    for c in late:
        by_plan[c.plan_id].append(c)
    result: list[Digest] = []
    if by_plan:
        result += _unit_digests(db, [p for p in plans if p.id in by_plan], by_plan)
    result += _above_digests(db, plans, policies, day)
    return result


def _admins(db: Session, org_ids: set[int]) -> dict[int, list[tuple[int, str]]]:
    """The active admin logins of each organisation (its own role, not an ancestor's)."""
    rows = db.exec(
        sa.select(RoleAssignment.organization_id, User.id, User.display_name)
        .join(User, User.id == RoleAssignment.user_id)
        .where(RoleAssignment.organization_id.in_(org_ids), RoleAssignment.role == Role.ADMIN)
        .where(User.is_active.is_(True))
        .order_by(User.id)
    ).all()
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for org_id, user_id, name in rows:
        found[org_id].append((user_id, name))
    return found


def _unit_digests(
    db: Session, plans: Sequence[Plan], by_plan: dict[int, list[Candidate]]
) -> list[Digest]:
    org_ids = {p.organization_id for p in plans}
    memberships = db.exec(
        sa.select(
            Unit.organization_id,
            Unit.id,
            Unit.name,
            UnitMembership.participant_id,
            UnitMembership.is_leader,
            Participant.full_name,
            User.id,
        )
        .join(UnitMembership, sa.and_(UnitMembership.unit_id == Unit.id, live_membership()))
        .join(Participant, Participant.id == UnitMembership.participant_id)
        .outerjoin(User, sa.and_(User.participant_id == Participant.id, User.is_active))
        .where(Unit.organization_id.in_(org_ids), Unit.archived_at.is_(None))
        .where(Participant.active.is_(True))
        .order_by(Unit.name, Unit.id)
    ).all()
    units_of: dict[int, list[tuple[int, str]]] = defaultdict(list)
    leaders: dict[int, list[tuple[int, str, int | None]]] = defaultdict(list)
    names: dict[int, str] = {}
    for _org, unit_id, unit_name, person, is_leader, full_name, user_id in memberships:
        units_of[person].append((unit_id, unit_name))
        names[unit_id] = unit_name
        if is_leader:
            leaders[unit_id].append((person, full_name, user_id))
    admins = _admins(db, org_ids)
    result = []
    for plan in plans:
        per_unit: dict[int | None, list[Candidate]] = defaultdict(list)
        for c in by_plan[plan.id]:
            for unit_id, _ in units_of.get(c.participant_id) or [(None, NO_UNIT)]:
                per_unit[unit_id].append(c)
        result += _leader_digests(plan, per_unit, leaders, names)
        lines = tuple(
            f"{names.get(u, NO_UNIT) if u else NO_UNIT}: {_people(late)}"
            for u, late in sorted(per_unit.items(), key=lambda i: -len(i[1]))
        )
        result += _admin_digests(
            plan,
            admins,
            "digest_school",
            f"{len(per_unit)} tổ có người chậm — {plan_name(plan)}",
            lines,
            f"#/plans/{plan.id}/pending",
        )
    return result


def _admin_digests(
    plan: Plan,
    admins: dict[int, list[tuple[int, str]]],
    kind: str,
    title: str,
    lines: tuple[str, ...],
    link: str,
) -> list[Digest]:
    """The same digest for each admin of the plan's organisation."""
    return [
        Digest(
            plan_id=plan.id,
            organization_id=plan.organization_id,
            kind=kind,
            participant_id=None,
            user_id=user_id,
            recipient_name=name,
            title=title,
            lines=lines,
            link=link,
        )
        for user_id, name in admins.get(plan.organization_id, [])
    ]


def _leader_digests(
    plan: Plan,
    per_unit: dict[int | None, list[Candidate]],
    leaders: dict[int, list[tuple[int, str, int | None]]],
    names: dict[int, str],
) -> list[Digest]:
    """One digest per leader and plan, whatever the number of units they lead (the log keeps
    one per recipient, plan and day): who in each is behind, linked to that unit's list, or
    to the leader's page when there are several."""
    led: dict[tuple[int, str, int | None], list[int]] = defaultdict(list)
    for unit_id in per_unit:
        for leader in leaders.get(unit_id, []) if unit_id else []:
            led[leader].append(unit_id)
    result = []
    for (person, full_name, user_id), units in led.items():
        late = [c for u in units for c in per_unit[u]]
        title = ", ".join(names[u] for u in units)
        result.append(
            Digest(
                plan_id=plan.id,
                organization_id=plan.organization_id,
                kind="digest_unit",
                participant_id=person,
                user_id=user_id,
                recipient_name=full_name,
                title=f"{title}: {_people(late)} chậm — {plan_name(plan)}",
                lines=tuple(
                    f"{names[u]} — {c.full_name}: {behind_label(c)}"
                    if len(units) > 1
                    else f"{c.full_name}: {behind_label(c)}"
                    for u in units
                    for c in per_unit[u]
                ),
                link=f"#/plans/{plan.id}/pending?unit={units[0]}"
                if len(units) == 1
                else "#/digest",
            )
        )
    return result


def _people(late: Sequence[Candidate]) -> str:
    return f"{len({c.participant_id for c in late})} người"


def _above_digests(
    db: Session, plans: Sequence[Plan], policies: dict[int, PolicyPublic], day: date
) -> list[Digest]:
    """To the admins of an organisation with organisations below: the ones that have not
    adopted its plan, or whose adopted plan is confirmed below the target rate."""
    due = [
        p
        for p in plans
        if (day - confirmation_due(p, policies[p.id])).days >= policies[p.id].escalate_after_days
    ]
    if not due:
        return []
    below = db.exec(
        sa.select(Organization.parent_id, Organization.id, Organization.name)
        .where(Organization.parent_id.in_({p.organization_id for p in due}))
        .order_by(Organization.path)
    ).all()
    if not below:
        return []
    adopted = {
        (row.parent_plan_id, row.organization_id): row.id
        for row in db.exec(
            sa.select(Plan.id, Plan.parent_plan_id, Plan.organization_id).where(
                Plan.parent_plan_id.in_([p.id for p in due]), Plan.status != "draft"
            )
        ).all()
    }
    rates = _rates(db, list(adopted.values()))
    admins = _admins(db, {p.organization_id for p in due})
    result = []
    for plan in due:
        target = policies[plan.id].target_rate
        lines = []
        for parent_id, org_id, name in below:
            if parent_id != plan.organization_id:
                continue
            adoption = adopted.get((plan.id, org_id))
            if adoption is None:
                lines.append(f"{name}: chưa triển khai kế hoạch")
            elif (rate := rates.get(adoption, 0)) < target:
                lines.append(f"{name}: {rate}% đã xác nhận (mục tiêu {target}%)")
        if not lines:
            continue
        result += _admin_digests(
            plan,
            admins,
            "digest_above",
            f"{len(lines)} đơn vị chưa đạt — {plan_name(plan)}",
            tuple(lines),
            f"#/plans/{plan.id}/rollup",
        )
    return result


def _rates(db: Session, plan_ids: Sequence[int]) -> dict[int, int]:
    """Percent of each plan's audience with a live confirmation of its current version."""
    if not plan_ids:
        return {}
    sizes = dict(db.exec(audience.sizes(Plan, where=[Plan.id.in_(plan_ids)])).all())
    confirmed = dict(
        db.exec(
            sa.select(Plan.id, sa.func.count(Acknowledgement.id))
            .join(
                Acknowledgement,
                sa.and_(
                    Acknowledgement.plan_id == Plan.id,
                    Acknowledgement.material_major == Plan.material_major,
                    Acknowledgement.withdrawn_at.is_(None),
                ),
            )
            .where(Plan.id.in_(plan_ids))
            .group_by(Plan.id)
        ).all()
    )
    return {i: (100 * confirmed.get(i, 0) // sizes[i]) if sizes.get(i) else 0 for i in plan_ids}

"""Organisations and their units. Functions take the session and the acting caller."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from app.audit import trail as audit
from app.authz import Actor, Permission, authorize, in_scope
from app.core.base import utcnow
from app.core.errors import Conflict, InvalidInput, NotFound, field_error
from app.core.text import fold
from app.orgs.models import (
    Organization,
    Unit,
    UnitMembership,
    live_membership,
    membership_at,
)
from app.orgs.schemas import OrganizationCreate, OrganizationUpdate, UnitUpdate
from app.people.models import Participant


def load_org(db: Session, org_id: int) -> Organization:
    org = db.get(Organization, org_id)
    if org is None:
        raise NotFound("Không tìm thấy đơn vị. / Organisation not found.")
    return org


def get_org(
    db: Session, actor: Actor, org_id: int, permission=Permission.ORGS_READ
) -> Organization:
    org = load_org(db, org_id)
    authorize(actor, permission, org.path)
    return org


def count_orgs(db: Session) -> int:
    return db.exec(sa.select(sa.func.count()).select_from(Organization)).one()[0]


def get_org_by_code(db: Session, code: str) -> Organization | None:
    return db.exec(sa.select(Organization).where(Organization.code == code)).scalar_one_or_none()


def _ensure_code_free(db: Session, code: str, *, except_id: int | None = None) -> None:
    existing = get_org_by_code(db, code)
    if existing is not None and existing.id != except_id:
        raise Conflict(
            f"Mã đơn vị '{code}' đã được dùng. / Code '{code}' is taken.",
            errors=[field_error("body.code", "already used by another organisation", "unique")],
        )


def insert_org(
    db: Session, actor: Actor | None, org: Organization, parent: Organization | None
) -> Organization:
    """Insert `org` below `parent` (or as a root), set its materialised path, audit it."""
    _ensure_code_free(db, org.code)
    org.parent_id = parent.id if parent else None
    db.add(org)
    db.flush()
    org.path = f"{parent.path if parent else '/'}{org.id}/"
    org.depth = parent.depth + 1 if parent else 0
    audit.create(db, actor, "organization.create", org)
    return org


def create_org(db: Session, actor: Actor, data: OrganizationCreate) -> Organization:
    parent = load_org(db, data.parent_id)
    authorize(actor, Permission.ORGS_MANAGE, parent.path)
    return insert_org(db, actor, Organization(**data.model_dump()), parent)


def update_org(db: Session, actor: Actor, org_id: int, data: OrganizationUpdate) -> Organization:
    org = get_org(db, actor, org_id, Permission.ORGS_MANAGE)
    changes = data.model_dump(exclude_unset=True)
    if changes.get("code"):
        _ensure_code_free(db, changes["code"], except_id=org.id)
    with audit.change(db, actor, "organization.update", org):
        for key, value in changes.items():
            setattr(org, key, value)
    return org


def list_orgs(
    db: Session,
    actor: Actor,
    *,
    parent_id: int | None = None,
    under: Organization | None = None,
    q: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[Organization], int]:
    """Organisations the caller may read; optionally the children of one, or a subtree."""
    conditions = [in_scope(actor, Permission.ORGS_READ, Organization.path)]
    if parent_id is not None:
        conditions.append(Organization.parent_id == parent_id)
    if under is not None:
        conditions.append(Organization.path.startswith(under.path, autoescape=True))
    if q:
        term = f"%{q.strip()}%"
        conditions.append(sa.or_(Organization.name.ilike(term), Organization.code.ilike(term)))
    query = sa.select(Organization).where(*conditions)
    total = db.exec(sa.select(sa.func.count()).select_from(query.subquery())).one()[0]
    rows = db.exec(query.order_by(Organization.path).limit(limit).offset(offset)).scalars()
    return list(rows), total


def below(
    db: Session, actor: Actor, org: Organization, permission: Permission
) -> list[Organization]:
    """The organisations under `org` (not itself) where the caller holds `permission`, in
    tree order: the rows of an adoption list or a roll-up."""
    return list(
        db.exec(
            sa.select(Organization)
            .where(
                Organization.path.startswith(org.path, autoescape=True),
                Organization.id != org.id,
                in_scope(actor, permission, Organization.path),
            )
            .order_by(Organization.path)
        ).scalars()
    )


# Units


class UnitArchived(Conflict):
    code = "unit-archived"


def load_unit(
    db: Session, actor: Actor, unit_id: int, permission: Permission
) -> tuple[Unit, Organization]:
    unit = db.get(Unit, unit_id)
    if unit is None:
        raise NotFound("Không tìm thấy tổ/bộ phận. / Unit not found.")
    org = load_org(db, unit.organization_id)
    authorize(actor, permission, org.path)
    return unit, org


def _live_unit(db: Session, actor: Actor, unit_id: int) -> Unit:
    """A unit to change: an archived one stays as it was archived (409)."""
    unit, _ = load_unit(db, actor, unit_id, Permission.PEOPLE_MANAGE)
    if unit.archived_at is not None:
        raise UnitArchived(
            f"Tổ/bộ phận '{unit.name}' đã lưu trữ, không sửa được. "
            f"/ The unit '{unit.name}' is archived and cannot change."
        )
    return unit


def list_units(
    db: Session, actor: Actor, org_id: int, *, include_archived: bool = False
) -> list[tuple[Unit, int]]:
    """Live units with their live members who are active; archived ones too if asked."""
    org = get_org(db, actor, org_id, Permission.PEOPLE_READ)
    members = (
        sa.select(UnitMembership.unit_id, sa.func.count().label("n"))
        .join(Participant, Participant.id == UnitMembership.participant_id)
        .where(Participant.active.is_(True), live_membership())
        .group_by(UnitMembership.unit_id)
        .subquery()
    )
    query = (
        sa.select(Unit, sa.func.coalesce(members.c.n, 0))
        .outerjoin(members, members.c.unit_id == Unit.id)
        .where(Unit.organization_id == org.id)
    )
    if not include_archived:
        query = query.where(Unit.archived_at.is_(None))
    rows = db.exec(query.order_by(Unit.archived_at.is_not(None), Unit.name, Unit.id)).all()
    return [(unit, count) for unit, count in rows]


def find_unit_by_name(db: Session, org_id: int, name: str) -> Unit | None:
    """The live unit of that name (accents and case aside)."""
    return db.exec(
        sa.select(Unit).where(
            Unit.organization_id == org_id,
            Unit.search_key == fold(name),
            Unit.archived_at.is_(None),
        )
    ).scalar_one_or_none()


def _ensure_unit_name_free(
    db: Session, org_id: int, name: str, *, except_id: int | None = None
) -> None:
    existing = find_unit_by_name(db, org_id, name)
    if existing is not None and existing.id != except_id:
        raise Conflict(
            f"Đã có tổ/bộ phận '{existing.name}'. / Unit '{existing.name}' exists.",
            errors=[field_error("body.name", "a unit with this name exists", "unique")],
        )


def units_in(
    db: Session, org_id: int, unit_ids: list[int], *, field: str, kept: Collection[int] = ()
) -> list[Unit]:
    """The live units with these ids, all of organisation `org_id`; a 422 naming `field`
    otherwise. An archived unit takes no new people, plans, sessions or tasks; one already
    chosen (`kept`: a plan's or session's audience being edited) may stay."""
    wanted = list(dict.fromkeys(unit_ids))
    if not wanted:
        return []
    found = {
        u.id: u
        for u in db.exec(
            sa.select(Unit).where(
                Unit.id.in_(wanted),
                Unit.organization_id == org_id,
                sa.or_(Unit.archived_at.is_(None), Unit.id.in_(list(kept))),
            )
        ).scalars()
    }
    unknown = [i for i in wanted if i not in found]
    if unknown:
        raise InvalidInput(
            "Tổ/bộ phận không thuộc đơn vị này hoặc đã lưu trữ. "
            "/ Unknown or archived unit for this organisation.",
            errors=[field_error(field, f"unknown or archived unit ids: {unknown}", "unknown_unit")],
        )
    return [found[i] for i in wanted]


def unit_names_by_participant(
    db: Session, org_id: int, at: datetime | None = None
) -> dict[int, list[str]]:
    """Each participant's unit names (alphabetical), for one organisation, in one query: the
    memberships in force now, or at the moment `at`."""
    names: dict[int, list[str]] = {}
    for participant_id, name in db.exec(
        sa.select(UnitMembership.participant_id, Unit.name)
        .join(Unit, Unit.id == UnitMembership.unit_id)
        .where(
            Unit.organization_id == org_id,
            live_membership() if at is None else membership_at(at),
        )
        .order_by(Unit.name)
    ).all():
        names.setdefault(participant_id, []).append(name)
    return names


def create_unit(
    db: Session, actor: Actor | None, org_id: int, name: str, kind: str = "other"
) -> Unit:
    """A new unit, from the units API or the staff import (`actor` None: the command line,
    acting for the system)."""
    org = get_org(db, actor, org_id, Permission.PEOPLE_MANAGE) if actor else load_org(db, org_id)
    _ensure_unit_name_free(db, org.id, name)
    unit = Unit(organization_id=org.id, name=name, search_key=fold(name), kind=kind)
    audit.create(db, actor, "unit.create", unit)
    return unit


def update_unit(db: Session, actor: Actor, unit_id: int, data: UnitUpdate) -> Unit:
    unit = _live_unit(db, actor, unit_id)
    if data.name is not None:
        _ensure_unit_name_free(db, unit.organization_id, data.name, except_id=unit.id)
    with audit.change(db, actor, "unit.update", unit):
        if data.name is not None:
            unit.name, unit.search_key = data.name, fold(data.name)
        if data.kind is not None:
            unit.kind = data.kind
    return unit


def end_memberships(db: Session, condition: sa.ColumnElement[bool], moment: datetime) -> int:
    """End the live memberships matching `condition` at `moment`; how many were ended."""
    return db.exec(
        sa.update(UnitMembership).where(condition, live_membership()).values(ended_at=moment)
    ).rowcount


def archive_unit(db: Session, actor: Actor, unit_id: int) -> Unit:
    """Archive the unit: out of lists and pickers, its memberships end now. The plans,
    sessions, tasks and outreach that name it keep it, and so do figures of earlier days.
    Archiving an archived unit changes nothing."""
    unit, _ = load_unit(db, actor, unit_id, Permission.PEOPLE_MANAGE)
    if unit.archived_at is not None:
        return unit
    with audit.change(db, actor, "unit.archive", unit) as event:
        unit.archived_at = utcnow()
        ended = end_memberships(db, UnitMembership.unit_id == unit.id, unit.archived_at)
        event.note(memberships_ended=ended)
    return unit


def _live_membership_of(db: Session, unit_id: int, participant_id: int) -> UnitMembership | None:
    return db.exec(
        sa.select(UnitMembership).where(
            UnitMembership.unit_id == unit_id,
            UnitMembership.participant_id == participant_id,
            live_membership(),
        )
    ).scalar_one_or_none()


def list_members(
    db: Session, actor: Actor, unit_id: int
) -> list[tuple[UnitMembership, Participant]]:
    """The unit's members now (none for an archived unit: its memberships have ended)."""
    unit, _ = load_unit(db, actor, unit_id, Permission.PEOPLE_READ)
    rows = db.exec(
        sa.select(UnitMembership, Participant)
        .join(Participant, Participant.id == UnitMembership.participant_id)
        .where(UnitMembership.unit_id == unit.id, live_membership())
        .order_by(UnitMembership.is_leader.desc(), Participant.sort_name)
    ).all()
    return [(m, p) for m, p in rows]


def set_member(
    db: Session, actor: Actor, unit_id: int, participant_id: int, is_leader: bool
) -> UnitMembership:
    """Make the person a member (from now) or change their leader flag."""
    unit = _live_unit(db, actor, unit_id)
    participant = db.get(Participant, participant_id)
    if participant is None or participant.organization_id != unit.organization_id:
        raise NotFound(
            "Không tìm thấy cán bộ trong đơn vị này. / Participant not found in this organisation."
        )
    membership = _live_membership_of(db, unit.id, participant_id)
    if membership is None:
        membership = UnitMembership(
            unit_id=unit.id, participant_id=participant_id, is_leader=is_leader
        )
        audit.create(db, actor, "unit.member.set", membership, about=unit)
    else:
        with audit.change(db, actor, "unit.member.set", membership, about=unit):
            membership.is_leader = is_leader
    return membership


def remove_member(db: Session, actor: Actor, unit_id: int, participant_id: int) -> None:
    """End the person's membership now; it stays in the history."""
    unit, _ = load_unit(db, actor, unit_id, Permission.PEOPLE_MANAGE)
    membership = _live_membership_of(db, unit.id, participant_id)
    if membership is None:
        raise NotFound("Người này không thuộc tổ/bộ phận. / Not a member of this unit.")
    with audit.change(db, actor, "unit.member.remove", membership, about=unit):
        membership.ended_at = utcnow()

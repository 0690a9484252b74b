"""Participants (staff): search, create, update, deactivate, give a login."""

from __future__ import annotations

from collections import defaultdict
from typing import Protocol

import sqlalchemy as sa
from sqlmodel import Session

from app.audit import trail as audit
from app.auth import accounts, sign_in
from app.auth.models import RoleAssignment, User
from app.authz import Actor, Permission, authorize, in_scope
from app.core.base import utcnow
from app.core.errors import Conflict, Forbidden, NotFound, field_error
from app.core.security import hash_password
from app.core.text import fold
from app.links import revocation
from app.orgs import service as orgs
from app.orgs.models import Organization, Unit, UnitMembership, live_membership
from app.people.models import Participant
from app.people.schemas import (
    AccountCreate,
    ParticipantCreate,
    ParticipantPublic,
    ParticipantSort,
    ParticipantUnit,
    ParticipantUpdate,
)
from app.transfers.models import onward


def load_participant(
    db: Session, actor: Actor, participant_id: int, permission: Permission
) -> Participant:
    """A participant the caller may see: in scope with `permission`, or the caller's own record."""
    participant = db.get(Participant, participant_id)
    if participant is None:
        raise NotFound("Không tìm thấy cán bộ. / Participant not found.")
    if actor.participant_id == participant.id and permission is Permission.PEOPLE_READ:
        return participant
    org = orgs.load_org(db, participant.organization_id)
    authorize(actor, permission, org.path)
    return participant


def load_record_of(
    db: Session, actor: Actor, participant_id: int, permission: Permission = Permission.PEOPLE_READ
) -> Participant:
    """A person whose record (history, confirmations, her data) the caller asks for.

    A record is personal: a caller who may not even read the staff there (a colleague) learns
    nothing, not even that she exists (404); one who may read them but lacks `permission` is
    refused (403); she herself may read her own.
    """
    participant = db.get(Participant, participant_id)
    if participant is None:
        raise NotFound("Không tìm thấy cán bộ. / Participant not found.")
    herself = actor.participant_id == participant.id
    if herself and permission is Permission.PEOPLE_READ:
        return participant
    path = orgs.load_org(db, participant.organization_id).path
    if not (herself or actor.can(Permission.PEOPLE_READ, path)):
        raise NotFound("Không tìm thấy cán bộ. / Participant not found.")
    authorize(actor, permission, path)
    return participant


class Person(Protocol):
    """What acting for a staff member needs: a Participant, or the row a personal link reads."""

    @property
    def id(self) -> int: ...
    @property
    def organization_id(self) -> int: ...
    @property
    def full_name(self) -> str: ...
    @property
    def staff_code(self) -> str: ...
    @property
    def position(self) -> str | None: ...


def own_participant(db: Session, actor: Actor) -> Participant:
    """The staff member the caller is; 403 for a login or token that is nobody on the staff."""
    participant = db.get(Participant, actor.participant_id) if actor.participant_id else None
    if participant is None:
        raise Forbidden(
            "Tài khoản này không gắn với cán bộ nào. / This login is not a staff member."
        )
    return participant


def list_participants(
    db: Session,
    actor: Actor,
    *,
    organization_id: int | None,
    q: str | None,
    unit_id: int | None,
    active: bool | None,
    has_account: bool | None,
    sort: ParticipantSort,
    limit: int,
    offset: int,
) -> tuple[list[ParticipantPublic], int]:
    query = sa.select(Participant).join(
        Organization, Organization.id == Participant.organization_id
    )
    conditions = [in_scope(actor, Permission.PEOPLE_READ, Organization.path)]
    if organization_id is not None:
        org = orgs.get_org(db, actor, organization_id, Permission.PEOPLE_READ)
        conditions.append(Participant.organization_id == org.id)
    if q and q.strip():
        for word in fold(q).split(" "):
            conditions.append(Participant.search_text.contains(word, autoescape=True))
    if unit_id is not None:
        members = sa.select(UnitMembership.participant_id).where(
            UnitMembership.unit_id == unit_id, live_membership()
        )
        conditions.append(Participant.id.in_(members))
    if active is not None:
        conditions.append(Participant.active.is_(active))
    if has_account is not None:
        with_login = sa.select(User.participant_id).where(User.participant_id.is_not(None))
        in_set = Participant.id.in_(with_login)
        conditions.append(in_set if has_account else sa.not_(in_set))
    query = query.where(*conditions)
    total = db.exec(sa.select(sa.func.count()).select_from(query.subquery())).one()[0]
    name = sort.lstrip("-")
    column = Participant.sort_name if name == "full_name" else getattr(Participant, name)
    order = column.desc() if sort.startswith("-") else column.asc()
    rows = list(
        db.exec(query.order_by(order, Participant.id).limit(limit).offset(offset)).scalars()
    )
    return present(db, rows), total


def present(db: Session, participants: list[Participant]) -> list[ParticipantPublic]:
    """Participants with their units and login, in two queries whatever the page size."""
    ids = [p.id for p in participants]
    units: dict[int, list[ParticipantUnit]] = defaultdict(list)
    logins: dict[int, tuple[int, str, str | None]] = {}
    if ids:
        for membership, unit in db.exec(
            sa.select(UnitMembership, Unit)
            .join(Unit, Unit.id == UnitMembership.unit_id)
            .where(UnitMembership.participant_id.in_(ids), live_membership())
            .order_by(Unit.name)
        ).all():
            units[membership.participant_id].append(
                ParticipantUnit(id=unit.id, name=unit.name, is_leader=membership.is_leader)
            )
        # The role shown is the one held in the person's own organisation.
        for participant_id, user_id, username, role in db.exec(
            sa.select(User.participant_id, User.id, User.username, RoleAssignment.role)
            .join(Participant, Participant.id == User.participant_id)
            .outerjoin(
                RoleAssignment,
                sa.and_(
                    RoleAssignment.user_id == User.id,
                    RoleAssignment.organization_id == Participant.organization_id,
                ),
            )
            .where(User.participant_id.in_(ids))
        ).all():
            logins[participant_id] = (user_id, username, role)
    result = []
    for p in participants:
        user_id, username, role = logins.get(p.id, (None, None, None))
        result.append(
            ParticipantPublic.model_validate(
                {
                    **p.model_dump(),
                    "units": units[p.id],
                    "user_id": user_id,
                    "username": username,
                    "role": role,
                }
            )
        )
    return result


def ensure_code_free(db: Session, org_id: int, code: str, *, except_id: int | None = None) -> None:
    existing = db.exec(
        sa.select(Participant).where(
            Participant.organization_id == org_id,
            sa.func.lower(Participant.staff_code) == code.lower(),
        )
    ).scalar_one_or_none()
    if existing is not None and existing.id != except_id:
        raise Conflict(
            f"Mã cán bộ '{code}' đã thuộc về {existing.full_name}. / Staff code '{code}' is taken.",
            errors=[
                field_error("body.staff_code", f"already used by {existing.full_name}", "unique")
            ],
        )


def set_units(db: Session, participant: Participant, units: list[Unit]) -> None:
    """Make `units` the person's units from now: memberships of other units end (and stay
    in the history), new ones start; those that go on are left as they are."""
    wanted = {u.id for u in units}
    current = set(
        db.exec(
            sa.select(UnitMembership.unit_id).where(
                UnitMembership.participant_id == participant.id, live_membership()
            )
        ).scalars()
    )
    now = utcnow()
    if current - wanted:
        orgs.end_memberships(
            db,
            sa.and_(
                UnitMembership.participant_id == participant.id,
                UnitMembership.unit_id.in_(current - wanted),
            ),
            now,
        )
    for unit_id in wanted - current:
        db.add(UnitMembership(unit_id=unit_id, participant_id=participant.id, started_at=now))


def create_participant(db: Session, actor: Actor, data: ParticipantCreate) -> ParticipantPublic:
    org = orgs.get_org(db, actor, data.organization_id, Permission.PEOPLE_MANAGE)
    ensure_code_free(db, org.id, data.staff_code)
    units = orgs.units_in(db, org.id, data.unit_ids, field="body.unit_ids")
    participant = Participant(**data.model_dump(exclude={"unit_ids"}))
    db.add(participant)
    db.flush()
    set_units(db, participant, units)
    audit.create(db, actor, "participant.create", participant, unit_ids=data.unit_ids)
    return present(db, [participant])[0]


def ensure_not_anonymized(participant: Participant) -> None:
    """An anonymised person's record is closed: nothing may give her data back."""
    if participant.anonymized_at is not None:
        raise Conflict(
            "Cán bộ đã được ẩn danh; hồ sơ không thể sửa hay kích hoạt lại. "
            "/ This person was anonymised; her record cannot be edited or reactivated."
        )


def update_participant(
    db: Session, actor: Actor, participant_id: int, data: ParticipantUpdate
) -> ParticipantPublic:
    participant = load_participant(db, actor, participant_id, Permission.PEOPLE_MANAGE)
    ensure_not_anonymized(participant)
    changes = data.model_dump(exclude_unset=True, exclude={"unit_ids"})
    if "staff_code" in changes:
        ensure_code_free(
            db, participant.organization_id, changes["staff_code"], except_id=participant.id
        )
    units = (
        orgs.units_in(db, participant.organization_id, data.unit_ids, field="body.unit_ids")
        if data.unit_ids is not None
        else None
    )
    with audit.change(db, actor, "participant.update", participant) as event:
        for key, value in changes.items():
            setattr(participant, key, value)
        if units is not None:
            set_units(db, participant, units)
            event.note(unit_ids=data.unit_ids)
    return present(db, [participant])[0]


def moved_away(db: Session, participant: Participant) -> str | None:
    """Why this row may not come back, when she left it by a move (`app.transfers`): she is
    on the staff of the school she went to, by her row there."""
    went = db.exec(onward(participant.id)).first()
    if went is None:
        return None
    return (
        f"{participant.full_name} đã chuyển đến {went.name}; không kích hoạt lại ở đây. "
        f"/ {participant.full_name} moved to {went.name}; she cannot be reactivated here."
    )


def set_active(db: Session, actor: Actor, participant_id: int, active: bool) -> ParticipantPublic:
    """Deactivate instead of delete, so history stays (see `change_activity`)."""
    participant = load_participant(db, actor, participant_id, Permission.PEOPLE_MANAGE)
    ensure_not_anonymized(participant)
    if active and (moved := moved_away(db, participant)):
        raise Conflict(moved)
    change_activity(db, actor, participant, active)
    return present(db, [participant])[0]


def login_of(db: Session, participant: Participant) -> User | None:
    return db.exec(
        sa.select(User).where(User.participant_id == participant.id)
    ).scalar_one_or_none()


def change_activity(
    db: Session, actor: Actor | None, participant: Participant, active: bool
) -> None:
    """Switch a person, and her login with her, on or off: from her page or by the staff
    import (`actor` None: the command line, acting for the system).

    Her login is an account: acting on it takes the right over every organisation where it
    holds a role (`accounts.authorize_account`). Deactivation ends for good whatever acts for the
    person: her login's sessions and pending reset code, and her personal links. Reactivation
    lets her log in again with her password; nothing ended comes back.
    """
    user = login_of(db, participant)
    if user is not None and actor is not None:
        accounts.authorize_account(db, actor, user)
    with audit.change(
        db, actor, "participant.activate" if active else "participant.deactivate", participant
    ) as event:
        participant.active = active
        participant.deactivated_at = None if active else utcnow()
        if user is not None:
            user.is_active = active
            if not active:
                user.reset_code_hash, user.reset_expires_at = None, None
                event.note(sessions_revoked=sign_in.revoke_sessions(db, user.id))
        if not active:
            revocation.revoke_links(db, actor, [participant])


def create_account(
    db: Session, actor: Actor, participant_id: int, data: AccountCreate
) -> ParticipantPublic:
    participant = load_participant(db, actor, participant_id, Permission.ACCOUNTS_MANAGE)
    if login_of(db, participant) is not None:
        raise Conflict("Người này đã có tài khoản. / This person already has a login.")
    if not participant.active:
        raise Conflict(
            "Cán bộ đã ngừng hoạt động; kích hoạt lại trước khi tạo tài khoản. "
            "/ This person is inactive; reactivate her before giving her a login."
        )
    username = (data.username or participant.staff_code).strip().lower()
    if db.exec(sa.select(User).where(User.username == username)).scalar_one_or_none():
        raise Conflict(
            f"Tên đăng nhập '{username}' đã được dùng. / Username '{username}' is taken.",
            errors=[field_error("body.username", "already used", "unique")],
        )
    user = User(
        username=username,
        display_name=participant.full_name,
        participant_id=participant.id,
        password_hash=hash_password(data.password),
    )
    audit.create(
        db,
        actor,
        "user.create",
        user,
        organization_id=participant.organization_id,
        role=data.role.value,
    )
    db.add(
        RoleAssignment(user_id=user.id, organization_id=participant.organization_id, role=data.role)
    )
    return present(db, [participant])[0]

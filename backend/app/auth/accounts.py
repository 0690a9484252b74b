"""Accounts (logins) and their roles: the one rule for who may act on a login, each login's
home organisation, roles per organisation, and the first admin made from the command line
(outside any request, no acting user)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from app.audit import trail as audit
from app.auth.models import RoleAssignment, User
from app.auth.schemas import RoleAssignmentPublic
from app.authz import Actor, Permission, Role, authorize_all
from app.core.errors import InvalidInput, NotFound, field_error
from app.core.security import MIN_PASSWORD_LENGTH, hash_password
from app.orgs import service as orgs
from app.orgs.models import Organization
from app.people.models import Participant


def home_org_id(db: Session, user: User) -> int | None:
    """A login's organisation (its person's, else one where it holds a role), for its audit."""
    if user.participant_id is not None:
        participant = db.get(Participant, user.participant_id)
        if participant is not None:
            return participant.organization_id
    return db.exec(
        sa.select(RoleAssignment.organization_id).where(RoleAssignment.user_id == user.id).limit(1)
    ).scalar_one_or_none()


def authorize_account(db: Session, actor: Actor, user: User) -> None:
    """The one rule for acting on a login (reset, roles, (de)activation): the actor manages
    accounts over the person's own organisation and every one where the login holds a role.
    Otherwise 404 (403 when all are in reach but beyond the actor's role): a school admin
    never takes over a login that also acts for the district or another school."""
    own = sa.select(Participant.organization_id).where(Participant.id == user.participant_id)
    roles = sa.select(RoleAssignment.organization_id).where(RoleAssignment.user_id == user.id)
    paths = db.exec(
        sa.select(Organization.path).where(
            sa.or_(Organization.id.in_(own), Organization.id.in_(roles))
        )
    ).scalars()
    authorize_all(actor, Permission.ACCOUNTS_MANAGE, list(paths))


def load_account(db: Session, actor: Actor, user_id: int) -> tuple[User, int]:
    """A login the actor may act on (`authorize_account`), with its home organisation."""
    user = db.get(User, user_id)
    if user is None:
        raise NotFound("Không tìm thấy tài khoản. / User not found.")
    authorize_account(db, actor, user)
    return user, home_org_id(db, user)


# Roles


def list_roles(db: Session, actor: Actor, org_id: int) -> list[RoleAssignmentPublic]:
    org = orgs.get_org(db, actor, org_id, Permission.ACCOUNTS_MANAGE)
    rows = db.exec(
        sa.select(RoleAssignment, User)
        .join(User, User.id == RoleAssignment.user_id)
        .where(RoleAssignment.organization_id == org.id)
        .order_by(User.display_name)
    ).all()
    return [
        RoleAssignmentPublic(
            user_id=user.id,
            username=user.username,
            display_name=user.display_name,
            organization_id=org.id,
            role=Role(assignment.role),
        )
        for assignment, user in rows
    ]


def set_role(
    db: Session, actor: Actor, org_id: int, user_id: int, role: Role
) -> RoleAssignmentPublic:
    org = orgs.get_org(db, actor, org_id, Permission.ACCOUNTS_MANAGE)
    user, _ = load_account(db, actor, user_id)
    assignment = db.exec(
        sa.select(RoleAssignment).where(
            RoleAssignment.user_id == user.id, RoleAssignment.organization_id == org.id
        )
    ).scalar_one_or_none()
    if assignment is None:
        assignment = RoleAssignment(user_id=user.id, organization_id=org.id, role=role)
        audit.create(db, actor, "role.set", assignment)
    else:
        with audit.change(db, actor, "role.set", assignment):
            assignment.role = role
    return RoleAssignmentPublic(
        user_id=user.id,
        username=user.username,
        display_name=user.display_name,
        organization_id=org.id,
        role=role,
    )


def remove_role(db: Session, actor: Actor, org_id: int, user_id: int) -> None:
    org = orgs.get_org(db, actor, org_id, Permission.ACCOUNTS_MANAGE)
    load_account(db, actor, user_id)
    assignment = db.exec(
        sa.select(RoleAssignment).where(
            RoleAssignment.user_id == user_id, RoleAssignment.organization_id == org.id
        )
    ).scalar_one_or_none()
    if assignment is None:
        raise NotFound("Không có vai trò này. / No such role assignment.")
    if assignment.user_id == actor.user_id and assignment.role == Role.ADMIN:
        raise InvalidInput(
            "Không thể tự bỏ quyền quản trị của mình. / You cannot remove your own admin role."
        )
    audit.delete(db, actor, "role.remove", assignment)


# From the command line


def ensure_org(
    db: Session,
    *,
    code: str,
    name: str,
    kind: str,
    abbreviation: str,
    parent_code: str = "",
    place_name: str | None = None,
) -> Organization:
    """The organisation with `code`, created under `parent_code` (or as a root) if missing."""
    org = orgs.get_org_by_code(db, code)
    if org is not None:
        return org
    if not name or not abbreviation:
        raise NotFound(
            f"No organisation with code {code!r}; give --org-name and --abbreviation to create it."
        )
    parent = None
    if parent_code:
        parent = orgs.get_org_by_code(db, parent_code)
        if parent is None:
            raise NotFound(f"No parent organisation with code {parent_code!r}.")
    org = Organization(
        kind=kind, name=name, code=code, abbreviation=abbreviation.upper(), place_name=place_name
    )
    return orgs.insert_org(db, None, org, parent)


def ensure_admin(
    db: Session,
    *,
    username: str,
    password: str,
    display_name: str,
    org_code: str,
    org_name: str = "",
    org_kind: str = "school",
    abbreviation: str = "",
    parent_code: str = "",
) -> tuple[User, bool]:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"Password too short (at least {MIN_PASSWORD_LENGTH} characters).",
            errors=[
                field_error("password", f"at least {MIN_PASSWORD_LENGTH} characters", "too_short")
            ],
        )
    org = ensure_org(
        db,
        code=org_code,
        name=org_name,
        kind=org_kind,
        abbreviation=abbreviation,
        parent_code=parent_code,
    )
    username = username.strip().lower()
    user = db.exec(sa.select(User).where(User.username == username)).scalar_one_or_none()
    created = user is None
    if user is None:
        user = User(
            username=username, display_name=display_name, password_hash=hash_password(password)
        )
        db.add(user)
        db.flush()
    else:
        user.password_hash = hash_password(password)
        user.is_active = True
    assignment = db.exec(
        sa.select(RoleAssignment).where(
            RoleAssignment.user_id == user.id, RoleAssignment.organization_id == org.id
        )
    ).scalar_one_or_none()
    if assignment is None:
        db.add(RoleAssignment(user_id=user.id, organization_id=org.id, role=Role.ADMIN))
    else:
        assignment.role = Role.ADMIN
    audit.record(
        db,
        None,
        "user.create" if created else "user.update",
        entity_type="user",
        entity_id=user.id,
        organization_id=org.id,
        after=audit.snapshot(user) | {"role": "admin"},
    )
    return user, created

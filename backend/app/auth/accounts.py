"""Accounts made from the command line, outside any request (no acting user)."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from app.audit import trail as audit
from app.auth.models import RoleAssignment, User
from app.authz import Role
from app.core.errors import InvalidInput, NotFound, field_error
from app.core.security import MIN_PASSWORD_LENGTH, hash_password
from app.orgs import service as orgs
from app.orgs.models import Organization


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

"""Who may do what: the one place that decides.

A role holds for an organisation and everything below it. A record outside every
organisation the caller reaches answers 404 (its existence is not revealed); a record in
reach but beyond the caller's role answers 403.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from enum import StrEnum

import sqlalchemy as sa

from app.core.errors import Forbidden, NotFound


class Role(StrEnum):
    ADMIN = "admin"
    MANAGER = "manager"
    VIEWER = "viewer"
    MEMBER = "member"


class Permission(StrEnum):
    ORGS_READ = "orgs:read"
    PEOPLE_READ = "people:read"
    PLANS_READ = "plans:read"
    TASKS_READ = "tasks:read"
    SESSIONS_READ = "sessions:read"
    ACTIVITIES_READ = "activities:read"
    REPORTS_READ = "reports:read"
    PLANS_WRITE = "plans:write"
    TASKS_WRITE = "tasks:write"
    SESSIONS_WRITE = "sessions:write"
    ACTIVITIES_WRITE = "activities:write"
    REFLECTIONS_GRADE = "reflections:grade"
    ACKNOWLEDGEMENTS_RECORD = "acknowledgements:record"
    ORGS_MANAGE = "orgs:manage"
    PEOPLE_MANAGE = "people:manage"
    ACCOUNTS_MANAGE = "accounts:manage"
    TOKENS_MANAGE = "tokens:manage"
    AUDIT_READ = "audit:read"
    ACKNOWLEDGEMENTS_WITHDRAW = "acknowledgements:withdraw"


_READ = {
    Permission.ORGS_READ,
    Permission.PEOPLE_READ,
    Permission.PLANS_READ,
    Permission.TASKS_READ,
    Permission.SESSIONS_READ,
    Permission.ACTIVITIES_READ,
    Permission.REPORTS_READ,
}
_MANAGE = _READ | {
    Permission.PLANS_WRITE,
    Permission.TASKS_WRITE,
    Permission.SESSIONS_WRITE,
    Permission.ACTIVITIES_WRITE,
    Permission.REFLECTIONS_GRADE,
    Permission.ACKNOWLEDGEMENTS_RECORD,
}
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.MEMBER: frozenset(),
    Role.VIEWER: frozenset(_READ),
    Role.MANAGER: frozenset(_MANAGE),
    Role.ADMIN: frozenset(Permission),
}
# What an API token may be granted: reading only.
TOKEN_SCOPES: frozenset[Permission] = frozenset(_READ)


@dataclass(frozen=True)
class Grant:
    organization_id: int
    path: str
    permissions: frozenset[Permission]
    role: Role | None = None


@dataclass(frozen=True)
class LinkUse:
    """The personal link a caller came through, and the account that issued it: whoever
    handed out the link answers for what is done with it in the person's name."""

    id: int
    issued_by_id: int | None
    issued_by_name: str | None


@dataclass(frozen=True)
class Actor:
    """The caller: a signed-in user, an API token or a personal link, with what it may do
    and where."""

    label: str
    grants: tuple[Grant, ...]
    user_id: int | None = None
    token_id: int | None = None
    participant_id: int | None = None
    scopes: frozenset[Permission] | None = field(default=None)
    link: LinkUse | None = None

    @property
    def link_id(self) -> int | None:
        return self.link.id if self.link else None

    def reaches(self, path: str) -> bool:
        return any(path.startswith(grant.path) for grant in self.grants)

    def permissions_at(self, path: str) -> frozenset[Permission]:
        found: set[Permission] = set()
        for grant in self.grants:
            if path.startswith(grant.path):
                found |= grant.permissions
        return frozenset(found)

    def can(self, permission: Permission, path: str) -> bool:
        return permission in self.permissions_at(path)

    def roots(self, permission: Permission) -> list[str]:
        return [grant.path for grant in self.grants if permission in grant.permissions]


def _not_found() -> NotFound:
    return NotFound("Không tìm thấy bản ghi. / Record not found.")


def _forbidden(permission: Permission) -> Forbidden:
    return Forbidden(f"Thiếu quyền {permission.value}. / Missing permission {permission.value}.")


def authorize(actor: Actor, permission: Permission, org_path: str) -> None:
    """Raise unless the actor holds `permission` over the organisation at `org_path`."""
    if not actor.reaches(org_path):
        raise _not_found()
    if not actor.can(permission, org_path):
        raise _forbidden(permission)


def authorize_all(actor: Actor, permission: Permission, org_paths: Collection[str]) -> None:
    """`authorize` over every organisation a record belongs to at once, such as a login with
    roles in several: acting on it acts in each of them, so no level acts above itself.

    404 if any of them (or none at all) lies beyond the actor's reach, before any 403.
    """
    if not org_paths or not all(actor.reaches(path) for path in org_paths):
        raise _not_found()
    for path in org_paths:
        if not actor.can(permission, path):
            raise _forbidden(permission)


def in_scope(actor: Actor, permission: Permission, path_column: sa.ColumnElement[str]):
    """SQL condition: the row's organisation path lies under a root granting `permission`."""
    roots = actor.roots(permission)
    if not roots:
        return sa.false()
    return sa.or_(*(path_column.startswith(root, autoescape=True) for root in roots))


def require_somewhere(actor: Actor, permission: Permission) -> None:
    """For lists without an organisation filter: the caller must hold the permission somewhere."""
    if not actor.roots(permission):
        raise _forbidden(permission)

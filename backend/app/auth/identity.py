"""Who is calling: a bearer token (a login's session token or an API token) turned into an
Actor with its grants, and the signed-in user as `/me` describes them."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from app.auth.models import ApiToken, LoginSession, RoleAssignment, User
from app.auth.schemas import Me, RolePublic, UserPublic
from app.authz import ROLE_PERMISSIONS, TOKEN_SCOPES, Actor, Grant, Permission, Role
from app.core.base import utcnow
from app.core.errors import Forbidden, Unauthorized
from app.core.security import API_TOKEN_PREFIX, SESSION_TOKEN_PREFIX, token_digest
from app.orgs.models import Organization

LAST_USED_RESOLUTION = timedelta(minutes=1)

_BAD_TOKEN = "Phiên đăng nhập không hợp lệ hoặc đã hết hạn. / Invalid or expired token."


def _user_grants(db: Session, user_id: int) -> tuple[Grant, ...]:
    rows = db.exec(
        sa.select(RoleAssignment.organization_id, Organization.path, RoleAssignment.role)
        .join(Organization, Organization.id == RoleAssignment.organization_id)
        .where(RoleAssignment.user_id == user_id)
    ).all()
    return tuple(
        Grant(
            organization_id=org_id,
            path=path,
            permissions=ROLE_PERMISSIONS[Role(role)],
            role=Role(role),
        )
        for org_id, path, role in rows
    )


def actor_for_user(db: Session, user: User) -> Actor:
    return Actor(
        label=user.username,
        grants=_user_grants(db, user.id),
        user_id=user.id,
        participant_id=user.participant_id,
    )


def resolve_actor(db: Session, token: str) -> Actor:
    """The caller behind a bearer token, or Unauthorized."""
    now = utcnow()
    digest = token_digest(token)
    if token.startswith(SESSION_TOKEN_PREFIX):
        row = db.exec(
            sa.select(User)
            .join(LoginSession, LoginSession.user_id == User.id)
            .where(
                LoginSession.token_hash == digest,
                LoginSession.revoked_at.is_(None),
                LoginSession.expires_at > now,
                User.is_active.is_(True),
            )
        ).scalar_one_or_none()
        if row is None:
            raise Unauthorized(_BAD_TOKEN)
        return actor_for_user(db, row)
    if token.startswith(API_TOKEN_PREFIX):
        found = db.exec(
            sa.select(ApiToken, Organization.path)
            .join(Organization, Organization.id == ApiToken.organization_id)
            .where(ApiToken.token_hash == digest, ApiToken.revoked_at.is_(None))
        ).first()
        if found is None or found[0].expires_at <= now:
            raise Unauthorized(_BAD_TOKEN)
        api_token, path = found
        if api_token.last_used_at is None or now - api_token.last_used_at > LAST_USED_RESOLUTION:
            _touch(db, api_token, now)
        scopes = frozenset(Permission(s) for s in api_token.scopes) & TOKEN_SCOPES
        return Actor(
            label=f"token:{api_token.name}",
            grants=(
                Grant(organization_id=api_token.organization_id, path=path, permissions=scopes),
            ),
            token_id=api_token.id,
            scopes=scopes,
        )
    raise Unauthorized(_BAD_TOKEN)


def _touch(db: Session, api_token: ApiToken, now: datetime) -> None:
    """Record the token's use; best effort, in a savepoint, so a busy database never refuses
    a read for it (the request's commit keeps it)."""
    try:
        with db.begin_nested():
            api_token.last_used_at = now
    except sa.exc.OperationalError:
        pass  # not recorded this time; the read goes on


def user_of(db: Session, actor: Actor) -> User:
    """The login acting; an API token has none."""
    if actor.user_id is None:
        raise Forbidden("API token không có tài khoản người dùng. / An API token is not a user.")
    user = db.get(User, actor.user_id)
    if user is None:
        raise Unauthorized(_BAD_TOKEN)
    return user


def describe(db: Session, actor: Actor) -> Me:
    user = user_of(db, actor)
    orgs_by_id = {
        org.id: org
        for org in db.exec(
            sa.select(Organization).where(
                Organization.id.in_([g.organization_id for g in actor.grants])
            )
        ).scalars()
    }
    roles = [
        RolePublic(
            organization_id=g.organization_id,
            organization_name=orgs_by_id[g.organization_id].name,
            organization_code=orgs_by_id[g.organization_id].code,
            organization_kind=orgs_by_id[g.organization_id].kind,
            role=g.role,
            permissions=sorted(g.permissions),
        )
        for g in actor.grants
    ]
    return Me(user=UserPublic.model_validate(user), roles=roles)

"""Logins, access tokens, roles and API tokens; and turning a bearer token into an Actor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from app.audit import trail as audit
from app.auth import throttle
from app.auth.models import ApiToken, LoginSession, RoleAssignment, User
from app.auth.schemas import ApiTokenCreate, Me, RoleAssignmentPublic, RolePublic, UserPublic
from app.authz import (
    ROLE_PERMISSIONS,
    TOKEN_SCOPES,
    Actor,
    Grant,
    Permission,
    Role,
    authorize_all,
)
from app.core.config import current_settings
from app.core.errors import (
    Conflict,
    Forbidden,
    InvalidInput,
    NotFound,
    Unauthorized,
    field_error,
)
from app.core.security import (
    API_TOKEN_PREFIX,
    SESSION_TOKEN_PREFIX,
    hash_password,
    new_code,
    new_token,
    token_digest,
    verify_password,
)
from app.orgs import service as orgs
from app.orgs.models import Organization
from app.people.models import Participant

SESSION_LIFETIME = timedelta(hours=10)
RESET_LIFETIME = timedelta(hours=24)
LAST_USED_RESOLUTION = timedelta(minutes=1)
DEFAULT_API_TOKEN_DAYS = 365  # unless API_TOKEN_MAX_DAYS is shorter

# Wrong passwords slow down whoever sends them, not the account's owner elsewhere. One account
# from one address: five tries at once, then 30 s after the last failure, doubling with each
# further one up to 15 minutes (about a hundred guesses a day); a success from that address
# starts over. One address across accounts (password spraying): 30 failures in 15 minutes.
FREE_LOGIN_FAILURES = 5
FIRST_LOGIN_WAIT = timedelta(seconds=30)
LONGEST_LOGIN_WAIT = timedelta(minutes=15)
LOGIN_FAILURES_LOOKBACK = timedelta(days=1)
MAX_LOGIN_FAILURES_PER_ADDRESS = 30
# Wrong reset codes: per account and per address in 15 minutes. A valid code is never
# refused (see `reset_password`).
MAX_RESET_FAILURES_PER_USERNAME = 10
MAX_RESET_FAILURES_PER_ADDRESS = 30

_BAD_LOGIN = "Sai tên đăng nhập hoặc mật khẩu. / Wrong username or password."
_BAD_TOKEN = "Phiên đăng nhập không hợp lệ hoặc đã hết hạn. / Invalid or expired token."
_BAD_CODE = "Mã đặt lại không đúng hoặc đã hết hạn. / Invalid or expired code."


def _now() -> datetime:
    return datetime.now(UTC)


# Resolving the caller


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
    now = _now()
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


def home_org_id(db: Session, user: User) -> int | None:
    if user.participant_id is not None:
        participant = db.get(Participant, user.participant_id)
        if participant is not None:
            return participant.organization_id
    return db.exec(
        sa.select(RoleAssignment.organization_id).where(RoleAssignment.user_id == user.id).limit(1)
    ).scalar_one_or_none()


def _user_of(db: Session, actor: Actor) -> User:
    if actor.user_id is None:
        raise Forbidden("API token không có tài khoản người dùng. / An API token is not a user.")
    user = db.get(User, actor.user_id)
    if user is None:
        raise Unauthorized(_BAD_TOKEN)
    return user


def describe(db: Session, actor: Actor) -> Me:
    user = _user_of(db, actor)
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
            role=g.role,
            permissions=sorted(g.permissions),
        )
        for g in actor.grants
    ]
    return Me(user=UserPublic.model_validate(user), roles=roles)


# Logging in and out


def _throttle_login(db: Session, username: str, address: str) -> None:
    throttle.check_backoff(
        db,
        "login",
        subject=username,
        address=address,
        free=FREE_LOGIN_FAILURES,
        first_wait=FIRST_LOGIN_WAIT,
        longest_wait=LONGEST_LOGIN_WAIT,
        lookback=LOGIN_FAILURES_LOOKBACK,
    )
    throttle.check(db, "login", address=address, per_address=MAX_LOGIN_FAILURES_PER_ADDRESS)


def _refused(
    db: Session, kind: str, action: str, username: str, user: User | None, address: str, detail: str
) -> Unauthorized:
    """Count the failure for the throttle and audit it, with the username tried and the
    address (never the password or code); the refusal keeps both, the request fails."""
    audit.record(
        db,
        Actor(label=address, grants=()),
        action,
        entity_type="user",
        entity_id=user.id if user else None,
        organization_id=home_org_id(db, user) if user else None,
        after={"username": username, "address": address},
    )
    throttle.record_failure(db, kind, subject=username, address=address)
    return Unauthorized(detail, keep_writes=True)


def login(db: Session, *, username: str, password: str, address: str) -> tuple[str, datetime, Me]:
    username = username.strip().lower()
    _throttle_login(db, username, address)
    user = db.exec(sa.select(User).where(User.username == username)).scalar_one_or_none()
    valid = verify_password(password, user.password_hash if user else None)
    if user is None or not valid or not user.is_active:
        raise _refused(db, "login", "auth.login_failed", username, user, address, _BAD_LOGIN)
    throttle.clear(db, "login", subject=username, address=address)
    token, digest = new_token(SESSION_TOKEN_PREFIX)
    expires_at = _now() + SESSION_LIFETIME
    db.add(LoginSession(user_id=user.id, token_hash=digest, expires_at=expires_at))
    actor = actor_for_user(db, user)
    audit.record(
        db,
        actor,
        "auth.login",
        entity_type="user",
        entity_id=user.id,
        organization_id=home_org_id(db, user),
        after={"address": address},
    )
    return token, expires_at, describe(db, actor)


def logout(db: Session, actor: Actor, token: str) -> None:
    session = db.exec(
        sa.select(LoginSession).where(LoginSession.token_hash == token_digest(token))
    ).scalar_one_or_none()
    if session is None or session.revoked_at is not None:
        return
    session.revoked_at = _now()
    user = db.get(User, session.user_id)
    audit.record(
        db,
        actor,
        "auth.logout",
        entity_type="user",
        entity_id=session.user_id,
        organization_id=home_org_id(db, user),
    )


def revoke_sessions(db: Session, user_id: int, *, keep_digest: str | None = None) -> int:
    """End the login's sessions (but the one of `keep_digest`); returns how many were live."""
    condition = [LoginSession.user_id == user_id, LoginSession.revoked_at.is_(None)]
    if keep_digest:
        condition.append(LoginSession.token_hash != keep_digest)
    return db.exec(sa.update(LoginSession).where(*condition).values(revoked_at=_now())).rowcount


def change_password(db: Session, actor: Actor, *, current: str, new: str, token: str) -> None:
    user = _user_of(db, actor)
    if not verify_password(current, user.password_hash):
        raise InvalidInput(
            "Mật khẩu hiện tại không đúng. / The current password is wrong.",
            errors=[field_error("body.current_password", "wrong password", "wrong_password")],
        )
    user.password_hash = hash_password(new)
    revoke_sessions(db, user.id, keep_digest=token_digest(token))
    audit.record(
        db,
        actor,
        "user.password_change",
        entity_type="user",
        entity_id=user.id,
        organization_id=home_org_id(db, user),
    )


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


def issue_reset(db: Session, actor: Actor, user_id: int) -> tuple[User, str, datetime]:
    """One-time code an admin hands to a person who forgot the password; none for a login
    that was switched off (it would lead nowhere, and must not seem to reopen it)."""
    user, org_id = load_account(db, actor, user_id)
    if not user.is_active:
        raise Conflict(
            "Tài khoản đã ngừng hoạt động; kích hoạt lại cán bộ trước. "
            "/ This login is deactivated; reactivate the person first."
        )
    code = new_code()
    user.reset_code_hash = token_digest(code)
    user.reset_expires_at = _now() + RESET_LIFETIME
    audit.record(
        db,
        actor,
        "user.reset_issue",
        entity_type="user",
        entity_id=user.id,
        organization_id=org_id,
        after={"reset_expires_at": user.reset_expires_at.isoformat()},
    )
    return user, code, user.reset_expires_at


def reset_password(db: Session, *, username: str, code: str, new: str, address: str) -> None:
    """Set a new password with the code an admin handed over.

    A valid code always works, whatever anyone else guessed: it is checked before the
    throttle. Guessing is stopped by the code itself — 10 characters of 32 (50 bits), one
    use, 24 hours: at 10,000 guesses a second for its whole life the chance of a hit is below
    one in a million. Wrong codes are counted, audited and answered 429 over their limits.
    """
    username = username.strip().lower()
    user = db.exec(sa.select(User).where(User.username == username)).scalar_one_or_none()
    expired = user is None or user.reset_expires_at is None or user.reset_expires_at <= _now()
    if expired or user.reset_code_hash != token_digest(code.strip().upper()):
        throttle.check(
            db,
            "reset",
            subject=username,
            address=address,
            per_subject=MAX_RESET_FAILURES_PER_USERNAME,
            per_address=MAX_RESET_FAILURES_PER_ADDRESS,
        )
        raise _refused(db, "reset", "auth.reset_failed", username, user, address, _BAD_CODE)
    user.password_hash = hash_password(new)
    user.reset_code_hash = None
    user.reset_expires_at = None
    revoke_sessions(db, user.id)
    # Whoever sent the valid code is the owner: their own wrong passwords from here are over.
    throttle.clear(db, "login", subject=username, address=address)
    audit.record(
        db,
        actor_for_user(db, user),
        "user.password_reset",
        entity_type="user",
        entity_id=user.id,
        organization_id=home_org_id(db, user),
    )


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


# API tokens


def create_api_token(db: Session, actor: Actor, data: ApiTokenCreate) -> tuple[ApiToken, str]:
    org = orgs.get_org(db, actor, data.organization_id, Permission.TOKENS_MANAGE)
    not_allowed = [s for s in data.scopes if s not in TOKEN_SCOPES]
    if not_allowed:
        raise InvalidInput(
            "API token chỉ được cấp quyền đọc. / API tokens may only read.",
            errors=[
                field_error("body.scopes", f"not grantable to a token: {not_allowed}", "scope")
            ],
        )
    longest = current_settings().api_token_max_days
    days = (
        data.expires_in_days
        if data.expires_in_days is not None
        else min(DEFAULT_API_TOKEN_DAYS, longest)
    )
    if days > longest:
        raise InvalidInput(
            f"Mã truy cập có hạn tối đa {longest} ngày. / A token may last at most {longest} days.",
            errors=[
                field_error(
                    "body.expires_in_days",
                    f"Tối đa {longest} ngày. / At most {longest} days.",
                    "less_than_equal",
                )
            ],
        )
    token, digest = new_token(API_TOKEN_PREFIX)
    api_token = ApiToken(
        organization_id=org.id,
        created_by_id=actor.user_id,
        name=data.name,
        token_hash=digest,
        token_prefix=token[:10],
        scopes=sorted(set(data.scopes)),
        expires_at=_now() + timedelta(days=days),
    )
    audit.create(db, actor, "api_token.create", api_token)
    return api_token, token


def list_api_tokens(db: Session, actor: Actor, org_id: int) -> list[ApiToken]:
    org = orgs.get_org(db, actor, org_id, Permission.TOKENS_MANAGE)
    return list(
        db.exec(
            sa.select(ApiToken)
            .where(ApiToken.organization_id == org.id)
            .order_by(ApiToken.created_at.desc())
        ).scalars()
    )


def revoke_api_token(db: Session, actor: Actor, token_id: int) -> ApiToken:
    api_token = db.get(ApiToken, token_id)
    if api_token is None:
        raise NotFound("Không tìm thấy token. / Token not found.")
    orgs.get_org(db, actor, api_token.organization_id, Permission.TOKENS_MANAGE)
    if api_token.revoked_at is None:
        with audit.change(db, actor, "api_token.revoke", api_token):
            api_token.revoked_at = _now()
    return api_token

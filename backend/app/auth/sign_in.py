"""Signing in and out, and passwords: login, logout, changing one's password, and the reset
code an admin issues for a forgotten one; wrong passwords and codes are throttled and audited."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from app.audit import trail as audit
from app.auth import throttle
from app.auth.accounts import home_org_id, load_account
from app.auth.identity import actor_for_user, describe, user_of
from app.auth.models import LoginSession, User
from app.auth.schemas import Me
from app.authz import Actor
from app.core.base import utcnow
from app.core.errors import Conflict, InvalidInput, Unauthorized, field_error
from app.core.security import (
    SESSION_TOKEN_PREFIX,
    hash_password,
    new_code,
    new_token,
    token_digest,
    verify_password,
)

SESSION_LIFETIME = timedelta(hours=10)
RESET_LIFETIME = timedelta(hours=24)

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
_BAD_CODE = "Mã đặt lại không đúng hoặc đã hết hạn. / Invalid or expired code."


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
    expires_at = utcnow() + SESSION_LIFETIME
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
    session.revoked_at = utcnow()
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
    return db.exec(sa.update(LoginSession).where(*condition).values(revoked_at=utcnow())).rowcount


def change_password(db: Session, actor: Actor, *, current: str, new: str, token: str) -> None:
    user = user_of(db, actor)
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
    user.reset_expires_at = utcnow() + RESET_LIFETIME
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
    expired = user is None or user.reset_expires_at is None or user.reset_expires_at <= utcnow()
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

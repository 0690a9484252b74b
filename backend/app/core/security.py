"""Password hashing (argon2 via pwdlib) and opaque bearer tokens stored only as keyed hashes."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from pwdlib import PasswordHash

from app.core.config import current_settings

_password_hash = PasswordHash.recommended()
# Verifying against this keeps a login for an unknown user as slow as for a known one.
_DUMMY_HASH = _password_hash.hash(secrets.token_urlsafe(16))

SESSION_TOKEN_PREFIX = "lts_"
API_TOKEN_PREFIX = "ltk_"
LINK_TOKEN_PREFIX = "ltp_"  # a personal link's token: its holder's only credential
TOKEN_PREFIXES = (SESSION_TOKEN_PREFIX, API_TOKEN_PREFIX, LINK_TOKEN_PREFIX)
MIN_PASSWORD_LENGTH = 8


def hash_password(password: str) -> str:
    return _password_hash.hash(password)


def verify_password(password: str, password_hash: str | None) -> bool:
    if password_hash is None:
        _password_hash.verify(password, _DUMMY_HASH)
        return False
    return _password_hash.verify(password, password_hash)


def token_digest(token: str) -> str:
    """Keyed hash of a token: what the database keeps instead of the token itself."""
    key = current_settings().signing_key.encode()
    return hmac.new(key, token.encode(), hashlib.sha256).hexdigest()


def new_token(prefix: str) -> tuple[str, str]:
    """A fresh unguessable token and its digest."""
    token = prefix + secrets.token_urlsafe(32)
    return token, token_digest(token)


def new_code(length: int = 10) -> str:
    """A short one-time code a person can type (no look-alike characters)."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(length))

"""API tokens for machine clients (the district pulling reports): issued read-only and
expiring (at most API_TOKEN_MAX_DAYS), listed, revoked. `identity` resolves them."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session

from app.audit import trail as audit
from app.auth.models import ApiToken
from app.auth.schemas import ApiTokenCreate
from app.authz import TOKEN_SCOPES, Actor, Permission
from app.core.base import utcnow
from app.core.config import current_settings
from app.core.errors import InvalidInput, NotFound, field_error
from app.core.security import API_TOKEN_PREFIX, new_token
from app.orgs import service as orgs

DEFAULT_API_TOKEN_DAYS = 365  # unless API_TOKEN_MAX_DAYS is shorter


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
        expires_at=utcnow() + timedelta(days=days),
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
            api_token.revoked_at = utcnow()
    return api_token

from __future__ import annotations

from fastapi import status

from app.auth import accounts, api_tokens, identity, sign_in
from app.auth.deps import BearerToken, ClientAddress, CurrentActor
from app.auth.schemas import (
    ApiTokenCreate,
    ApiTokenCreated,
    ApiTokenPublic,
    LoginRequest,
    LoginResponse,
    Me,
    PasswordChange,
    PasswordReset,
    ResetIssued,
    RoleAssignmentPublic,
    RoleSet,
)
from app.core.db import DbSession
from app.core.routing import ApiRouter

router = ApiRouter(tags=["auth"])


@router.post("/auth/login", response_model=LoginResponse, summary="Sign in with a password")
def login(body: LoginRequest, db: DbSession, address: ClientAddress) -> LoginResponse:
    token, expires_at, me = sign_in.login(
        db, username=body.username, password=body.password, address=address
    )
    return LoginResponse(access_token=token, expires_at=expires_at, me=me)


@router.post(
    "/auth/logout", status_code=status.HTTP_204_NO_CONTENT, summary="Revoke this access token"
)
def logout(actor: CurrentActor, token: BearerToken, db: DbSession) -> None:
    sign_in.logout(db, actor, token)


@router.post("/auth/password", status_code=status.HTTP_204_NO_CONTENT, summary="Change my password")
def change_password(
    body: PasswordChange, actor: CurrentActor, token: BearerToken, db: DbSession
) -> None:
    sign_in.change_password(
        db, actor, current=body.current_password, new=body.new_password, token=token
    )


@router.post(
    "/auth/reset",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Set a new password with a reset code",
)
def reset_password(body: PasswordReset, db: DbSession, address: ClientAddress) -> None:
    sign_in.reset_password(
        db, username=body.username, code=body.reset_code, new=body.new_password, address=address
    )


@router.get("/me", response_model=Me, summary="The signed-in user and their roles")
def me(actor: CurrentActor, db: DbSession) -> Me:
    return identity.describe(db, actor)


@router.post(
    "/users/{user_id}/reset",
    response_model=ResetIssued,
    tags=["accounts"],
    summary="Issue a one-time reset code",
)
def issue_reset(user_id: int, actor: CurrentActor, db: DbSession) -> ResetIssued:
    user, code, expires_at = sign_in.issue_reset(db, actor, user_id)
    return ResetIssued(username=user.username, reset_code=code, expires_at=expires_at)


@router.get("/orgs/{org_id}/roles", response_model=list[RoleAssignmentPublic], tags=["accounts"])
def list_roles(org_id: int, actor: CurrentActor, db: DbSession) -> list[RoleAssignmentPublic]:
    return accounts.list_roles(db, actor, org_id)


@router.put(
    "/orgs/{org_id}/roles/{user_id}", response_model=RoleAssignmentPublic, tags=["accounts"]
)
def set_role(
    org_id: int, user_id: int, body: RoleSet, actor: CurrentActor, db: DbSession
) -> RoleAssignmentPublic:
    return accounts.set_role(db, actor, org_id, user_id, body.role)


@router.delete(
    "/orgs/{org_id}/roles/{user_id}", status_code=status.HTTP_204_NO_CONTENT, tags=["accounts"]
)
def remove_role(org_id: int, user_id: int, actor: CurrentActor, db: DbSession) -> None:
    accounts.remove_role(db, actor, org_id, user_id)


@router.get("/api-tokens", response_model=list[ApiTokenPublic], tags=["api tokens"])
def list_api_tokens(org_id: int, actor: CurrentActor, db: DbSession) -> list[ApiTokenPublic]:
    return [ApiTokenPublic.model_validate(t) for t in api_tokens.list_api_tokens(db, actor, org_id)]


@router.post("/api-tokens", response_model=ApiTokenCreated, status_code=201, tags=["api tokens"])
def create_api_token(body: ApiTokenCreate, actor: CurrentActor, db: DbSession) -> ApiTokenCreated:
    api_token, token = api_tokens.create_api_token(db, actor, body)
    return ApiTokenCreated.model_validate(
        {**ApiTokenPublic.model_validate(api_token).model_dump(), "token": token}
    )


@router.delete("/api-tokens/{token_id}", response_model=ApiTokenPublic, tags=["api tokens"])
def revoke_api_token(token_id: int, actor: CurrentActor, db: DbSession) -> ApiTokenPublic:
    return ApiTokenPublic.model_validate(api_tokens.revoke_api_token(db, actor, token_id))

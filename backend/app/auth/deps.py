"""The request's caller, as a dependency. Ends its own transaction (see app.core.db)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.auth import service
from app.authz import Actor
from app.core.db import DbSession
from app.core.errors import Unauthorized

bearer = HTTPBearer(auto_error=False, description="A login's access token or an API token")


# Dependencies that only read the request are async: FastAPI runs a sync one in the thread
# pool, a hop that costs more than the work.


async def bearer_token(
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> str:
    if credentials is None or not credentials.credentials:
        raise Unauthorized(
            "Vui lòng đăng nhập. / Sign in first.", headers={"WWW-Authenticate": "Bearer"}
        )
    return credentials.credentials


def current_actor(db: DbSession, token: Annotated[str, Depends(bearer_token)]) -> Actor:
    try:
        return service.resolve_actor(db, token)
    finally:
        # Release the connection before the route runs in another pool thread.
        db.close()


async def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


CurrentActor = Annotated[Actor, Depends(current_actor)]
BearerToken = Annotated[str, Depends(bearer_token)]
ClientAddress = Annotated[str, Depends(client_address)]

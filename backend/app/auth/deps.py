"""The request's caller, as a dependency. Ends its own transaction (see app.core.db)."""

from __future__ import annotations

import ipaddress
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from app.auth import identity
from app.authz import Actor
from app.core.db import DbSession
from app.core.errors import Unauthorized
from app.core.routing import ends_transactions

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


@ends_transactions  # before the route runs in another pool thread, as a route's own would
def current_actor(db: DbSession, token: Annotated[str, Depends(bearer_token)]) -> Actor:
    return identity.resolve_actor(db, token)


UNKNOWN_ADDRESS = "unknown"


def normal_address(host: str) -> str:
    """An IP address as the throttles and the records keep it: one spelling per address
    (IPv4 for an IPv4-mapped IPv6 address, no zone), at most 39 characters; anything that is
    no IP address (a malformed forwarded header from a trusted proxy, a test client) is
    `unknown`, one shared bucket, so inventing new values never escapes a throttle."""
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return UNKNOWN_ADDRESS
    ip = ipaddress.ip_address(ip.packed)  # drops an IPv6 zone ("%eth0"), which can be long
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.compressed


async def client_address(request: Request) -> str:
    """The caller's address: the peer's, or the one a trusted proxy forwarded (the server
    honours X-Forwarded-For only from FORWARDED_ALLOW_IPS)."""
    return normal_address(request.client.host) if request.client else UNKNOWN_ADDRESS


CurrentActor = Annotated[Actor, Depends(current_actor)]
BearerToken = Annotated[str, Depends(bearer_token)]
ClientAddress = Annotated[str, Depends(client_address)]

"""The router every domain uses: it ends the request's transaction inside the route; and what
routes read of the app they run in."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Request
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool

T = TypeVar("T")


def closes_sessions(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a sync endpoint so any session it received is closed before it returns.

    Closing releases the pooled connection while the endpoint still owns its thread, so
    serialising the response never waits for a connection (see `app.core.db`).
    """
    if inspect.iscoroutinefunction(endpoint) or getattr(endpoint, "_closes_sessions", False):
        return endpoint

    @functools.wraps(endpoint)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return endpoint(*args, **kwargs)
        finally:
            for value in kwargs.values():
                if isinstance(value, Session):
                    value.close()

    wrapper._closes_sessions = True  # type: ignore[attr-defined]
    return wrapper


async def in_worker(function: Callable[..., T], **arguments: Any) -> T:
    """Call a sync service from an async route in one pool thread, closing its session there.

    A sync route that declares a response model costs two pool threads per request: FastAPI
    checks the returned value in a second one. The busiest pages are async routes that make
    this single hop instead, and the check of their (already validated) model runs inline.
    """
    return await run_in_threadpool(closes_sessions(function), **arguments)


class ApiRouter(APIRouter):
    def add_api_route(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().add_api_route(path, closes_sessions(endpoint), **kwargs)


async def public_base_url(request: Request) -> str:
    """The start of the links and QR codes a route hands out: the app's setting, never the
    Host the request names (which anyone sending the request chooses)."""
    return request.app.state.settings.base_url


PublicBaseUrl = Annotated[str, Depends(public_base_url)]

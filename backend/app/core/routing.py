"""The router every domain uses: it ends the request's transaction inside the route."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from sqlmodel import Session


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


class ApiRouter(APIRouter):
    def add_api_route(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().add_api_route(path, closes_sessions(endpoint), **kwargs)

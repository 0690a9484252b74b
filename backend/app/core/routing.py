"""The router every domain uses: it ends the request's transaction inside the route and
refuses text that no record may hold, wherever in the request it comes; and what routes read
of the app they run in."""

from __future__ import annotations

import email.message
import functools
import inspect
from collections.abc import Callable, Iterable
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, FastAPI, Request, params
from sqlmodel import Session
from starlette._utils import get_route_path
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.routing import BaseRoute, Match
from starlette.types import Scope

from app.core.characters import normalise_newlines, unsafe_character, unsafe_character_message
from app.core.db import end_session
from app.core.errors import FieldError, InvalidInput, field_error

T = TypeVar("T")
MAX_TEXT_ERRORS = 20  # a body of a million bad strings gets a short answer


def ends_transactions(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a sync endpoint (or dependency) so every session it received ends before it
    returns, in its own thread: committed when it returns, rolled back when it raises (but
    see `ProblemError.keep_writes`), closed either way (`app.core.db.end_session`).

    The one place a request's writes commit: services only flush. Ending here releases the
    pooled connection while the endpoint still owns its thread, so serialising the response
    never waits for a connection (see `app.core.db`).
    """
    if inspect.iscoroutinefunction(endpoint) or getattr(endpoint, "_ends_transactions", False):
        return endpoint

    @functools.wraps(endpoint)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        sessions = [value for value in kwargs.values() if isinstance(value, Session)]
        try:
            result = endpoint(*args, **kwargs)
        except BaseException as error:
            for session in sessions:
                end_session(session, error)
            raise
        for session in sessions:
            end_session(session, None)
        return result

    wrapper._ends_transactions = True  # type: ignore[attr-defined]
    return wrapper


async def in_worker(function: Callable[..., T], **arguments: Any) -> T:
    """Call a sync service from an async route in one pool thread, ending its session there.

    A sync route that declares a response model costs two pool threads per request: FastAPI
    checks the returned value in a second one. The busiest pages are async routes that make
    this single hop instead, and the check of their (already validated) model runs inline.
    """
    return await run_in_threadpool(ends_transactions(function), **arguments)


def _is_json(content_type: str | None) -> bool:
    """FastAPI's own test for a body it parses as JSON."""
    if not content_type:
        return False
    message = email.message.Message()
    message["content-type"] = content_type
    subtype = message.get_content_subtype()
    return message.get_content_maintype() == "application" and (
        subtype == "json" or subtype.endswith("+json")
    )


def _checked_text(text: str, loc: Iterable[Any], errors: list[FieldError]) -> None:
    character = unsafe_character(text)
    if character is not None and len(errors) < MAX_TEXT_ERRORS:
        field = ".".join(str(part) for part in loc)
        errors.append(field_error(field, unsafe_character_message(character), "unsafe_character"))


def _check_json(body: Any, errors: list[FieldError]) -> None:
    """Walk the parsed body (iteratively: it may nest as deep as the JSON parser allowed),
    normalising CRLF in place and naming each bad string as FastAPI names fields."""
    stack: list[tuple[Any, Any, tuple[Any, ...]]] = [({"body": body}, "body", ("body",))]
    while stack:
        holder, key, loc = stack.pop()
        if isinstance(key, str):  # a key may be stored too (a JSON column)
            _checked_text(key, loc, errors)
        value = holder[key]
        if isinstance(value, str):
            holder[key] = normalise_newlines(value)
            _checked_text(holder[key], loc, errors)
        elif isinstance(value, dict):
            stack.extend((value, name, (*loc, name)) for name in reversed(list(value)))
        elif isinstance(value, list):
            stack.extend((value, index, (*loc, index)) for index in reversed(range(len(value))))


async def refuse_unsafe_text(request: Request) -> None:
    """One home for the rule of `app.core.characters` at input: every route of an ApiRouter
    depends on this first, so a 422 naming the field (`path.token`, `query.q`, `body.title`,
    `body.sections.0.body`, a form field or an upload's file name) comes before any work.

    It runs after FastAPI has read the body and before it validates it, so `request.json()`
    and `request.form()` return what FastAPI parsed (nothing is read twice) and a JSON body's
    CRLF line breaks are normalised to LF in the very object FastAPI then validates. Form fields
    keep a CRLF as sent (browsers send one for every line break of a multipart field; the parsed
    form cannot be rewritten); exports normalise it on output.
    """
    errors: list[FieldError] = []
    for name, value in request.path_params.items():
        if isinstance(value, str):
            _checked_text(value, ("path", name), errors)
    for name, value in request.query_params.multi_items():
        _checked_text(value, ("query", name), errors)
    route = request.scope.get("route")
    body_field = getattr(route, "body_field", None)
    if body_field is not None and isinstance(body_field.field_info, params.Form):
        for name, value in (await request.form()).multi_items():
            text = (value.filename or "") if isinstance(value, UploadFile) else value
            _checked_text(text, ("body", name), errors)
    elif body_field is not None and _is_json(request.headers.get("content-type")):
        try:
            body = await request.json()
        except ValueError:  # empty: FastAPI has already treated it as no body
            body = None
        _check_json(body, errors)
    if errors:
        raise InvalidInput("; ".join(f"{e.field}: {e.message}" for e in errors[:5]), errors=errors)


class ApiRouter(APIRouter):
    def __init__(self, *args: Any, dependencies: Iterable[Any] | None = None, **kwargs: Any):
        super().__init__(
            *args, dependencies=[Depends(refuse_unsafe_text), *(dependencies or ())], **kwargs
        )

    def add_api_route(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        super().add_api_route(path, ends_transactions(endpoint), **kwargs)


def _head(path: str) -> tuple[str, ...]:
    """A path's first three segments: `/api/v1/links/x` gives ("api", "v1", "links"), and
    `/api/v1/` ("api", "v1")."""
    return tuple(filter(None, path.split("/", 4)[1:4]))


def include_routers(app: FastAPI, routers: Iterable[APIRouter], prefix: str) -> None:
    """Include the routers under `prefix`, each behind a check that the request's path begins
    as one of its routes' paths does (`_head`), so a request passes over the routers that
    cannot answer it with one set lookup each.

    FastAPI matches a request against the app's routes in turn, and an included router
    against its own routes in turn (all of them, each a regular expression and some
    bookkeeping of FastAPI's): a request to the last router paid for every route before it,
    and that was over half of a bare endpoint's cost. The order, and so which route answers
    a path that two could, stays as included. A router with a path parameter among its
    routes' first three segments is checked for every request, as before.
    """
    for router in routers:
        heads = {_head(prefix + route.path) for route in router.routes if hasattr(route, "path")}
        added = len(app.router.routes)
        app.include_router(router, prefix=prefix)
        if all("{" not in "".join(head) for head in heads):
            for route in app.router.routes[added:]:
                _only_for_heads(route, frozenset(heads))


def _only_for_heads(route: BaseRoute, heads: frozenset[tuple[str, ...]]) -> None:
    matches = route.matches

    def matches_if_head_known(scope: Scope) -> tuple[Match, Scope]:
        if _head(get_route_path(scope)) not in heads:
            return Match.NONE, {}
        return matches(scope)

    route.matches = matches_if_head_known  # type: ignore[method-assign]


async def public_base_url(request: Request) -> str:
    """The start of the links and QR codes a route hands out: the app's setting, never the
    Host the request names (which anyone sending the request chooses)."""
    return request.app.state.settings.base_url


PublicBaseUrl = Annotated[str, Depends(public_base_url)]

"""One error shape for the whole API: RFC 9457 problem details.

Services raise `ProblemError` subclasses (they name a status but know nothing of HTTP
requests); the handlers below turn those, HTTP errors, validation errors and anything
unexpected into `application/problem+json`.
"""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from app.core.logging import request_id_var

logger = logging.getLogger("app.errors")

PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "https://lantoa.vn/problems/"
REQUEST_ID_HEADER = "X-Request-ID"


class FieldError(BaseModel):
    field: str
    message: str
    type: str


class Problem(BaseModel):
    """RFC 9457 problem details, as documented in OpenAPI."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
    errors: list[FieldError] | None = None


class ProblemError(Exception):
    """A failure the caller can act on. Subclasses fix the status and a stable code.

    A failing request's writes are rolled back, unless its error says `keep_writes`: then
    what it wrote before refusing commits (`app.core.db.end_session`). The one way a refusal
    leaves a trace, for what must outlast it: a counted failure of a throttle and its audit
    event (a wrong password, reset code, check-in code or personal link).
    """

    status: int = 400
    code: str = "bad-request"

    def __init__(
        self,
        detail: str,
        *,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
        keep_writes: bool = False,
    ) -> None:
        super().__init__(detail)
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}
        self.keep_writes = keep_writes


class NotFound(ProblemError):
    status, code = 404, "not-found"


class Forbidden(ProblemError):
    status, code = 403, "forbidden"


class Unauthorized(ProblemError):
    status, code = 401, "unauthorized"


class Conflict(ProblemError):
    status, code = 409, "conflict"


class InvalidTransition(Conflict):
    """A status jump a record's workflow does not allow (a draft closed, a task reopened)."""

    code = "invalid-transition"


class InvalidInput(ProblemError):
    status, code = 422, "invalid-input"


class TooManyRequests(ProblemError):
    status, code = 429, "too-many-requests"


class ServiceBusy(ProblemError):
    status, code = 503, "busy"


def field_error(field: str, message: str, kind: str = "value_error") -> FieldError:
    return FieldError(field=field, message=message, type=kind)


def invalid_body_field(field: str, message: str) -> InvalidInput:
    """For a rule across fields in a request schema: a 422 that still names the field.

    Pydantic reports a model-level ValueError against the whole body; raising this
    instead (pydantic lets it through) points the client at the field to correct.
    """
    return InvalidInput(message, errors=[field_error(f"body.{field}", message)])


def problem_response(
    request: Request | None,
    status: int,
    *,
    code: str | None = None,
    detail: str | None = None,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    request_id = _request_id(request)
    body = Problem(
        type=PROBLEM_BASE + code if code else "about:blank",
        title=HTTPStatus(status).phrase,
        status=status,
        detail=detail,
        instance=request.url.path if request is not None else None,
        request_id=request_id,
        errors=errors,
    )
    all_headers = dict(headers or {})
    if request_id:
        all_headers[REQUEST_ID_HEADER] = request_id
    return JSONResponse(
        body.model_dump(exclude_none=True),
        status_code=status,
        media_type=PROBLEM_JSON,
        headers=all_headers,
    )


def _request_id(request: Request | None) -> str | None:
    if request is None:
        return None
    return getattr(request.state, "request_id", None)


def _field_path(loc: tuple[Any, ...] | list[Any]) -> str:
    return ".".join(str(part) for part in loc)


def _validation_errors(exc: RequestValidationError) -> list[FieldError]:
    errors = []
    for error in exc.errors():
        loc = list(error.get("loc", ()))
        if error.get("type") == "json_invalid":
            loc = ["body"]
        errors.append(FieldError(field=_field_path(loc), message=error["msg"], type=error["type"]))
    return errors


_METHODS = ("DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT")


def _allowed_methods(request: Request) -> str:
    """Every method some route serves at this path; the router's 405 names only the methods
    of the first route it met there (GET /plans/{id}, not its PATCH)."""
    routes = request.app.router.routes
    return ", ".join(
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] is Match.FULL for route in routes
        )
    )


_STATUS_CODES = {
    400: "bad-request",
    401: "unauthorized",
    403: "forbidden",
    404: "not-found",
    405: "method-not-allowed",
    409: "conflict",
    413: "payload-too-large",
    415: "unsupported-media-type",
    422: "invalid-input",
    429: "too-many-requests",
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(request: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(
            request,
            exc.status,
            code=exc.code,
            detail=exc.detail,
            errors=exc.errors,
            headers=exc.headers,
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        detail = exc.detail if isinstance(exc.detail, str) else None
        if detail == HTTPStatus(exc.status_code).phrase:
            detail = None
        headers = dict(exc.headers or {})
        if exc.status_code == 405:
            headers["Allow"] = _allowed_methods(request)
        return problem_response(
            request,
            exc.status_code,
            code=_STATUS_CODES.get(exc.status_code),
            detail=detail,
            headers=headers,
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _validation_errors(exc)
        detail = "; ".join(f"{e.field}: {e.message}" for e in errors[:5])
        return problem_response(request, 422, code="invalid-input", detail=detail, errors=errors)

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def _out_of_range(request: Request, exc: Exception) -> JSONResponse:
        # An id or number no column can hold (e.g. /plans/10000000000000000000000): no such record.
        orig = getattr(exc, "orig", exc)
        if isinstance(exc, DataError) and type(orig).__name__ != "NumericValueOutOfRange":
            return await _unexpected(request, exc)
        return problem_response(
            request, 404, code="not-found", detail="Không tìm thấy bản ghi. / Record not found."
        )

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        # A race past the services' own checks (two requests creating the same thing).
        logger.warning("integrity error on %s: %s", request.url.path, exc.orig)
        return problem_response(
            request,
            409,
            code="conflict",
            detail="Dữ liệu vừa bị thay đổi hoặc bị trùng; vui lòng tải lại và thử lại. "
            "/ The data changed or would be duplicated; reload and try again.",
        )

    @app.exception_handler(OperationalError)
    async def _operational(request: Request, exc: OperationalError) -> JSONResponse:
        if "database is locked" in str(exc.orig):
            logger.warning("database busy on %s", request.url.path)
            detail = "The database is busy; try again shortly."
        elif exc.connection_invalidated:  # SQLAlchemy renews the pool's connections
            logger.warning("database connection lost on %s", request.url.path)
            detail = "The connection to the database was lost; try again shortly."
        else:
            return await _unexpected(request, exc)
        return problem_response(
            request, 503, code="busy", detail=detail, headers={"Retry-After": "1"}
        )

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        request_id_var.set(_request_id(request))  # the middleware's context has ended by now
        logger.error(
            "unhandled error on %s %s [request_id=%s]",
            request.method,
            request.url.path,
            _request_id(request),
            exc_info=(type(exc), exc, exc.__traceback__),
        )
        return problem_response(
            request,
            500,
            code="internal-error",
            detail="An unexpected error occurred. Quote the request id when reporting it.",
        )

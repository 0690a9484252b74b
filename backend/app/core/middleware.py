"""ASGI middleware: request ids and access logs, body size limit, security headers, allowed
hosts (one layer, `RequestMiddleware`), compression."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from http import HTTPStatus
from typing import Any

from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware

from app.core.db import close_request_sessions
from app.core.errors import PROBLEM_BASE, PROBLEM_JSON, REQUEST_ID_HEADER
from app.core.logging import request_id_var

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

access_logger = logging.getLogger("app.access")
_REQUEST_ID_KEY = REQUEST_ID_HEADER.lower().encode()
_VALID_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def content_security_policy(style_src: str = "") -> str:
    """The one policy of every answer; a page with inline styles names their hash."""
    styles = f"'self' {style_src}".strip()
    return (
        f"default-src 'self'; script-src 'self'; style-src {styles}; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
    )


SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy", content_security_policy().encode()),
]


class RequestMiddleware:
    """Every HTTP request, in one pass: an id (echoed in a header, set in the logs), the
    security headers, the Host check, the body size limit, one access log line, and at its
    end the closing of the database sessions it was given (`app.core.db.get_db`).

    One layer instead of three: each layer of ASGI middleware wraps `send` (and `receive`) in
    a function of its own, and read the headers into a dict of its own, on every request.

    - Host: a request whose Host is not one the app is served at (`hosts`; None: any) gets a
      400 problem; Starlette's TrustedHostMiddleware answers in plain text.
    - Body: a body over `max_bytes` gets a 413 problem, before the app reads it when its
      Content-Length says so, else as soon as the bytes read pass the limit.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int, hosts: frozenset[str] | None) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        incoming = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming if _VALID_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500
        received = 0
        overflowed = False

        async def send_with_headers(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if _REQUEST_ID_KEY not in names:
                    headers.append((_REQUEST_ID_KEY, request_id.encode()))
                headers.extend(h for h in SECURITY_HEADERS if h[0] not in names)
                message["headers"] = headers
            await send(message)

        async def limited_receive() -> Message:
            nonlocal received, overflowed
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    overflowed = True
                    raise _BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            # The app may turn the interrupted read into its own error; answer 413 instead.
            if not overflowed:
                await send_with_headers(message)
            elif message["type"] == "http.response.start":
                await self._too_large(scope, send_with_headers)

        try:
            host = host_name(headers.get(b"host", b"").decode("latin-1"))
            declared = headers.get(b"content-length")
            if self.hosts is not None and host not in self.hosts:
                await send_problem(
                    scope,
                    send_with_headers,
                    400,
                    "invalid-host",
                    "Địa chỉ máy chủ không hợp lệ. / This server does not answer for that host.",
                )
            elif declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
                await self._too_large(scope, send_with_headers)
            else:
                try:
                    await self.app(scope, limited_receive, guarded_send)
                except _BodyTooLarge:
                    await self._too_large(scope, send_with_headers)
        finally:
            access_logger.info(
                "%s %s %s %.1fms",
                scope["method"],
                scope["path"],  # app.core.logging redacts a personal link's token
                status,
                (time.perf_counter() - started) * 1000,
                extra={"http_status": status},
            )
            close_request_sessions(scope)
            request_id_var.reset(token)

    async def _too_large(self, scope: Scope, send: Send) -> None:
        await send_problem(
            scope,
            send,
            413,
            "payload-too-large",
            f"The request body is larger than {self.max_bytes} bytes.",
            title="Content Too Large",
        )


class _BodyTooLarge(Exception):
    pass


def host_name(host: str) -> str:
    """The name in a Host header, without its port or brackets, in lower case."""
    if host.startswith("["):
        end = host.find("]")
        name = host[1:end] if end > 0 else ""
    elif host.count(":") == 1:
        name = host.split(":", 1)[0]
    else:
        name = host
    return name.rstrip(".").lower()


async def send_problem(
    scope: Scope, send: Send, status: int, code: str, detail: str, *, title: str | None = None
) -> None:
    """Answer a problem from middleware, outside the app's error handlers."""
    body = json.dumps(
        {
            "type": PROBLEM_BASE + code,
            "title": title or HTTPStatus(status).phrase,
            "status": status,
            "detail": detail,
            "instance": scope["path"],
            "request_id": scope.get("state", {}).get("request_id"),
        }
    ).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", PROBLEM_JSON.encode()),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})


# Files that are compressed already (office documents are zip archives, PDFs deflate their
# streams, images their pixels): gzip would only spend the server's time on them.
PACKED_CONTENT_TYPES = (
    *DEFAULT_EXCLUDED_CONTENT_TYPES,
    "image/*",
    "application/pdf",
    "application/octet-stream",
    "application/x-tar",
    "application/msword",
    "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
)


def compression(app: ASGIApp) -> GZipMiddleware:
    """Gzip for text (the frontend's files, JSON, CSV) when the caller accepts it: the link
    page's first load on a phone shrinks to about a third. Level 6 is zlib's default trade of
    size for the server's time; bodies under 500 bytes go as they are."""
    return GZipMiddleware(
        app, minimum_size=500, compresslevel=6, exclude_content_types=PACKED_CONTENT_TYPES
    )

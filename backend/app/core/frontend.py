"""The frontend's service worker, served from the site's root with the frontend's version in it.

A browser installs a new service worker (and with it a new cache of the app's files) only when
the bytes of /sw.js change. The version written into it is a digest of every file of the
frontend, so any change to one is a new worker, with no build step and nothing to bump by hand.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

PLACEHOLDER = "__VERSION__"


class ServiceWorker:
    """GET /sw.js: frontend/sw.js with its version filled in, never cached by HTTP."""

    def __init__(self, frontend_dir: Path) -> None:
        self.frontend_dir = frontend_dir
        self._stamp: tuple = ()
        self._body = b""

    def body(self) -> bytes:
        files = sorted(p for p in self.frontend_dir.rglob("*") if p.is_file())
        stamp = tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
        if stamp != self._stamp:
            digest = hashlib.sha256()
            for path in files:
                digest.update(str(path.relative_to(self.frontend_dir)).encode() + b"\0")
                digest.update(path.read_bytes())
            source = (self.frontend_dir / "sw.js").read_text(encoding="utf-8")
            self._body = source.replace(PLACEHOLDER, digest.hexdigest()[:16]).encode()
            self._stamp = stamp
        return self._body

    def respond(self, request: Request) -> Response:
        return Response(
            self.body(),
            media_type="text/javascript",
            headers={"Cache-Control": "no-cache"},
        )


def service_worker_route(frontend_dir: Path) -> Route:
    return Route("/sw.js", ServiceWorker(frontend_dir).respond, methods=["GET", "HEAD"])

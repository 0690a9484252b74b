"""The application factory: routers, middleware, error handlers and the embedded frontend."""

from __future__ import annotations

import mimetypes
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import anyio
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.staticfiles import StaticFiles
from starlette.routing import Match, Mount
from starlette.types import Scope

from app import __version__
from app.acknowledgements.router import router as acknowledgements_router
from app.activities.router import router as activities_router
from app.audit.router import router as audit_router
from app.auth.router import router as auth_router
from app.contests.router import router as contests_router
from app.core.config import PROJECT_ROOT, Settings, current_settings, use_settings
from app.core.db import create_db_engine
from app.core.errors import Problem, install_error_handlers
from app.core.frontend import service_worker_route
from app.core.logging import configure_logging
from app.core.middleware import RequestMiddleware, compression
from app.core.routing import include_routers
from app.history.router import router as history_router
from app.jobs import configure as configure_jobs
from app.links.page import PageTemplate
from app.links.page import router as link_page_router
from app.links.router import router as links_router
from app.mail.router import router as mail_router
from app.orgs.router import router as orgs_router
from app.people.router import router as people_router
from app.plans.router import router as plans_router
from app.privacy.router import router as privacy_router
from app.quizzes.router import router as quizzes_router
from app.reminders.router import router as reminders_router
from app.reports.router import router as reports_router
from app.study_sessions.router import router as sessions_router
from app.system.router import bench_router
from app.system.router import router as system_router
from app.tasks.router import router as tasks_router
from app.transfers.router import router as transfers_router
from app.webhooks.router import router as webhooks_router

mimetypes.add_type("application/manifest+json", ".webmanifest")

API_PREFIX = "/api/v1"
API_ROOT = "/api/"
FRONTEND_DIR = PROJECT_ROOT / "frontend"

PROBLEM_RESPONSES = {
    status: {"model": Problem, "content": {"application/problem+json": {}}, "description": text}
    for status, text in {
        400: "The body could not be read (not UTF-8 or not JSON), or the Host is not this server",
        401: "Not signed in",
        403: "Not allowed",
        404: "Not found, or outside the caller's organisations",
        409: "Conflicts with the current state (a taken code, a closed plan, a status jump)",
        413: "The body or the file is too large",
        415: "The file type is not accepted",
        422: "Invalid input; `errors` names each wrong field",
        429: "Too many attempts; see Retry-After",
    }.items()
}


class FrontendMount(Mount):
    """The static frontend at "/": its files (and index.html) for GET and HEAD outside /api/.

    A plain mount at "/" matches every path and method, so it answered a POST to an unknown
    API path, or a known API path with the wrong method, with its own 405. Left unmatched,
    those get the router's 404, or its 405 for a known path.
    """

    def matches(self, scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http" and (
            scope["method"] not in ("GET", "HEAD") or scope["path"].startswith(API_ROOT)
        ):
            return Match.NONE, {}
        return super().matches(scope)


def _lifespan(settings: Settings):
    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Sync endpoints run in anyio's thread pool (40 threads by default). Their work holds
        # the interpreter lock, so a few threads serve as many requests with less switching.
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.worker_threads
        yield
        app.state.engine.dispose()

    return lifespan


def create_app(
    settings: Settings | None = None, *, frontend_dir: Path | None = FRONTEND_DIR
) -> FastAPI:
    """The app, and everything in it, runs on `settings`: its database engine is made from
    them here, and they become the process's settings (`use_settings`) for the services."""
    settings = use_settings(settings or current_settings())
    configure_logging(settings.log_level)
    app = FastAPI(
        lifespan=_lifespan(settings),
        title="Lan Tỏa API",
        version=__version__,
        description=(
            "Theo dõi học tập, quán triệt và tuyên truyền nghị quyết. "
            "Tracks how an organisation studies and spreads a policy resolution."
        ),
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        responses=PROBLEM_RESPONSES,
    )
    app.state.settings = settings
    app.state.engine = create_db_engine(settings)
    configure_jobs(settings)  # jobs the app enqueues go to its queue (JOBS_URL)
    install_error_handlers(app)

    routers = (
        system_router,
        auth_router,
        orgs_router,
        people_router,
        plans_router,
        tasks_router,
        activities_router,
        sessions_router,
        acknowledgements_router,
        links_router,
        quizzes_router,
        contests_router,
        history_router,
        transfers_router,
        privacy_router,
        reports_router,
        audit_router,
        reminders_router,
        webhooks_router,
        mail_router,
    )
    include_routers(app, routers, API_PREFIX)
    if settings.bench_mode:
        include_routers(app, [bench_router], API_PREFIX)

    app.add_middleware(compression)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
            expose_headers=["X-Request-ID", "ETag", "Retry-After", "Content-Disposition", "Date"],
        )
    app.add_middleware(
        RequestMiddleware, max_bytes=settings.max_body_bytes, hosts=settings.allowed_hosts
    )

    if frontend_dir is not None and frontend_dir.is_dir():
        app.state.link_page = PageTemplate(frontend_dir)
        app.include_router(link_page_router)
        app.router.routes.append(service_worker_route(frontend_dir))
        app.router.routes.append(
            FrontendMount("/", StaticFiles(directory=frontend_dir, html=True), name="frontend")
        )
    return app

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import Query, Request, Response

from app import __version__
from app.core.db import DbSession
from app.core.routing import ApiRouter
from app.system import service
from app.system.schemas import Health, ProbeCreate, ProbePublic, Readiness

router = ApiRouter(tags=["system"])
bench_router = ApiRouter(prefix="/_bench", tags=["benchmark"], include_in_schema=False)


@router.get("/health", response_model=Health, summary="Liveness and database check")
def health(db: DbSession, request: Request, response: Response) -> Health:
    up = service.database_is_up(db)
    if not up:
        response.status_code = 503
    return Health(
        status="ok" if up else "degraded",
        database="ok" if up else "unavailable",
        database_backend=db.get_bind().dialect.name,
        version=__version__,
        time=datetime.now(UTC),
        time_zone=request.app.state.settings.time_zone,
    )


@router.get("/ready", response_model=Readiness, summary="Ready to serve: database up and migrated")
def ready(db: DbSession, response: Response) -> Readiness:
    """For load balancers and docker-compose: 503 until the schema is at the newest revision."""
    up = service.database_is_up(db)
    current, expected = service.schema_revision(db) if up else (None, None)
    is_ready = up and current == expected
    if not is_ready:
        response.status_code = 503
    return Readiness(
        ready=is_ready,
        database="ok" if up else "unavailable",
        schema_revision=current,
        expected_revision=expected,
    )


@bench_router.get("/json")
def bare_json() -> dict[str, str]:
    """The floor for throughput ratios: no database, no auth."""
    return {"status": "ok"}


@bench_router.post("/probes", response_model=ProbePublic, status_code=201)
def bare_insert(body: ProbeCreate, db: DbSession) -> ProbePublic:
    """One-row insert: the floor for write endpoints."""
    return ProbePublic.model_validate(service.insert_probe(db, note=body.note))


@bench_router.get("/probes", response_model=list[ProbePublic])
def recent_probes(db: DbSession, limit: int = Query(20, ge=1, le=100)):
    """Returns ORM rows for FastAPI to serialise: safe only because ApiRouter ends the session."""
    return service.recent_probes(db, limit=limit)


@bench_router.get("/probes/count")
def probe_count(db: DbSession) -> dict[str, int]:
    return {"count": service.count_probes(db)}

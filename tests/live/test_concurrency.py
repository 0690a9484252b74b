"""A single uvicorn worker under 200 concurrent requests answers every one.

The pool is deliberately far smaller than the thread pool, the condition under which a
session held through response serialisation deadlocks the worker (FastAPI issue 3205).
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from tests.support import LiveServer, backend_names, scratch_database

pytestmark = pytest.mark.live

REQUESTS = 200


@pytest.fixture(params=backend_names())
def server(request, tmp_path):
    with scratch_database(tmp_path, request.param) as url:
        live = LiveServer(url, tmp_path, BENCH_MODE="1", DB_POOL_SIZE="2", DB_MAX_OVERFLOW="0")
        live.start()
        try:
            yield live
        finally:
            live.stop()


async def fire(base_url: str) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=REQUESTS, max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as client:

        def one(i: int):
            match i % 5:
                case 0:
                    return client.post("/api/v1/_bench/probes", json={"note": f"write {i}"})
                case 1:
                    return client.get("/api/v1/health")
                case 2:
                    return client.get("/api/v1/_bench/probes/count")
                case 3:
                    # Hands ORM rows to FastAPI's serialiser: the case that used to hang.
                    return client.get("/api/v1/_bench/probes?limit=50")
                case _:
                    return client.get("/api/v1/_bench/json")

        return await asyncio.gather(*(one(i) for i in range(REQUESTS)))


def test_two_hundred_concurrent_requests_are_all_answered(server):
    # Own thread for the event loop: the session's Playwright may hold this thread's loop.
    with ThreadPoolExecutor(1) as pool:
        responses = pool.submit(asyncio.run, fire(server.url)).result()
    statuses = [r.status_code for r in responses]
    assert len(responses) == REQUESTS
    # Every fifth request writes a probe (201); the others read (200).
    assert statuses == [201 if i % 5 == 0 else 200 for i in range(REQUESTS)], sorted(set(statuses))
    writes = REQUESTS // 5
    assert httpx.get(f"{server.url}/api/v1/_bench/probes/count").json()["count"] == writes
    # Still responsive afterwards, and it shuts down on SIGTERM (uvicorn re-raises the
    # signal after a graceful shutdown, so the exit code is -15 rather than 0).
    assert httpx.get(f"{server.url}/api/v1/health").status_code == 200
    assert server.stop() == -15, server.log()

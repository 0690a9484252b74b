"""The fixed cost of a request, in process: each app called as ASGI, without network or wrk.

Calls the minimal app's bare async and sync endpoints (`minimal_app.py`) and the app's bare
JSON endpoint and teacher's home (a personal link) straight through their ASGI interface, 16
requests at a time on uvloop, and prints the CPU time per request of the whole process (every
thread: the event loop and the pool) and the wall time, best of the rounds. Without a client
and a network in between, it moves far less with the machine's neighbours than
`load.py`'s throughput does, which makes it the figure to compare one change to the code by.
`--profile` prints cProfile's top functions for the app's endpoints (the event loop's thread
only: the pool threads' share shows as the time spent waiting for them).

    .venv/bin/python bench/request_cost.py [--requests 4000] [--rounds 3] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import itertools
import os
import pstats
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import minimal_app
import uvloop
from fastapi import FastAPI
from load import prepare

CONCURRENCY = 16
HOST = "127.0.0.1:8000"


def _scope(path: str) -> dict:
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", HOST.encode()), (b"user-agent", b"bench")],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def _get(app: FastAPI, path: str) -> None:
    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    statuses = []

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    await app(_scope(path), receive, send)
    if statuses != [200]:
        raise RuntimeError(f"GET {path} answered {statuses}")


async def _measure(
    app: FastAPI, paths: Callable[[], str], requests: int, profile: bool
) -> tuple[float, float, cProfile.Profile | None]:
    """(CPU µs per request, wall µs per request, the profile)."""

    async def client() -> None:
        for _ in range(requests // CONCURRENCY):
            await _get(app, paths())

    async with app.router.lifespan_context(app):
        for _ in range(200):  # warm up: connections, caches, code paths
            await _get(app, paths())
        profiler = cProfile.Profile() if profile else None
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        await asyncio.gather(*(client() for _ in range(CONCURRENCY)))
        if profiler:
            profiler.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    done = requests // CONCURRENCY * CONCURRENCY
    return cpu / done * 1e6, wall / done * 1e6, profiler


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="cProfile's top 25 by own time")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="lantoa-cost-"))
    url = f"sqlite:///{data_dir / 'bench.sqlite3'}"
    os.environ.update(  # before anything reads the settings (they are read once)
        DATABASE_URL=url, BENCH_MODE="1", LOG_LEVEL="WARNING", PUBLIC_BASE_URL=f"http://{HOST}"
    )
    _, tokens = prepare(url, data_dir, 1000)
    from app.core.config import current_settings
    from app.main import create_app

    settings = current_settings()
    minimal = minimal_app.create_app(str(data_dir / "minimal.sqlite3"), settings.worker_threads)
    app = create_app(settings)
    links = itertools.cycle(tokens)
    scenarios = [
        ("minimal async", minimal, lambda: "/async"),
        ("minimal sync", minimal, lambda: "/sync"),
        ("bare JSON", app, lambda: "/api/v1/_bench/json"),
        ("teacher home (personal link)", app, lambda: f"/api/v1/links/{next(links)}"),
    ]
    print(
        f"{args.requests} requests, {CONCURRENCY} at a time, in process; best of {args.rounds} "
        "rounds; CPU of every thread of the process"
    )
    for name, target, paths in scenarios:
        results = [
            uvloop.run(_measure(target, paths, args.requests, False)) for _ in range(args.rounds)
        ]
        cpu = min(result[0] for result in results)
        wall = min(result[1] for result in results)
        print(f"  {name:<30} {cpu:7.0f} µs CPU/req  {wall:7.0f} µs wall/req")
        if args.profile and target is app:
            _, _, profiler = uvloop.run(_measure(target, paths, args.requests, True))
            assert profiler is not None
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()

"""The fixed cost of a request, in process: each app called as ASGI, without network or wrk.

Calls the minimal app's three endpoints (`minimal_app.py`: bare async, bare sync, one-row
insert) and the app's bare JSON endpoint, bare one-row insert, one-tap confirmation and
teacher's home (both through personal links; each confirmation a different person's, the home
opened by those who confirmed) straight through their ASGI interface, 16 requests at a time on
uvloop, and prints the CPU time per request of the whole process (every thread: the event loop
and the pool) and the wall time, best of the rounds, then the ratios `load.py` prints by CPU.
Without a client and a network in between, it moves far less with the machine's neighbours
than `load.py`'s throughput does, which makes it the figure to compare one change to the code
by. `--only` picks the scenarios whose names contain it; `--profile` prints cProfile's top
functions for the app's endpoints, over every thread, by each thread's CPU time (the pool's
idle waits excepted: see `_ThreadProfiles.stats`).

    .venv/bin/python bench/request_cost.py [--requests 4000] [--rounds 3] [--only home]
                                           [--profile [--sort cumulative] [--lines 30]]
                                           [--database-url postgresql://…]
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import itertools
import json
import os
import pstats
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import minimal_app
import uvloop
from fastapi import FastAPI
from load import (
    BARE_INSERT,
    BARE_JSON,
    CONFIRM,
    HOME,
    MINIMAL_ASYNC,
    MINIMAL_INSERT,
    MINIMAL_SYNC,
    RATIOS,
    REFLECTION,
    prepare,
)

CONCURRENCY = 16
HOST = "127.0.0.1:8000"
WARM_UP = 200


@dataclass
class Scenario:
    name: str
    app: FastAPI
    method: str
    path: Callable[[], str]
    body: bytes = b""
    status: int = 200


def _scope(method: str, path: str, body: bytes) -> dict:
    headers = [(b"host", HOST.encode()), (b"user-agent", b"bench")]
    if body:
        headers += [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
        ]
    return {
        "type": "http",
        "asgi": {"version": "3.0", "spec_version": "2.3"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }


async def _call(scenario: Scenario) -> None:
    path = scenario.path()

    async def receive() -> dict:
        return {"type": "http.request", "body": scenario.body, "more_body": False}

    statuses = []

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    await scenario.app(_scope(scenario.method, path, scenario.body), receive, send)
    if statuses != [scenario.status]:
        raise RuntimeError(f"{scenario.method} {path} answered {statuses}")


def _thread_profile() -> cProfile.Profile:
    """cProfile by the thread's CPU time: by the clock, a pool thread's statement would count
    the time it waited for the interpreter lock while the event loop ran."""
    return cProfile.Profile(time.thread_time)


class _ThreadProfiles:
    """cProfile in every thread started while it is on (the pool's threads among them), and
    in the current one: a profiler records only the thread it was enabled in."""

    def __init__(self) -> None:
        self.profiles = [_thread_profile()]

    def _start_in_thread(self, *_: object) -> None:
        profile = _thread_profile()
        self.profiles.append(profile)
        profile.enable()  # replaces this hook for the rest of the thread's life

    def __enter__(self) -> _ThreadProfiles:
        threading.setprofile(self._start_in_thread)
        self.profiles[0].enable()
        return self

    def __exit__(self, *_: object) -> None:
        self.profiles[0].disable()
        threading.setprofile(None)  # type: ignore[arg-type]

    def stats(self) -> pstats.Stats:
        """All threads' profiles in one. The pool's threads still wait for work, and a wait
        not returned yet is timed with this thread's clock: ignore the lock's `acquire`, the
        queue's `get` and the condition's `wait` in the listing."""
        stats = pstats.Stats(self.profiles[0])
        for profile in self.profiles[1:]:
            profile.create_stats()
            stats.add(profile)
        return stats


async def _measure(scenario: Scenario, requests: int) -> tuple[float, float]:
    """(CPU µs per request, wall µs per request)."""

    async def client() -> None:
        for _ in range(requests // CONCURRENCY):
            await _call(scenario)

    async with scenario.app.router.lifespan_context(scenario.app):
        for _ in range(WARM_UP):  # warm up: connections, caches, code paths
            await _call(scenario)
        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.gather(*(client() for _ in range(CONCURRENCY)))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    done = requests // CONCURRENCY * CONCURRENCY
    return cpu / done * 1e6, wall / done * 1e6


def _profile(scenario: Scenario, requests: int) -> pstats.Stats:
    """cProfile of every thread over `requests` of the scenario (the warm-up included: the
    pool's threads start in it)."""
    with _ThreadProfiles() as profiles:
        uvloop.run(_measure(scenario, requests))
    return profiles.stats()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", default="", help="Only the scenarios whose names contain it")
    parser.add_argument("--database-url", default="", help="Default: a new SQLite file")
    parser.add_argument(
        "--profile", action="store_true", help="cProfile's top functions, every thread"
    )
    parser.add_argument("--sort", default="tottime", help="The profile's order (pstats key)")
    parser.add_argument("--lines", type=int, default=30, help="The profile's length")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="lantoa-cost-"))
    url = args.database_url or f"sqlite:///{data_dir / 'bench.sqlite3'}"
    os.environ.update(  # before anything reads the settings (they are read once)
        DATABASE_URL=url, BENCH_MODE="1", LOG_LEVEL="WARNING", PUBLIC_BASE_URL=f"http://{HOST}"
    )
    # A different person for every confirmation: the rounds', their warm-ups', the profile's.
    confirms = (args.rounds + 1) * (args.requests + WARM_UP)
    plan_id, tokens = prepare(url, data_dir, confirms)
    from app.core.config import current_settings
    from app.main import create_app

    settings = current_settings()
    minimal = minimal_app.create_app(str(data_dir / "minimal.sqlite3"), settings.worker_threads)
    app = create_app(settings)
    # The home is opened by the people who have confirmed, as in load.py.
    homes, confirmations = itertools.cycle(tokens), iter(tokens)
    probe = json.dumps({"note": "probe"}).encode()
    reflection = json.dumps({"reflection": REFLECTION}, ensure_ascii=False).encode()
    scenarios = [
        Scenario(MINIMAL_ASYNC, minimal, "GET", lambda: "/async"),
        Scenario(MINIMAL_SYNC, minimal, "GET", lambda: "/sync"),
        Scenario(MINIMAL_INSERT, minimal, "POST", lambda: "/insert", probe, 201),
        Scenario(BARE_JSON, app, "GET", lambda: "/api/v1/_bench/json"),
        Scenario(BARE_INSERT, app, "POST", lambda: "/api/v1/_bench/probes", probe, 201),
        Scenario(
            CONFIRM,
            app,
            "POST",
            lambda: f"/api/v1/links/{next(confirmations)}/acknowledgements/{plan_id}",
            reflection,
            201,
        ),
        Scenario(HOME, app, "GET", lambda: f"/api/v1/links/{next(homes)}"),
    ]
    chosen = [s for s in scenarios if args.only in s.name]
    backend = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(
        f"{args.requests} requests, {CONCURRENCY} at a time, in process, the app on {backend}; "
        f"best of {args.rounds} rounds; CPU of every thread of the process"
    )
    best: dict[str, float] = {}
    for scenario in chosen:
        results = [uvloop.run(_measure(scenario, args.requests)) for _ in range(args.rounds)]
        best[scenario.name] = min(cpu for cpu, _ in results)
        wall = min(wall for _, wall in results)
        cpus = ", ".join(f"{cpu:.0f}" for cpu, _ in results)
        print(
            f"  {scenario.name:<30} {best[scenario.name]:7.0f} µs CPU/req  {wall:7.0f} µs "
            f"wall/req  (rounds: {cpus}; median {statistics.median(c for c, _ in results):.0f})"
        )
        sys.stdout.flush()
        if args.profile and scenario.app is app:
            stats = _profile(scenario, args.requests)
            stats.sort_stats(args.sort).print_stats(args.lines)
    ratios = [(top, bottom, aim) for top, bottom, aim in RATIOS if top in best and bottom in best]
    if ratios:
        print("by CPU per request (the floor's / the endpoint's), best rounds:")
    for top, bottom, target in ratios:
        aim = f"  target ≥ {target:.2f}" if target is not None else ""
        print(f"  {top} / {bottom} = {best[bottom] / best[top]:.2f}{aim}")


if __name__ == "__main__":
    main()

"""The cost of submitting a quiz attempt, in process: the app called as ASGI, as
`request_cost.py` does, without network or wrk.

Prints the CPU time per request of the app's bare one-row insert, of a quiz submit through a
personal link (`POST /links/{token}/quiz/attempts/{id}/submit`) and of one signed in
(`POST /me/quiz/attempts/{id}/submit`, the demo teacher's access token), best of the rounds,
every submit a running attempt of its own with ten answers (as `quiz_load.py` prepares them:
a different person each for the link; numbered attempts of the one teacher signed in).
`--profile` then profiles each submit once more with cProfile, the pool threads' work run
inline on the event loop (one request at a time, so the profile sees all of it), and prints
the top functions by own time and by cumulative time.

    .venv/bin/python bench/quiz_cost.py [--requests 2000] [--rounds 3] [--profile]
                                        [--database-url postgresql://…]

With `--database-url` give an empty database.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import itertools
import json
import os
import pstats
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
import uvloop
from fastapi import FastAPI
from load import prepare
from quiz_load import running_attempts
from request_cost import CONCURRENCY, HOST, _scope
from sqlmodel import Session

T = TypeVar("T")
WARM_UP = 200
TEACHER = "gv001"  # the demo teacher, who has not taken the quiz
PROBE = b'{"note": "probe"}'


async def _post(app: FastAPI, path: str, body: bytes, token: str | None) -> None:
    async def receive() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}

    statuses = []

    async def send(message: dict) -> None:
        if message["type"] == "http.response.start":
            statuses.append(message["status"])

    scope = _scope(path) | {"method": "POST"}
    scope["headers"] = [*scope["headers"], (b"content-type", b"application/json")]
    if token:
        scope["headers"].append((b"authorization", f"Bearer {token}".encode()))
    await app(scope, receive, send)
    if statuses not in ([200], [201]):
        raise RuntimeError(f"POST {path} answered {statuses}")


async def _measure(
    app: FastAPI, paths: Iterator[str], body: bytes, token: str | None, requests: int, profile: bool
) -> tuple[float, float, cProfile.Profile | None]:
    """(CPU µs per request, wall µs per request, the profile)."""

    async def client() -> None:
        for _ in range(requests // CONCURRENCY):
            await _post(app, next(paths), body, token)

    async with app.router.lifespan_context(app):
        for _ in range(WARM_UP):
            await _post(app, next(paths), body, token)
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


async def _inline(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    return func(*args, **kwargs)


def _run_inline() -> None:
    """Run what FastAPI and `in_worker` hand to the pool on the event loop's thread instead,
    for cProfile, which sees only its own thread."""
    import fastapi.dependencies.utils
    import fastapi.routing

    import app.core.routing

    for module in (fastapi.routing, fastapi.dependencies.utils, app.core.routing):
        module.run_in_threadpool = _inline


def teacher_attempts(url: str, data_dir: Path, plan_id: int, count: int) -> tuple[list[int], str]:
    """`count` running attempts of the demo teacher `gv001` (numbered 1…), as
    `running_attempts` makes them, and the body that submits any of them."""
    from app.auth.models import User
    from app.core.config import Settings
    from app.core.db import create_db_engine
    from app.plans.models import Plan
    from app.quizzes.drawing import draw
    from app.quizzes.models import QuizAttempt, QuizSettings

    engine = create_db_engine(Settings(database_url=url, data_dir=data_dir, _env_file=None))
    now = datetime.now(UTC)
    with Session(engine) as db:
        plan, settings = db.get(Plan, plan_id), db.get(QuizSettings, plan_id)
        teacher_id = db.exec(
            sa.select(User.participant_id).where(User.username == TEACHER)
        ).scalar_one()
        questions = draw(db, plan_id, settings.question_count, settings.topic)
        rows = [
            {
                "plan_id": plan_id,
                "participant_id": teacher_id,
                "material_major": plan.material_major,
                "number": number,
                "status": "running",
                "started_at": now,
                "deadline_at": now + timedelta(hours=6),
                "pass_percent": settings.pass_percent,
                "questions": questions,
                "answers": {},
                "total": len(questions),
            }
            for number in range(1, count + 1)
        ]
        db.exec(sa.insert(QuizAttempt), params=rows)
        ids = list(
            db.exec(
                sa.select(QuizAttempt.id)
                .where(QuizAttempt.participant_id == teacher_id)
                .order_by(QuizAttempt.number)
            ).scalars()
        )
        db.commit()
    engine.dispose()
    body = {"answers": [{"question_id": q["id"], "chosen": q["correct"]} for q in questions]}
    return ids, json.dumps(body)


async def _sign_in(app: FastAPI) -> str:
    """The demo teacher's access token."""
    body = json.dumps({"username": TEACHER, "password": "lantoa2025"}).encode()
    answer: list[bytes] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict) -> None:
        if message["type"] == "http.response.body":
            answer.append(message.get("body", b""))

    scope = _scope("/api/v1/auth/login") | {"method": "POST"}
    scope["headers"] = [*scope["headers"], (b"content-type", b"application/json")]
    async with app.router.lifespan_context(app):
        await app(scope, receive, send)
    return json.loads(b"".join(answer))["access_token"]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--database-url", default="", help="Default: a new SQLite file")
    parser.add_argument("--profile", action="store_true", help="cProfile's top 30 by own time")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="lantoa-quiz-cost-"))
    url = args.database_url or f"sqlite:///{data_dir / 'bench.sqlite3'}"
    os.environ.update(  # before anything reads the settings (they are read once)
        DATABASE_URL=url, BENCH_MODE="1", LOG_LEVEL="WARNING", PUBLIC_BASE_URL=f"http://{HOST}"
    )
    per_scenario = (WARM_UP + args.requests) * (args.rounds + int(args.profile))
    plan_id, tokens = prepare(url, data_dir, per_scenario)
    link_ids, link_body = running_attempts(url, data_dir, plan_id)
    own_ids, own_body = teacher_attempts(url, data_dir, plan_id, per_scenario)
    from app.core.config import current_settings
    from app.main import create_app

    app = create_app(current_settings())
    token = uvloop.run(_sign_in(app))
    links = iter(
        f"/api/v1/links/{t}/quiz/attempts/{a}/submit" for t, a in zip(tokens, link_ids, strict=True)
    )
    own = iter(f"/api/v1/me/quiz/attempts/{a}/submit" for a in own_ids)
    probes = itertools.repeat("/api/v1/_bench/probes")
    scenarios: list[tuple[str, Iterator[str], bytes, str | None]] = [
        ("bare one-row insert", probes, PROBE, None),
        ("quiz submit (personal link)", links, link_body.encode(), None),
        ("quiz submit (signed in)", own, own_body.encode(), token),
    ]
    print(
        f"{args.requests} requests, {CONCURRENCY} at a time, in process; best of {args.rounds} "
        f"rounds; CPU of every thread of the process; {url.split(':')[0]}"
    )
    for name, paths, body, bearer in scenarios:
        results = [
            uvloop.run(_measure(app, paths, body, bearer, args.requests, False))
            for _ in range(args.rounds)
        ]
        cpu = min(result[0] for result in results)
        wall = min(result[1] for result in results)
        print(f"  {name:<30} {cpu:7.0f} µs CPU/req  {wall:7.0f} µs wall/req")
    if args.profile:
        _run_inline()
        for name, paths, body, bearer in scenarios[1:]:
            print(f"\n{name}, profiled inline")
            _, _, profiler = uvloop.run(_measure(app, paths, body, bearer, args.requests, True))
            assert profiler is not None
            stats = pstats.Stats(profiler)
            stats.sort_stats("tottime").print_stats(30)
            stats.sort_stats("cumulative").print_stats(60)


if __name__ == "__main__":
    main()

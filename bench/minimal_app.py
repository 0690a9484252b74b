"""The framework's floor: a minimal FastAPI app that `bench/load.py` measures beside Lan Tỏa.

Three endpoints and nothing else (no middleware, no dependencies, no other routes): a bare
async JSON answer, a bare sync one (run in anyio's thread pool, limited to the same number of
threads as the app's, WORKER_THREADS) and a sync one-row SQLite insert (WAL, synchronous=NORMAL
as the app's; one connection, its writes in turn under a lock, as the app's writers take turns).
It is served by uvicorn with the app's own options (`app.cli.uvicorn_options`), one worker:

    .venv/bin/python bench/minimal_app.py --port 8001 --database /tmp/minimal.sqlite3
"""

from __future__ import annotations

import argparse
import sqlite3
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import anyio
import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel

from app.cli import uvicorn_options
from app.core.config import current_settings


class ProbeCreate(BaseModel):
    note: str = ""


def create_app(database: str, worker_threads: int) -> FastAPI:
    lock = threading.Lock()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = worker_threads
        connection = sqlite3.connect(database, check_same_thread=False, isolation_level=None)
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("PRAGMA synchronous=NORMAL")
        connection.execute(
            "CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY, note TEXT NOT NULL, "
            "created_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)"
        )
        app.state.connection = connection
        yield
        connection.close()

    app = FastAPI(lifespan=lifespan)

    @app.get("/api/v1/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/async")
    async def bare_async() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/sync")
    def bare_sync() -> dict[str, str]:
        return {"status": "ok"}

    @app.post("/insert", status_code=201)
    def insert(body: ProbeCreate) -> dict[str, int]:
        with lock:
            cursor = app.state.connection.execute(
                "INSERT INTO probe (note) VALUES (?)", (body.note,)
            )
        return {"id": cursor.lastrowid}

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database", required=True, help="The SQLite file it inserts into")
    args = parser.parse_args()
    settings = current_settings()
    app = create_app(args.database, settings.worker_threads)
    uvicorn.run(app, host=args.host, port=args.port, workers=1, **uvicorn_options(settings))


if __name__ == "__main__":
    main()

"""Helpers the test packages share: throw-away databases and a real uvicorn server."""

from __future__ import annotations

import os
import random
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import sqlalchemy as sa
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]


def count_queries(
    client,
    connection: sa.Connection,
    url: str,
    *,
    method: str = "GET",
    status: int = 200,
    **request: object,
) -> int:
    """The statements one request (a GET answering 200 unless told) runs on the test's
    connection (savepoints aside), counting those that `PreparedRead` runs on the DBAPI
    cursor, past SQLAlchemy's events."""
    from app.core.db import PreparedRead

    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    prepared_run = PreparedRead._run

    def prepared(self, *args):
        statements.append(self._statement)
        return prepared_run(self, *args)

    sa.event.listen(connection, "before_cursor_execute", record)
    PreparedRead._run = prepared
    try:
        response = client.request(method, url, **request)
        assert response.status_code == status, response.text
    finally:
        PreparedRead._run = prepared_run
        sa.event.remove(connection, "before_cursor_execute", record)
    return len(statements)


def configured_database_url() -> str | None:
    """The PostgreSQL (or other) URL the suite runs against, or None for SQLite."""
    return os.environ.get("TEST_DATABASE_URL") or None


def backend_names() -> list[str]:
    """SQLite always; the configured server database too when there is one."""
    return ["sqlite", "server"] if configured_database_url() else ["sqlite"]


def worker_id() -> str | None:
    """pytest-xdist's name for this worker process (gw0, gw1, ...); None in a plain run."""
    return os.environ.get("PYTEST_XDIST_WORKER") or None


@contextmanager
def _server_database(server_url: str, name: str) -> Iterator[str]:
    """Database `name` beside the one in server_url, new and empty; dropped afterwards."""
    url = make_url(server_url.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            # Left over only if an earlier run was killed before it could drop it.
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@contextmanager
def suite_database() -> Iterator[str | None]:
    """The server database the shared `engine` fixture migrates, or None for SQLite.

    A plain run uses the database in TEST_DATABASE_URL itself. Under pytest-xdist each
    worker gets its own beside it (`<name>_gw0`, `<name>_gw1`, ...), created empty at the
    worker's start and dropped at its end, so two workers never migrate or write one database.
    """
    server_url = configured_database_url()
    worker = worker_id()
    if not server_url or not worker:
        yield server_url
        return
    base = make_url(server_url).database or "lantoa_test"
    name = f"{base[: 62 - len(worker)]}_{worker}"  # PostgreSQL names are at most 63 bytes
    with _server_database(server_url, name) as url:
        yield url


@contextmanager
def scratch_database(directory: Path, backend: str | None = None) -> Iterator[str]:
    """A new, empty database for one test, dropped afterwards. Yields its URL."""
    server_url = configured_database_url()
    use_server = backend == "server" or (backend is None and server_url)
    if not use_server or not server_url:
        yield f"sqlite:///{directory / f'scratch-{uuid.uuid4().hex[:8]}.sqlite3'}"
        return
    with _server_database(server_url, f"lantoa_scratch_{uuid.uuid4().hex[:12]}") as url:
        yield url


# Live servers listen below Linux's ephemeral range (32768-60999), where neither another
# free_port() call nor an outgoing connection is handed the port between our check and the
# server's bind; each pytest-xdist worker draws from its own block of 1000.
PORT_BLOCKS_START, PORT_BLOCK_SIZE = 20000, 1000


def free_port() -> int:
    worker = worker_id()
    number = int(worker[2:]) if worker and worker[2:].isdigit() else 0
    start = PORT_BLOCKS_START + (number % 12) * PORT_BLOCK_SIZE
    for port in random.sample(range(start, start + PORT_BLOCK_SIZE), 50):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue  # something listens there (or just did): try another
            return port
    with socket.socket() as sock:  # the whole block busy: let the kernel choose
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """`lantoa serve` in a subprocess: migrations, then uvicorn, as a user would start it."""

    def __init__(
        self,
        database_url: str,
        data_dir: Path,
        serve_args: list[str] | None = None,
        *,
        program: list[str] | None = None,
        **env: str,
    ) -> None:
        self.port = free_port()
        self.serve_args = serve_args or []
        # What to start instead of `python -m app.cli serve` (a benchmark's baseline app);
        # it must take --port and answer /api/v1/health.
        self.program = program or [sys.executable, "-m", "app.cli", "serve"]
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = data_dir / f"server-{self.port}.log"
        self.env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DATA_DIR": str(data_dir),
            "LOG_LEVEL": "WARNING",
            **env,
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> LiveServer:
        command = [*self.program, *self.serve_args]
        with self.log_path.open("wb") as log:  # the server writes to its own copy
            self.process = subprocess.Popen(
                [*command, "--port", str(self.port)],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited early:\n{self.log()}")
            try:
                if httpx.get(f"{self.url}/api/v1/health", timeout=2).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        self.stop()
        raise RuntimeError(f"server did not become healthy:\n{self.log()}")

    def stop(self, timeout: float = 15) -> int | None:
        """SIGTERM, as a supervisor would; returns the exit code (None if it had to be killed)."""
        if self.process is None or self.process.poll() is not None:
            return self.process.returncode if self.process else None
        self.process.terminate()
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return None

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

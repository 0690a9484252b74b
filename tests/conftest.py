"""Test fixtures: each test runs inside a transaction that is rolled back afterwards.

SQLite by default; the database named by TEST_DATABASE_URL (PostgreSQL) when it is set.
`make test` runs it in two pytest-xdist workers; see GROUPS below.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from app.core import migrations
from app.core.config import Settings
from app.core.db import create_db_engine, get_db
from app.files import service as files
from app.files.storage import LocalStorage, Storage
from app.main import create_app
from tests.object_store import SeaweedS3, start_seaweed
from tests.support import suite_database

# Code that reads the global settings (token hashing, uploads) must not touch ./data.
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789")
# A throw-away folder, unless DATA_DIR names one. A pytest-xdist worker inherits the folder
# the main process made (marked by LANTOA_TEST_DATA_DIR) and takes a folder of its own in it.
if os.environ.get("DATA_DIR") == os.environ.get("LANTOA_TEST_DATA_DIR"):
    _worker = os.environ.get("PYTEST_XDIST_WORKER")
    if _worker and os.environ.get("DATA_DIR"):
        _data_dir = os.path.join(os.environ["DATA_DIR"], _worker)
        os.makedirs(_data_dir, exist_ok=True)
    else:
        _data_dir = tempfile.mkdtemp(prefix="lantoa-test-")
        atexit.register(shutil.rmtree, _data_dir, ignore_errors=True)
    os.environ["DATA_DIR"] = os.environ["LANTOA_TEST_DATA_DIR"] = _data_dir

# Parallel runs: `make test` is `pytest -n auto --dist loadgroup` (a plain `-n 2` works alike).
# Tests that share an expensive fixture form a group that one worker runs from start to end, so
# the fixture starts once; every other test goes on its own to whichever worker is free. Groups
# go by path, here: pytest 9.2 makes pytest-xdist ignore xdist_group marks (its issue 1386).
GROUPS = {
    "tests/e2e/": "e2e",  # the session's live server and Chromium (tests/e2e/conftest.py)
    "tests/live/test_fuzz.py": "fuzz",  # the module's demo server, the member before the admin
}


def group_of(nodeid: str) -> str | None:
    return next((group for path, group in GROUPS.items() if nodeid.startswith(path)), None)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    if config.getvalue("dist") not in ("load", "loadgroup"):  # `-n 2` alone means "load"
        return None
    from xdist.scheduler import LoadGroupScheduling

    class PathGroupScheduling(LoadGroupScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return group_of(nodeid) or super()._split_scope(nodeid)

    return PathGroupScheduling(config, log)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_auto_num_workers(config: pytest.Config) -> int | None:
    """What `-n auto` means: two workers; none (one process) when the command names only test
    files or single tests, which start faster alone. PYTEST_XDIST_AUTO_NUM_WORKERS wins."""
    if os.environ.get("PYTEST_XDIST_AUTO_NUM_WORKERS"):
        return None  # pytest-xdist's own hook reads it
    if config.args and all(arg.split("::")[0].endswith(".py") for arg in config.args):
        return 0
    return 2 if (os.cpu_count() or 1) > 1 else 0


def _order(item: pytest.Item) -> int:
    if group_of(item.nodeid):
        return 0  # the groups first (the scheduler hands out the biggest first): one each
    path = item.path.as_posix()
    if "/tests/live/" in path or "/tests/migrations/" in path:
        return 1  # then the tests that start servers or make databases (seconds each)
    return 2  # the quick ones last, so that the two workers finish together


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if hasattr(config, "workerinput"):  # an xdist worker: the order work is handed out in
        items.sort(key=_order)  # stable: the usual order within each kind


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    # tmp_path_factory's base folder is per session, and under xdist per worker (popen-gw0/...).
    data_dir = tmp_path_factory.mktemp("data")
    with suite_database() as server_url:
        url = server_url or f"sqlite:///{data_dir / 'test.sqlite3'}"
        yield Settings(database_url=url, data_dir=data_dir, bench_mode=True, _env_file=None)


@pytest.fixture(scope="session")
def engine(settings: Settings) -> Iterator[Engine]:
    engine = create_db_engine(settings)
    migrations.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    connection = engine.connect()
    transaction = connection.begin()
    try:
        yield connection
    finally:
        transaction.rollback()
        connection.close()


def _bound_session(connection: Connection) -> Session:
    # Commits inside services become savepoint releases; the outer transaction is rolled back.
    return Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )


@pytest.fixture
def db(connection: Connection) -> Iterator[Session]:
    session = _bound_session(connection)
    yield session
    session.close()


@pytest.fixture
def app(settings: Settings, connection: Connection) -> FastAPI:
    app = create_app(settings, frontend_dir=None)

    async def _test_db() -> Iterator[Session]:
        session = _bound_session(connection)
        try:
            yield session
        finally:
            session.close()

    app.dependency_overrides[get_db] = _test_db
    return app


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def client_at(app: FastAPI) -> Callable[[str], TestClient]:
    """Clients of the same app calling from a given address: the peer the server saw, or what
    a trusted proxy forwarded (uvicorn puts either in the request's client)."""

    def make(address: str) -> TestClient:
        return TestClient(app, raise_server_exceptions=False, client=(address, 50000))

    return make


@pytest.fixture
def world(db):
    from tests.factories import build_world

    return build_world(db)


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SeaweedS3]:
    """A SeaweedFS S3 server for the session (each xdist worker its own), started at first use."""
    server = start_seaweed(tmp_path_factory.mktemp("seaweed"))
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def storage(request: pytest.FixtureRequest, tmp_path, monkeypatch) -> Storage:
    """Where this test's uploads go: a folder of its own, or (parametrised `s3`, see
    `tests.object_store.both_storages`) a prefix of its own in the S3 server's bucket."""
    if getattr(request, "param", "local") == "s3":
        made: Storage = request.getfixturevalue("s3_server").storage()
    else:
        made = LocalStorage(tmp_path / "uploads")
    monkeypatch.setattr(files, "current_storage", lambda: made)
    return made

"""Test fixtures: each test runs inside a transaction that is rolled back afterwards.

SQLite by default; the database named by TEST_DATABASE_URL (PostgreSQL) when it is set.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session

from app.core import migrations
from app.core.config import Settings
from app.core.db import create_db_engine, get_db
from app.main import create_app
from tests.support import configured_database_url

# Code that reads the global settings (token hashing, uploads) must not touch ./data.
os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production-0123456789")
os.environ.setdefault("DATA_DIR", tempfile.mkdtemp(prefix="lantoa-test-"))


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    data_dir = tmp_path_factory.mktemp("data")
    url = configured_database_url() or f"sqlite:///{data_dir / 'test.sqlite3'}"
    return Settings(database_url=url, data_dir=data_dir, bench_mode=True, _env_file=None)


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
def world(db):
    from tests.factories import build_world

    return build_world(db)

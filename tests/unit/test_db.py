from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from app.core.config import Settings
from app.core.db import DbSession, create_db_engine, sqlite_write_intent, unit_of_work, writing


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(tmp_path):
    settings = Settings(data_dir=tmp_path, database_url="", _env_file=None)
    engine = create_db_engine(settings)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    engine.dispose()


def test_sqlite_savepoints_roll_back_inside_a_transaction(tmp_path):
    engine = create_db_engine(Settings(data_dir=tmp_path, database_url="", _env_file=None))
    with engine.connect() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        connection.commit()
        with connection.begin():
            connection.exec_driver_sql("INSERT INTO t VALUES (1)")
            savepoint = connection.begin_nested()
            connection.exec_driver_sql("INSERT INTO t VALUES (2)")
            savepoint.rollback()
        assert connection.exec_driver_sql("SELECT x FROM t").scalars().all() == [1]
    engine.dispose()


@pytest.fixture
def sqlite_engine(tmp_path):
    """A file database whose busy timeout is short, so a lock left held fails fast."""
    settings = Settings(
        data_dir=tmp_path, database_url="", sqlite_busy_timeout_ms=1000, _env_file=None
    )
    engine = create_db_engine(settings)
    with engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    yield engine
    engine.dispose()


def _insert(engine, value: int) -> None:
    with engine.begin() as connection:
        connection.exec_driver_sql(f"INSERT INTO t VALUES ({value})")


def test_sqlite_writers_of_one_process_take_turns(sqlite_engine):
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda i: _insert(sqlite_engine, i), range(400)))
    with sqlite_engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM t").scalar() == 400


@pytest.mark.parametrize("ending", ["error", "close without commit"])
def test_a_write_transaction_that_ends_badly_lets_the_next_writer_in(sqlite_engine, ending):
    if ending == "error":
        with pytest.raises(sa.exc.OperationalError), sqlite_engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO t VALUES (1)")
            connection.exec_driver_sql("INSERT INTO missing VALUES (1)")
    else:
        connection = sqlite_engine.connect()
        connection.exec_driver_sql("INSERT INTO t VALUES (1)")
        connection.close()  # the pool rolls it back
    # Another thread would wait for the lock (and fail after the busy timeout) if it leaked.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(_insert, sqlite_engine, 2).result()
    with sqlite_engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT x FROM t").scalars().all() == [2]


def test_a_unit_of_work_commits_when_its_block_ends_and_rolls_back_when_it_raises(tmp_path):
    settings = Settings(data_dir=tmp_path, database_url="", _env_file=None)
    with unit_of_work(settings) as db:
        db.exec(sa.text("CREATE TABLE t (x INTEGER)"))
        db.exec(sa.text("INSERT INTO t VALUES (1)"))
    with pytest.raises(RuntimeError), unit_of_work(settings) as db:
        db.exec(sa.text("INSERT INTO t VALUES (2)"))
        raise RuntimeError("the job failed")
    with unit_of_work(settings) as db:
        assert db.exec(sa.text("SELECT x FROM t")).scalars().all() == [1]


def test_a_read_request_writes_in_a_transaction_of_its_own(sqlite_engine):
    """A GET's transaction begins deferred, and SQLite refuses to turn it into a write once
    another writer has committed; `writing` begins the write transaction afresh."""
    count = sa.text("SELECT count(*) FROM t")
    intent = sqlite_write_intent.set(False)  # as in a GET
    try:
        with Session(sqlite_engine) as db:
            assert db.exec(count).scalar() == 0
            with ThreadPoolExecutor(1) as pool:  # another request writes meanwhile
                pool.submit(_insert, sqlite_engine, 1).result()
            with pytest.raises(sa.exc.OperationalError):
                db.exec(sa.text("INSERT INTO t VALUES (2)"))
            with writing(db):
                db.exec(sa.text("INSERT INTO t VALUES (3)"))
                db.commit()
            assert sqlite_write_intent.get() is False
    finally:
        sqlite_write_intent.reset(intent)
    with sqlite_engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT x FROM t ORDER BY x").scalars().all() == [1, 3]


def test_constraint_names_follow_the_convention():
    from app.models import import_all_models

    import_all_models()
    for table in SQLModel.metadata.tables.values():
        assert table.primary_key.name == f"pk_{table.name}"
        for fk in table.foreign_key_constraints:
            assert isinstance(fk.name, str) and fk.name.startswith("fk_")
        for constraint in table.constraints:
            if isinstance(constraint, sa.UniqueConstraint):
                assert constraint.name.startswith("uq_")


def test_prepared_read_gives_what_sqlalchemy_gives(db):
    """Same rows, same Python types (aware datetimes, dates, booleans), constants kept."""
    from datetime import UTC, datetime, timedelta

    from app.core.db import PreparedRead
    from app.plans.models import Plan
    from tests.factories import make_org, make_plan

    school = make_org(db, "th-prepared", "Trường Tiểu học Thử", abbreviation="THT")
    make_plan(db, school, reflection_required=True)
    make_plan(db, school, title="Bản nháp", status="draft")
    db.commit()
    query = sa.select(
        Plan.id,
        Plan.title,
        Plan.issued_on,
        Plan.created_at,
        Plan.reflection_required,
        (Plan.status == "active").label("active"),
    ).where(
        Plan.organization_id == sa.bindparam("organization_id"),
        Plan.status != "draft",
        Plan.created_at <= sa.bindparam("now"),
    )
    parameters = {"organization_id": school.id, "now": datetime.now(UTC) + timedelta(minutes=1)}
    expected = [tuple(row) for row in db.connection().execute(query, parameters)]
    rows = PreparedRead(query).all(db, **parameters)
    assert rows == expected and len(rows) == 1
    assert rows[0].created_at.tzinfo is not None and rows[0].reflection_required is True
    assert PreparedRead(query).first(db, organization_id=-1, now=parameters["now"]) is None


@pytest.fixture
def server_settings(settings, engine):
    """The suite's database server (migrated by `engine`), for tests of pooled connections."""
    if settings.sqlalchemy_url.startswith("sqlite"):
        pytest.skip("pooled connections to a database server (TEST_DATABASE_URL)")
    return settings


def _server_engine(settings, ping_after_idle_seconds: float):
    return create_db_engine(
        settings.model_copy(update={"db_ping_after_idle_seconds": ping_after_idle_seconds})
    )


def _drop_connections(engine) -> None:
    """What a database restart does to a pool: the connections it holds are cut."""
    held = [engine.pool.connect() for _ in range(2)]
    backends = [connection.dbapi_connection.info.backend_pid for connection in held]
    for connection in held:
        connection.close()  # back to the pool, where they will be found dead
    outside = sa.create_engine(engine.url, poolclass=sa.pool.NullPool)
    with outside.connect() as connection:
        for pid in backends:
            connection.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
    outside.dispose()


def test_a_connection_dropped_while_idle_is_replaced_before_use(server_settings):
    engine = _server_engine(server_settings, ping_after_idle_seconds=0)
    _drop_connections(engine)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT 1").scalar() == 1
    engine.dispose()


def test_a_connection_in_steady_use_is_not_pinged(server_settings, monkeypatch):
    engine = _server_engine(server_settings, ping_after_idle_seconds=3600)
    pings = []
    monkeypatch.setattr(engine.dialect, "do_ping", pings.append)
    for _ in range(3):
        with engine.connect() as connection:
            assert connection.exec_driver_sql("SELECT 1").scalar() == 1
    assert pings == []
    engine.dispose()


def test_a_connection_lost_in_use_answers_503_and_the_pool_recovers(server_settings):
    from fastapi.testclient import TestClient

    from app.core.db import get_db, new_session
    from app.main import create_app

    engine = _server_engine(server_settings, ping_after_idle_seconds=3600)
    app = create_app(server_settings, frontend_dir=None)

    async def _db():
        session = new_session(engine)
        try:
            yield session
        finally:
            session.close()

    app.dependency_overrides[get_db] = _db
    with TestClient(app, raise_server_exceptions=False) as client:
        assert client.get("/api/v1/_bench/probes/count").status_code == 200
        _drop_connections(engine)
        lost = client.get("/api/v1/_bench/probes/count")
        assert lost.status_code == 503, lost.text
        assert lost.headers["retry-after"] == "1"
        assert lost.headers["content-type"] == "application/problem+json"
        assert client.get("/api/v1/_bench/probes/count").status_code == 200
    engine.dispose()


@pytest.mark.parametrize("way", ["alone", "in the session"])
def test_a_prepared_read_on_a_lost_connection_raises_as_sqlalchemy_does(server_settings, way):
    """Answered 503 like any lost connection (see above), and the next read reconnects."""
    from app.core.db import PreparedRead, new_session

    engine = _server_engine(server_settings, ping_after_idle_seconds=3600)
    read = PreparedRead(sa.select(sa.literal(1, sa.Integer()).label("one")))

    def run():
        with new_session(engine) as db:
            return read.alone(db) if way == "alone" else read.all(db)

    assert run() == [(1,)]
    _drop_connections(engine)
    with pytest.raises(sa.exc.OperationalError) as lost:
        run()
    assert lost.value.connection_invalidated
    assert run() == [(1,)]
    engine.dispose()


def test_a_failed_read_alone_returns_its_connection_ready_for_transactions(server_settings):
    from app.core.db import PreparedRead, new_session

    engine = _server_engine(server_settings, ping_after_idle_seconds=3600)
    engine.pool.dispose()
    failing = PreparedRead(sa.select(sa.cast(sa.literal("one"), sa.Integer()).label("x")))
    with pytest.raises(sa.exc.DataError), new_session(engine) as db:
        failing.alone(db)
    assert engine.pool.checkedin() == 1
    with engine.connect() as connection:
        assert connection.connection.dbapi_connection.autocommit is False
    engine.dispose()


def test_a_session_a_route_left_open_is_closed_when_the_request_ends(tmp_path):
    """The safety net of `get_db`: a route that reads on the event loop and never ends its
    transaction (no ApiRouter, no `in_worker`) leaves no connection checked out."""
    from fastapi import APIRouter
    from fastapi.testclient import TestClient

    from app.main import create_app

    app = create_app(Settings(data_dir=tmp_path, database_url="", _env_file=None))
    router = APIRouter()
    sessions = []

    @router.get("/api/v1/left-open")
    async def left_open(db: DbSession) -> int:
        sessions.append(db)
        return db.exec(sa.select(1)).one()[0]

    app.include_router(router)
    with TestClient(app) as client:
        assert client.get("/api/v1/left-open").json() == 1
        assert not sessions[0].in_transaction()
        assert app.state.engine.pool.checkedout() == 0

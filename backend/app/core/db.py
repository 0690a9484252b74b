"""Engine, sessions and the one rule that keeps a worker from hanging.

Sync routes run in a thread pool. If a request still holds a pooled connection when its
route returns, FastAPI needs another pool thread to serialise the response; once every
thread waits for a connection and every connection waits for a thread, the worker hangs
(FastAPI issue 3205). So a request's transaction always ends inside the route: services
only flush, and the route wrapper of `app.core.routing.ApiRouter` commits the request's
session when the route returns (rolls it back when it raises) and closes it, in the route's
own thread (`end_session`). The CLI and jobs end theirs the same way (`unit_of_work`).
`expire_on_commit=False` keeps loaded rows usable for serialisation; a lazy load after the
close raises instead of silently taking a connection again.
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections import namedtuple
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Annotated, Any

import psycopg
import sqlalchemy as sa
from fastapi import Depends, Request
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.core import revision  # noqa: F401  (every session's writes to published content)
from app.core.config import Settings
from app.core.errors import ProblemError


def create_db_engine(settings: Settings) -> Engine:
    url = settings.sqlalchemy_url
    options: dict[str, Any] = {
        "pool_size": settings.db_pool_size,
        "max_overflow": settings.db_max_overflow,
        "pool_timeout": settings.db_pool_timeout,
    }
    if url.startswith("sqlite"):
        if url.startswith("sqlite:///") and url != "sqlite:///:memory:":
            settings.data_dir.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            url,
            connect_args={
                "check_same_thread": False,
                "timeout": settings.sqlite_busy_timeout_ms / 1000,
            },
            **options,
        )
        _configure_sqlite(engine, settings.sqlite_busy_timeout_ms)
        return engine
    engine = sa.create_engine(url, **options)
    _ping_after_idle(engine, settings.db_ping_after_idle_seconds)
    return engine


_RETURNED_AT = "returned_at"


def _ping_after_idle(engine: Engine, idle_seconds: float) -> None:
    """Test a pooled connection before use only if it has sat idle for `idle_seconds`.

    SQLAlchemy's `pool_pre_ping` pings at every checkout: a round trip to the database on
    every request, the busy ones included, where connections go back and forth within
    milliseconds. A connection is far likelier to have been dropped while it sat idle (a
    restart, a timeout, a failover) than in the last moments; one that breaks in use fails
    that request with 503 (`app.core.errors`) and SQLAlchemy renews the whole pool.
    """

    @sa.event.listens_for(engine, "connect")
    @sa.event.listens_for(engine, "checkin")
    def _returned(_dbapi_connection: Any, record: Any) -> None:
        record.info[_RETURNED_AT] = time.monotonic()

    @sa.event.listens_for(engine, "checkout")
    def _checked_out(dbapi_connection: Any, record: Any, _proxy: Any) -> None:
        if time.monotonic() - record.info.get(_RETURNED_AT, 0.0) < idle_seconds:
            return
        try:
            engine.dialect.do_ping(dbapi_connection)
        except engine.dialect.loaded_dbapi.Error as error:
            if engine.dialect.is_disconnect(error, dbapi_connection, None):
                # The pool drops this connection and checks out another.
                raise sa.exc.DisconnectionError() from error
            raise


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL, foreign keys, a busy timeout, real transactions (BEGIN, SAVEPOINT), and one
    writer at a time inside the process.

    SQLite has a single writer. A connection that finds the write lock taken sleeps in its
    busy handler (1, 2, 5 … 100 ms) and wakes late, so a burst of writes (a school
    confirming at once) spends its time asleep. Writers of this process instead queue on a
    lock that hands over the moment the previous transaction ends; the busy timeout still
    arbitrates with other processes (the CLI, a backup).
    """
    writer = _WriterLock(busy_timeout_ms / 1000)

    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy emit BEGIN itself so SAVEPOINT and transactional DDL work.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(connection: sa.Connection) -> None:
        if not sqlite_write_intent.get():
            connection.exec_driver_sql("BEGIN")
            return
        writer.acquire(connection.connection.dbapi_connection)
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except BaseException:
            writer.release(connection.connection.dbapi_connection)
            raise

    # The transaction ends in the dialect (commit, rollback, or the pool's reset and close);
    # the lock is released after that, never before the database has let go.
    dialect = engine.dialect
    for name in ("do_commit", "do_rollback", "do_close", "do_terminate"):
        setattr(dialect, name, writer.releasing(getattr(dialect, name)))


class _WriterLock:
    """The process's SQLite write lock, held by one DBAPI connection from BEGIN IMMEDIATE
    until its transaction ends."""

    def __init__(self, timeout: float) -> None:
        self._lock = threading.Lock()
        self._timeout = timeout
        self._holder: Any = None

    def acquire(self, dbapi_connection: Any) -> None:
        if not self._lock.acquire(timeout=self._timeout):
            raise sa.exc.OperationalError(
                "BEGIN IMMEDIATE", None, sqlite3.OperationalError("database is locked")
            )
        self._holder = dbapi_connection

    def release(self, dbapi_connection: Any) -> None:
        if self._holder is not None and self._holder is dbapi_connection:
            self._holder = None
            self._lock.release()

    def releasing(self, end_transaction: Callable[[Any], None]) -> Callable[[Any], None]:
        def ended(connection: Any) -> None:
            try:
                end_transaction(connection)
            finally:
                self.release(getattr(connection, "dbapi_connection", connection))

        return ended


# SQLite cannot turn a read transaction into a write once another writer has committed
# (it fails at once with "database is locked"). So a transaction that may write takes the
# write lock at BEGIN and waits its turn (busy timeout); only reads begin deferred, side by side.
sqlite_write_intent: ContextVar[bool] = ContextVar("sqlite_write_intent", default=True)
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@contextmanager
def writing(db: Session) -> Iterator[None]:
    """Let a read request write: its read transaction ends here, and the next one begins as
    a writer's would (BEGIN IMMEDIATE on SQLite). For the rare GET that must write once, as
    the first read of a report issued before reports were frozen at issue."""
    db.rollback()
    intent = sqlite_write_intent.set(True)
    try:
        yield
    finally:
        sqlite_write_intent.reset(intent)


class PreparedRead:
    """A SELECT compiled once per dialect and run on the cursor of the session's connection.

    For the reads of the busiest paths, a teacher's home and the one-tap confirmation:
    SQLAlchemy's execution path (cache lookup, execution context, result object) costs several
    times what such a small indexed query costs the database. The same SQL runs in the same
    transaction, with the column types' conversions both ways; rows are named tuples. No ORM,
    no events, no IN lists.
    """

    def __init__(self, statement: sa.Select | sa.CompoundSelect) -> None:
        self._statement = statement
        self._row = namedtuple("Row", statement.selected_columns.keys())  # type: ignore[misc]
        self._by_dialect: dict[str, _CompiledRead] = {}

    def all(self, db: Session, **parameters: Any) -> list[Any]:
        """Run in the session's transaction."""
        connection = db.connection()
        try:
            return self._run(connection.connection.dbapi_connection, db.get_bind(), parameters)
        except sa.exc.DBAPIError as error:
            if error.connection_invalidated:
                connection.invalidate()
                connection.engine.pool.dispose()  # the others went with it, most likely
            raise

    def first(self, db: Session, **parameters: Any) -> Any | None:
        rows = self.all(db, **parameters)
        return rows[0] if rows else None

    def alone(self, db: Session, **parameters: Any) -> list[Any]:
        """Run as a read-only request's only statement: on a pooled connection, outside any
        transaction, the session left unused. On PostgreSQL that spares the round trips of
        BEGIN and ROLLBACK, and everywhere the session's own bookkeeping, which costs more
        than the statement. A session already in a transaction (one that has read or
        written, or the tests', joined to theirs) runs it there instead.
        """
        engine = db.get_bind()
        if not isinstance(engine, Engine) or db.in_transaction():
            return self.all(db, **parameters)
        pooled = engine.raw_connection()
        dbapi_connection = pooled.dbapi_connection
        autocommit = engine.dialect.driver == "psycopg"  # sqlite3's already is (see above)
        try:
            if autocommit:
                dbapi_connection.autocommit = True
            return self._run(dbapi_connection, engine, parameters)
        except sa.exc.DBAPIError as error:
            if error.connection_invalidated:
                pooled.invalidate()
                engine.pool.dispose()  # the others went with it, most likely
            raise
        finally:
            if autocommit and not dbapi_connection.closed:
                dbapi_connection.autocommit = False  # back in the pool, sessions need BEGIN
            pooled.close()

    def _run(self, dbapi_connection: Any, bind: Engine | sa.Connection, given: dict) -> list:
        dialect = bind.dialect
        compiled = self._by_dialect.get(dialect.name)
        if compiled is None:
            compiled = _CompiledRead(self._statement, dialect)
            self._by_dialect[dialect.name] = compiled
        parameters = compiled.parameters(given)
        cursor = compiled.cursor(dbapi_connection)
        try:
            cursor.execute(compiled.sql, parameters)
            rows = cursor.fetchall()
        except dialect.loaded_dbapi.Error as error:
            # As SQLAlchemy raises it: a lost connection then answers 503 (app.core.errors).
            raise sa.exc.DBAPIError.instance(
                compiled.sql,
                parameters,
                error,
                dialect.loaded_dbapi.Error,
                connection_invalidated=dialect.is_disconnect(error, dbapi_connection, cursor),
                dialect=dialect,
            ) from error
        finally:
            cursor.close()
        return [self._row._make(compiled.converted(row)) for row in rows]


class _CompiledRead:
    def __init__(self, statement: sa.Select | sa.CompoundSelect, dialect: sa.Dialect) -> None:
        self.cursor: Callable[[Any], Any] = _plain_cursor
        sql_dialect = dialect
        if dialect.driver == "psycopg":
            # psycopg rewrites every query's %(name)s placeholders to PostgreSQL's $n, and
            # caches that only for statements under 4 KB; a raw cursor takes $n as they are.
            sql_dialect = type(dialect)(paramstyle="numeric_dollar")
            self.cursor = psycopg.RawCursor
        compiled = statement.compile(dialect=sql_dialect)
        self.sql = str(compiled)
        self._positional = compiled.positiontup is not None
        # Per parameter, in the statement's order: its name, its value unless given (the
        # constants of the statement), and its type's conversion for the driver.
        self._parameters = [
            (name, bind.value, bind.type.dialect_impl(dialect).bind_processor(dialect))
            for name, bind in (
                (name, compiled.binds[name]) for name in compiled.positiontup or compiled.binds
            )
        ]
        self._result_processors = [
            column.type.dialect_impl(dialect).result_processor(dialect, None)
            for column in statement.selected_columns
        ]

    def parameters(self, given: dict[str, Any]) -> dict[str, Any] | list[Any]:
        values = []
        for name, constant, process in self._parameters:
            value = given.get(name, constant)
            values.append(value if process is None or value is None else process(value))
        if self._positional:
            return values
        return {name: value for (name, _, _), value in zip(self._parameters, values, strict=True)}

    def converted(self, row: tuple) -> tuple:
        return tuple(
            value if process is None or value is None else process(value)
            for process, value in zip(self._result_processors, row, strict=True)
        )


def _plain_cursor(dbapi_connection: Any) -> Any:
    return dbapi_connection.cursor()


def new_session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)


def end_session(session: Session, error: BaseException | None) -> None:
    """End the session's transaction and close it: commit the work when it succeeded (`error`
    None), or when its error asks to keep what was written (`ProblemError.keep_writes`);
    otherwise roll it back. Where every transaction of the app ends, in a request or not.

    A session that never began a transaction (a page read outside one, `PreparedRead.alone`)
    costs nothing here.
    """
    try:
        keep = error is None or (isinstance(error, ProblemError) and error.keep_writes)
        if keep and session.in_transaction():
            session.commit()
    finally:
        session.close()


@contextmanager
def unit_of_work(settings: Settings) -> Iterator[Session]:
    """A session for work outside a request (the CLI, the demo, a job), on an engine of its
    own: committed when the block ends, rolled back when it raises, as a request's is."""
    engine = create_db_engine(settings)
    session = new_session(engine)
    try:
        yield session
    except BaseException as error:
        end_session(session, error)
        raise
    else:
        end_session(session, None)
    finally:
        engine.dispose()


_REQUEST_SESSIONS = "db_sessions"  # in the ASGI scope's state: the sessions `get_db` made


async def get_db(request: Request) -> Session:
    """One session per request, on the engine of the app serving it. The route has ended its
    transaction and closed the session by the time it returns (see above); as a safety net
    the request's sessions are closed again when the request ends (`close_request_sessions`,
    from `app.core.middleware.RequestMiddleware`), on the event loop, never in a pool thread.
    Not a dependency with `yield`: FastAPI gives each of those an exit stack of its own, which
    cost a teacher's home a tenth of its time."""
    sqlite_write_intent.set(request.method not in READ_METHODS)
    session = new_session(request.app.state.engine)
    request.scope.setdefault("state", {}).setdefault(_REQUEST_SESSIONS, []).append(session)
    return session


def close_request_sessions(scope: dict[str, Any]) -> None:
    for session in scope.get("state", {}).pop(_REQUEST_SESSIONS, ()):
        session.close()


DbSession = Annotated[Session, Depends(get_db)]

"""The job engine: huey, on a SQLite file beside the database or on Redis (`JOBS_URL`).

Tasks are registered on the one `huey` instance at import (`@huey.task()`,
`@huey.periodic_task(crontab(...))`) in the modules of `TASK_MODULES`; the consumer
(`lantoa worker`, or `lantoa serve` on the embedded queue) imports them all. The queue only
carries what to do (a message's id): the state of the work lives in the database, so a
lost or repeated job costs nothing (see `app.mail.outbox`).
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from huey import Huey, crontab
from huey.consumer import Consumer
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage
from redis import ConnectionPool
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import SessionTransaction
from sqlmodel import Session

from app.core.config import Settings, current_settings
from app.core.db import create_db_engine, end_session, new_session

logger = logging.getLogger(__name__)

# Every module that registers tasks; the consumer imports them (as app.models the tables).
TASK_MODULES = [
    "app.mail.jobs",
    "app.reminders.jobs",
    "app.webhooks.jobs",
    "app.privacy.jobs",
    "app.reports.jobs",
]
JOBS_FILE = "jobs.sqlite3"
_PENDING = "jobs.after_commit"

__all__ = [
    "TASK_MODULES",
    "after_commit",
    "configure",
    "crontab",
    "huey",
    "job_session",
    "load_tasks",
    "settings",
]


class _Huey(Huey):
    """Huey whose storage follows the process's settings: made on first use from them, or
    from those given to `configure` (the app, the worker, a test)."""

    _settings: Settings | None = None
    _storage: Any = None

    def create_storage(self) -> Any:
        if self._immediate and self.immediate_use_memory:
            return MemoryStorage(self.name)
        return None  # made on first use, by `storage`

    @property
    def storage(self) -> Any:
        if self._storage is None:
            self._storage = storage_for(settings(), self.name)
        return self._storage

    @storage.setter
    def storage(self, value: Any) -> None:
        self._storage = value


huey = _Huey("lantoa", results=False)


def storage_for(given: Settings, name: str) -> Any:
    """RedisStorage for a redis:// JOBS_URL, else SqliteStorage in DATA_DIR/jobs.sqlite3."""
    if given.jobs_url:
        # A request enqueues after its commit: a Redis gone away costs it 2 s at most.
        pool = ConnectionPool.from_url(given.jobs_url, socket_connect_timeout=2, socket_timeout=10)
        return RedisStorage(name, connection_pool=pool)
    given.data_dir.mkdir(parents=True, exist_ok=True)
    return SqliteStorage(name, filename=str(given.data_dir / JOBS_FILE), timeout=10)


_engine: Engine | None = None


def configure(given: Settings, *, immediate: bool = False) -> Huey:
    """Queue on `given` settings from now on (JOBS_URL, JOBS_QUEUE), and let jobs work on
    their database. `immediate` runs each job at once in the caller, in memory: only for
    tests where the engine does not matter. The same queue and database again (the app made
    in the process that consumes) keep the storage and engine in use."""
    global _engine
    same = (
        huey._settings is not None
        and _where(huey._settings) == _where(given)
        and not immediate
        and not huey.immediate
    )
    huey._settings = given
    if same:
        return huey
    if _engine is not None:
        _engine.dispose()
        _engine = None
    if huey._storage is not None and hasattr(huey._storage, "close"):
        huey._storage.close()
    huey.name = given.jobs_queue
    huey._storage = None
    huey.immediate = immediate
    if immediate:
        huey.storage = MemoryStorage(huey.name)
    return huey


def _where(given: Settings) -> tuple:
    return (given.jobs_url, given.jobs_queue, given.data_dir, given.sqlalchemy_url)


def settings() -> Settings:
    """The settings jobs run on: those given to `configure`, else the process's."""
    return huey._settings or current_settings()


def load_tasks() -> None:
    for module in TASK_MODULES:
        importlib.import_module(module)


@contextmanager
def job_session() -> Iterator[Session]:
    """A unit of work for a job, on the process's job engine (made once, on first use):
    committed when the block ends, rolled back when it raises."""
    global _engine
    if _engine is None:
        _engine = create_db_engine(settings())
    session = new_session(_engine)
    try:
        yield session
    except BaseException as error:
        end_session(session, error)
        raise
    else:
        end_session(session, None)


def after_commit(db: Session, task: Any, *args: Any) -> None:
    """Enqueue `task(*args)` once `db` commits; never if it rolls back. Enqueueing that
    fails is logged: what the job was for is in the database, where a sweep finds it."""
    db.info.setdefault(_PENDING, []).append((task, args))


@sa.event.listens_for(OrmSession, "after_commit")
def _enqueue_pending(session: OrmSession) -> None:
    for task, args in session.info.pop(_PENDING, ()):
        try:
            task(*args)
        except Exception:
            logger.exception("could not enqueue %s%r; the sweep will", task.name, args)


@sa.event.listens_for(OrmSession, "after_transaction_end")
def _forget_pending(session: OrmSession, transaction: SessionTransaction) -> None:
    if transaction.parent is None:  # rolled back (a commit has taken them already)
        session.info.pop(_PENDING, None)


class EmbeddedConsumer(Consumer):
    """The consumer as threads of another program (`lantoa serve`), which keeps its own
    signal handlers: it is started and stopped by that program."""

    def _set_signal_handlers(self) -> None:
        pass


def consumer(workers: int, *, periodic: bool = True, embedded: bool = False) -> Consumer:
    """A consumer of `workers` threads, running the periodic tasks unless told not to."""
    load_tasks()
    kind = EmbeddedConsumer if embedded else Consumer
    return kind(
        huey,
        workers=workers,
        worker_type="thread",
        periodic=periodic,
        max_delay=2.0,  # an idle worker looks at the queue at least every 2 s
        graceful_signal="TERM",  # `docker stop` lets a message being sent finish
        shutdown_timeout=30,
    )

"""A real SMTP server in-process (aiosmtpd), a committed database of its own per test, and
the job engine on a real SQLite file or on the real Redis at 127.0.0.1:6379."""

from __future__ import annotations

import socket
import threading
import uuid
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.core import migrations
from app.core.config import Settings
from app.core.db import create_db_engine
from app.jobs import engine as jobs_engine
from app.orgs.models import Organization
from tests.factories import make_org, make_participant
from tests.support import free_port, scratch_database

REDIS_URL = "redis://127.0.0.1:6379/0"
USERNAME, PASSWORD = "lantoa", "mat-khau-dung"


class Inbox:
    """What the SMTP server received, parsed."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.recipients: list[list[str]] = []
        self._lock = threading.Lock()
        self.arrived = threading.Condition(self._lock)

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 - aiosmtpd's name
        with self._lock:
            self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
            self.recipients.append(list(envelope.rcpt_tos))
            self.arrived.notify_all()
        return "250 Message accepted for delivery"

    def subjects(self) -> list[str]:
        with self._lock:
            return [message["Subject"] for message in self.messages]


class MailServer:
    """aiosmtpd on a port of its own; stopped and started again on the same port."""

    def __init__(self, *, with_auth: bool = False) -> None:
        self.port = free_port()
        self.inbox = Inbox()
        self.with_auth = with_auth
        self._controller: Controller | None = None

    def start(self) -> MailServer:
        options = {}
        if self.with_auth:
            # AUTH offered without TLS (the test server speaks none); required, aiosmtpd warns.
            options = {"authenticator": _authenticator, "auth_require_tls": False}
        self._controller = Controller(
            self.inbox, hostname="127.0.0.1", port=self.port, ready_timeout=10, **options
        )
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def settings(self, database_url: str, data_dir: Path, **values) -> Settings:
        values = {
            "database_url": database_url,
            "data_dir": data_dir,
            "jobs_queue": f"test-{uuid.uuid4().hex[:12]}",
            "smtp_host": "127.0.0.1",
            "smtp_port": self.port,
            "smtp_starttls": False,
            "smtp_from": "Lan Tỏa <no-reply@lantoa.test>",
            "smtp_timeout_seconds": 5,
            "mail_retry_seconds": 0.5,
            **values,
        }
        return Settings(_env_file=None, **values)


def _authenticator(server, session, envelope, mechanism, auth_data) -> AuthResult:
    good = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login.decode() == USERNAME
        and auth_data.password.decode() == PASSWORD
    )
    return AuthResult(success=good, handled=False)


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    server = MailServer().start()
    yield server
    server.stop()


@pytest.fixture
def scratch_url(tmp_path: Path) -> Iterator[str]:
    """A new database (SQLite, or beside TEST_DATABASE_URL's), migrated: jobs and test share
    it, committed, as a worker and the app do."""
    with scratch_database(tmp_path) as url:
        engine = create_db_engine(Settings(database_url=url, data_dir=tmp_path, _env_file=None))
        migrations.upgrade(engine)
        engine.dispose()
        yield url


@pytest.fixture
def scratch_engine(scratch_url: str, tmp_path: Path) -> Iterator[Engine]:
    engine = create_db_engine(Settings(database_url=scratch_url, data_dir=tmp_path, _env_file=None))
    yield engine
    engine.dispose()


@pytest.fixture
def school(scratch_engine: Engine) -> tuple[int, int]:
    """(organisation id, participant id) of a school with one teacher, committed."""
    with Session(scratch_engine, expire_on_commit=False) as db:
        org: Organization = make_org(db, "th-nbk", "Trường Tiểu học Nguyễn Bỉnh Khiêm")
        person = make_participant(db, org, "Nguyễn Thị Mai", "GV001", email="mai@example.vn")
        db.commit()
        return org.id, person.id


def redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(params=["sqlite", "redis"])
def jobs_url(request) -> str:
    """The engine's two stores: the embedded SQLite file ("") and Redis."""
    if request.param == "sqlite":
        return ""
    if not redis_reachable():
        pytest.skip("Redis is not reachable at 127.0.0.1:6379 (start it to test JOBS_URL=redis)")
    return REDIS_URL


@pytest.fixture
def use_jobs():
    """Point the job engine at the given settings for one test, and clear its queue after."""
    used: list[Settings] = []

    def configure(settings: Settings):
        used.append(settings)
        return jobs_engine.configure(settings)

    yield configure
    if used:
        jobs_engine.huey.flush()
        jobs_engine.configure(Settings(_env_file=None, data_dir=used[-1].data_dir))

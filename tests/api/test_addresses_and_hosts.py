"""Whom the throttles count (the caller's address, always a valid, short string) and which
host the app answers for (its PUBLIC_BASE_URL: links never come from the Host header)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.audit.models import AuditEvent
from app.auth.deps import normal_address
from app.auth.models import FailedAttempt
from app.auth.sign_in import FREE_LOGIN_FAILURES
from app.core.config import DEFAULT_BASE_URL
from app.main import create_app
from app.study_sessions.models import Attendance
from tests.factories import PASSWORD, make_plan

PUBLIC = "https://lantoa.example.vn"


def login(client, username="admin", password="sai-mat-khau"):
    return client.post("/api/v1/auth/login", json={"username": username, "password": password})


@pytest.mark.parametrize(
    ("peer", "kept"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("2001:DB8:0:0::1", "2001:db8::1"),
        ("::ffff:203.0.113.7", "203.0.113.7"),  # an IPv4 client of an IPv6 socket
        ("fe80::1%" + "e" * 5000, "fe80::1"),  # a zone can be any length
        ("", "unknown"),
        ("testclient", "unknown"),
        ("203.0.113.7, 198.51.100.20", "unknown"),
        ("x" * 10_000, "unknown"),
        ("999.1.1.1", "unknown"),
        ("\x00\r\n<script>", "unknown"),
    ],
)
def test_the_address_kept_is_a_valid_short_string(peer, kept):
    assert normal_address(peer) == kept


def test_a_malformed_forwarded_address_neither_fails_nor_escapes_the_throttle(client_at, world, db):
    """What uvicorn passes on when a trusted proxy forwards garbage: each request a new one."""
    garbage = [f"{n}" * 10_000 for n in range(FREE_LOGIN_FAILURES)] + ["[::1", "1.2.3.4:x"]
    answers = [login(client_at(peer)).status_code for peer in garbage]
    assert answers == [401] * FREE_LOGIN_FAILURES + [429, 429]
    kept = db.exec(sa.select(FailedAttempt.address).distinct()).scalars().all()
    assert kept == ["unknown"]
    assert login(client_at("198.51.100.20"), password=PASSWORD).status_code == 200


def test_one_ipv6_network_counts_as_one_address(client_at, world, db):
    """A subscriber holds a whole /64: a new address in it for each guess gains nothing."""
    for host in range(FREE_LOGIN_FAILURES):
        assert login(client_at(f"2001:db8:1:2::{host + 1:x}")).status_code == 401
    assert login(client_at("2001:db8:1:2:ffff::9")).status_code == 429
    assert login(client_at("2001:db8:1:3::1")).status_code == 401
    addresses = db.exec(
        sa.select(AuditEvent.after)
        .where(AuditEvent.action == "auth.login_failed")
        .order_by(AuditEvent.id)
    ).scalars()
    assert [a["address"] for a in addresses][:2] == ["2001:db8:1:2::1", "2001:db8:1:2::2"]


def test_check_in_records_the_normal_address(client_at, world, db):
    from tests.api.test_sessions import code, new_session

    plan = make_plan(db, world.school)
    db.commit()
    phone = client_at("::ffff:203.0.113.7")
    session_id = new_session(phone, world, plan).json()["id"]
    right = code(phone, world, session_id)["code"]
    checked = phone.post("/api/v1/checkin", json={"code": right}, headers=world.headers("member"))
    assert checked.status_code == 200
    assert db.exec(sa.select(Attendance.client_address)).scalar_one() == "203.0.113.7"


@pytest.fixture
def public_app(app, settings):
    """The test app, served at PUBLIC_BASE_URL."""
    served = create_app(settings.model_copy(update={"public_base_url": PUBLIC}), frontend_dir=None)
    served.dependency_overrides = app.dependency_overrides
    return served


def issue(client, world, host: str | None = None):
    headers = world.headers("admin") | ({"Host": host} if host is not None else {})
    return client.post(f"/api/v1/participants/{world.teacher.id}/links", headers=headers)


def test_links_start_at_the_public_base_url_whatever_the_host(public_app, world, db):
    public = TestClient(public_app, base_url=PUBLIC, raise_server_exceptions=False)
    issued = issue(public, world)
    assert issued.status_code == 201, issued.text
    assert issued.json()["url"].startswith(f"{PUBLIC}/l/ltp_")
    # Served on the machine itself (a health check, an admin's curl): the same links.
    local = TestClient(public_app, base_url="http://127.0.0.1:8000")
    assert local.get("/api/v1/health").status_code == 200
    assert issue(local, world).json()["url"].startswith(f"{PUBLIC}/l/")


@pytest.mark.parametrize(
    "host", ["evil.example", "lantoa.example.vn.evil.example", "", "[::1", "lantoa.example.vn:x:y"]
)
def test_a_request_for_another_host_is_refused(public_app, world, db, host):
    public = TestClient(public_app, base_url=PUBLIC, raise_server_exceptions=False)
    before = db.exec(sa.select(sa.func.count()).select_from(AuditEvent)).one()[0]
    refused = issue(public, world, host)
    assert refused.status_code == 400
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"].endswith("/invalid-host")
    assert refused.headers["x-request-id"]
    assert db.exec(sa.select(sa.func.count()).select_from(AuditEvent)).one()[0] == before


def test_the_public_host_is_accepted_with_a_port_and_in_capitals(public_app, world):
    public = TestClient(public_app, base_url=PUBLIC, raise_server_exceptions=False)
    for host in ("LANTOA.example.vn", "lantoa.example.vn:443", "lantoa.example.vn."):
        assert public.get("/api/v1/health", headers={"Host": host}).status_code == 200, host


def test_without_a_public_base_url_links_still_ignore_the_host(client, world, db):
    issued = issue(client, world, "evil.example")
    assert issued.status_code == 201
    assert issued.json()["url"].startswith(f"{DEFAULT_BASE_URL}/l/")

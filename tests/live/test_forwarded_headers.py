"""X-Forwarded-For against a real server: believed only from FORWARDED_ALLOW_IPS, and whatever
it holds, never a 500 nor a way around the throttles; PUBLIC_BASE_URL names the one host."""

from __future__ import annotations

import ipaddress
import os
import subprocess
import sys

import httpx
import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth.sign_in import FREE_LOGIN_FAILURES
from app.core.config import Settings
from app.core.db import create_db_engine
from tests.support import ROOT, LiveServer, scratch_database

pytestmark = pytest.mark.live

USERNAME, PASSWORD, ORG = "ht", "mat-khau-that-1", "th-proxy"


def run_cli(url: str, data_dir, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "DATABASE_URL": url, "DATA_DIR": str(data_dir), **env}
    environment.pop("PUBLIC_BASE_URL", None)
    environment.update(env)
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def login(server: LiveServer, password: str, forwarded: str | None = None) -> httpx.Response:
    return httpx.post(
        f"{server.url}/api/v1/auth/login",
        json={"username": USERNAME, "password": password},
        headers={} if forwarded is None else {"X-Forwarded-For": forwarded},
        timeout=30,
    )


def failure_addresses(url: str, data_dir) -> list[str]:
    """The address of each failed login, as its audit event keeps it."""
    engine = create_db_engine(Settings(database_url=url, data_dir=data_dir, _env_file=None))
    try:
        with engine.connect() as connection:
            events = connection.execute(
                sa.select(AuditEvent.after)
                .where(AuditEvent.action == "auth.login_failed")
                .order_by(AuditEvent.id)
            ).scalars()
            return [event["address"] for event in events]
    finally:
        engine.dispose()


def is_kept_form(address: str) -> bool:
    return address == "unknown" or str(ipaddress.ip_address(address)) == address


def test_forwarded_addresses_from_the_trusted_proxy_only(tmp_path):
    with scratch_database(tmp_path) as url:
        created = run_cli(
            url, tmp_path, "create-admin", "--username", USERNAME, "--password", PASSWORD,
            "--org", ORG, "--org-name", "Trường Tiểu học Proxy", "--abbreviation", "THP",
        )  # fmt: skip
        assert created.returncode == 0, created.stderr

        # The default: the proxy on this machine (127.0.0.1, where the test calls from).
        server = LiveServer(url, tmp_path).start()
        try:
            attacker = [login(server, "sai", "203.0.113.7") for _ in range(FREE_LOGIN_FAILURES)]
            assert [r.status_code for r in attacker] == [401] * FREE_LOGIN_FAILURES
            assert login(server, PASSWORD, "203.0.113.7").status_code == 429
            assert login(server, PASSWORD, "198.51.100.20").status_code == 200  # the owner

            # 10 KB of garbage, new each time: one shared bucket, throttled like the rest.
            garbage = [login(server, "sai", f"{n}" * 10_000) for n in range(FREE_LOGIN_FAILURES)]
            assert [r.status_code for r in garbage] == [401] * FREE_LOGIN_FAILURES
            assert login(server, "sai", "z" * 10_000).status_code == 429

            # A new address gets a 401; one kept as "unknown" meets the bucket garbage filled.
            odd = [
                ("", 401),  # no address: the peer's stands
                ("1.1.1.1, " * 500 + "203.0.113.9", 401),  # many hops: the last before the proxy
                ("[2001:db8::6]:443", 401),
                ("203.0.113.10:8080", 401),
                (", , ,", 401),  # no address either
                ("2001:db8::6, <script>", 429),
                ("999.999.999.999", 429),
            ]
            answers = [(value, login(server, "sai", value).status_code) for value, _ in odd]
            assert answers == odd
        finally:
            server.stop()
        addresses = failure_addresses(url, tmp_path)
        assert all(is_kept_form(a) and len(a) <= 64 for a in addresses), addresses
        assert {"203.0.113.7", "unknown", "127.0.0.1", "203.0.113.9"} <= set(addresses)
        assert {"2001:db8::6", "203.0.113.10"} <= set(addresses)

        # A proxy elsewhere: the header of a caller that is not it means nothing.
        server = LiveServer(
            url, tmp_path, FORWARDED_ALLOW_IPS="192.0.2.1", PUBLIC_BASE_URL="http://lantoa.test"
        ).start()
        try:
            token = login(server, PASSWORD).json()["access_token"]
            for number in range(3):
                assert login(server, "sai", f"198.51.100.{30 + number}").status_code == 401
            refused = httpx.get(f"{server.url}/api/v1/health", headers={"Host": "evil.example"})
            assert refused.status_code == 400
            assert refused.json()["type"].endswith("/invalid-host")
            headers = {"Authorization": f"Bearer {token}", "Host": "lantoa.test"}
            api = f"{server.url}/api/v1"
            org_id = httpx.get(f"{api}/me", headers=headers).json()["roles"][0]["organization_id"]
            person = httpx.post(
                f"{api}/participants",
                headers=headers,
                json={"organization_id": org_id, "full_name": "Lê Thị Hoa", "staff_code": "GV9"},
            ).json()
            link = httpx.post(f"{api}/participants/{person['id']}/links", headers=headers)
            assert link.json()["url"].startswith("http://lantoa.test/l/ltp_")
        finally:
            server.stop()
        assert failure_addresses(url, tmp_path)[-3:] == ["127.0.0.1"] * 3


def test_serve_on_every_address_needs_a_public_base_url(tmp_path):
    refused = run_cli("sqlite:///unused", tmp_path, "serve", "--host", "0.0.0.0", "--no-migrate")
    assert refused.returncode == 2
    assert "PUBLIC_BASE_URL" in refused.stderr

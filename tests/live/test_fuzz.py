"""Schemathesis over the whole OpenAPI, as an admin and as a member, against a real server.

Two examples per operation (plus the schema's own examples and stateful links) keep
each run near a minute. Every failure it finds
gets a regression test in tests/api/test_regressions.py.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from app.demo.loader import DEMO_PASSWORD
from tests.support import LiveServer, scratch_database

pytestmark = pytest.mark.live

CHECKS = ",".join(
    [
        "not_a_server_error",
        "response_schema_conformance",
        "status_code_conformance",
        "content_type_conformance",
    ]
)


@pytest.fixture
def demo_server(tmp_path):
    """A fresh demo per caller: the admin's fuzzing may reset the member's password."""
    with scratch_database(tmp_path) as url:
        server = LiveServer(url, tmp_path, serve_args=["--demo"]).start()
        try:
            yield server
        finally:
            server.stop()


@pytest.mark.parametrize("username", ["hieutruong", "gv001"], ids=["admin", "member"])
def test_fuzz_the_api(demo_server, username):
    login = httpx.post(
        f"{demo_server.url}/api/v1/auth/login",
        json={"username": username, "password": DEMO_PASSWORD},
    )
    assert login.status_code == 200, login.text
    token = login.json()["access_token"]
    command = [
        str(Path(sys.executable).with_name("schemathesis")),
        "run",
        f"{demo_server.url}/api/v1/openapi.json",
        "--header",
        f"Authorization: Bearer {token}",
        "--checks",
        CHECKS,
        "--max-examples",
        "2",
        "--seed",
        "57",
        "--no-shrink",
        # Signing out or changing the password would end the fuzzing session itself.
        "--exclude-path-regex",
        "/auth/(logout|password)",
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]

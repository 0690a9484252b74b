"""Schemathesis over the whole OpenAPI, as an admin and as a member, against a real server.

Two examples per operation, plus the schema's own examples, stateful links and (for the
admin) every boundary value of every field, keep the two runs near a minute and a half.
FUZZ_MAX_EXAMPLES sets the examples per operation for a longer, separate run:
`FUZZ_MAX_EXAMPLES=25 .venv/bin/pytest -p no:xdist tests/live/test_fuzz.py`.
Every failure it finds gets a regression test in tests/api/test_regressions.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from app.demo.loader import DEMO_PASSWORD
from tests.support import LiveServer, scratch_database

pytestmark = pytest.mark.live

ADMIN, MEMBER = "hieutruong", "gv001"
MAX_EXAMPLES = os.environ.get("FUZZ_MAX_EXAMPLES", "2")

CHECKS = ",".join(
    [
        "not_a_server_error",
        "response_schema_conformance",
        "status_code_conformance",
        "content_type_conformance",
    ]
)


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    directory = tmp_path_factory.mktemp("fuzz")
    with scratch_database(directory) as url:
        server = LiveServer(url, directory, serve_args=["--demo"]).start()
        try:
            yield server
        finally:
            server.stop()


# The member first: the admin's fuzzing may reset the member's password, not the reverse.
@pytest.mark.parametrize("username", [MEMBER, ADMIN], ids=["member", "admin"])
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
        MAX_EXAMPLES,
        "--seed",
        "57",
        "--no-shrink",
        # Signing out or changing the password would end the fuzzing session itself.
        "--exclude-path-regex",
        "/auth/(logout|password)",
    ]
    if username == MEMBER:
        # The coverage phase (every boundary value of every field: ~4,400 requests, most of
        # the run) is validation, the same for every caller; the admin's run covers it.
        command += ["--phases", "examples,fuzzing,stateful"]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=300 * int(MAX_EXAMPLES)
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]

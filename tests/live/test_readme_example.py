"""The README's reports API example for the district office runs as written against the demo."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import httpx
import pytest

from tests.support import ROOT, LiveServer, scratch_database

pytestmark = pytest.mark.live

README = (ROOT / "README.md").read_text(encoding="utf-8")
README_API = "http://127.0.0.1:8000/api/v1"
README_TOKEN = "Bearer ltk_…"
PASSWORD = "mat-khau-quan-tri-1"


def python_example() -> str:
    blocks = re.findall(r"```python\n(.*?)```", README, re.DOTALL)
    [example] = [block for block in blocks if "/rollup" in block]
    return example


def token_request() -> dict:
    """The body of the README's `curl … /api-tokens -d '…'`."""
    [body] = re.findall(r"/api-tokens .*?-d '(\{.*?\})'", README, re.DOTALL)
    return json.loads(body)


def test_the_district_example_prints_every_school(tmp_path):
    example = python_example()
    assert example.count(README_API) == 1 and example.count(README_TOKEN) == 1
    with scratch_database(tmp_path) as url:
        server = LiveServer(url, tmp_path, serve_args=["--demo"]).start()
        try:
            # As the README says: a district admin, then a reports:read token.
            admin = subprocess.run(
                [sys.executable, "-m", "app.cli", "create-admin", "--username", "quantri"]
                + ["--org", "ubnd-thanh-khe", "--password", PASSWORD],
                env={**os.environ, "DATABASE_URL": url, "DATA_DIR": str(tmp_path)},
                cwd=ROOT,
                capture_output=True,
                text=True,
            )
            assert admin.returncode == 0, admin.stderr
            login = httpx.post(
                f"{server.url}/api/v1/auth/login",
                json={"username": "quantri", "password": PASSWORD},
            )
            assert login.status_code == 200, login.text
            created = httpx.post(
                f"{server.url}/api/v1/api-tokens",
                json=token_request(),
                headers={"Authorization": f"Bearer {login.json()['access_token']}"},
            )
            assert created.status_code == 201, created.text
            assert created.json()["scopes"] == ["reports:read"]

            code = example.replace(README_API, f"{server.url}/api/v1").replace(
                README_TOKEN, f"Bearer {created.json()['token']}"
            )
            run = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, timeout=60
            )
        finally:
            server.stop()
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert any(line.startswith("Trường Tiểu học Nguyễn Bỉnh Khiêm ") for line in lines), lines
    assert len(lines) >= 2 and all(re.search(r" \d+ / \d+ \d+%", line) for line in lines)

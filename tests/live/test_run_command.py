"""What `make run` starts: `lantoa serve --demo` on an empty database serves the seed plan."""

from __future__ import annotations

import re

import httpx
import pytest

from app.demo.loader import DEMO_PASSWORD
from tests.support import LiveServer, scratch_database

pytestmark = pytest.mark.live


def test_serve_with_demo_loads_the_seed_and_prints_how_to_try_it(tmp_path):
    with scratch_database(tmp_path) as url:
        server = LiveServer(url, tmp_path, serve_args=["--demo"]).start()
        try:
            printed = server.log()
            assert "hieutruong" in printed and DEMO_PASSWORD in printed
            link = re.search(r"(http://\S+/l/(ltp_\S+))", printed)
            assert link, printed
            page = httpx.get(f"{server.url}/api/v1/links/{link.group(2)}").json()
            assert page["pending_count"] == 1
            login = httpx.post(
                f"{server.url}/api/v1/auth/login",
                json={"username": "hieutruong", "password": DEMO_PASSWORD},
            )
            headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
            symbols = {
                p["symbol"]
                for p in httpx.get(f"{server.url}/api/v1/plans", headers=headers).json()["items"]
            }
            assert {"470/KH-UBND", "05/KH-THNBK"} <= symbols
            assert httpx.get(f"{server.url}/").status_code == 200
        finally:
            server.stop()


def test_serve_with_demo_leaves_a_real_database_alone(tmp_path):
    import os
    import subprocess
    import sys

    from tests.support import ROOT

    with scratch_database(tmp_path) as url:
        env = {**os.environ, "DATABASE_URL": url, "DATA_DIR": str(tmp_path)}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "app.cli",
                "create-admin",
                "--username",
                "ht",
                "--password",
                "mat-khau-that-1",
                "--org",
                "th-that",
                "--org-name",
                "Trường thật",
                "--abbreviation",
                "TT",
            ],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        server = LiveServer(url, tmp_path, serve_args=["--demo"]).start()
        try:
            assert "không nạp dữ liệu mẫu" in server.log()
            login = httpx.post(
                f"{server.url}/api/v1/auth/login",
                json={"username": "hieutruong", "password": DEMO_PASSWORD},
            )
            assert login.status_code == 401
        finally:
            server.stop()

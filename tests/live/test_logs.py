"""No password, token or personal link ever reaches the server's log."""

from __future__ import annotations

import json

import httpx
import pytest

from app.demo.loader import DEMO_PASSWORD
from tests.support import LiveServer, scratch_database

pytestmark = pytest.mark.live


def test_secrets_stay_out_of_the_log_and_requests_are_traced(tmp_path):
    with scratch_database(tmp_path) as url:
        server = LiveServer(url, tmp_path, serve_args=["--demo"], LOG_LEVEL="INFO").start()
        try:
            printed_link = server.log().split("/l/")[1].split()[0]
            base = server.url + "/api/v1"
            login = httpx.post(
                f"{base}/auth/login", json={"username": "hieutruong", "password": DEMO_PASSWORD}
            )
            session_token = login.json()["access_token"]
            headers = {"Authorization": f"Bearer {session_token}"}
            api_token = httpx.post(
                f"{base}/api-tokens",
                headers=headers,
                json={"organization_id": 2, "name": "kiểm tra", "scopes": ["reports:read"]},
            ).json()["token"]
            httpx.get(f"{base}/plans", headers={"Authorization": f"Bearer {api_token}"})
            link = httpx.post(f"{base}/participants/5/links", headers=headers).json()["token"]
            httpx.get(f"{base}/links/{link}")
            httpx.get(f"{server.url}/l/{link}")
            httpx.post(
                f"{base}/auth/login",
                json={"username": "hieutruong", "password": "sai-mat-khau-123"},
            )
            traced = httpx.get(f"{base}/health", headers={"X-Request-ID": "truy-vet-0001"})
        finally:
            server.stop()
        log = server.log()
    startup, _, requests = log.partition("Lan Tỏa: http")
    for secret in (DEMO_PASSWORD, "sai-mat-khau-123", session_token, api_token, link):
        assert secret not in requests, f"a secret reached the log: {secret[:6]}…"
    assert printed_link in startup  # printed once, on purpose, for the person starting the demo
    lines = [json.loads(line) for line in requests.splitlines() if line.startswith("{")]
    access = [line for line in lines if line["logger"] == "app.access"]
    assert any("/links/…" in line["message"] for line in access)
    assert any(
        line["request_id"] == "truy-vet-0001" and "/health" in line["message"] for line in access
    )
    assert traced.headers["x-request-id"] == "truy-vet-0001"

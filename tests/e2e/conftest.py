"""Real-browser fixtures: `lantoa serve` on a free port and headless Debian Chromium."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.support import ROOT, LiveServer, scratch_database

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
EXPECTED_REFUSAL = re.compile(r"Failed to load resource: .* status of 4\d\d")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    directory = tmp_path_factory.mktemp("e2e")
    with scratch_database(directory) as url:
        server = LiveServer(url, directory, WEBHOOK_ALLOW_PRIVATE_TARGETS="1").start()
        try:
            yield server
        finally:
            server.stop()


def create_admin(live_server, username: str, password: str, *org: str) -> None:
    """An admin made on the live server with `lantoa create-admin`, as a school would."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "app.cli",
            "create-admin",
            "--username",
            username,
            "--password",
            password,
            *org,
        ],
        check=True,
        env=live_server.env,
        cwd=ROOT,
        capture_output=True,
    )


@pytest.fixture
def api_session(live_server) -> Iterator[Callable[[dict[str, str]], tuple[httpx.Client, int]]]:
    """Signs an account in over the API: a client carrying its token, and the account's
    organisation. The clients are closed after the test."""
    clients: list[httpx.Client] = []

    def sign_in(account: dict[str, str]) -> tuple[httpx.Client, int]:
        client = httpx.Client(base_url=f"{live_server.url}/api/v1", timeout=10)
        clients.append(client)
        answer = client.post(
            "/auth/login",
            json={"username": account["username"], "password": account["password"]},
        )
        answer.raise_for_status()
        body = answer.json()
        client.headers["Authorization"] = f"Bearer {body['access_token']}"
        return client, body["me"]["roles"][0]["organization_id"]

    yield sign_in
    for client in clients:
        client.close()


@pytest.fixture(scope="session")
def school_admin(live_server) -> dict[str, str]:
    """An admin of a fresh school on the live server."""
    account = {"username": "hieutruong", "password": "mat-khau-e2e-1", "org_code": "th-e2e"}
    create_admin(
        live_server,
        account["username"],
        account["password"],
        *("--org", account["org_code"], "--org-name", "Trường Tiểu học Kiểm Thử"),
        *("--abbreviation", "THKT", "--name", "Bùi Can"),
    )
    return account


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        reason = "no Chromium on this machine (apt-get install chromium)"
        if os.environ.get("E2E_REQUIRED") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable)
        yield browser
        browser.close()


@pytest.fixture(params=["phone", "desktop"])
def page(request, browser, live_server):
    viewport = PHONE if request.param == "phone" else DESKTOP
    # No service worker here: page.route() does not see what a worker answers, and screens are
    # tested as the network gives them (tests/e2e/test_phone.py tests the worker itself).
    context = browser.new_context(
        viewport=viewport, base_url=live_server.url, locale="vi-VN", service_workers="block"
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    def on_console(message) -> None:
        # Chromium logs every 4xx answer as a failed resource, even one the screen expects
        # and explains (a wrong password, a field error); those are not browser errors.
        if message.type == "error" and not EXPECTED_REFUSAL.search(message.text):
            errors.append(message.text)

    page.on("console", on_console)
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert errors == [], f"browser errors: {errors}"

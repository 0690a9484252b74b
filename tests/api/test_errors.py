"""One error shape: RFC 9457 problem details for every failure, and nothing half-written."""

from __future__ import annotations

import logging

import pytest
from fastapi.testclient import TestClient

from app.core.routing import ApiRouter
from app.main import create_app

PROBES = "/api/v1/_bench/probes"


def probe_count(client) -> int:
    return client.get(f"{PROBES}/count").json()["count"]


def assert_problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["type"].endswith("/" + code)
    assert body["title"]
    assert body["request_id"] == response.headers["x-request-id"]
    return body


def test_valid_write_is_saved(client):
    before = probe_count(client)
    response = client.post(PROBES, json={"note": "xin chào"})
    assert response.status_code == 201
    assert response.json()["note"] == "xin chào"
    assert probe_count(client) == before + 1


def test_malformed_json_is_a_422_naming_the_body(client):
    before = probe_count(client)
    response = client.post(
        PROBES, content=b'{"note": ', headers={"Content-Type": "application/json"}
    )
    body = assert_problem(response, 422, "invalid-input")
    assert [e["field"] for e in body["errors"]] == ["body"]
    assert body["errors"][0]["type"] == "json_invalid"
    assert probe_count(client) == before


def test_wrong_type_names_the_field(client):
    before = probe_count(client)
    body = assert_problem(client.post(PROBES, json={"note": 5}), 422, "invalid-input")
    assert body["errors"][0]["field"] == "body.note"
    assert "note" in body["detail"]
    assert probe_count(client) == before


def test_unknown_field_is_rejected(client):
    body = assert_problem(
        client.post(PROBES, json={"note": "a", "colour": "red"}), 422, "invalid-input"
    )
    assert body["errors"][0]["field"] == "body.colour"
    assert body["errors"][0]["type"] == "extra_forbidden"


def test_oversized_body_is_a_413(client, settings):
    before = probe_count(client)
    payload = b'{"note": "' + b"x" * (settings.max_body_bytes + 1) + b'"}'
    response = client.post(PROBES, content=payload, headers={"Content-Type": "application/json"})
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("/payload-too-large")
    assert probe_count(client) == before


def test_oversized_chunked_body_is_a_413(client, settings):
    def chunks():
        for _ in range(settings.max_body_bytes // 65536 + 2):
            yield b"x" * 65536

    response = client.post(PROBES, content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413


def test_unknown_path_is_a_404_problem(client):
    body = assert_problem(client.get("/api/v1/no-such-thing"), 404, "not-found")
    assert body["instance"] == "/api/v1/no-such-thing"


@pytest.fixture
def site(app, settings):
    """The app as served, with the static frontend mounted at "/" (the `app` fixture has none)."""
    site = create_app(settings)
    site.dependency_overrides = app.dependency_overrides
    with TestClient(site, raise_server_exceptions=False) as client:
        yield client


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
def test_unknown_api_path_is_a_404_whatever_the_method(site, method):
    body = assert_problem(site.request(method, "/api/v1/no-such-thing"), 404, "not-found")
    assert body["instance"] == "/api/v1/no-such-thing"
    assert_problem(site.request(method, "/api/v2/plans"), 404, "not-found")


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_writing_to_a_path_outside_the_api_is_a_404(site, method):
    assert_problem(site.request(method, "/no-such-page"), 404, "not-found")
    assert_problem(site.request(method, "/index.html"), 404, "not-found")


def test_the_frontend_is_still_served_for_get_and_head(site):
    home = site.get("/")
    assert home.status_code == 200 and home.headers["content-type"].startswith("text/html")
    assert site.head("/").status_code == 200
    assert site.get("/css/base.css").status_code == 200
    assert_problem(site.get("/no-such-page"), 404, "not-found")


@pytest.mark.parametrize("mounted", [True, False], ids=["with-frontend", "api-only"])
def test_wrong_method_is_a_405_problem_naming_every_allowed_method(site, client, mounted):
    caller = site if mounted else client
    response = caller.delete("/api/v1/health")
    assert_problem(response, 405, "method-not-allowed")
    assert response.headers["allow"] == "GET"
    # GET and PATCH of /plans/{id} are two routes; the Allow header names both.
    response = caller.put("/api/v1/plans/1")
    assert_problem(response, 405, "method-not-allowed")
    assert response.headers["allow"] == "GET, PATCH"


@pytest.fixture
def failing_client(app):
    router = ApiRouter()

    @router.get("/api/v1/boom")
    def boom():
        raise RuntimeError("secret SQL: SELECT password FROM users")

    app.include_router(router)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def test_unexpected_error_is_a_500_without_internals(failing_client, caplog):
    with caplog.at_level(logging.ERROR, logger="app.errors"):
        response = failing_client.get("/api/v1/boom")
    body = assert_problem(response, 500, "internal-error")
    assert "secret" not in response.text
    assert "Traceback" not in response.text
    request_id = response.headers["x-request-id"]
    logged = [r for r in caplog.records if request_id in r.getMessage()]
    assert logged and logged[0].exc_info is not None
    assert body["request_id"] == request_id

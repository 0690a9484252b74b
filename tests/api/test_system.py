"""Health, OpenAPI and docs."""

from __future__ import annotations


def test_health_reports_database_up(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["database_backend"] in {"sqlite", "postgresql"}
    assert body["time_zone"] == "Asia/Ho_Chi_Minh"  # the frontend shows times in it
    assert response.headers["x-request-id"]


def test_health_reports_database_down(client, monkeypatch):
    from app.system import service

    def broken(db):
        raise service.sa.exc.OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(service.Session, "exec", lambda self, *a, **k: broken(self))
    response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_openapi_documents_problem_responses(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.json()
    assert "/api/v1/health" in spec["paths"]
    assert "Problem" in spec["components"]["schemas"]
    assert "/api/v1/_bench/json" not in spec["paths"]


def test_swagger_ui_is_served(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert "swagger-ui" in response.text
    assert "/api/v1/openapi.json" in response.text


def test_security_headers_on_every_response(client):
    response = client.get("/api/v1/health")
    csp = response.headers["content-security-policy"]
    assert (
        "script-src 'self'" in csp
        and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


def test_request_id_from_caller_is_echoed(client):
    response = client.get("/api/v1/health", headers={"X-Request-ID": "district-0001"})
    assert response.headers["x-request-id"] == "district-0001"


def test_unsafe_request_id_is_replaced(client):
    response = client.get("/api/v1/health", headers={"X-Request-ID": "bad id\r\n"})
    assert response.headers["x-request-id"] != "bad id"
    assert len(response.headers["x-request-id"]) == 32


def test_ready_when_migrated(client):
    body = client.get("/api/v1/ready").json()
    assert body["ready"] is True and body["schema_revision"] == body["expected_revision"]


def test_not_ready_when_the_schema_is_behind(client, monkeypatch):
    from app.system import service

    monkeypatch.setattr(service.migrations, "head_revision", lambda: "9999")
    response = client.get("/api/v1/ready")
    assert response.status_code == 503 and response.json()["ready"] is False

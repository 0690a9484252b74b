"""Gzip for text when the caller accepts it; never for files that are compressed already."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.main import create_app

GZIP = {"Accept-Encoding": "gzip"}


@pytest.fixture
def site(settings):
    """The app with its frontend, as `lantoa serve` runs it."""
    with TestClient(create_app(settings)) as client:
        yield client


def test_json_is_gzipped_when_accepted(client):
    response = client.get("/api/v1/openapi.json", headers=GZIP)
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["vary"]
    assert response.json()["info"]["title"] == "Lan Tỏa API"


def test_json_is_plain_for_a_caller_without_gzip(client):
    response = client.get("/api/v1/openapi.json", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in response.headers


def test_a_small_answer_goes_as_it_is(client):
    response = client.get("/api/v1/health", headers=GZIP)
    assert "content-encoding" not in response.headers


def test_a_workbook_is_never_gzipped(client, world):
    response = client.get(
        "/api/v1/participants/import/template", headers={**GZIP, **world.headers("admin")}
    )
    assert response.status_code == 200
    assert response.content[:2] == b"PK"
    assert "content-encoding" not in response.headers


@pytest.mark.parametrize("path", ["/", "/js/app.js", "/css/base.css", "/js/i18n/vi.js"])
def test_the_frontends_files_are_gzipped(site, path):
    response = site.get(path, headers=GZIP)
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"

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


def test_the_service_worker_is_served_from_the_root_never_cached_with_the_version(site):
    response = site.get("/sw.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "no-cache"
    assert "__VERSION__" not in response.text
    version = response.text.split('const VERSION = "', 1)[1].split('"', 1)[0]
    assert len(version) == 16
    assert site.get("/sw.js").text == response.text  # the same files, the same worker


def test_the_manifest_is_linked_and_served_as_a_manifest(site):
    assert '<link rel="manifest" href="manifest.webmanifest">' in site.get("/").text
    response = site.get("/manifest.webmanifest")
    assert response.headers["content-type"] == "application/manifest+json"
    manifest = response.json()
    assert (manifest["name"], manifest["lang"], manifest["start_url"]) == ("Lan Tỏa", "vi", "/")
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert sizes == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        image = site.get(f"/{icon['src']}")
        assert image.headers["content-type"] == "image/png"
        assert "content-encoding" not in image.headers

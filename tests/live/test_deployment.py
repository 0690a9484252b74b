"""The parts of the docker-compose deployment that can run here: the backend's start command."""

from __future__ import annotations

import json
import re
from unittest.mock import ANY

import httpx
import pytest
import yaml

from tests.support import ROOT, LiveServer, scratch_database

pytestmark = pytest.mark.live


def compose_backend_command() -> list[str]:
    text = (ROOT / "docker-compose.yml").read_text()
    backend = text.split("\n  backend:\n", 1)[1].split("\n  frontend:\n", 1)[0]
    return json.loads(re.search(r"^    command: (\[.*\])$", backend, re.M).group(1))


def test_dockerfile_and_compose_start_the_backend_the_same_way():
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = json.loads(re.search(r"^CMD (\[.*\])$", dockerfile, re.M).group(1))
    assert cmd == compose_backend_command()


def test_compose_backend_command_migrates_and_serves_with_several_workers(tmp_path):
    command = compose_backend_command()
    assert command[:2] == ["lantoa", "serve"]
    args = command[2:]
    port_at = args.index("--port")
    del args[port_at : port_at + 2]  # the test picks a free port
    host_at = args.index("--host")
    args[host_at + 1] = "127.0.0.1"
    assert int(args[args.index("--workers") + 1]) > 1

    with scratch_database(tmp_path) as url:
        server = LiveServer(url, tmp_path, serve_args=args).start()
        try:
            health = httpx.get(f"{server.url}/api/v1/health").json()
            assert health["database"] == "ok"
            assert httpx.get(f"{server.url}/").status_code == 200
        finally:
            assert server.stop() == 0, server.log()  # the supervisor of the workers ends cleanly


def test_compose_backend_believes_forwarded_addresses_from_its_nginx_only():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    nginx = compose["services"]["frontend"]["networks"]["lantoa"]["ipv4_address"]
    backend = compose["services"]["backend"]["environment"]
    assert backend["FORWARDED_ALLOW_IPS"] == nginx
    assert backend["PUBLIC_BASE_URL"].startswith("${PUBLIC_BASE_URL:-http")
    assert "$remote_addr" in (ROOT / "deploy/nginx.conf").read_text()


def test_compose_stores_the_uploads_in_its_object_store_with_one_key_pair():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    app = services["backend"]["environment"]
    assert app == {**services["worker"]["environment"], "FORWARDED_ALLOW_IPS": ANY}
    assert app["STORAGE_URL"] == "s3://lantoa"
    assert "s3.bucket.create -name lantoa" in services["objects-bucket"]["command"][0]
    assert app["S3_ENDPOINT_URL"] == "http://objects:8333"
    assert "-s3.port=8333" in services["objects"]["command"]
    store = services["objects"]["environment"]
    assert store["AWS_ACCESS_KEY_ID"].startswith("${S3_ACCESS_KEY_ID:?")
    assert store["AWS_SECRET_ACCESS_KEY"].startswith("${S3_SECRET_ACCESS_KEY:?")
    assert (app["S3_ACCESS_KEY_ID"], app["S3_SECRET_ACCESS_KEY"]) == (
        store["AWS_ACCESS_KEY_ID"],
        store["AWS_SECRET_ACCESS_KEY"],
    )
    assert services["backend"]["depends_on"]["objects-bucket"] == {
        "condition": "service_completed_successfully"
    }


def test_compose_runs_several_backends_behind_nginx():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    assert compose["services"]["backend"]["deploy"]["replicas"] >= 2
    nginx = (ROOT / "deploy/nginx.conf").read_text()
    assert re.search(r"server backend:8000 resolve;", nginx)  # each replica, as they change
    assert "proxy_pass http://backend:" not in nginx  # never one address looked up once
    assert nginx.count("proxy_pass http://backends;") == 3
    image = compose["services"]["frontend"]["image"]
    assert tuple(map(int, re.search(r":(\d+)\.(\d+)", image).groups())) >= (1, 27)

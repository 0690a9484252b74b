from __future__ import annotations

import stat

import pytest
from pydantic import ValidationError

from app.core.config import Settings


def make(tmp_path, **values) -> Settings:
    return Settings(data_dir=tmp_path, _env_file=None, **values)


def test_default_database_is_sqlite_in_data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    settings = make(tmp_path)
    assert settings.sqlalchemy_url == f"sqlite:///{tmp_path / 'lantoa.sqlite3'}"
    assert settings.is_sqlite


@pytest.mark.parametrize("given", ["postgres://u:p@h/db", "postgresql://u:p@h/db"])
def test_postgres_urls_use_psycopg3(tmp_path, given):
    assert make(tmp_path, database_url=given).sqlalchemy_url == "postgresql+psycopg://u:p@h/db"


def test_secret_key_is_generated_once_and_kept_private(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = make(tmp_path).signing_key
    second = make(tmp_path).signing_key
    assert first == second and len(first) >= 48
    mode = (tmp_path / "secret_key").stat().st_mode
    assert stat.S_IMODE(mode) == 0o600


def test_secret_key_from_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert make(tmp_path).signing_key == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()


def test_cors_origins_from_a_comma_separated_variable(tmp_path, monkeypatch):
    monkeypatch.setenv("CORS_ORIGINS", "https://a.example, https://b.example")
    assert make(tmp_path).cors_origins == ["https://a.example", "https://b.example"]


def test_env_file_is_read(tmp_path, monkeypatch):
    monkeypatch.delenv("LOG_LEVEL", raising=False)
    env_file = tmp_path / ".env"
    env_file.write_text("LOG_LEVEL=debug\nTIME_ZONE=Asia/Ho_Chi_Minh\n")
    settings = Settings(_env_file=env_file)
    assert settings.log_level == "DEBUG"
    assert settings.zone.key == "Asia/Ho_Chi_Minh"


def test_unknown_time_zone_is_refused(tmp_path):
    with pytest.raises(ValidationError):
        make(tmp_path, time_zone="Mars/Olympus")


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("https://lantoa.example.vn/", "https://lantoa.example.vn"),
        ("http://192.168.1.10:8000", "http://192.168.1.10:8000"),
        ("https://so.example.vn/lantoa/", "https://so.example.vn/lantoa"),
        ("", None),
    ],
)
def test_public_base_url_is_kept_without_its_trailing_slash(tmp_path, given, kept):
    settings = make(tmp_path, public_base_url=given)
    assert settings.public_base_url == kept
    assert settings.base_url == (kept or "http://127.0.0.1:8000")


@pytest.mark.parametrize(
    "given",
    [
        "lantoa.example.vn",
        "ftp://lantoa.example.vn",
        "https://",
        "https://admin:pw@lantoa.example.vn",
        "https://lantoa.example.vn/?next=x",
        "https://lantoa.example.vn/#/l/x",
        "https://lantoa.example.vn:port",
    ],
)
def test_a_public_base_url_that_is_no_web_address_is_refused(tmp_path, given):
    with pytest.raises(ValidationError):
        make(tmp_path, public_base_url=given)


def test_hosts_allowed_are_the_public_one_and_the_machine_itself(tmp_path, monkeypatch):
    monkeypatch.delenv("PUBLIC_BASE_URL", raising=False)
    assert make(tmp_path).allowed_hosts is None
    allowed = make(tmp_path, public_base_url="https://LanToa.example.vn:8443").allowed_hosts
    assert allowed == {"lantoa.example.vn", "localhost", "127.0.0.1", "::1"}
    monkeypatch.setenv("EXTRA_HOSTS", "API.example.vn, ")
    split = make(tmp_path, public_base_url="https://lantoa.example.vn").allowed_hosts
    assert split == {"lantoa.example.vn", "api.example.vn", "localhost", "127.0.0.1", "::1"}


def test_forwarded_allow_ips_takes_addresses_and_networks_only(tmp_path, monkeypatch):
    monkeypatch.setenv("FORWARDED_ALLOW_IPS", " 172.30.57.10, 10.0.0.0/8 ,::1")
    assert make(tmp_path).forwarded_allow_ips == "172.30.57.10,10.0.0.0/8,::1"
    assert make(tmp_path, forwarded_allow_ips="*").forwarded_allow_ips == "*"
    with pytest.raises(ValidationError):
        make(tmp_path, forwarded_allow_ips="127.0.0.1,nginx")


def test_the_app_runs_on_its_own_settings(tmp_path):
    """Its database is the one its settings name, and services read the same settings."""
    import sqlalchemy as sa
    from fastapi.testclient import TestClient

    from app.core import migrations
    from app.core.config import current_settings, use_settings
    from app.core.db import create_db_engine
    from app.main import create_app
    from app.system.models import BenchProbe

    settings = make(tmp_path, database_url="", bench_mode=True)
    engine = create_db_engine(settings)
    migrations.upgrade(engine)
    previous = current_settings()
    try:
        with TestClient(create_app(settings, frontend_dir=None)) as client:
            assert current_settings() is settings
            assert client.post("/api/v1/_bench/probes", json={"note": "here"}).status_code == 201
    finally:
        use_settings(previous)
    with engine.connect() as connection:
        assert connection.execute(sa.select(BenchProbe.note)).scalars().all() == ["here"]
    engine.dispose()

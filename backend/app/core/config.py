"""Application settings, read from the environment and an optional `.env` file."""

from __future__ import annotations

import ipaddress
import os
import secrets
from functools import cached_property
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[3]
SECRET_KEY_FILE = "secret_key"
# Where `lantoa serve` listens by default: the links' start when nothing else says.
DEFAULT_BASE_URL = "http://127.0.0.1:8000"
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    data_dir: Path = Field(
        default=PROJECT_ROOT / "data",
        description="Where the SQLite file, the generated secret and uploads live.",
    )
    database_url: str = Field(
        default="", description="SQLAlchemy URL; empty means the SQLite file in data_dir."
    )
    secret_key: SecretStr | None = Field(
        default=None, description="Signing key; generated once into data_dir when unset."
    )
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    time_zone: str = "Asia/Ho_Chi_Minh"
    log_level: str = "INFO"
    max_body_bytes: int = 10 * 1024 * 1024
    worker_threads: int = Field(
        default=2,
        ge=1,
        le=200,
        description=(
            "Threads that run the synchronous endpoints of one worker process. The work is "
            "Python (one core per process): more threads only contend for the interpreter lock "
            "(a teacher's home served a third fewer requests with four than with two). Raise "
            "it when the database is far away and requests mostly wait on it."
        ),
    )
    db_pool_size: int = 20
    db_max_overflow: int = 20
    db_pool_timeout: float = 15.0
    db_ping_after_idle_seconds: float = Field(
        default=5.0,
        ge=0,
        description=(
            "PostgreSQL: a pooled connection idle this long is tested before use "
            "(0: before every use)."
        ),
    )
    sqlite_busy_timeout_ms: int = 5000
    api_token_max_days: int = Field(
        default=365,
        ge=1,
        le=3650,
        description="The longest an API token may last; every token expires.",
    )
    libreoffice_path: str = Field(
        default="",
        description=(
            "LibreOffice's program (a path or a command name), which renders an issued "
            "report's PDF; empty: `soffice`, else `libreoffice`, on PATH."
        ),
    )
    bench_mode: bool = Field(default=False, description="Expose the bare benchmark endpoints.")
    webhook_allow_private_targets: bool = Field(
        default=False,
        description=(
            "Let webhooks go to private, loopback and link-local addresses (a district's own "
            "intranet, tests); otherwise only public addresses receive them."
        ),
    )
    webhook_timeout_seconds: float = Field(
        default=10.0, gt=0, le=60, description="How long one webhook delivery may take."
    )
    forwarded_allow_ips: str = Field(
        default="127.0.0.1",
        description=(
            "Comma-separated addresses or networks of the proxies whose X-Forwarded-For and "
            "X-Forwarded-Proto `lantoa serve` believes; from anyone else they are ignored. "
            "`*` trusts every peer: only when nothing but the proxy can reach the server."
        ),
    )
    public_base_url: str | None = Field(
        default=None,
        description=(
            "Where people open the app (https://lantoa.example.vn): personal links and "
            "check-in QR codes point there, never at the Host a request names, and requests "
            "for another host are refused. Unset: the address `lantoa serve` listens on."
        ),
    )
    extra_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=list,
        description=(
            "Host names the server also answers for when PUBLIC_BASE_URL is set: the API's own "
            "name when the frontend is served from elsewhere."
        ),
    )

    jobs_url: str = Field(
        default="",
        description=(
            "Where the job queue lives: empty for a SQLite file in data_dir (jobs.sqlite3, no "
            "extra server), or redis://host:6379/0 for workers on several machines."
        ),
    )
    jobs_queue: str = Field(
        default="lantoa",
        min_length=1,
        max_length=60,
        description="The queue's name: deployments sharing one Redis need different names.",
    )
    storage_url: str = Field(
        default="",
        description=(
            "Where uploaded files live: empty for DATA_DIR/uploads, or s3://bucket (or "
            "s3://bucket/prefix) for S3-compatible object storage, which several machines share."
        ),
    )
    s3_endpoint_url: str = Field(
        default="",
        description="The object store's address (MinIO, SeaweedFS…); empty: AWS S3.",
    )
    s3_region: str = Field(default="", description="The bucket's region; empty: boto3's default.")
    s3_access_key_id: str = Field(
        default="", description="Empty: boto3's own search (AWS_ACCESS_KEY_ID, the machine's role)."
    )
    s3_secret_access_key: SecretStr = SecretStr("")
    smtp_host: str = Field(default="", description="Mail server; empty: no email is sent.")
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_from: str = Field(default="", description="The sender, e.g. Lan Tỏa <no-reply@…>.")
    smtp_starttls: bool = Field(default=True, description="Upgrade the connection (STARTTLS).")
    smtp_timeout_seconds: float = Field(default=20.0, gt=0, le=300)
    mail_retry_seconds: float = Field(
        default=60.0,
        gt=0,
        description="Wait before the first retry of a failed email; it doubles at each one.",
    )
    mail_max_attempts: int = Field(
        default=11,
        ge=1,
        le=30,
        description="Attempts before an email is given up (eleven: about seventeen hours in all).",
    )

    @field_validator("cors_origins", "extra_hosts", mode="before")
    @classmethod
    def _split_list(cls, value: object) -> object:
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value

    @field_validator("extra_hosts")
    @classmethod
    def _lower_hosts(cls, value: list[str]) -> list[str]:
        return [host.lower() for host in value]

    @field_validator("time_zone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @field_validator("forwarded_allow_ips")
    @classmethod
    def _known_proxies(cls, value: str) -> str:
        """Uvicorn takes a mistyped entry for a literal host name and trusts nobody by it."""
        entries = [entry.strip() for entry in value.split(",") if entry.strip()]
        for entry in entries:
            if entry == "*":
                continue
            try:
                ipaddress.ip_network(entry, strict=False)
            except ValueError as error:
                raise ValueError(f"not an IP address or network: {entry!r}") from error
        return ",".join(entries)

    @field_validator("public_base_url")
    @classmethod
    def _absolute_http_url(cls, value: str | None) -> str | None:
        if not value or not value.strip():
            return None
        parts = urlsplit(value.strip())
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http:// or https:// address with a host")
        if parts.username or parts.password or parts.query or parts.fragment:
            raise ValueError("must not hold a user, a query or a fragment")
        parts.port  # noqa: B018 - raises ValueError for a port that is no number
        return value.strip().rstrip("/")

    @field_validator("jobs_url")
    @classmethod
    def _redis_or_embedded(cls, value: str) -> str:
        value = value.strip()
        if value and urlsplit(value).scheme not in ("redis", "rediss", "unix"):
            raise ValueError("must be empty (the embedded SQLite queue) or a redis:// URL")
        return value

    @field_validator("storage_url")
    @classmethod
    def _folder_or_bucket(cls, value: str) -> str:
        value = value.strip()
        if value:
            parts = urlsplit(value)
            if parts.scheme != "s3" or not parts.netloc or parts.query or parts.fragment:
                raise ValueError("must be empty (DATA_DIR/uploads) or s3://bucket[/prefix]")
        return value

    @field_validator("log_level")
    @classmethod
    def _upper_level(cls, value: str) -> str:
        return value.upper()

    @property
    def sqlalchemy_url(self) -> str:
        if self.database_url:
            url = self.database_url
            # Accept the common short forms and always speak psycopg 3 to PostgreSQL.
            for prefix in ("postgres://", "postgresql://"):
                if url.startswith(prefix):
                    return "postgresql+psycopg://" + url[len(prefix) :]
            return url
        return f"sqlite:///{self.data_dir / 'lantoa.sqlite3'}"

    @property
    def base_url(self) -> str:
        """The start of every link the app hands out."""
        return self.public_base_url or DEFAULT_BASE_URL

    @property
    def allowed_hosts(self) -> frozenset[str] | None:
        """The host names requests may name when PUBLIC_BASE_URL is set: its own, EXTRA_HOSTS,
        and the loopback names, for health checks from the machine itself. None: any."""
        if self.public_base_url is None:
            return None
        return frozenset(
            {urlsplit(self.public_base_url).hostname, *self.extra_hosts, *LOOPBACK_HOSTS}
        )

    @property
    def is_sqlite(self) -> bool:
        return self.sqlalchemy_url.startswith("sqlite")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    @cached_property
    def signing_key(self) -> str:
        """The configured secret, or one generated on first use and kept in the data folder."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        path = self.data_dir / SECRET_KEY_FILE
        self.data_dir.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # made earlier, or by another worker a moment ago
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(secrets.token_urlsafe(48))
        return path.read_text().strip()


_current: Settings | None = None


def use_settings(settings: Settings) -> Settings:
    """Make `settings` the process's settings, what `current_settings` returns from now on.

    `create_app` installs its settings here: a process serves one app, and services, which
    never see the request, read the time zone, the data folder, the signing key and the token
    limit through `current_settings` rather than through an argument on every call.
    """
    global _current
    _current = settings
    return settings


def current_settings() -> Settings:
    """The process's settings: the app's (`use_settings`), or, where no app was made (the
    CLI, Alembic), read from the environment once."""
    return _current or use_settings(Settings())

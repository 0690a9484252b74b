"""Migrations run clean both ways on each database, and agree with the models."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from app.core import migrations
from app.core.base import UTCDateTime
from app.core.config import Settings
from app.core.db import create_db_engine
from app.core.text import name_sort_key
from app.models import import_all_models
from tests.support import backend_names, scratch_database


@pytest.fixture(params=backend_names())
def scratch_engine(request, tmp_path):
    with scratch_database(tmp_path, request.param) as url:
        engine = create_db_engine(Settings(database_url=url, data_dir=tmp_path, _env_file=None))
        yield engine
        engine.dispose()


def table_names(engine) -> set[str]:
    return set(sa.inspect(engine).get_table_names())


def test_upgrade_head_then_downgrade_base(scratch_engine):
    migrations.upgrade(scratch_engine)
    import_all_models()
    assert set(SQLModel.metadata.tables) <= table_names(scratch_engine)
    assert migrations.is_current(scratch_engine)

    migrations.downgrade(scratch_engine, "base")
    assert table_names(scratch_engine) <= {"alembic_version"}

    migrations.upgrade(scratch_engine)
    assert migrations.is_current(scratch_engine)


def test_models_and_migrations_agree(scratch_engine):
    migrations.upgrade(scratch_engine)
    import_all_models()
    with scratch_engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        diff = compare_metadata(context, SQLModel.metadata)
    assert diff == [], f"models differ from migrations; run alembic revision --autogenerate: {diff}"


def test_names_get_their_sort_key_and_audit_events_lose_checkin_secrets(scratch_engine):
    """The data migrations 0011 and 0012 on rows written before them."""
    migrations.upgrade(scratch_engine, "0010")
    with scratch_engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO organization (code, name, kind, path, depth, abbreviation,"
                " created_at, updated_at) VALUES ('th', 'Trường', 'school', '/1/', 0, 'TH', :t, :t)"
            ),
            {"t": "2025-03-01 08:00:00"},
        )
        org_id = connection.execute(sa.text("SELECT id FROM organization")).scalar_one()
        connection.execute(
            sa.text(
                "INSERT INTO participant (organization_id, full_name, staff_code, active,"
                " search_text, created_at, updated_at)"
                " VALUES (:org, 'Đỗ Thị Ánh', 'GV1', true, '', :t, :t)"
            ),
            {"org": org_id, "t": "2025-03-01 08:00:00"},
        )
        events = sa.table(
            "audit_event",
            sa.column("created_at"),
            sa.column("actor_label"),
            sa.column("action"),
            sa.column("entity_type"),
            sa.column("before", sa.JSON),
            sa.column("after", sa.JSON),
        )
        connection.execute(
            events.insert().values(
                created_at="2025-03-01 08:00:00",
                actor_label="admin",
                action="session.create",
                entity_type="session",
                before=None,
                after={"title": "Học tập", "checkin_secret": "s" * 64},
            )
        )
    migrations.upgrade(scratch_engine)
    with scratch_engine.connect() as connection:
        key = connection.execute(sa.text("SELECT sort_name FROM participant")).scalar_one()
        after = connection.execute(sa.select(events.c.after)).scalar_one()
    assert key == name_sort_key("Đỗ Thị Ánh")
    assert after == {"title": "Học tập"}


def test_tokens_without_expiry_get_one_and_the_column_becomes_required(scratch_engine):
    """The data migration 0017 on tokens made before it, one of them named in the audit trail."""
    migrations.upgrade(scratch_engine, "0012")
    made = "2025-03-01 08:00:00"
    with scratch_engine.begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO organization (code, name, kind, path, depth, abbreviation,"
                " created_at, updated_at) VALUES ('pgd', 'Phòng', 'district', '/1/', 0, 'PGD',"
                " :t, :t)"
            ),
            {"t": made},
        )
        connection.execute(
            sa.text(
                "INSERT INTO user_account (username, display_name, password_hash, is_active,"
                " created_at, updated_at) VALUES ('quantri', 'Quản trị', 'x', true, :t, :t)"
            ),
            {"t": made},
        )
        tokens = sa.table(
            "api_token",
            sa.column("id", sa.Integer),
            sa.column("organization_id"),
            sa.column("created_by_id"),
            sa.column("name"),
            sa.column("token_hash"),
            sa.column("token_prefix"),
            sa.column("scopes", sa.JSON),
            sa.column("created_at", UTCDateTime(timezone=True)),
            sa.column("expires_at", UTCDateTime(timezone=True)),
        )
        dated = datetime(2025, 6, 30, 12, tzinfo=UTC)
        for name, expires_at in [("never", None), ("dated", dated)]:
            connection.execute(
                tokens.insert().values(
                    organization_id=1,
                    created_by_id=1,
                    name=name,
                    token_hash=name * 8,
                    token_prefix=name,
                    scopes=["reports:read"],
                    created_at=datetime(2025, 3, 1, 8, tzinfo=UTC),
                    expires_at=expires_at,
                )
            )
        connection.execute(
            sa.text(
                "INSERT INTO audit_event (created_at, actor_token_id, actor_label, action,"
                " entity_type) VALUES (:t, 1, 'token:never', 'report.read', 'plan')"
            ),
            {"t": made},
        )
    before_upgrade = datetime.now(UTC)
    migrations.upgrade(scratch_engine)
    with scratch_engine.connect() as connection:
        expiry = dict(connection.execute(sa.select(tokens.c.name, tokens.c.expires_at)).all())
        trail = connection.execute(sa.text("SELECT actor_token_id FROM audit_event")).scalar()
    assert expiry["dated"] == dated
    assert before_upgrade + timedelta(days=365) <= expiry["never"]
    assert expiry["never"] <= datetime.now(UTC) + timedelta(days=365)
    assert trail == 1
    assert not _column(scratch_engine, "api_token", "expires_at")["nullable"]

    migrations.downgrade(scratch_engine, "0012")
    assert _column(scratch_engine, "api_token", "expires_at")["nullable"]
    with scratch_engine.connect() as connection:
        kept = dict(connection.execute(sa.select(tokens.c.name, tokens.c.expires_at)).all())
    assert kept == expiry


def _column(engine, table: str, name: str) -> dict:
    return next(c for c in sa.inspect(engine).get_columns(table) if c["name"] == name)

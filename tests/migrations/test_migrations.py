"""Migrations run clean both ways on each database, and agree with the models."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

from app.core import migrations
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


def test_links_named_on_earlier_rows_stay_empty_and_one_live_confirmation_holds(scratch_engine):
    """0014 copies `acknowledgement` on SQLite: its rows stay (no link to name), and the
    partial index still refuses a second live confirmation while it takes a withdrawn one."""
    from tests.migrations.test_upgrade_with_data import fill

    migrations.upgrade(scratch_engine, "0012")
    with scratch_engine.begin() as connection:
        fill(connection)
    migrations.upgrade(scratch_engine)
    with scratch_engine.begin() as connection:
        metadata = sa.MetaData()
        metadata.reflect(connection, only=["acknowledgement", "attendance"])
        acknowledgements = metadata.tables["acknowledgement"]
        row = connection.execute(sa.select(acknowledgements)).mappings().one()
        attendance = connection.execute(sa.select(metadata.tables["attendance"])).mappings().one()
        assert (row["link_id"], row["reflection_link_id"], attendance["link_id"]) == (None,) * 3
        again = {key: value for key, value in row.items() if key != "id"}
        withdrawn = again | {"withdrawn_at": row["confirmed_at"]}
        connection.execute(acknowledgements.insert().values(withdrawn))
        with pytest.raises(sa.exc.IntegrityError), connection.begin_nested():
            connection.execute(acknowledgements.insert().values(again))

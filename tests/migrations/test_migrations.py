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

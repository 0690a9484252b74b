"""Upgrading from every earlier revision with data in every table loses nothing.

At each revision a row goes into every table that has none (values made from the column
types, foreign keys pointing at rows already there); the next upgrade must keep every row.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from app.core import migrations
from app.core.config import Settings
from app.core.db import create_db_engine
from tests.support import backend_names, scratch_database


def _value(table: sa.Table, column: sa.Column, connection: sa.Connection):
    if column.foreign_keys:
        target = next(iter(column.foreign_keys)).column
        if target.table.name == table.name:
            return None
        return connection.execute(sa.select(target).limit(1)).scalar()
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return False
    if isinstance(kind, sa.Integer):
        return 1
    if isinstance(kind, sa.DateTime):
        return datetime(2025, 3, 1, 8, tzinfo=UTC)
    if isinstance(kind, sa.Date):
        return date(2025, 3, 1)
    if isinstance(kind, sa.JSON):
        return []
    if isinstance(kind, sa.String):
        return f"{table.name[:8]}-{column.name}"[: kind.length or 40]
    return None


def fill(connection: sa.Connection) -> None:
    metadata = sa.MetaData()
    metadata.reflect(connection)
    for table in metadata.sorted_tables:
        if table.name == "alembic_version":
            continue
        if connection.execute(sa.select(sa.func.count()).select_from(table)).scalar():
            continue
        required, optional_links = {}, []
        for column in table.columns:
            generated = (
                column.primary_key
                and isinstance(column.type, sa.Integer)
                and not column.foreign_keys
            )
            if generated:
                continue
            if column.nullable:
                if column.foreign_keys:
                    optional_links.append(column)
                continue
            required[column.name] = _value(table, column, connection)
        # Some tables need one of their optional links (a task's assignee): try each in turn.
        attempts = [required] + [
            required | {c.name: _value(table, c, connection)} for c in optional_links
        ]
        for attempt in attempts:
            try:
                with connection.begin_nested():
                    connection.execute(table.insert().values(**attempt))
                break
            except sa.exc.IntegrityError:
                continue


def counts(connection: sa.Connection) -> dict[str, int]:
    metadata = sa.MetaData()
    metadata.reflect(connection)
    return {
        name: connection.execute(sa.select(sa.func.count()).select_from(table)).scalar()
        for name, table in metadata.tables.items()
        if name != "alembic_version"
    }


@pytest.mark.parametrize("backend", backend_names())
def test_upgrade_through_every_revision_keeps_the_data(backend, tmp_path):
    script = ScriptDirectory.from_config(migrations.alembic_config())
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    assert len(revisions) >= 2
    with scratch_database(tmp_path, backend) as url:
        engine = create_db_engine(Settings(database_url=url, data_dir=tmp_path, _env_file=None))
        try:
            for revision in revisions:
                with engine.connect() as connection:
                    before = counts(connection)
                migrations.upgrade(engine, revision)
                with engine.begin() as connection:
                    after = counts(connection)
                    lost = {name: n for name, n in before.items() if after.get(name, 0) < n}
                    assert not lost, f"rows lost going up to {revision}: {lost}"
                    fill(connection)
                    assert all(counts(connection).values()), f"a table stayed empty at {revision}"
            migrations.downgrade(engine, "base")
            assert set(sa.inspect(engine).get_table_names()) <= {"alembic_version"}
        finally:
            engine.dispose()

"""`lantoa backup` then `lantoa restore` into an empty database gives identical tables."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from app.core import migrations
from app.core.config import Settings
from app.core.db import create_db_engine
from app.demo.loader import load_demo
from tests.support import ROOT, backend_names, scratch_database

pytestmark = pytest.mark.live


def lantoa(url: str, data_dir, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args], env=env, cwd=ROOT, capture_output=True, text=True
    )


def tables(url: str, data_dir) -> dict[str, list[tuple]]:
    engine = create_db_engine(Settings(database_url=url, data_dir=data_dir, _env_file=None))
    try:
        metadata = sa.MetaData()
        metadata.reflect(engine)
        with engine.connect() as connection:
            return {
                name: sorted(tuple(map(repr, row)) for row in connection.execute(sa.select(table)))
                for name, table in metadata.tables.items()
            }
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend", backend_names())
def test_backup_restores_identical_tables(backend, tmp_path):
    with (
        scratch_database(tmp_path, backend) as source,
        scratch_database(tmp_path, backend) as target,
    ):
        engine = create_db_engine(Settings(database_url=source, data_dir=tmp_path, _env_file=None))
        migrations.upgrade(engine)
        with Session(engine) as db:
            load_demo(db)
        engine.dispose()
        original = tables(source, tmp_path)
        assert sum(len(rows) for rows in original.values()) > 250

        file = tmp_path / "lantoa.backup"
        made = lantoa(source, tmp_path, "backup", str(file))
        assert made.returncode == 0, made.stderr
        restored = lantoa(target, tmp_path, "restore", str(file), "--yes")
        assert restored.returncode == 0, restored.stderr
        assert tables(target, tmp_path) == original

        # Restoring over a database that has changed since brings it back too.
        engine = create_db_engine(Settings(database_url=target, data_dir=tmp_path, _env_file=None))
        with engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM audit_event"))
        engine.dispose()
        assert lantoa(target, tmp_path, "restore", str(file), "--yes").returncode == 0
        assert tables(target, tmp_path) == original


def test_restore_refuses_a_file_that_is_no_backup(tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database")
    result = lantoa(f"sqlite:///{tmp_path / 'x.sqlite3'}", tmp_path, "restore", str(bogus), "--yes")
    assert result.returncode == 2 and "not a SQLite database" in result.stderr

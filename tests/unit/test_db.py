from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import SQLModel

from app.core.config import Settings
from app.core.db import create_db_engine


def test_sqlite_connections_use_wal_foreign_keys_and_busy_timeout(tmp_path):
    settings = Settings(data_dir=tmp_path, database_url="", _env_file=None)
    engine = create_db_engine(settings)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
    engine.dispose()


def test_sqlite_savepoints_roll_back_inside_a_transaction(tmp_path):
    engine = create_db_engine(Settings(data_dir=tmp_path, database_url="", _env_file=None))
    with engine.connect() as connection:
        connection.exec_driver_sql("CREATE TABLE t (x INTEGER)")
        connection.commit()
        with connection.begin():
            connection.exec_driver_sql("INSERT INTO t VALUES (1)")
            savepoint = connection.begin_nested()
            connection.exec_driver_sql("INSERT INTO t VALUES (2)")
            savepoint.rollback()
        assert connection.exec_driver_sql("SELECT x FROM t").scalars().all() == [1]
    engine.dispose()


def test_constraint_names_follow_the_convention():
    from app.models import import_all_models

    import_all_models()
    for table in SQLModel.metadata.tables.values():
        assert table.primary_key.name == f"pk_{table.name}"
        for fk in table.foreign_key_constraints:
            assert isinstance(fk.name, str) and fk.name.startswith("fk_")
        for constraint in table.constraints:
            if isinstance(constraint, sa.UniqueConstraint):
                assert constraint.name.startswith("uq_")

"""Backups: SQLite's online backup API for the embedded database, pg_dump for PostgreSQL.

A restore replaces the whole target database with the backup; stop the app first.
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from app.core.config import Settings


class BackupError(Exception):
    pass


def _sqlite_file(settings: Settings) -> Path:
    database = make_url(settings.sqlalchemy_url).database
    if not database or database == ":memory:":
        raise BackupError("The SQLite database must be a file.")
    return Path(database)


def _libpq_url(settings: Settings) -> str:
    return (
        make_url(settings.sqlalchemy_url)
        .set(drivername="postgresql")
        .render_as_string(hide_password=False)
    )


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return found


def backup(settings: Settings, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    if settings.is_sqlite:
        source = sqlite3.connect(_sqlite_file(settings))
        destination = sqlite3.connect(target)
        try:
            with destination:
                source.backup(destination)  # consistent even while the app writes
        finally:
            destination.close()
            source.close()
        return target
    subprocess.run(
        [
            _tool("pg_dump"),
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            f"--file={target}",
            _libpq_url(settings),
        ],
        check=True,
        capture_output=True,
    )
    return target


def restore(settings: Settings, source: Path) -> None:
    if not source.is_file():
        raise BackupError(f"No backup file at {source}.")
    if settings.is_sqlite:
        backup_db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            tables = {
                r[0] for r in backup_db.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            if "alembic_version" not in tables:
                raise BackupError(f"{source} is not a Lan Tỏa SQLite backup.")
            target_file = _sqlite_file(settings)
            target_file.parent.mkdir(parents=True, exist_ok=True)
            target = sqlite3.connect(target_file)
            try:
                backup_db.backup(target)
            finally:
                target.close()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"{source} is not a SQLite database: {error}") from error
        finally:
            backup_db.close()
        return
    result = subprocess.run(
        [
            _tool("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            f"--dbname={_libpq_url(settings)}",
            str(source),
        ],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()[-500:]}")

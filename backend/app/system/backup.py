"""Backups: one tar archive holding the database and the uploaded files.

```
lantoa-backup.json          {"format": 1, "database": "sqlite" | "postgresql", "created_at": …}
database.sqlite3            SQLite's online backup of the embedded database, or
database.dump               pg_dump's custom format for PostgreSQL
uploads/<storage key>       every uploaded file (materials, task evidence), as stored
```

The files come from the storage in use (`app.files.storage`: DATA_DIR/uploads, or the S3
bucket STORAGE_URL names) and go back into it: an archive made from one restores into the
other. The database is copied first, then the files: a file is written before its row
commits, so every file the copied database names is there to copy (a few newer ones may come
along). A restore replaces the whole target database and every stored file; stop the app
first. A database-only file from before these archives still restores (files untouched).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from app.core.config import Settings
from app.core.db import create_db_engine
from app.core.errors import ProblemError
from app.files.storage import KEY, Storage, make_storage
from app.reports.models import RollupFigures

FORMAT = 1
MANIFEST = "lantoa-backup.json"
UPLOADS = "uploads"
_DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.dump"}
_UPLOAD_MEMBER = re.compile(rf"{UPLOADS}/({KEY.pattern})")


class BackupError(Exception):
    pass


def _kind(settings: Settings) -> str:
    return "sqlite" if settings.is_sqlite else "postgresql"


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


def _dump_database(settings: Settings, target: Path) -> None:
    if settings.is_sqlite:
        source = sqlite3.connect(_sqlite_file(settings))
        destination = sqlite3.connect(target)
        try:
            with destination:
                source.backup(destination)  # consistent even while the app writes
        finally:
            destination.close()
            source.close()
        return
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


def backup(settings: Settings, target: Path) -> Path:
    """Write the archive to `target` (through a temporary name: no half-written backups)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    kind = _kind(settings)
    partial = target.with_name(target.name + ".partial")
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".backup-") as work:
        database = Path(work) / _DATABASE_MEMBERS[kind]
        _dump_database(settings, database)
        files = _stored_files(make_storage(settings), Path(work) / UPLOADS)
        manifest = {
            "format": FORMAT,
            "database": kind,
            "created_at": datetime.now(UTC).isoformat(),
            "files": len(files),
        }
        try:
            with tarfile.open(partial, "w") as archive:
                _add_bytes(archive, MANIFEST, json.dumps(manifest, indent=2).encode())
                archive.add(database, arcname=database.name)
                for path in files:
                    archive.add(path, arcname=f"{UPLOADS}/{path.name}")
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    return target


def _stored_files(storage: Storage, work: Path) -> list[Path]:
    """Every stored file as a local file: those in the data folder where they are, an
    object store's copied into `work` one by one (never all in memory)."""
    files = []
    with _store_errors():
        for key in storage.all_keys():
            body = storage.open(key)
            if body is None:
                continue  # removed since the listing (anonymised evidence)
            if isinstance(body, Path):
                files.append(body)
                continue
            work.mkdir(exist_ok=True)
            with (work / key).open("wb") as out:
                for chunk in body:
                    out.write(chunk)
            files.append(work / key)
    return files


@contextmanager
def _store_errors() -> Iterator[None]:
    try:
        yield
    except ProblemError as error:  # the object store unreachable or refusing
        raise BackupError(error.detail) from error


def _add_bytes(archive: tarfile.TarFile, name: str, content: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(content)
    info.mtime = int(datetime.now(UTC).timestamp())
    archive.addfile(info, BytesIO(content))


def restore(settings: Settings, source: Path) -> int | None:
    """Restore the database and the files; the number of files, None for a database-only
    backup (made before archives: the stored files are left as they are)."""
    if not source.is_file():
        raise BackupError(f"No backup file at {source}.")
    if not tarfile.is_tarfile(source):
        _restore_database(settings, source)
        return None
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    storage = make_storage(settings)
    with tempfile.TemporaryDirectory(dir=settings.data_dir, prefix=".restore-") as work:
        database, uploads = _unpack(settings, source, Path(work))
        with _store_errors():
            stale = set(storage.all_keys())  # an unreachable store stops it before any change
        _restore_database(settings, database)
        files = sorted(uploads.iterdir())
        with _store_errors():
            _replace_uploads(storage, files, stale)
    return len(files)


def _unpack(settings: Settings, source: Path, work: Path) -> tuple[Path, Path]:
    """Check every member before writing any, then write each to a path of our own making:
    a name in the archive never chooses where a file lands (no `../`, no links)."""
    try:
        with tarfile.open(source) as archive:
            members = archive.getmembers()
            manifest = _manifest(archive, source)
            if manifest["database"] != _kind(settings):
                raise BackupError(
                    f"{source} holds a {manifest['database']} database; "
                    f"DATABASE_URL points at {_kind(settings)}."
                )
            database_member = _DATABASE_MEMBERS[manifest["database"]]
            wanted: dict[tarfile.TarInfo, Path] = {}
            uploads = work / UPLOADS
            for member in members:
                if member.name == MANIFEST:
                    continue
                if member.name == database_member and member.isfile():
                    wanted[member] = work / database_member
                elif member.isfile() and (match := _UPLOAD_MEMBER.fullmatch(member.name)):
                    wanted[member] = uploads / match.group(1)
                else:
                    raise BackupError(f"{source}: unexpected entry {member.name!r}.")
            if work / database_member not in wanted.values():
                raise BackupError(f"{source} holds no database.")
            if len(wanted) - 1 != manifest.get("files"):
                raise BackupError(f"{source} is incomplete: {manifest.get('files')} files listed.")
            uploads.mkdir()
            for member, path in wanted.items():
                with archive.extractfile(member) as content, path.open("wb") as out:
                    shutil.copyfileobj(content, out)
    except tarfile.TarError as error:
        raise BackupError(f"{source} is not a Lan Tỏa backup: {error}") from error
    return work / database_member, uploads


def _manifest(archive: tarfile.TarFile, source: Path) -> dict:
    try:
        member = archive.getmember(MANIFEST)
        manifest = json.load(archive.extractfile(member))
    except (KeyError, AttributeError, ValueError) as error:
        raise BackupError(f"{source} is not a Lan Tỏa backup (no {MANIFEST}).") from error
    if manifest.get("format") != FORMAT or manifest.get("database") not in _DATABASE_MEMBERS:
        raise BackupError(f"{source}: unknown backup format {manifest.get('format')!r}.")
    return manifest


def _replace_uploads(storage: Storage, restored: list[Path], stale: set[str]) -> None:
    """Make the storage hold exactly the restored files: each written, then the others
    removed."""
    for path in restored:
        with path.open("rb") as content:
            storage.put(path.name, content)
    for key in stale - {path.name for path in restored}:
        storage.delete(key)


def _restore_database(settings: Settings, source: Path) -> None:
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
    # The roll-up's kept counts are a copy, marked with the transaction ids of the cluster the
    # dump came from, which mean nothing here (app.reports.rollup_cache): counted again.
    engine = create_db_engine(settings)
    try:
        with engine.begin() as connection:
            connection.execute(sa.delete(RollupFigures))
    finally:
        engine.dispose()

"""`lantoa backup` then `lantoa restore` gives identical tables and identical uploaded files."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from app.core import migrations
from app.core.config import Settings
from app.core.db import create_db_engine, unit_of_work
from app.demo.loader import DEMO_PASSWORD, load_demo
from tests.object_store import SeaweedS3
from tests.support import ROOT, LiveServer, backend_names, scratch_database

pytestmark = pytest.mark.live

PDF = b"%PDF-1.4\n% Ke hoach hoc tap Nghi quyet 57\n" + bytes(range(256)) * 40
PNG = b"\x89PNG\r\n\x1a\n" + b"anh minh chung" * 500


def lantoa(
    url: str, data_dir: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": url, "DATA_DIR": str(data_dir), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "app.cli", *args], env=env, cwd=ROOT, capture_output=True, text=True
    )


def tables(url: str, data_dir: Path) -> dict[str, list[tuple]]:
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


def uploads(data_dir: Path) -> dict[str, bytes]:
    folder = data_dir / "uploads"
    return {p.name: p.read_bytes() for p in folder.iterdir()} if folder.is_dir() else {}


def upload_a_material_and_evidence(server: LiveServer) -> None:
    """As the school's admin would: a PDF for the plan, a photo as a task's evidence."""
    token = httpx.post(
        f"{server.url}/api/v1/auth/login",
        json={"username": "hieutruong", "password": DEMO_PASSWORD},
    ).json()["access_token"]
    with httpx.Client(
        base_url=f"{server.url}/api/v1", headers={"Authorization": f"Bearer {token}"}
    ) as api:
        school = api.get("/me").json()["roles"][0]["organization_id"]
        plan = api.get("/plans", params={"org_id": school, "status": "active"}).json()["items"][0]
        material = api.post(
            f"/plans/{plan['id']}/materials/file",
            files={"file": ("ke-hoach.pdf", PDF, "application/pdf")},
            data={"title": "Kế hoạch (bản scan)"},
        )
        assert material.status_code == 201, material.text
        task = api.get("/tasks", params={"plan_id": plan["id"], "status": "todo"}).json()
        evidence = api.post(
            f"/tasks/{task['items'][0]['id']}/evidence/file",
            files={"file": ("minh-chung.png", PNG, "image/png")},
        )
        assert evidence.status_code == 201, evidence.text


@pytest.mark.parametrize("backend", backend_names())
def test_backup_restores_identical_tables_and_files(backend, tmp_path):
    source_dir, target_dir = tmp_path / "source", tmp_path / "target"
    source_dir.mkdir()
    target_dir.mkdir()
    with (
        scratch_database(source_dir, backend) as source,
        scratch_database(target_dir, backend) as target,
    ):
        server = LiveServer(source, source_dir, serve_args=["--demo"]).start()
        try:
            upload_a_material_and_evidence(server)
        finally:
            server.stop()
        original = tables(source, source_dir)
        assert sum(len(rows) for rows in original.values()) > 250
        files = uploads(source_dir)
        assert PDF in files.values() and PNG in files.values()

        file = tmp_path / "lantoa.tar"
        made = lantoa(source, source_dir, "backup", str(file))
        assert made.returncode == 0, made.stderr
        with tarfile.open(file) as archive:
            names = set(archive.getnames())
            manifest = json.load(archive.extractfile("lantoa-backup.json"))
        database = "database.sqlite3" if backend == "sqlite" else "database.dump"
        assert names == {"lantoa-backup.json", database} | {f"uploads/{n}" for n in files}
        assert manifest["files"] == len(files)

        restored = lantoa(target, target_dir, "restore", str(file), "--yes")
        assert restored.returncode == 0, restored.stderr
        assert tables(target, target_dir) == original
        assert uploads(target_dir) == files

        # Restoring over a database and a folder that have changed since brings both back.
        engine = create_db_engine(
            Settings(database_url=target, data_dir=target_dir, _env_file=None)
        )
        with engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM audit_event"))
        engine.dispose()
        (target_dir / "uploads" / "la.pdf").write_bytes(b"%PDF stray")
        next(iter((target_dir / "uploads").iterdir())).unlink()
        assert lantoa(target, target_dir, "restore", str(file), "--yes").returncode == 0
        assert tables(target, target_dir) == original
        assert uploads(target_dir) == files


def test_backup_and_restore_with_the_files_in_s3(tmp_path, s3_server: SeaweedS3):
    """The objects go into the archive and back into the bucket; the same archive restores
    into a data folder too."""
    source_dir, target_dir, local_dir = tmp_path / "source", tmp_path / "target", tmp_path / "local"
    for folder in (source_dir, target_dir, local_dir):
        folder.mkdir()
    source_env, target_env = s3_server.env("source"), s3_server.env("target")
    source, target = (f"sqlite:///{d / 'lantoa.sqlite3'}" for d in (source_dir, target_dir))
    server = LiveServer(source, source_dir, serve_args=["--demo"], **source_env).start()
    try:
        upload_a_material_and_evidence(server)
    finally:
        server.stop()
    assert not (source_dir / "uploads").exists()  # nothing went to the folder
    in_source = s3_server.storage("source")
    files = {key: b"".join(in_source.open(key)) for key in in_source.all_keys()}
    assert sorted(files.values()) == sorted([PDF, PNG])

    file = tmp_path / "lantoa.tar"
    made = lantoa(source, source_dir, "backup", str(file), env=source_env)
    assert made.returncode == 0, made.stderr
    with tarfile.open(file) as archive:
        assert {n for n in archive.getnames() if n.startswith("uploads/")} == {
            f"uploads/{key}" for key in files
        }

    in_target = s3_server.storage("target")
    in_target.put("stray.pdf", b"%PDF stray")  # in the bucket before: gone after the restore
    restored = lantoa(target, target_dir, "restore", str(file), "--yes", env=target_env)
    assert restored.returncode == 0, restored.stderr
    assert "into s3://lantoa/target/" in restored.stdout
    assert tables(target, target_dir) == tables(source, source_dir)
    assert {key: b"".join(in_target.open(key)) for key in in_target.all_keys()} == files
    assert in_source.all_keys() == sorted(files)  # the source's prefix untouched

    into_folder = lantoa(
        f"sqlite:///{local_dir / 'lantoa.sqlite3'}", local_dir, "restore", str(file), "--yes"
    )
    assert into_folder.returncode == 0, into_folder.stderr
    assert uploads(local_dir) == files

    # A store that refuses the keys stops the restore before the database changes.
    engine = create_db_engine(Settings(database_url=target, data_dir=target_dir, _env_file=None))
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM audit_event"))
    engine.dispose()
    refused = lantoa(
        target,
        target_dir,
        "restore",
        str(file),
        "--yes",
        env={**target_env, "S3_SECRET_ACCESS_KEY": "wrong"},
    )
    assert refused.returncode == 2 and "từ chối truy cập" in refused.stderr, refused.stderr
    assert tables(target, target_dir)["audit_event"] == []
    wrong = {**source_env, "S3_SECRET_ACCESS_KEY": "wrong"}
    unmade = lantoa(source, source_dir, "backup", str(tmp_path / "no.tar"), env=wrong)
    assert unmade.returncode == 2 and "từ chối truy cập" in unmade.stderr, unmade.stderr
    assert not (tmp_path / "no.tar").exists()


def test_a_database_only_backup_from_before_archives_still_restores(tmp_path):
    source = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    settings = Settings(database_url=source, data_dir=tmp_path, _env_file=None)
    engine = create_db_engine(settings)
    migrations.upgrade(engine)
    engine.dispose()
    with unit_of_work(settings) as db:
        load_demo(db)
    old_backup = tmp_path / "lantoa-20251201.sqlite3"
    with sqlite3.connect(tmp_path / "source.sqlite3") as live, sqlite3.connect(old_backup) as copy:
        live.backup(copy)
    target_dir = tmp_path / "target"
    (target_dir / "uploads").mkdir(parents=True)
    (target_dir / "uploads" / "kept.pdf").write_bytes(PDF)
    target = f"sqlite:///{target_dir / 'lantoa.sqlite3'}"
    result = lantoa(target, target_dir, "restore", str(old_backup), "--yes")
    assert result.returncode == 0, result.stderr
    assert "database-only" in result.stdout
    assert tables(target, target_dir) == tables(source, tmp_path)
    assert uploads(target_dir) == {"kept.pdf": PDF}


def test_restore_refuses_a_file_that_is_no_backup(tmp_path):
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database")
    result = lantoa(f"sqlite:///{tmp_path / 'x.sqlite3'}", tmp_path, "restore", str(bogus), "--yes")
    assert result.returncode == 2 and "not a SQLite database" in result.stderr


def _member(name: str, content: bytes = b"x", kind: bytes = tarfile.REGTYPE) -> tuple:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.size = len(content) if kind == tarfile.REGTYPE else 0
    if kind == tarfile.SYMTYPE:
        info.linkname = "/etc/passwd"
    return info, io.BytesIO(content)


def _manifest(database: str = "sqlite", files: int = 1) -> tuple:
    return _member(
        "lantoa-backup.json",
        json.dumps({"format": 1, "database": database, "files": files}).encode(),
    )


@pytest.mark.parametrize(
    ("members", "message"),
    [
        ([_member("database.sqlite3"), _member("uploads/a.pdf")], "not a Lan Tỏa backup"),
        (
            [_manifest(), _member("database.sqlite3"), _member("uploads/../../escaped.pdf")],
            "unexpected entry",
        ),
        (
            [_manifest(), _member("database.sqlite3"), _member("/tmp/escaped.pdf")],
            "unexpected entry",
        ),
        (
            [
                _manifest(),
                _member("database.sqlite3"),
                _member("uploads/a.pdf", b"", tarfile.SYMTYPE),
            ],
            "unexpected entry",
        ),
        ([_manifest(), _member("uploads/a.pdf")], "holds no database"),
        ([_manifest(files=2), _member("database.sqlite3"), _member("uploads/a.pdf")], "incomplete"),
        (
            [_manifest("postgresql"), _member("database.dump"), _member("uploads/a.pdf")],
            "holds a postgresql database",
        ),
    ],
    ids=["no-manifest", "dot-dot", "absolute", "link", "no-database", "short", "other-database"],
)
def test_restore_refuses_a_wrong_archive_and_changes_nothing(tmp_path, members, message):
    bad = tmp_path / "bad.tar"
    with tarfile.open(bad, "w") as archive:
        for info, content in members:
            archive.addfile(info, content if info.isfile() else None)
    data_dir = tmp_path / "data"
    (data_dir / "uploads").mkdir(parents=True)
    (data_dir / "uploads" / "kept.pdf").write_bytes(PDF)
    result = lantoa(f"sqlite:///{data_dir / 'x.sqlite3'}", data_dir, "restore", str(bad), "--yes")
    assert result.returncode == 2 and message in result.stderr, result.stderr
    assert uploads(data_dir) == {"kept.pdf": PDF}
    assert sorted(p.name for p in data_dir.iterdir()) == ["uploads"]
    assert not (tmp_path / "escaped.pdf").exists()

"""The `lantoa` command as an administrator runs it, against a real database."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.support import ROOT, scratch_database


@pytest.fixture
def lantoa(tmp_path):
    with scratch_database(tmp_path) as url:
        env = {**os.environ, "DATABASE_URL": url, "DATA_DIR": str(tmp_path)}

        def run(*args: str) -> subprocess.CompletedProcess[str]:
            return subprocess.run(
                [sys.executable, "-m", "app.cli", *args],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
            )

        assert run("migrate").returncode == 0
        yield run


ADMIN = [
    "create-admin",
    "--username",
    "HieuTruong",
    "--password",
    "mat-khau-cli-1",
    "--org",
    "th-cli",
    "--org-name",
    "Trường Tiểu học CLI",
    "--abbreviation",
    "thcli",
]


def test_create_admin_creates_the_school_and_is_repeatable(lantoa):
    first = lantoa(*ADMIN)
    assert first.returncode == 0, first.stderr
    assert "Created admin 'hieutruong' of th-cli" in first.stdout
    second = lantoa(*ADMIN)
    assert second.returncode == 0 and "Updated admin" in second.stdout


def test_create_admin_refuses_a_short_password_and_an_unknown_org(lantoa):
    short = lantoa(
        "create-admin",
        "--username",
        "a",
        "--password",
        "ngan",
        "--org",
        "x",
        "--org-name",
        "X",
        "--abbreviation",
        "X",
    )
    assert short.returncode == 2 and "at least 8" in short.stderr
    unknown = lantoa(
        "create-admin", "--username", "a", "--password", "mat-khau-dai", "--org", "khong-co"
    )
    assert unknown.returncode == 2 and "khong-co" in unknown.stderr


def test_import_staff_dry_run_then_real(lantoa, tmp_path):
    assert lantoa(*ADMIN).returncode == 0
    good = tmp_path / "ds.csv"
    good.write_text(
        "Họ và tên,Mã cán bộ,Tổ/Bộ phận\nNguyễn Thị Mai,GV001,Tổ 1\n", encoding="utf-8-sig"
    )
    dry = lantoa("import-staff", str(good), "--org", "th-cli", "--dry-run")
    assert dry.returncode == 0 and "Would create 1" in dry.stdout and "Tổ 1" in dry.stdout
    real = lantoa("import-staff", str(good), "--org", "th-cli")
    assert real.returncode == 0 and "Created 1" in real.stdout
    again = lantoa("import-staff", str(good), "--org", "th-cli", "--dry-run")
    assert "unchanged 1" in again.stdout


def test_import_staff_with_bad_rows_saves_nothing(lantoa, tmp_path):
    assert lantoa(*ADMIN).returncode == 0
    bad = tmp_path / "ds.csv"
    bad.write_text(
        "Họ và tên,Mã cán bộ,Email\nA,GV001,a@\nB,GV002,b@example.vn\n", encoding="utf-8"
    )
    result = lantoa("import-staff", str(bad), "--org", "th-cli")
    assert result.returncode == 2 and "row 2" in result.stderr
    dry = lantoa("import-staff", str(bad), "--org", "th-cli", "--dry-run")
    assert "Would create 1" in dry.stdout  # the good row only, and still nothing saved

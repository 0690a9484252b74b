"""Retention (issue 19, item 5): people inactive for longer than their organisation keeps
data (its own setting, else the nearest above) are anonymised by the daily job and by
`lantoa anonymize-inactive`; a dry run only lists them; a second run finds nobody."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Session
from typer.testing import CliRunner

from app import cli
from app.core.config import Settings, use_settings
from app.jobs import engine as jobs_engine
from app.people.models import Participant
from app.privacy import jobs as privacy_jobs
from app.privacy.models import RetentionPolicy
from app.privacy.retention import due
from tests.factories import make_org, make_participant

NOW = datetime(2026, 12, 5, 3, 0, tzinfo=UTC)


def _people(engine) -> dict[str, int]:
    """A district keeping data 5 years; a school under it that keeps it forever, another that
    follows the district; people who left at several times."""
    with Session(engine, expire_on_commit=False) as db:
        district = make_org(db, "pgd", "Phòng GDĐT", kind="district")
        keeps = make_org(db, "th-a", "Trường A", district)
        follows = make_org(db, "th-b", "Trường B", district)
        db.add(RetentionPolicy(organization_id=district.id, inactive_years=5))
        db.add(RetentionPolicy(organization_id=keeps.id, inactive_years=None))
        people = {
            "left_6y": make_participant(db, follows, "Lê Văn Sáu", "B1", active=False),
            "left_4y": make_participant(db, follows, "Lê Văn Bốn", "B2", active=False),
            "kept": make_participant(db, keeps, "Trần Thị Giữ", "A1", active=False),
            "working": make_participant(db, follows, "Phạm Văn Làm", "B3"),
        }
        people["left_6y"].deactivated_at = datetime(2020, 6, 1, tzinfo=UTC)
        people["left_4y"].deactivated_at = datetime(2022, 6, 1, tzinfo=UTC)
        people["kept"].deactivated_at = datetime(2010, 6, 1, tzinfo=UTC)
        db.commit()
        return {key: p.id for key, p in people.items()}


def _names(engine) -> dict[int, str]:
    with Session(engine) as db:
        return dict(db.exec(sa.select(Participant.id, Participant.full_name)).all())


def test_due_follows_the_nearest_setting(scratch_engine):
    ids = _people(scratch_engine)
    with Session(scratch_engine) as db:
        assert [(d.person.id, d.years) for d in due(db, NOW)] == [(ids["left_6y"], 5)]


def test_the_daily_job_anonymises_those_due_once(scratch_engine, scratch_url, tmp_path, use_jobs):
    ids = _people(scratch_engine)
    settings = Settings(database_url=scratch_url, data_dir=tmp_path, _env_file=None)
    use_jobs(settings)
    assert "app.privacy.jobs" in jobs_engine.TASK_MODULES
    daily = privacy_jobs.anonymize_inactive.s()
    assert daily.validate_datetime(datetime(2026, 12, 5, 20, 15))  # 03:15 in Vietnam
    assert not daily.validate_datetime(datetime(2026, 12, 5, 20, 16))
    privacy_jobs.anonymize_inactive.call_local()
    names = _names(scratch_engine)
    assert names[ids["left_6y"]] == f"Người đã ẩn danh #{ids['left_6y']}"
    assert names[ids["left_4y"]] == "Lê Văn Bốn" and names[ids["kept"]] == "Trần Thị Giữ"
    privacy_jobs.anonymize_inactive.call_local()  # the next day: nobody new
    with Session(scratch_engine) as db:
        reasons = db.exec(
            sa.text("SELECT after FROM audit_event WHERE action = 'participant.anonymize'")
        ).all()
    assert len(reasons) == 1 and "retention: 5 years" in str(reasons[0][0])


def test_the_command_lists_with_dry_run_then_anonymises(scratch_engine, scratch_url, tmp_path):
    ids = _people(scratch_engine)
    settings = Settings(database_url=scratch_url, data_dir=tmp_path, _env_file=None)
    previous = cli.current_settings()
    use_settings(settings)
    try:
        runner = CliRunner()
        listed = runner.invoke(cli.app, ["anonymize-inactive", "--dry-run"])
        assert listed.exit_code == 0, listed.output
        assert "Lê Văn Sáu" in listed.output and "giữ 5 năm" in listed.output
        assert "Lê Văn Bốn" not in listed.output and "Trần Thị Giữ" not in listed.output
        assert "1 người sẽ được ẩn danh" in listed.output
        assert _names(scratch_engine)[ids["left_6y"]] == "Lê Văn Sáu"
        done = runner.invoke(cli.app, ["anonymize-inactive"])
        assert done.exit_code == 0, done.output
        assert "1 người đã ẩn danh" in done.output and "Lê Văn Sáu" not in done.output
        assert f"Người đã ẩn danh #{ids['left_6y']}" in done.output
        again = runner.invoke(cli.app, ["anonymize-inactive"])
        assert "0 người đã ẩn danh" in again.output
    finally:
        use_settings(previous)
    assert _names(scratch_engine)[ids["left_6y"]] == f"Người đã ẩn danh #{ids['left_6y']}"

"""Several `send_due` at once, each in its own transaction on its own connection: every
reminder and notification is written once (the log's unique keys), on each database."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from app.core import migrations
from app.core.config import Settings
from app.core.db import create_db_engine, end_session, new_session
from app.reminders.models import Notification, Reminder
from app.reminders.sending import send_due
from tests.factories import at, build_world, make_participant, make_plan
from tests.support import backend_names, scratch_database

pytestmark = pytest.mark.live

PEOPLE = 60
RUNS = 4


@pytest.fixture(params=backend_names())
def engine(request, tmp_path):
    with scratch_database(tmp_path, request.param) as url:
        engine = create_db_engine(Settings(database_url=url, data_dir=tmp_path, _env_file=None))
        migrations.upgrade(engine)
        with Session(engine, expire_on_commit=False) as db:
            world = build_world(db)
            make_plan(db, world.school, period_start=date(2026, 12, 1), issued_on=date(2026, 11, 2))
            for i in range(PEOPLE):
                make_participant(db, world.school, f"Giáo viên {i}", f"P{i:03d}")
            db.commit()
        yield engine
        engine.dispose()


def _send(engine) -> int:
    db = new_session(engine)
    try:
        sent = send_due(db, at("2026-12-01"))
    except BaseException as error:
        end_session(db, error)
        raise
    end_session(db, None)
    return sent.reminders


def test_parallel_runs_send_each_reminder_once(engine):
    with ThreadPoolExecutor(RUNS) as pool:
        counts = list(pool.map(lambda _: _send(engine), range(RUNS)))
    everyone = PEOPLE + 3  # and the school's three staff of the world
    assert sorted(counts) == [0] * (RUNS - 1) + [everyone]
    with engine.connect() as c:
        assert c.execute(sa.select(sa.func.count()).select_from(Reminder)).scalar() == everyone
        notes = c.execute(sa.select(sa.func.count()).select_from(Notification)).scalar()
        assert notes == everyone  # on the due day nobody is behind yet: no digest

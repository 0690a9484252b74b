"""Against a live server: the same person anonymised by several requests at once, while her
personal link is being used — she is anonymised once, with one audit record, and her link
dies with it; no request fails with a 500."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import Session

from app.audit.models import AuditEvent
from app.core import migrations
from app.core.config import Settings
from app.core.db import create_db_engine
from app.links import service as links
from app.people.models import Participant
from tests.factories import build_world, make_participant, make_plan
from tests.live.test_parallel_confirmations import fire
from tests.support import LiveServer, backend_names, scratch_database

pytestmark = pytest.mark.live

AT_ONCE = 6


@pytest.fixture(params=backend_names())
def setup(request, tmp_path):
    with scratch_database(tmp_path, request.param) as url:
        engine = create_db_engine(Settings(database_url=url, data_dir=tmp_path, _env_file=None))
        migrations.upgrade(engine)
        with Session(engine, expire_on_commit=False) as db:
            world = build_world(db)
            plan = make_plan(db, world.school)
            leaver = make_participant(db, world.school, "Phạm Thị Lan", "GV099")
            token = links.issue_for_demo(db, leaver, "http://test").token
            leaver.active = False
            db.commit()
        server = LiveServer(url, tmp_path).start()
        try:
            yield server, engine, world, plan, leaver, token
        finally:
            server.stop()
            engine.dispose()


def test_one_of_many_simultaneous_anonymisations_does_it(setup):
    server, engine, world, plan, leaver, token = setup
    admin = world.headers("admin")
    body = {"reason": "Nghỉ hưu, hết thời hạn lưu trữ"}
    requests = [("POST", f"/api/v1/participants/{leaver.id}/anonymize", admin, body)] * AT_ONCE + [
        ("GET", f"/api/v1/links/{token}", {}, None)
    ] * AT_ONCE
    with ThreadPoolExecutor(1) as pool:
        responses = pool.submit(asyncio.run, fire(server.url, requests)).result()
    anonymised = [r.status_code for r in responses[:AT_ONCE]]
    assert sorted(anonymised) == [200] + [409] * (AT_ONCE - 1), [r.text for r in responses]
    # Her link answers her page until she is anonymised, and is dead from then on.
    opened = responses[AT_ONCE:]
    assert {r.status_code for r in opened} <= {200, 403, 404}, [r.text for r in opened]
    assert httpx.get(f"{server.url}/api/v1/links/{token}").status_code == 404
    with Session(engine) as db:
        stored = db.get(Participant, leaver.id)
        events = db.exec(
            sa.select(sa.func.count()).where(
                AuditEvent.action == "participant.anonymize",
                AuditEvent.entity_id == str(leaver.id),
            )
        ).one()[0]
    assert stored.full_name == f"Người đã ẩn danh #{leaver.id}" and events == 1

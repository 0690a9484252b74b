"""Many parallel confirmations for the same people give exactly one record each."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import Session

from app.acknowledgements.models import Acknowledgement
from app.core import migrations
from app.core.config import Settings
from app.core.db import create_db_engine
from tests.factories import build_world, make_plan
from tests.support import LiveServer, backend_names, scratch_database

pytestmark = pytest.mark.live

PER_PERSON = 40


@pytest.fixture(params=backend_names())
def setup(request, tmp_path):
    with scratch_database(tmp_path, request.param) as url:
        engine = create_db_engine(Settings(database_url=url, data_dir=tmp_path, _env_file=None))
        migrations.upgrade(engine)
        with Session(engine, expire_on_commit=False) as db:
            world = build_world(db)
            plan = make_plan(db, world.school)
            db.commit()
        server = LiveServer(url, tmp_path).start()
        try:
            yield server, engine, world, plan
        finally:
            server.stop()
            engine.dispose()


async def fire(base_url: str, requests: list[tuple[str, dict]]) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=len(requests))
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as client:
        return await asyncio.gather(
            *(client.post(path, headers=headers) for path, headers in requests)
        )


def test_parallel_confirmations_collapse_into_one_record(setup):
    server, engine, world, plan = setup
    manager = world.headers("manager")
    link = httpx.post(
        f"{server.url}/api/v1/participants/{world.colleague.id}/links", headers=manager
    )
    token = link.json()["token"]
    requests = [(f"/api/v1/plans/{plan.id}/acknowledgements", world.headers("member"))] * PER_PERSON
    requests += [(f"/api/v1/links/{token}/acknowledgements/{plan.id}", {})] * PER_PERSON
    with ThreadPoolExecutor(1) as pool:
        responses = pool.submit(asyncio.run, fire(server.url, requests)).result()
    statuses = sorted(r.status_code for r in responses)
    assert set(statuses) <= {200, 201}, statuses
    assert statuses.count(201) == 2
    with Session(engine) as db:
        rows = db.exec(
            sa.select(Acknowledgement.participant_id, sa.func.count())
            .where(Acknowledgement.plan_id == plan.id)
            .group_by(Acknowledgement.participant_id)
        ).all()
    assert dict(rows) == {world.teacher.id: 1, world.colleague.id: 1}

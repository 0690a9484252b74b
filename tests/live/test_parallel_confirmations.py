"""Against a live server: 200 parallel confirmations for 100 people, with parallel attendance
marks, task updates and page opens beside them — nothing lost, nothing duplicated, no 500."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import sqlalchemy as sa
from sqlmodel import Session

from app.acknowledgements.models import Acknowledgement
from app.core import migrations
from app.core.config import Settings
from app.core.db import create_db_engine
from app.links import service as links
from app.study_sessions.models import Attendance, StudySession
from app.tasks.models import Task
from tests.factories import build_world, make_participant, make_plan
from tests.support import LiveServer, backend_names, scratch_database

pytestmark = pytest.mark.live

PEOPLE = 100


@pytest.fixture(params=backend_names())
def setup(request, tmp_path):
    with scratch_database(tmp_path, request.param) as url:
        engine = create_db_engine(Settings(database_url=url, data_dir=tmp_path, _env_file=None))
        migrations.upgrade(engine)
        with Session(engine, expire_on_commit=False) as db:
            world = build_world(db)
            plan = make_plan(db, world.school)
            people = [
                make_participant(db, world.school, f"Giáo viên {i}", f"P{i:03d}")
                for i in range(PEOPLE)
            ]
            tokens = [links.issue_for_demo(db, person, "http://test").token for person in people]
            now = datetime.now(UTC)
            session = StudySession(
                plan_id=plan.id,
                organization_id=world.school.id,
                title="Học tập",
                starts_at=now - timedelta(minutes=5),
                ends_at=now + timedelta(hours=1),
                checkin_secret="s" * 64,
            )
            db.add(session)
            tasks = [
                Task(
                    plan_id=plan.id,
                    organization_id=world.school.id,
                    title=f"Nhiệm vụ {i}",
                    assignee_participant_id=people[i].id,
                )
                for i in range(20)
            ]
            db.add_all(tasks)
            db.commit()
        server = LiveServer(url, tmp_path).start()
        try:
            yield server, engine, world, plan, people, tokens, session, tasks
        finally:
            server.stop()
            engine.dispose()


async def fire(
    base_url: str, requests: list[tuple[str, str, dict, dict | None]]
) -> list[httpx.Response]:
    limits = httpx.Limits(max_connections=len(requests))
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=60) as client:
        return await asyncio.gather(
            *(
                client.request(method, path, headers=headers, json=body)
                for method, path, headers, body in requests
            )
        )


def test_parallel_writes_lose_nothing_and_duplicate_nothing(setup):
    server, engine, world, plan, people, tokens, session, tasks = setup
    manager = world.headers("manager")
    requests = [
        ("POST", f"/api/v1/links/{token}/acknowledgements/{plan.id}", {}, None) for token in tokens
    ] * 2
    requests += [
        ("PUT", f"/api/v1/sessions/{session.id}/attendance/{p.id}", manager, {"status": "present"})
        for p in people[:50]
    ]
    requests += [
        ("POST", f"/api/v1/tasks/{t.id}/status", manager, {"status": "in_progress"}) for t in tasks
    ]
    # Teachers opening their page meanwhile: a read never waits for, or fails on, the writers.
    requests += [("GET", f"/api/v1/links/{token}", {}, None) for token in tokens]
    with ThreadPoolExecutor(1) as pool:
        responses = pool.submit(asyncio.run, fire(server.url, requests)).result()
    statuses = [r.status_code for r in responses]
    refused = [(r.status_code, r.text[:200]) for r in responses if r.status_code >= 300]
    # Each person's two confirmations: one records it (201), the other finds it there (200).
    first, again, rest = statuses[:PEOPLE], statuses[PEOPLE : 2 * PEOPLE], statuses[2 * PEOPLE :]
    pairs = [sorted(pair) for pair in zip(first, again, strict=True)]
    assert pairs == [[200, 201]] * PEOPLE, refused
    # The marks, the task moves and the page opens all answer 200.
    assert rest == [200] * len(rest), refused
    with Session(engine) as db:
        per_person = dict(
            db.exec(
                sa.select(Acknowledgement.participant_id, sa.func.count())
                .where(Acknowledgement.plan_id == plan.id)
                .group_by(Acknowledgement.participant_id)
            ).all()
        )
        marks = db.exec(
            sa.select(sa.func.count())
            .select_from(Attendance)
            .where(Attendance.session_id == session.id)
        ).one()[0]
        moved = db.exec(
            sa.select(sa.func.count()).select_from(Task).where(Task.status == "in_progress")
        ).one()[0]
    assert len(per_person) == PEOPLE and set(per_person.values()) == {1}
    assert marks == 50 and moved == 20

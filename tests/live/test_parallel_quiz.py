"""Against a live server: the quiz started from several tabs at once gives one attempt, and
submitted by several requests at once is scored once, with one audit record, and every
request answers the same result."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from app.audit.models import AuditEvent
from app.core import migrations
from app.core.config import Settings
from app.core.db import create_db_engine
from app.links import service as links
from app.quizzes.models import QuizAttempt, QuizQuestion, QuizSettings
from tests.factories import build_world, make_plan
from tests.live.test_parallel_confirmations import fire
from tests.support import LiveServer, backend_names, scratch_database

pytestmark = pytest.mark.live

AT_ONCE = 8


@pytest.fixture(params=backend_names())
def setup(request, tmp_path):
    with scratch_database(tmp_path, request.param) as url:
        engine = create_db_engine(Settings(database_url=url, data_dir=tmp_path, _env_file=None))
        migrations.upgrade(engine)
        with Session(engine, expire_on_commit=False) as db:
            world = build_world(db)
            plan = make_plan(db, world.school)
            for number in range(3):
                db.add(
                    QuizQuestion(
                        plan_id=plan.id,
                        text=f"Câu hỏi {number + 1}",
                        options=["Đúng", "Sai", "Không rõ"],
                        correct=[0],
                    )
                )
            db.add(QuizSettings(plan_id=plan.id, question_count=3, attempts_allowed=3))
            token = links.issue_for_demo(db, world.teacher, "http://test").token
            db.commit()
        server = LiveServer(url, tmp_path).start()
        try:
            yield server, engine, plan, token
        finally:
            server.stop()
            engine.dispose()


def test_many_tabs_start_one_attempt_and_many_submits_score_it_once(setup):
    server, engine, plan, token = setup
    base = f"/api/v1/links/{token}/quiz/attempts"
    with ThreadPoolExecutor(1) as pool:
        started = pool.submit(
            asyncio.run, fire(server.url, [("POST", base, {}, {"plan_id": plan.id})] * AT_ONCE)
        ).result()
    assert {r.status_code for r in started} == {200}, [r.text for r in started]
    assert len({r.json()["id"] for r in started}) == 1
    attempt_id = started[0].json()["id"]
    with Session(engine) as db:
        stored = db.get(QuizAttempt, attempt_id)
        right = [{"question_id": q["id"], "chosen": q["correct"]} for q in stored.questions]
    # Half send every right answer, half send nothing: whichever wins, all see its result.
    submits = [
        ("POST", f"{base}/{attempt_id}/submit", {}, {"answers": right if i % 2 else []})
        for i in range(AT_ONCE)
    ]
    with ThreadPoolExecutor(1) as pool:
        submitted = pool.submit(asyncio.run, fire(server.url, submits)).result()
    assert {r.status_code for r in submitted} == {200}, [r.text for r in submitted]
    assert len({str(r.json()["result"]) for r in submitted}) == 1
    with Session(engine) as db:
        scored = db.exec(
            sa.select(sa.func.count()).where(AuditEvent.action == "quiz.attempt.submit")
        ).one()[0]
        attempts = db.exec(sa.select(sa.func.count()).select_from(QuizAttempt)).one()[0]
    assert (scored, attempts) == (1, 1)

"""Against a live server: a whole school takes the quiz at once. 200 people start their
attempts together, then all submit together, a quarter of them twice at the same moment — each
attempt is submitted once, scored on what she sent, with one audit record, and every request
answers 200 (a repeated submit answers the first result)."""

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
from tests.factories import build_world, make_participant, make_plan
from tests.live.test_parallel_confirmations import fire
from tests.support import LiveServer, backend_names, scratch_database

pytestmark = pytest.mark.live

PEOPLE = 200
TWICE = 50  # the first TWICE people also send their submit a second time, at once
QUESTIONS = 5


@pytest.fixture(params=backend_names())
def setup(request, tmp_path):
    with scratch_database(tmp_path, request.param) as url:
        engine = create_db_engine(Settings(database_url=url, data_dir=tmp_path, _env_file=None))
        migrations.upgrade(engine)
        with Session(engine, expire_on_commit=False) as db:
            world = build_world(db)
            plan = make_plan(db, world.school)
            db.add_all(
                QuizQuestion(
                    plan_id=plan.id,
                    text=f"Câu hỏi {number + 1}",
                    kind="multiple" if number % 2 else "single",
                    options=["Một", "Hai", "Ba", "Bốn"],
                    correct=[0, 2] if number % 2 else [1],
                )
                for number in range(QUESTIONS)
            )
            db.add(QuizSettings(plan_id=plan.id, question_count=QUESTIONS, pass_percent=80))
            people = [
                make_participant(db, world.school, f"Giáo viên {i}", f"Q{i:03d}")
                for i in range(PEOPLE)
            ]
            tokens = [links.issue_for_demo(db, person, "http://test").token for person in people]
            db.commit()
        server = LiveServer(url, tmp_path).start()
        try:
            yield server, engine, plan, tokens
        finally:
            server.stop()
            engine.dispose()


def run(server: LiveServer, requests: list) -> list:
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, fire(server.url, requests)).result()


def test_a_school_submits_at_once_and_each_attempt_is_scored_once(setup):
    server, engine, plan, tokens = setup
    bases = [f"/api/v1/links/{token}/quiz/attempts" for token in tokens]
    started = run(server, [("POST", base, {}, {"plan_id": plan.id}) for base in bases])
    assert [r.status_code for r in started] == [200] * PEOPLE, [r.text[:200] for r in started]
    attempt_ids = [r.json()["id"] for r in started]
    assert len(set(attempt_ids)) == PEOPLE

    # Person i answers the first i % (QUESTIONS + 1) questions of her attempt right, the rest
    # wrong: every score from 0 to 5 comes up, and each is known before she sends it.
    with Session(engine) as db:
        drawn = {a.id: a.questions for a in db.exec(sa.select(QuizAttempt)).scalars()}
    bodies, expected = [], []
    for index, attempt_id in enumerate(attempt_ids):
        right = index % (QUESTIONS + 1)
        answers = [
            {
                "question_id": q["id"],
                "chosen": q["correct"] if n < right else [q["correct"][0] ^ 1],
            }
            for n, q in enumerate(drawn[attempt_id])
        ]
        bodies.append({"answers": answers})
        expected.append(right)
    submits = [
        ("POST", f"{base}/{attempt_id}/submit", {}, body)
        for base, attempt_id, body in zip(bases, attempt_ids, bodies, strict=True)
    ]
    submitted = run(server, submits + submits[:TWICE])
    refused = [(r.status_code, r.text[:200]) for r in submitted if r.status_code != 200]
    assert not refused, refused
    results = [r.json()["result"] for r in submitted]
    assert [result["score"] for result in results[:PEOPLE]] == expected
    # A repeated submit answers the same result as the one that scored it.
    assert results[PEOPLE:] == results[:TWICE]

    with Session(engine) as db:
        stored = {
            a.id: (a.status, a.score, a.passed) for a in db.exec(sa.select(QuizAttempt)).scalars()
        }
        audited = dict(
            db.exec(
                sa.select(AuditEvent.action, sa.func.count())
                .where(AuditEvent.action.in_(["quiz.attempt.start", "quiz.attempt.submit"]))
                .group_by(AuditEvent.action)
            ).all()
        )
        submitted_once = set(
            db.exec(
                sa.select(AuditEvent.entity_id)
                .where(AuditEvent.action == "quiz.attempt.submit")
                .group_by(AuditEvent.entity_id)
                .having(sa.func.count() == 1)
            ).scalars()
        )
    assert stored == {
        attempt_id: ("submitted", right, right * 100 // QUESTIONS >= 80)
        for attempt_id, right in zip(attempt_ids, expected, strict=True)
    }
    assert audited == {"quiz.attempt.start": PEOPLE, "quiz.attempt.submit": PEOPLE}
    assert {int(entity) for entity in submitted_once} == set(attempt_ids)

"""Against a live server: a contest's round entered from several tabs at once gives one
entry (by personal link and by phone), submitted by several requests at once it is scored
once, with one audit record and the same result everywhere; and many entrants submitting in
the same moment (a round's last minutes) all get through."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from app.audit.models import AuditEvent
from app.contests.models import Contest, ContestEntry, ContestRound
from app.core import migrations
from app.core.config import Settings
from app.core.db import create_db_engine
from app.links import service as links
from app.quizzes.models import QuizQuestion
from tests.factories import build_world, make_plan
from tests.live.test_parallel_confirmations import fire
from tests.support import LiveServer, backend_names, scratch_database

pytestmark = pytest.mark.live

AT_ONCE = 8
CROWD = 24


@pytest.fixture(params=backend_names())
def setup(request, tmp_path):
    with scratch_database(tmp_path, request.param) as url:
        engine = create_db_engine(Settings(database_url=url, data_dir=tmp_path, _env_file=None))
        migrations.upgrade(engine)
        with Session(engine, expire_on_commit=False) as db:
            world = build_world(db)
            plan = make_plan(db, world.district)
            for number in range(3):
                db.add(
                    QuizQuestion(
                        plan_id=plan.id,
                        text=f"Câu hỏi {number + 1}",
                        options=["Đúng", "Sai", "Không rõ"],
                        correct=[0],
                    )
                )
            contest = Contest(
                plan_id=plan.id,
                organization_id=world.district.id,
                title="Cuộc thi",
                public_entries=True,
                public_token="cuoc-thi-cong-khai",
            )
            db.add(contest)
            db.flush()
            now = datetime.now(UTC)
            opened = ContestRound(
                contest_id=contest.id,
                number=1,
                opens_at=now - timedelta(minutes=1),
                closes_at=now + timedelta(hours=1),
                question_count=3,
                time_limit_minutes=10,
                tiebreak_question="Dự đoán số người tham gia",
            )
            db.add(opened)
            token = links.issue_for_demo(db, world.teacher, "http://test").token
            db.commit()
        server = LiveServer(url, tmp_path).start()
        try:
            yield server, engine, opened.id, token
        finally:
            server.stop()
            engine.dispose()


def _run(server, requests):
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, fire(server.url, requests)).result()


def _right(engine, entry_id: int) -> list[dict]:
    with Session(engine) as db:
        stored = db.get(ContestEntry, entry_id)
        return [{"question_id": q["id"], "chosen": q["correct"]} for q in stored.questions]


def test_many_tabs_make_one_entry_scored_once(setup):
    server, engine, round_id, token = setup
    base = f"/api/v1/links/{token}/contests"
    started = _run(server, [("POST", f"{base}/rounds/{round_id}/entry", {}, None)] * AT_ONCE)
    assert {r.status_code for r in started} == {200}, [r.text for r in started]
    assert len({r.json()["id"] for r in started}) == 1
    entry_id = started[0].json()["id"]
    right = _right(engine, entry_id)
    # Half send every right answer, half send none: whichever wins, all see its result.
    submits = [
        (
            "POST",
            f"{base}/entries/{entry_id}/submit",
            {},
            {"answers": right if i % 2 else [], "tiebreak": i},
        )
        for i in range(AT_ONCE)
    ]
    submitted = _run(server, submits)
    assert {r.status_code for r in submitted} == {200}, [r.text for r in submitted]
    assert len({str(r.json()["result"]) for r in submitted}) == 1
    with Session(engine) as db:
        scored = db.exec(
            sa.select(sa.func.count()).where(AuditEvent.action == "contest.entry.submit")
        ).one()[0]
        entries = db.exec(sa.select(sa.func.count()).select_from(ContestEntry)).one()[0]
    assert (scored, entries) == (1, 1)


def test_one_phone_makes_one_entry_and_a_crowd_submits_at_once(setup):
    server, engine, round_id, _ = setup
    base = "/api/v1/contests/public/cuoc-thi-cong-khai"
    person = {"full_name": "Võ Thị Khách", "phone": "0905123456", "school_name": "Mầm non X"}
    same = _run(server, [("POST", f"{base}/rounds/{round_id}/entries", {}, person)] * AT_ONCE)
    assert {r.status_code for r in same} == {200}, [r.text for r in same]
    assert len({r.json()["key"] for r in same}) == 1
    crowd = [
        person | {"full_name": f"Người dự thi {i}", "phone": f"0912{i:06d}"} for i in range(CROWD)
    ]
    started = _run(server, [("POST", f"{base}/rounds/{round_id}/entries", {}, p) for p in crowd])
    assert {r.status_code for r in started} == {200}, [r.text for r in started]
    keys = [r.json()["key"] for r in started]
    submits = [
        ("POST", f"{base}/entries/{key}/submit", {}, {"answers": [], "tiebreak": CROWD})
        for key in keys
    ]
    submitted = _run(server, submits)
    assert {r.status_code for r in submitted} == {200}, [r.text for r in submitted]
    with Session(engine) as db:
        done = db.exec(
            sa.select(ContestEntry.status, sa.func.count()).group_by(ContestEntry.status)
        ).all()
    assert dict(done) == {"running": 1, "submitted": CROWD}

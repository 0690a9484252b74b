"""The demo: the seed plan loaded as real data, once."""

from __future__ import annotations

import sqlalchemy as sa

from app.demo.loader import DEMO_PASSWORD, load_demo
from app.people.models import Participant


def test_demo_loads_the_seed_plan_once(client, db):
    first = load_demo(db)
    assert first.created
    assert not load_demo(db).created
    staff = db.exec(sa.select(sa.func.count()).select_from(Participant)).one()[0]
    assert 40 <= staff <= 60

    login = client.post(
        "/api/v1/auth/login", json={"username": "hieutruong", "password": DEMO_PASSWORD}
    )
    assert login.status_code == 200
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    plans = {p["symbol"]: p for p in client.get("/api/v1/plans", headers=headers).json()["items"]}
    assert {"470/KH-UBND", "05/KH-THNBK"} <= set(plans)
    school_plan = client.get(f"/api/v1/plans/{plans['05/KH-THNBK']['id']}", headers=headers).json()
    assert school_plan["signer_name"] == "Bùi Can" and school_plan["signer_title"] == "HIỆU TRƯỞNG"
    assert school_plan["date_line"] == "Thanh Khê, ngày 10 tháng 3 năm 2025"
    assert [s["heading"] for s in school_plan["sections"]] == [
        "MỤC ĐÍCH, YÊU CẦU",
        "NỘI DUNG, QUÁN TRIỆT VÀ TUYÊN TRUYỀN",
        "TỔ CHỨC THỰC HIỆN",
    ]
    assert school_plan["recipients"][-1] == "Lưu: VT, HT"
    assert school_plan["parent_plan"]["symbol"] == "470/KH-UBND"
    people = client.get("/api/v1/participants", params={"q": "bui can"}, headers=headers).json()
    assert people["items"][0]["position"] == "Hiệu trưởng"

    district = client.post(
        "/api/v1/auth/login", json={"username": "phonggd", "password": DEMO_PASSWORD}
    )
    district_headers = {"Authorization": f"Bearer {district.json()['access_token']}"}
    adoptions = client.get(
        f"/api/v1/plans/{plans['470/KH-UBND']['id']}/adoptions", headers=district_headers
    ).json()
    assert sorted(row["plan"] is not None for row in adoptions) == [False, True, True]
    outreach = client.get("/api/v1/activities", headers=district_headers).json()
    assert outreach["total"] >= 6


def test_demo_has_study_activity_in_varied_states(client, db):
    from app.acknowledgements.models import Acknowledgement
    from app.demo.loader import demo_teacher_link
    from app.study_sessions.models import StudySession
    from app.tasks.models import Task

    load_demo(db)
    statuses = set(db.exec(sa.select(Task.status)).scalars())
    assert {"todo", "in_progress", "done"} <= statuses
    kinds = set(db.exec(sa.select(StudySession.status)).scalars())
    assert {"held", "scheduled"} <= kinds
    methods = set(db.exec(sa.select(Acknowledgement.method)).scalars())
    assert {"self", "link", "on_behalf"} <= methods
    graded = db.exec(sa.select(sa.func.count()).where(Acknowledgement.grade.is_not(None))).one()[0]
    assert graded > 0

    link = demo_teacher_link(db, "http://127.0.0.1:8000")
    page = client.get(f"/api/v1/links/{link.token}").json()
    assert page["person"]["full_name"] == link.full_name
    assert page["pending_count"] == 1  # the demo teacher is left to confirm herself
    assert any(s["checkin_open"] for s in page["sessions"])


def test_demo_teacher_sees_her_record_across_two_school_years(client, db):
    from app.demo.loader import demo_teacher_link

    load_demo(db)
    link = demo_teacher_link(db, "http://127.0.0.1:8000")
    record = client.get(f"/api/v1/links/{link.token}/history").json()
    assert [year["label"] for year in record["years"]] == ["2024–2025", "2023–2024"]
    earlier = record["years"][1]["plans"][0]
    assert earlier["plan"]["symbol"] == "01/KH-THNBK" and earlier["plan"]["status"] == "closed"
    [confirmation] = earlier["confirmations"]
    assert confirmation["current"] and confirmation["grade"] in {"tot", "kha"}
    assert confirmation["reflection"].startswith("Nghị quyết 45-NQ/TW")
    assert [mark["status"] for mark in earlier["attendance"]] == ["present"]
    login = client.post(
        "/api/v1/auth/login", json={"username": "hieutruong", "password": DEMO_PASSWORD}
    )
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    shown = client.get(f"/api/v1/plans/{earlier['plan']['id']}", headers=headers)
    assert shown.status_code == 200, shown.text  # its sections read as a plan's do
    # The closed plan of the year before is done with: it leaves her one plan to confirm.
    page = client.get(f"/api/v1/links/{link.token}").json()
    assert page["pending_count"] == 1


def test_demo_quiz_bank_settings_and_attempts(client, db):
    """The bank of 20 on the district's plan and the school's, the school's settings, attempts
    whose scores follow from their answers, and the demo teacher left to take it herself."""
    from app.acknowledgements.models import Acknowledgement
    from app.demo.loader import DEMO_TEACHER_CODE, demo_teacher_link
    from app.plans.models import Plan
    from app.quizzes.models import QuizAttempt, QuizQuestion, QuizSettings
    from app.quizzes.schemas import QuestionPublic

    load_demo(db)
    plans = {p.symbol: p for p in db.exec(sa.select(Plan)).scalars()}
    school, district = plans["05/KH-THNBK"], plans["470/KH-UBND"]
    for plan in (school, district):
        bank = list(
            db.exec(sa.select(QuizQuestion).where(QuizQuestion.plan_id == plan.id)).scalars()
        )
        assert len(bank) == 20
        for question in bank:  # valid as a manager would write it: right indexes, one if single
            QuestionPublic.model_validate(question)
            assert question.explanation
        assert {q.kind for q in bank} == {"single", "multiple"}
        assert len({q.topic for q in bank}) >= 3
    settings = db.get(QuizSettings, school.id)
    assert (
        settings.required,
        settings.question_count,
        settings.time_limit_minutes,
        settings.attempts_allowed,
        settings.pass_percent,
    ) == (True, 10, 15, 2, 80)

    taken = list(db.exec(sa.select(QuizAttempt).order_by(QuizAttempt.id)).scalars())
    confirmed = dict(
        db.exec(
            sa.select(Acknowledgement.participant_id, Acknowledgement.confirmed_at).where(
                Acknowledgement.plan_id == school.id
            )
        ).all()
    )
    by_person: dict[int, list[QuizAttempt]] = {}
    for attempt in taken:
        assert attempt.plan_id == school.id and attempt.status == "submitted"
        assert len(attempt.questions) == attempt.total == 10
        score = sum(attempt.answers[str(q["id"])] == q["correct"] for q in attempt.questions)
        assert attempt.score == score and attempt.percent == score * 10
        assert attempt.passed == (attempt.percent >= 80)
        assert confirmed[attempt.participant_id] < attempt.started_at < attempt.submitted_at
        assert attempt.submitted_at <= attempt.deadline_at
        by_person.setdefault(attempt.participant_id, []).append(attempt)
    outcomes = {
        (len(mine), any(a.passed for a in mine))
        for mine in by_person.values()
        if [a.number for a in mine] == list(range(1, len(mine) + 1))
    }
    assert len(by_person) >= 5 and {(1, True), (2, True), (2, False), (1, False)} <= outcomes

    teacher = db.exec(
        sa.select(Participant).where(Participant.staff_code == DEMO_TEACHER_CODE)
    ).scalar_one()
    assert teacher.id not in by_person
    link = demo_teacher_link(db, "http://127.0.0.1:8000")
    started = client.post(f"/api/v1/links/{link.token}/quiz/attempts", json={"plan_id": school.id})
    assert started.status_code == 200, started.text
    assert started.json()["number"] == 1 and len(started.json()["questions"]) == 10


def test_demo_district_contest_has_a_published_round_and_an_open_one(client, db):
    """The district's contest on 470/KH-UBND: round 1 closed, its entries scored by their
    answers and ranked by the rule, its results public with phones masked; round 2 open, and
    the demo teacher enters it from her link."""
    import re

    from app.contests.models import ContestEntry
    from app.demo.loader import demo_teacher_link

    load_demo(db)
    login = client.post(
        "/api/v1/auth/login", json={"username": "quantriquan", "password": DEMO_PASSWORD}
    )
    headers = {"Authorization": f"Bearer {login.json()['access_token']}"}
    plans = {p["symbol"]: p for p in client.get("/api/v1/plans", headers=headers).json()["items"]}
    [contest] = client.get(
        f"/api/v1/plans/{plans['470/KH-UBND']['id']}/contests", headers=headers
    ).json()
    assert contest["title"] == "Cuộc thi trực tuyến tìm hiểu Nghị quyết 57-NQ/TW"
    assert contest["public_entries"] and contest["published_at"]
    assert "giải Nhất" in contest["rules"] and "dự đoán" in contest["rules"]
    first, second = contest["rounds"]
    assert (first["state"], second["state"]) == ("closed", "open")

    stored = list(
        db.exec(sa.select(ContestEntry).where(ContestEntry.round_id == first["id"])).scalars()
    )
    assert len(stored) >= 12 and {e.status for e in stored} == {"submitted"}
    for entry in stored:
        assert entry.score == sum(
            entry.answers.get(str(q["id"])) == q["correct"] for q in entry.questions
        )
        assert entry.started_at < entry.submitted_at <= entry.deadline_at
    assert any(e.participant_id is None and e.phone for e in stored)

    board = client.get(
        f"/api/v1/contests/{contest['id']}/rounds/{first['id']}/leaderboard/people",
        params={"limit": 100},
        headers=headers,
    ).json()
    count = board["entries"]
    assert count == len(stored)
    order = [
        (-r["score"], r["duration_ms"], r["tiebreak"] is None, abs((r["tiebreak"] or 0) - count))
        for r in board["items"]
    ]
    assert order == sorted(order) and [r["rank"] for r in board["items"]] == list(
        range(1, count + 1)
    )
    top, runner_up = board["items"][:2]  # same score and time: the nearer guess ranks first
    assert (top["score"], top["duration_ms"]) == (runner_up["score"], runner_up["duration_ms"])
    assert abs(top["tiebreak"] - count) < abs(runner_up["tiebreak"] - count)

    results = client.get(f"/api/v1/contests/public/{contest['public_token']}/results")
    assert results.status_code == 200, results.text
    people = results.json()["rounds"][0]["people"]["items"]
    assert len(people) == count
    phones = [row["phone"] for row in people if row["public_entry"]]
    assert phones and all(re.fullmatch(r"\d{4}\*{3}\d{3}", phone) for phone in phones)
    assert not any(e.phone in results.text for e in stored if e.phone)

    link = demo_teacher_link(db, "http://127.0.0.1:8000")
    [mine] = client.get(f"/api/v1/links/{link.token}/contests").json()
    assert mine["contest"]["id"] == contest["id"] and mine["entries"] == {}
    entered = client.post(f"/api/v1/links/{link.token}/contests/rounds/{second['id']}/entry")
    assert entered.status_code == 200, entered.text
    assert entered.json()["status"] == "running" and len(entered.json()["questions"]) == 10

"""The quiz: the question bank and settings for managers, attempts by the personal link or
signed in, scored on the server with the server's clock, and who passed."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.quizzes import attempts
from app.quizzes.models import QuizAttempt
from tests.factories import make_plan
from tests.support import count_queries

QUESTIONS = [
    {
        "topic": "Khoa học",
        "text": "Nghị quyết 57-NQ/TW bàn về lĩnh vực nào?",
        "kind": "single",
        "options": ["Khoa học, công nghệ, đổi mới sáng tạo", "Nông nghiệp", "Du lịch"],
        "correct": [0],
        "explanation": "Nghị quyết 57 về đột phá phát triển khoa học, công nghệ.",
    },
    {
        "topic": "Chuyển đổi số",
        "text": "Những việc nào là chuyển đổi số trong trường học?",
        "kind": "multiple",
        "options": ["Sổ điểm điện tử", "Học liệu số", "Chép tay giáo án", "Họp trực tuyến"],
        "correct": [0, 1, 3],
        "explanation": "Chép tay giáo án không phải chuyển đổi số.",
    },
]
SETTINGS = {
    "required": True,
    "question_count": 2,
    "time_limit_minutes": 10,
    "attempts_allowed": 2,
    "pass_percent": 100,
}


@pytest.fixture
def plan(db, world):
    made = make_plan(db, world.school)
    db.commit()
    return made


@pytest.fixture
def quiz(client, world, plan):
    """The plan's quiz: the two questions and its settings, as the manager writes them."""
    base = f"/api/v1/plans/{plan.id}/quiz"
    for question in QUESTIONS:
        response = client.post(f"{base}/questions", json=question, headers=world.headers("manager"))
        assert response.status_code == 201, response.text
    response = client.put(base, json=SETTINGS, headers=world.headers("manager"))
    assert response.status_code == 200, response.text
    return base


def link_of(client, world, participant, issuer: str = "manager") -> str:
    response = client.post(
        f"/api/v1/participants/{participant.id}/links", headers=world.headers(issuer)
    )
    assert response.status_code == 201, response.text
    return f"/api/v1/links/{response.json()['token']}/quiz/attempts"


def start(client, base: str, plan, status: int = 200, **kwargs) -> dict:
    response = client.post(base, json={"plan_id": plan.id}, **kwargs)
    assert response.status_code == status, response.text
    return response.json()


def right_answers(db, attempt_id: int) -> list[dict]:
    """The right choices of a drawn attempt, as the server keeps them."""
    stored = db.get(QuizAttempt, attempt_id)
    db.refresh(stored)
    return [{"question_id": q["id"], "chosen": q["correct"]} for q in stored.questions]


def clock_at(monkeypatch, moment: datetime) -> None:
    monkeypatch.setattr(attempts, "_now", lambda: moment)


# The bank and the settings.


def test_the_bank_crud_is_audited_and_keeps_majors(client, world, plan, db):
    base = f"/api/v1/plans/{plan.id}/quiz/questions"
    manager = world.headers("manager")
    made = client.post(base, json=QUESTIONS[1], headers=manager)
    assert made.status_code == 201, made.text
    question = made.json()
    assert question["added_in_major"] == 1 and question["correct"] == [0, 1, 3]

    changed = client.put(
        f"{base}/{question['id']}", json=QUESTIONS[1] | {"correct": [0, 1]}, headers=manager
    )
    assert changed.status_code == 200 and changed.json()["correct"] == [0, 1]
    assert [q["id"] for q in client.get(base, headers=manager).json()] == [question["id"]]
    assert client.delete(f"{base}/{question['id']}", headers=manager).status_code == 204
    assert client.get(base, headers=manager).json() == []
    gone = client.delete(f"{base}/{question['id']}", headers=manager)
    assert gone.status_code == 404 and "Không tìm thấy câu hỏi" in gone.json()["detail"]

    actions = db.exec(
        sa.select(AuditEvent.action).where(AuditEvent.action.startswith("quiz."))
    ).scalars()
    assert sorted(actions) == ["quiz.question.add", "quiz.question.remove", "quiz.question.update"]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"options": ["Chỉ một"]}, "body.options"),
        ({"options": [str(i) for i in range(9)]}, "body.options"),
        ({"options": ["Có", "  "]}, "body.options"),
        ({"correct": [5]}, "body.correct"),
        ({"correct": []}, "body.correct"),
        ({"correct": [0, 1]}, "body.correct"),  # single choice, two right
        ({"kind": "essay"}, "body.kind"),
        ({"text": ""}, "body.text"),
    ],
)
def test_a_bad_question_names_its_field_and_writes_nothing(client, world, plan, change, field):
    base = f"/api/v1/plans/{plan.id}/quiz/questions"
    response = client.post(base, json=QUESTIONS[0] | change, headers=world.headers("manager"))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert field in [error["field"] for error in response.json()["errors"]]
    assert client.get(base, headers=world.headers("manager")).json() == []


def test_settings_are_read_and_rewritten(client, world, plan, quiz):
    manager = world.headers("manager")
    assert client.get(quiz, headers=manager).json() == SETTINGS | {
        "plan_id": plan.id,
        "topic": None,
        "bank_size": 2,
    }
    response = client.put(quiz, json=SETTINGS | {"topic": "Khoa học"}, headers=manager)
    assert response.json()["bank_size"] == 1
    bad = client.put(quiz, json=SETTINGS | {"pass_percent": 101}, headers=manager)
    assert bad.status_code == 422
    assert [e["field"] for e in bad.json()["errors"]] == ["body.pass_percent"]


def test_who_may_write_and_read_the_quiz(client, world, plan, quiz):
    paths = [
        ("GET", f"{quiz}/questions", None),
        ("POST", f"{quiz}/questions", QUESTIONS[0]),
        ("GET", quiz, None),
        ("PUT", quiz, SETTINGS),
    ]
    expected = {
        "anonymous": 401,
        "member": 403,
        "viewer": 403,
        "token": 403,
        "other_admin": 404,
        "manager": None,
        "admin": None,
    }
    for method, path, body in paths:
        for caller, status in expected.items():
            response = client.request(method, path, json=body, headers=world.headers(caller))
            if status is None:
                assert response.status_code in (200, 201), (method, path, caller, response.text)
            else:
                assert response.status_code == status, (method, path, caller, response.text)
    results = f"{quiz}/results"
    for caller, status in {
        "anonymous": 401,
        "member": 403,
        "other_admin": 404,
        "viewer": 200,
        "manager": 200,
        "token": 200,
    }.items():
        assert client.get(results, headers=world.headers(caller)).status_code == status, caller


def test_another_schools_plan_and_a_missing_quiz_are_404(client, world, db, quiz):
    other_plan = make_plan(db, world.other_school)
    db.commit()
    manager = world.headers("manager")
    assert client.get(f"/api/v1/plans/{other_plan.id}/quiz", headers=manager).status_code == 404
    base = link_of(client, world, world.teacher)
    refused = start(client, base, other_plan, 404)
    assert "Không tìm thấy" in refused["detail"]
    no_quiz = make_plan(db, world.school, title="Kế hoạch không có bài kiểm tra")
    db.commit()
    assert "chưa có bài kiểm tra" in start(client, base, no_quiz, 404)["detail"]


# Taking it.


def test_a_drawn_attempt_never_says_which_options_are_right(client, world, plan, quiz, db):
    base = link_of(client, world, world.teacher)
    response = client.post(base, json={"plan_id": plan.id})
    assert response.status_code == 200, response.text
    attempt = response.json()
    assert attempt["status"] == "running" and attempt["result"] is None
    assert {q["text"] for q in attempt["questions"]} == {q["text"] for q in QUESTIONS}
    for shown in attempt["questions"]:
        original = next(q for q in QUESTIONS if q["text"] == shown["text"])
        assert sorted(shown["options"]) == sorted(original["options"])
        assert set(shown) == {"id", "topic", "text", "kind", "options"}
    raw = response.text
    assert "correct" not in raw and "explanation" not in raw
    for question in QUESTIONS:
        assert question["explanation"] not in raw
    # Nor does saving answers or reading the attempt again.
    saved = client.put(
        f"{base}/{attempt['id']}/answers",
        json={"answers": [{"question_id": attempt["questions"][0]["id"], "chosen": [0]}]},
    )
    assert saved.status_code == 200, saved.text
    read = client.get(f"{base}/{attempt['id']}")
    for text in (saved.text, read.text):
        assert "correct" not in text and "explanation" not in text
        assert json.loads(text)["result"] is None


def test_scoring_single_and_multiple_choice_all_or_nothing(client, world, plan, quiz, db):
    base = link_of(client, world, world.teacher)
    attempt = start(client, base, plan)
    right = {a["question_id"]: a["chosen"] for a in right_answers(db, attempt["id"])}
    kinds = {q["id"]: q["kind"] for q in attempt["questions"]}
    single = next(i for i, kind in kinds.items() if kind == "single")
    multiple = next(i for i, kind in kinds.items() if kind == "multiple")
    # The multiple-choice one with one right option left out: no credit for it.
    partial = right[multiple][:-1]
    response = client.post(
        f"{base}/{attempt['id']}/submit",
        json={
            "answers": [
                {"question_id": single, "chosen": right[single]},
                {"question_id": multiple, "chosen": partial},
            ]
        },
    )
    assert response.status_code == 200, response.text
    result = response.json()["result"]
    assert (result["score"], result["total"], result["percent"], result["passed"]) == (
        1,
        2,
        50,
        False,
    )
    by_id = {q["id"]: q for q in result["questions"]}
    assert by_id[single]["right"] and not by_id[multiple]["right"]
    assert by_id[multiple]["correct"] == right[multiple]
    assert by_id[multiple]["chosen"] == partial
    assert by_id[multiple]["explanation"] == QUESTIONS[1]["explanation"]

    second = start(client, base, plan)
    assert second["number"] == 2 and second["id"] != attempt["id"]
    passed = client.post(
        f"{base}/{second['id']}/submit", json={"answers": right_answers(db, second["id"])}
    ).json()["result"]
    assert (passed["score"], passed["percent"], passed["passed"]) == (2, 100, True)

    rows = client.get(f"{quiz}/results", headers=world.headers("manager")).json()
    assert rows == [
        {
            "participant_id": world.teacher.id,
            "full_name": world.teacher.full_name,
            "staff_code": world.teacher.staff_code,
            "attempts": 2,
            "best_percent": 100,
            "passed": True,
        }
    ]


def test_a_bad_answer_names_its_field_and_saves_nothing(client, world, plan, quiz):
    base = link_of(client, world, world.teacher)
    attempt = start(client, base, plan)
    single = next(q for q in attempt["questions"] if q["kind"] == "single")
    response = client.put(
        f"{base}/{attempt['id']}/answers",
        json={
            "answers": [
                {"question_id": 999999, "chosen": [0]},
                {"question_id": single["id"], "chosen": [0, 1]},
            ]
        },
    )
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [
        "body.answers.0.question_id",
        "body.answers.1.chosen",
    ]
    assert client.get(f"{base}/{attempt['id']}").json()["answers"] == {}


def test_a_second_tab_gets_the_running_attempt_and_answers_resume(client, world, plan, quiz):
    base = link_of(client, world, world.teacher)
    first = start(client, base, plan)
    question = first["questions"][0]["id"]
    client.put(
        f"{base}/{first['id']}/answers",
        json={"answers": [{"question_id": question, "chosen": [1]}]},
    )
    again = start(client, base, plan)
    assert again["id"] == first["id"] and again["number"] == 1
    assert again["questions"] == first["questions"]  # same draw, same option order
    assert again["answers"] == {str(question): [1]}


def test_the_attempts_limit(client, world, plan, quiz):
    base = link_of(client, world, world.teacher)
    for number in (1, 2):
        attempt = start(client, base, plan)
        assert attempt["number"] == number
        assert client.post(f"{base}/{attempt['id']}/submit").status_code == 200
    refused = start(client, base, plan, 409)
    assert "hết 2 lượt" in refused["detail"]


def test_a_last_attempt_left_running_is_closed_by_the_refusal(
    client, world, plan, quiz, monkeypatch
):
    base = link_of(client, world, world.teacher)
    began = datetime.now(UTC)
    clock_at(monkeypatch, began)
    client.post(f"{base}/{start(client, base, plan)['id']}/submit")
    last = start(client, base, plan)
    clock_at(monkeypatch, began + timedelta(hours=1))
    assert "hết 2 lượt" in start(client, base, plan, 409)["detail"]
    monkeypatch.undo()  # the real clock: the attempt was closed by the refusal, not by this read
    closed = client.get(f"{base}/{last['id']}").json()
    assert closed["status"] == "submitted"
    assert closed["submitted_at"].startswith((began + timedelta(hours=1)).isoformat()[:16])


def test_a_new_major_version_asks_for_a_new_attempt(client, world, plan, quiz, db):
    base = link_of(client, world, world.teacher)
    for _ in (1, 2):
        client.post(f"{base}/{start(client, base, plan)['id']}/submit")
    published = client.post(
        f"/api/v1/plans/{plan.id}/materials/publish",
        json={"major": True},
        headers=world.headers("manager"),
    )
    assert published.status_code == 200, published.text
    assert start(client, base, plan)["number"] == 1
    assert (
        client.get(f"{quiz}/results", headers=world.headers("manager")).json()[0]["attempts"] == 1
    )


def test_the_time_limit_follows_the_servers_clock(client, world, plan, quiz, db, monkeypatch):
    base = link_of(client, world, world.teacher)
    began = datetime.now(UTC)
    clock_at(monkeypatch, began)
    attempt = start(client, base, plan)
    right = right_answers(db, attempt["id"])
    # In time: the first answer is kept.
    clock_at(monkeypatch, began + timedelta(minutes=9))
    kept = client.put(f"{base}/{attempt['id']}/answers", json={"answers": right[:1]})
    assert kept.status_code == 200, kept.text
    # Past the limit and its grace: the rest is refused, and the attempt is scored on what
    # was saved in time.
    clock_at(monkeypatch, began + timedelta(minutes=11))
    late = client.put(f"{base}/{attempt['id']}/answers", json={"answers": right[1:]})
    assert late.status_code == 409 and "hết giờ" in late.json()["detail"]
    closed = client.get(f"{base}/{attempt['id']}").json()
    assert closed["status"] == "submitted"
    assert closed["result"]["score"] == 1
    # Submitting all the right answers now changes nothing.
    after = client.post(f"{base}/{attempt['id']}/submit", json={"answers": right}).json()
    assert after["result"] == closed["result"]


def test_a_late_submit_counts_only_what_was_saved_in_time(
    client, world, plan, quiz, db, monkeypatch
):
    base = link_of(client, world, world.teacher)
    began = datetime.now(UTC)
    clock_at(monkeypatch, began)
    attempt = start(client, base, plan)
    clock_at(monkeypatch, began + timedelta(minutes=10, seconds=20))  # within the grace
    graced = client.post(
        f"{base}/{attempt['id']}/submit", json={"answers": right_answers(db, attempt["id"])}
    )
    assert graced.json()["result"]["score"] == 2

    clock_at(monkeypatch, began + timedelta(hours=1))
    second = start(client, base, plan)
    clock_at(monkeypatch, began + timedelta(hours=1, minutes=12))
    late = client.post(
        f"{base}/{second['id']}/submit", json={"answers": right_answers(db, second["id"])}
    )
    assert late.status_code == 200
    assert late.json()["result"]["score"] == 0


def test_an_expired_attempt_is_closed_when_she_starts_again(client, world, plan, quiz, monkeypatch):
    base = link_of(client, world, world.teacher)
    began = datetime.now(UTC)
    clock_at(monkeypatch, began)
    first = start(client, base, plan)
    clock_at(monkeypatch, began + timedelta(minutes=30))
    second = start(client, base, plan)
    assert second["number"] == 2
    assert client.get(f"{base}/{first['id']}").json()["status"] == "submitted"


def test_a_resubmit_returns_the_first_result(client, world, plan, quiz, db):
    base = link_of(client, world, world.teacher)
    attempt = start(client, base, plan)
    first = client.post(f"{base}/{attempt['id']}/submit").json()
    assert first["result"]["score"] == 0
    again = client.post(
        f"{base}/{attempt['id']}/submit", json={"answers": right_answers(db, attempt["id"])}
    )
    assert again.status_code == 200
    assert again.json()["result"] == first["result"]
    assert again.json()["submitted_at"] == first["submitted_at"]
    refused = client.put(
        f"{base}/{attempt['id']}/answers", json={"answers": right_answers(db, attempt["id"])}
    )
    assert refused.status_code == 409


def test_two_submits_at_once_score_once(client, world, plan, quiz, db):
    """The second of two submits that both read the attempt while it ran: its conditional
    UPDATE finds no running row, writes nothing, and it answers the first one's result."""
    base = link_of(client, world, world.teacher)
    attempt_id = start(client, base, plan)["id"]
    right = right_answers(db, attempt_id)
    stale = attempts._own(db, world.teacher, attempt_id)  # what both requests read
    now = datetime.now(UTC)
    assert attempts._close(db, None, stale, world.school.id, now, {}) is not None
    # The second still holds the attempt as running, with every answer right: it scores nothing.
    assert stale.status == "running"
    answers = {str(a["question_id"]): a["chosen"] for a in right}
    assert attempts._close(db, None, stale, world.school.id, now, answers) is None
    second = attempts._closed(db, None, world.teacher, stale, now, answers)
    assert (second.status, second.score, second.answers) == ("submitted", 0, {})
    result = client.get(f"{base}/{attempt_id}").json()["result"]
    assert result["score"] == 0
    submits = db.exec(
        sa.select(sa.func.count()).where(AuditEvent.action == "quiz.attempt.submit")
    ).one()[0]
    assert submits == 1


def test_someone_elses_attempt_is_404(client, world, plan, quiz):
    mine = link_of(client, world, world.teacher)
    theirs = link_of(client, world, world.colleague)
    attempt = start(client, mine, plan)
    assert client.get(f"{theirs}/{attempt['id']}").status_code == 404
    assert client.post(f"{theirs}/{attempt['id']}/submit").status_code == 404
    assert client.get(f"{mine}/{attempt['id']}").json()["status"] == "running"
    other_school = link_of(client, world, world.other_teacher, "other_admin")
    assert start(client, other_school, plan, 404)


def test_a_signed_in_member_takes_the_same_quiz(client, world, plan, quiz, db):
    member = world.headers("member")
    base = "/api/v1/me/quiz/attempts"
    attempt = start(client, base, plan, headers=member)
    # Her personal link finds the same running attempt.
    assert start(client, link_of(client, world, world.teacher), plan)["id"] == attempt["id"]
    done = client.post(
        f"{base}/{attempt['id']}/submit",
        json={"answers": right_answers(db, attempt["id"])},
        headers=member,
    )
    assert done.json()["result"]["passed"] is True
    # A manager with no staff record takes no quiz; nobody reads another's attempt.
    assert start(client, base, plan, 403, headers=world.headers("manager"))
    admin = client.get(f"{base}/{attempt['id']}", headers=world.headers("admin"))
    assert admin.status_code == 404
    assert client.get(f"{base}/{attempt['id']}").status_code == 401


def test_two_tabs_starting_at_once_share_one_attempt(client, world, plan, quiz, monkeypatch):
    """The second start read no attempt yet (the first had not committed): its insert of
    the same number fails on the unique number, and it answers with the first one's."""
    base = link_of(client, world, world.teacher)
    first = start(client, base, plan)
    monkeypatch.setattr(attempts, "_attempts", lambda *args: [])
    second = start(client, base, plan)
    assert second["id"] == first["id"] and second["questions"] == first["questions"]
    monkeypatch.undo()
    assert (
        client.get(f"{quiz}/results", headers=world.headers("manager")).json()[0]["attempts"] == 1
    )


def test_the_results_take_the_same_statements_for_one_or_many(
    client, world, plan, quiz, db, connection
):
    url = f"{quiz}/results"
    headers = world.headers("manager")
    start(client, link_of(client, world, world.teacher), plan)
    one = count_queries(client, connection, url, headers=headers)
    start(client, link_of(client, world, world.colleague), plan)
    assert len(client.get(url, headers=headers).json()) == 2
    assert count_queries(client, connection, url, headers=headers) == one

"""Where the teacher stands on her plans' quizzes (the cards of her page and the quiz page):
attempts used and left, best score, passed, the attempt to resume; by her link or signed in."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.api.test_quiz import QUESTIONS, SETTINGS, clock_at, link_of, plan, quiz, right_answers
from tests.factories import make_plan

__all__ = ["plan", "quiz"]  # the fixtures, shared with the quiz's own tests


def token_of(base: str) -> str:
    """The token of a link's attempts path (from `link_of`)."""
    return base.split("/links/")[1].split("/")[0]


def test_her_standing_follows_her_attempts(client, world, plan, quiz, db):
    base = link_of(client, world, world.teacher)
    page = f"/api/v1/links/{token_of(base)}"
    fresh = client.get(f"{page}/quiz", params={"plan_id": plan.id})
    assert fresh.status_code == 200, fresh.text
    assert fresh.json() == {
        "plan_id": plan.id,
        "plan_symbol": plan.symbol,
        "plan_title": plan.title,
        "required": True,
        "question_count": 2,
        "time_limit_minutes": SETTINGS["time_limit_minutes"],
        "attempts_allowed": 2,
        "attempts_used": 0,
        "pass_percent": 100,
        "best_percent": None,
        "passed": False,
        "running_attempt_id": None,
        "last_attempt_id": None,
        "can_start": True,
        "closed": False,
    }
    attempt = client.post(base, json={"plan_id": plan.id}).json()
    running = client.get(f"{page}/quiz", params={"plan_id": plan.id}).json()
    assert running["running_attempt_id"] == attempt["id"]
    assert running["attempts_used"] == 1 and running["can_start"] is False

    wrong = [{"question_id": q["id"], "chosen": []} for q in attempt["questions"]]
    client.post(f"{base}/{attempt['id']}/submit", json={"answers": wrong})
    failed = client.get(f"{page}/quizzes").json()
    assert [s["plan_id"] for s in failed] == [plan.id]
    assert (failed[0]["best_percent"], failed[0]["passed"], failed[0]["can_start"]) == (
        0,
        False,
        True,
    )
    assert failed[0]["last_attempt_id"] == attempt["id"]

    second = client.post(base, json={"plan_id": plan.id}).json()
    client.post(f"{base}/{second['id']}/submit", json={"answers": right_answers(db, second["id"])})
    done = client.get(f"{page}/quiz", params={"plan_id": plan.id}).json()
    assert (done["best_percent"], done["passed"], done["attempts_used"]) == (100, True, 2)
    assert done["can_start"] is False and done["last_attempt_id"] == second["id"]


def test_an_attempt_past_its_time_is_closed_and_scored(client, world, plan, quiz, db, monkeypatch):
    base = link_of(client, world, world.teacher)
    page = f"/api/v1/links/{token_of(base)}"
    began = datetime.now(UTC)
    clock_at(monkeypatch, began)
    attempt = client.post(base, json={"plan_id": plan.id}).json()
    client.put(
        f"{base}/{attempt['id']}/answers", json={"answers": right_answers(db, attempt["id"])}
    )
    clock_at(monkeypatch, began + timedelta(minutes=SETTINGS["time_limit_minutes"] + 5))
    standing = client.get(f"{page}/quiz", params={"plan_id": plan.id}).json()
    assert standing["running_attempt_id"] is None
    assert (standing["best_percent"], standing["passed"]) == (100, True)
    assert client.get(f"{base}/{attempt['id']}").json()["status"] == "submitted"


def test_only_her_plans_with_a_quiz_and_a_closed_plan_starts_none(client, world, plan, quiz, db):
    make_plan(db, world.school, title="Kế hoạch không có bài kiểm tra")
    closed = make_plan(db, world.school, title="Kế hoạch đã kết thúc")
    db.commit()
    manager = world.headers("manager")
    for question in QUESTIONS:
        client.post(f"/api/v1/plans/{closed.id}/quiz/questions", json=question, headers=manager)
    assert client.put(f"/api/v1/plans/{closed.id}/quiz", json=SETTINGS, headers=manager).is_success
    closed.status = "closed"
    db.add(closed)
    db.commit()
    page = f"/api/v1/links/{token_of(link_of(client, world, world.teacher))}"
    found = {s["plan_id"]: s for s in client.get(f"{page}/quizzes").json()}
    assert set(found) == {plan.id, closed.id}
    assert found[closed.id]["closed"] is True and found[closed.id]["can_start"] is False


def test_not_her_plan_no_quiz_or_a_dead_link_is_404(client, world, plan, quiz, db):
    other_plan = make_plan(db, world.other_school)
    no_quiz = make_plan(db, world.school, title="Kế hoạch không có bài kiểm tra")
    db.commit()
    page = f"/api/v1/links/{token_of(link_of(client, world, world.teacher))}"
    other = client.get(f"{page}/quiz", params={"plan_id": other_plan.id})
    assert other.status_code == 404 and "Không tìm thấy kế hoạch" in other.json()["detail"]
    missing = client.get(f"{page}/quiz", params={"plan_id": no_quiz.id})
    assert missing.status_code == 404 and "chưa có bài kiểm tra" in missing.json()["detail"]
    assert client.get(f"{page}/quiz").status_code == 422  # plan_id is required

    revoked = client.delete(
        f"/api/v1/participants/{world.teacher.id}/links", headers=world.headers("admin")
    )
    assert revoked.status_code == 204
    assert client.get(f"{page}/quiz", params={"plan_id": plan.id}).status_code == 404
    assert client.get(f"{page}/quizzes").status_code == 404
    assert client.get("/api/v1/links/not-a-token/quizzes").status_code == 404


def test_signed_in_she_sees_the_same_standing(client, world, plan, quiz):
    member = world.headers("member")
    attempt = client.post(
        "/api/v1/me/quiz/attempts", json={"plan_id": plan.id}, headers=member
    ).json()
    mine = client.get("/api/v1/me/quiz", params={"plan_id": plan.id}, headers=member)
    assert mine.status_code == 200 and mine.json()["running_attempt_id"] == attempt["id"]
    assert [s["plan_id"] for s in client.get("/api/v1/me/quizzes", headers=member).json()] == [
        plan.id
    ]
    # Staff with no staff record have no standing; nobody anonymous.
    assert client.get("/api/v1/me/quizzes", headers=world.headers("manager")).status_code == 403
    assert client.get("/api/v1/me/quizzes").status_code == 401

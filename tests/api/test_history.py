"""A person's record across plans and school years, and confirmations listed by person."""

from __future__ import annotations

from datetime import date

from app.activities.models import Activity
from tests.factories import ack, at, held_session, make_plan, make_task
from tests.support import count_queries


def record_of_mai(db, world):
    """Two school years of Mai's record, and a colleague's confirmation beside it:

    - 2024–2025, plan A: confirmed version 1 (superseded by the new materials of version 2),
      confirmed version 2 with a reflection graded Tốt; present at one session, absent at the
      make-up; a task of hers done and one of her unit (Tổ 1); an article credited to her;
    - 2025–2026, plan B: a confirmation withdrawn.
    """
    mai, hung = world.teacher, world.colleague
    old = make_plan(
        db,
        world.school,
        "Kế hoạch NQ57",
        issued_on=date(2024, 10, 10),
        period_start=date(2024, 10, 1),
    )
    new = make_plan(
        db,
        world.school,
        "Kế hoạch NQ66",
        issued_on=date(2025, 10, 5),
        period_start=date(2025, 10, 1),
    )
    ack(db, old, mai, "2024-10-20")
    old.material_major = 2
    db.flush()
    ack(
        db,
        old,
        mai,
        "2024-11-02",
        reflection="Bài thu hoạch của tôi",
        grade="tot",
        grade_comment="Sâu sắc",
        graded_at=at("2024-11-10"),
    )
    ack(db, old, hung, "2024-11-03")
    ack(
        db,
        new,
        mai,
        "2025-10-10",
        withdrawn_at=at("2025-10-12"),
        withdraw_reason="Xác nhận nhầm kế hoạch",
    )
    held_session(db, old, [(mai, "present"), (hung, "present")])
    makeup = held_session(db, old, [(mai, "absent")], kind="makeup")
    makeup.title, makeup.starts_at, makeup.ends_at = (
        "Học bù NQ57",
        at("2025-03-22", 7),
        at("2025-03-22", 10),
    )
    db.add(
        Activity(
            organization_id=world.school.id,
            plan_id=old.id,
            kind="article",
            title="Bài viết về NQ57",
            happened_on=date(2025, 3, 20),
            responsible_participant_id=mai.id,
        )
    )
    db.flush()
    make_task(db, old, person=mai, status="done", title="Viết bài thu hoạch nhóm")
    make_task(db, old, unit=world.units["Tổ 1"], title="Sinh hoạt chuyên đề tổ")
    make_task(db, old, person=hung, title="Việc của thầy Hùng")
    return old, new


def history(client, world, url: str, caller: str = "manager", status: int = 200) -> dict:
    response = client.get(url, headers=world.headers(caller))
    assert response.status_code == status, response.text
    return response.json()


def test_the_record_by_school_year_and_plan(client, world, db):
    old, new = record_of_mai(db, world)
    body = history(client, world, f"/api/v1/participants/{world.teacher.id}/history")
    assert body["participant"]["full_name"] == "Nguyễn Thị Mai"
    assert [(y["year"], y["label"]) for y in body["years"]] == [
        (2025, "2025–2026"),
        (2024, "2024–2025"),
    ]
    [this_year], [last_year] = body["years"][0]["plans"], body["years"][1]["plans"]
    assert this_year["plan"]["id"] == new.id and last_year["plan"]["id"] == old.id
    assert last_year["plan"]["symbol"] == old.symbol
    assert last_year["plan"]["issuer"] == world.school.name

    [withdrawn] = this_year["confirmations"]
    assert withdrawn["state"] == "withdrawn" and not withdrawn["current"]
    assert withdrawn["withdraw_reason"] == "Xác nhận nhầm kế hoạch" and withdrawn["withdrawn_at"]

    superseded, current = last_year["confirmations"]
    assert (superseded["state"], superseded["material_major"]) == ("superseded", 1)
    assert (current["state"], current["material_major"], current["current"]) == (
        "current",
        2,
        True,
    )
    assert current["method"] == "self" and current["confirmed_at"].startswith("2024-11-02")
    assert (current["grade"], current["grade_label"], current["grade_comment"]) == (
        "tot",
        "Tốt",
        "Sâu sắc",
    )
    assert current["reflection"] == "Bài thu hoạch của tôi"

    assert [(a["title"], a["kind"], a["status"]) for a in last_year["attendance"]] == [
        ("Học tập NQ57", "study", "present"),
        ("Học bù NQ57", "makeup", "absent"),
    ]
    assert this_year["attendance"] == [] and this_year["tasks"] == []
    tasks = {t["title"]: t for t in last_year["tasks"]}
    assert set(tasks) == {"Viết bài thu hoạch nhóm", "Sinh hoạt chuyên đề tổ"}
    assert tasks["Viết bài thu hoạch nhóm"]["status"] == "done"
    assert tasks["Viết bài thu hoạch nhóm"]["via_unit"] is None
    assert tasks["Viết bài thu hoạch nhóm"]["completed_at"]
    assert tasks["Sinh hoạt chuyên đề tổ"]["via_unit"] == "Tổ 1"
    assert [a["title"] for a in last_year["activities"]] == ["Bài viết về NQ57"]


def test_filters_by_school_year_and_plan(client, world, db):
    old, new = record_of_mai(db, world)
    url = f"/api/v1/participants/{world.teacher.id}/history"
    by_year = history(client, world, f"{url}?year=2024")
    assert [y["year"] for y in by_year["years"]] == [2024]
    assert [p["plan"]["id"] for p in by_year["years"][0]["plans"]] == [old.id]
    by_plan = history(client, world, f"{url}?plan_id={new.id}")
    assert [p["plan"]["id"] for y in by_plan["years"] for p in y["plans"]] == [new.id]
    assert history(client, world, f"{url}?year=2023")["years"] == []


def test_her_own_record_signed_in_or_by_link(client, world, db):
    record_of_mai(db, world)
    db.commit()
    by_staff = history(client, world, f"/api/v1/participants/{world.teacher.id}/history")
    assert history(client, world, "/api/v1/me/history", "member") == by_staff
    assert (
        history(client, world, f"/api/v1/participants/{world.teacher.id}/history", "member")
        == by_staff
    )
    link = client.post(
        f"/api/v1/participants/{world.teacher.id}/links", headers=world.headers("manager")
    )
    assert link.status_code == 201, link.text
    by_link = client.get(f"/api/v1/links/{link.json()['token']}/history")
    assert by_link.status_code == 200 and by_link.json() == by_staff
    assert client.get("/api/v1/links/not-a-real-token/history").status_code == 404


def test_out_of_scope_records_answer_404(client, world, db):
    record_of_mai(db, world)
    history(client, world, f"/api/v1/participants/{world.teacher.id}/history", "other_admin", 404)
    history(client, world, f"/api/v1/participants/{world.colleague.id}/history", "member", 404)
    history(client, world, "/api/v1/participants/999999/history", "manager", 404)
    # A login that is nobody on the staff has no record of its own.
    history(client, world, "/api/v1/me/history", "manager", 403)


def test_acknowledgements_filtered_by_person_and_a_members_own(client, world, db):
    record_of_mai(db, world)
    db.commit()
    mine = client.get(
        f"/api/v1/acknowledgements?participant_id={world.teacher.id}",
        headers=world.headers("manager"),
    ).json()
    assert mine["total"] == 3
    assert {i["participant_id"] for i in mine["items"]} == {world.teacher.id}
    everyone = client.get("/api/v1/acknowledgements", headers=world.headers("manager")).json()
    assert everyone["total"] == 4
    own = client.get("/api/v1/acknowledgements", headers=world.headers("member")).json()
    assert own["total"] == 3
    assert {i["participant_id"] for i in own["items"]} == {world.teacher.id}
    other_school = client.get(
        f"/api/v1/acknowledgements?participant_id={world.teacher.id}",
        headers=world.headers("other_admin"),
    )
    assert other_school.status_code == 404
    colleague = client.get(
        f"/api/v1/acknowledgements?participant_id={world.colleague.id}",
        headers=world.headers("member"),
    )
    assert colleague.status_code == 404  # as her history: a colleague learns nothing of it


def give_a_plan(db, world, person, day: str) -> None:
    """A plan with every kind of record of the person's."""
    plan = make_plan(db, world.school, f"Kế hoạch {day}")
    ack(db, plan, person, day, reflection="Thu hoạch", grade="kha")
    held_session(db, plan, [(person, "present")])
    db.add(
        Activity(
            organization_id=world.school.id,
            plan_id=plan.id,
            kind="video",
            title="Video",
            happened_on=date(2025, 3, 20),
            responsible_unit_id=world.units["Tổ 1"].id,
        )
    )
    make_task(db, plan, person=person)
    make_task(db, plan, unit=world.units["Tổ 1"])


def test_a_constant_number_of_queries(client, world, db, connection):
    url = f"/api/v1/participants/{world.colleague.id}/history"
    give_a_plan(db, world, world.colleague, "2025-03-16")
    history(client, world, url)  # the login's first use writes what later ones only read
    one = count_queries(client, connection, url, headers=world.headers("manager"))
    for day in ("2025-03-17", "2025-03-18", "2025-03-19", "2025-03-20"):
        give_a_plan(db, world, world.colleague, day)
    body = history(client, world, url)
    assert len(body["years"][0]["plans"]) == 5
    assert all(len(p["tasks"]) == 2 and p["activities"] for p in body["years"][0]["plans"])
    assert count_queries(client, connection, url, headers=world.headers("manager")) == one

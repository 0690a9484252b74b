"""The teacher's home follows every change to what the school publishes, at once.

The school's part of the home is cached under the content revision; these tests read a
home (filling the cache), change published content through the API or straight in the
database, and read it again.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from app.core import revision
from app.plans.models import PlanAudienceUnit
from tests.factories import make_plan
from tests.support import count_queries


def link_of(client, world, participant) -> str:
    response = client.post(
        f"/api/v1/participants/{participant.id}/links", headers=world.headers("manager")
    )
    assert response.status_code == 201, response.text
    return f"/api/v1/links/{response.json()['token']}"


def new_session(client, world, plan, **overrides) -> dict:
    start = datetime.now(UTC) + timedelta(minutes=-5)
    body = {
        "plan_id": plan.id,
        "kind": "study",
        "title": "Học tập Nghị quyết 57-NQ/TW",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=1)).isoformat(),
    } | overrides
    response = client.post("/api/v1/sessions", json=body, headers=world.headers("manager"))
    assert response.status_code == 201, response.text
    return response.json()


def test_home_shows_each_published_change_right_away(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    home = link_of(client, world, world.teacher)
    manager = world.headers("manager")
    assert [p["materials"] for p in client.get(home).json()["plans"]] == [[]]

    material = client.post(
        f"/api/v1/plans/{plan.id}/materials",
        json={"title": "Đề cương tuyên truyền", "url": "https://example.vn/de-cuong"},
        headers=manager,
    )
    assert material.status_code == 201, material.text
    page = client.get(home).json()
    assert [m["title"] for m in page["plans"][0]["materials"]] == ["Đề cương tuyên truyền"]

    session = new_session(client, world, plan)
    page = client.get(home).json()
    assert [(s["id"], s["checkin_open"]) for s in page["sessions"]] == [(session["id"], True)]
    renamed = client.patch(
        f"/api/v1/sessions/{session['id']}",
        json={"title": "Tọa đàm chuyển đổi số"},
        headers=manager,
    )
    assert renamed.status_code == 200, renamed.text
    assert client.get(home).json()["sessions"][0]["title"] == "Tọa đàm chuyển đổi số"
    cancelled = client.post(
        f"/api/v1/sessions/{session['id']}/status", json={"status": "cancelled"}, headers=manager
    )
    assert cancelled.status_code == 200, cancelled.text
    assert client.get(home).json()["sessions"][0]["checkin_open"] is False

    closed = client.post(f"/api/v1/plans/{plan.id}/close", headers=manager)
    assert closed.status_code == 200, closed.text
    page = client.get(home).json()
    assert page["plans"][0]["closed"] is True and page["pending_count"] == 0


def test_home_follows_audiences_as_the_database_states_them(client, world, db):
    """Units decide who sees a plan; a change written straight to the database (as another
    process would) is seen too."""
    union_only = make_plan(db, world.school, audience_all=False)
    db.add(PlanAudienceUnit(plan_id=union_only.id, unit_id=world.units["Công đoàn"].id))
    db.commit()
    teacher, colleague = (
        link_of(client, world, world.teacher),
        link_of(client, world, world.colleague),
    )
    assert client.get(teacher).json()["plans"] == []
    assert [p["id"] for p in client.get(colleague).json()["plans"]] == [union_only.id]

    db.exec(sa.update(PlanAudienceUnit).values(unit_id=world.units["Tổ 1"].id))
    db.commit()
    assert [p["id"] for p in client.get(teacher).json()["plans"]] == [union_only.id]
    assert [p["id"] for p in client.get(colleague).json()["plans"]] == [union_only.id]


def test_the_revision_moves_only_with_published_content(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    before = revision.current(db)

    confirmed = client.post(
        f"/api/v1/plans/{plan.id}/acknowledgements", headers=world.headers("member")
    )
    assert confirmed.status_code == 201, confirmed.text
    assert revision.current(db) == before

    make_plan(db, world.school, title="Kế hoạch bị hủy")
    db.rollback()
    db.commit()
    assert revision.current(db) == before

    db.exec(sa.delete(PlanAudienceUnit).where(PlanAudienceUnit.plan_id == plan.id))
    db.commit()
    assert revision.current(db) != before


def test_home_shows_the_persons_own_units_confirmation_attendance_and_tasks(
    client, world, db, connection
):
    plan = make_plan(db, world.school, audience_all=False)
    db.add(PlanAudienceUnit(plan_id=plan.id, unit_id=world.units["Công đoàn"].id))
    db.commit()
    manager = world.headers("manager")
    union = world.units["Công đoàn"].id
    session = new_session(client, world, plan, audience_all=False, audience_unit_ids=[union])
    marked = client.put(
        f"/api/v1/sessions/{session['id']}/attendance/{world.colleague.id}",
        json={"status": "excused", "note": "Nghỉ phép"},
        headers=manager,
    )
    assert marked.status_code == 200, marked.text

    def task(title: str, **assignee) -> int:
        response = client.post(
            "/api/v1/tasks", json={"plan_id": plan.id, "title": title, **assignee}, headers=manager
        )
        assert response.status_code == 201, response.text
        return response.json()["id"]

    task("Viết bài tuyên truyền", assignee_unit_id=union)
    task("Cập nhật kho học liệu", assignee_participant_id=world.colleague.id, due_on="2025-03-20")
    task("Việc của người khác", assignee_participant_id=world.teacher.id)
    done = task("Việc đã xong", assignee_participant_id=world.colleague.id)
    finished = client.post(f"/api/v1/tasks/{done}/status", json={"status": "done"}, headers=manager)
    assert finished.status_code == 200, finished.text

    link = link_of(client, world, world.colleague)
    before = client.get(link).json()
    assert before["person"]["units"] == ["Công đoàn", "Tổ 1"]
    assert before["pending_count"] == 1 and before["plans"][0]["acknowledgement"] is None
    assert [(s["id"], s["my_status"]) for s in before["sessions"]] == [(session["id"], "excused")]
    assert [(t["title"], t["overdue"], t["assigned_to_unit"]) for t in before["tasks"]] == [
        ("Cập nhật kho học liệu", True, None),
        ("Viết bài tuyên truyền", False, "Công đoàn"),
    ]

    confirmed = client.post(f"{link}/acknowledgements/{plan.id}")
    assert confirmed.status_code == 201, confirmed.text
    after = client.get(link).json()
    assert after["pending_count"] == 0
    assert after["plans"][0]["acknowledgement"] == confirmed.json()
    assert confirmed.json()["participant_name"] == "Trần Văn Hùng"
    assert confirmed.json()["method"] == "link"
    # The school's part is cached by now: the person's part is one statement.
    assert count_queries(client, connection, link) == 1

    teacher = client.get(link_of(client, world, world.teacher)).json()
    assert teacher["plans"] == [] and teacher["sessions"] == []
    assert [t["title"] for t in teacher["tasks"]] == ["Việc của người khác"]


def test_home_reads_only_live_memberships(client, world, db):
    """An ended membership takes away the unit's plans, sessions and tasks with the unit."""
    plan = make_plan(db, world.school, audience_all=False)
    union = world.units["Công đoàn"].id
    db.add(PlanAudienceUnit(plan_id=plan.id, unit_id=union))
    db.commit()
    new_session(client, world, plan, audience_all=False, audience_unit_ids=[union])
    task = client.post(
        "/api/v1/tasks",
        headers=world.headers("manager"),
        json={"plan_id": plan.id, "title": "Việc của Công đoàn", "assignee_unit_id": union},
    )
    assert task.status_code == 201, task.text
    home = link_of(client, world, world.colleague)
    page = client.get(home).json()
    assert page["person"]["units"] == ["Công đoàn", "Tổ 1"]
    assert (len(page["plans"]), len(page["sessions"]), len(page["tasks"])) == (1, 1, 1)
    removed = client.delete(
        f"/api/v1/units/{union}/members/{world.colleague.id}",
        headers=world.headers("admin"),
    )
    assert removed.status_code == 204
    page = client.get(home).json()
    assert page["person"]["units"] == ["Tổ 1"]
    assert (page["plans"], page["sessions"], page["tasks"]) == ([], [], [])

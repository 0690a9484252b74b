"""Tasks of a plan: assignment, status workflow, recurrence, filters, evidence and its review."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.authz import Role
from app.core.errors import Conflict
from app.files import service as files
from app.files.models import StoredFile
from app.plans.access import today
from app.tasks import evidence as task_evidence
from app.tasks.models import Task, TaskEvidence
from tests.factories import lead, login_token, make_plan, make_task, make_unit, make_user
from tests.matrix import CALLERS, Endpoint, call_as
from tests.object_store import both_storages, contents

PDF = b"%PDF-1.4 bang chung"


@pytest.fixture(autouse=True)
def uploads(storage):
    """Evidence files go to a throw-away folder (or S3 prefix), not the project's data folder."""
    return storage


@pytest.fixture
def plan(db, world):
    plan = make_plan(db, world.school, period_start=date(2025, 3, 1))
    db.commit()
    return plan


def count(db, model, *where) -> int:
    return db.exec(sa.select(sa.func.count()).select_from(model).where(*where)).one()[0]


def tasks_page(client, world, caller="manager", **params) -> dict:
    response = client.get("/api/v1/tasks", headers=world.headers(caller), params=params)
    assert response.status_code == 200, response.text
    return response.json()


def titles(page: dict) -> set[str]:
    return {t["title"] for t in page["items"]}


def set_status(client, world, task_id: int, status: str, caller: str = "member", **extra):
    return client.post(
        f"/api/v1/tasks/{task_id}/status",
        json={"status": status, **extra},
        headers=world.headers(caller),
    )


def upload(client, world, task_id: int, name="bang-chung.pdf", content=PDF, caller="member"):
    return client.post(
        f"/api/v1/tasks/{task_id}/evidence/file",
        headers=world.headers(caller),
        files={"file": (name, content, "application/pdf")},
        data={"note": "Biên bản sinh hoạt tổ"},
    )


# Creating and editing


def test_manager_assigns_a_task_and_it_is_audited(client, world, db, plan):
    due = today() + timedelta(days=10)
    response = client.post(
        "/api/v1/tasks",
        headers=world.headers("manager"),
        json={
            "plan_id": plan.id,
            "title": "  Tổ chức tọa đàm chuyển đổi số ",
            "section": "III.2",
            "assignee_unit_id": world.units["Tổ 1"].id,
            "due_on": due.isoformat(),
            "priority": "high",
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["title"] == "Tổ chức tọa đàm chuyển đổi số"
    assert (body["assignee_name"], body["assignee_participant_id"]) == ("Tổ 1", None)
    assert (body["plan_title"], body["plan_symbol"]) == (plan.title, plan.symbol)
    assert (body["status"], body["overdue"], body["recurrence"]) == ("todo", False, "none")
    assert body["evidence_counts"] == {"pending": 0, "accepted": 0, "returned": 0}
    event = db.exec(sa.select(AuditEvent).where(AuditEvent.action == "task.create")).scalar_one()
    assert event.entity_id == str(body["id"]) and event.after["priority"] == "high"
    assert event.organization_id == world.school.id


def test_bad_task_input_is_named_and_nothing_saved(client, world, db, plan):
    headers = world.headers("manager")
    base = {"plan_id": plan.id, "title": "Viết bài", "assignee_participant_id": world.teacher.id}
    before = count(db, Task)
    early = client.post("/api/v1/tasks", headers=headers, json={**base, "due_on": "2025-02-28"})
    assert early.status_code == 422
    assert early.headers["content-type"] == "application/problem+json"
    assert early.json()["errors"][0]["field"] == "body.due_on"
    both = client.post(
        "/api/v1/tasks", headers=headers, json={**base, "assignee_unit_id": world.units["Tổ 1"].id}
    )
    assert both.status_code == 422
    assert both.json()["errors"][0]["field"] == "body.assignee_participant_id"
    neither = client.post(
        "/api/v1/tasks", headers=headers, json={"plan_id": plan.id, "title": "Viết bài"}
    )
    assert neither.status_code == 422
    yearly = client.post("/api/v1/tasks", headers=headers, json={**base, "recurrence": "yearly"})
    assert yearly.status_code == 422 and yearly.json()["errors"][0]["field"] == "body.due_on"
    wrong = client.post(
        "/api/v1/tasks", headers=headers, json={**base, "priority": "urgent", "status": "done"}
    )
    assert wrong.status_code == 422
    assert {e["field"] for e in wrong.json()["errors"]} == {"body.priority", "body.status"}
    assert count(db, Task) == before
    assert count(db, AuditEvent, AuditEvent.action == "task.create") == 0


def test_assigning_to_another_school_is_refused_without_a_leak(client, world, db, plan):
    headers = world.headers("manager")
    before = count(db, Task)
    response = client.post(
        "/api/v1/tasks",
        headers=headers,
        json={
            "plan_id": plan.id,
            "title": "Viết bài",
            "assignee_participant_id": world.other_teacher.id,
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.assignee_participant_id"
    assert world.other_teacher.full_name not in response.text
    assert world.other_school.name not in response.text
    assert count(db, Task) == before

    other_unit = make_unit(db, world.other_school, "Tổ 9")
    task = make_task(db, plan, person=world.teacher)
    patched = client.patch(
        f"/api/v1/tasks/{task.id}", headers=headers, json={"assignee_unit_id": other_unit.id}
    )
    assert patched.status_code == 422
    assert patched.json()["errors"][0]["field"] == "body.assignee_unit_id"
    db.refresh(task)
    assert (task.assignee_participant_id, task.assignee_unit_id) == (world.teacher.id, None)


def test_manager_reassigns_and_edits(client, world, db, plan):
    task = make_task(db, plan, person=world.teacher)
    response = client.patch(
        f"/api/v1/tasks/{task.id}",
        headers=world.headers("manager"),
        json={"assignee_unit_id": world.units["Công đoàn"].id, "priority": "low"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["assignee_unit_id"], body["assignee_participant_id"]) == (
        world.units["Công đoàn"].id,
        None,
    )
    assert (body["assignee_name"], body["priority"]) == ("Công đoàn", "low")
    event = db.exec(sa.select(AuditEvent).where(AuditEvent.action == "task.update")).scalar_one()
    assert event.before["assignee_participant_id"] == world.teacher.id
    assert event.after["assignee_unit_id"] == world.units["Công đoàn"].id
    early = client.patch(
        f"/api/v1/tasks/{task.id}", headers=world.headers("manager"), json={"due_on": "2024-12-31"}
    )
    assert early.status_code == 422 and early.json()["errors"][0]["field"] == "body.due_on"
    # The assignee changes nothing but the status (through its own endpoint).
    mine = client.patch(
        f"/api/v1/tasks/{task.id}", headers=world.headers("member"), json={"title": "Khác"}
    )
    assert mine.status_code == 403, mine.text  # hers to see, not to edit
    db.refresh(task)
    assert task.title == "Viết bài tuyên truyền Nghị quyết 57"


# Status workflow


def test_assignee_moves_their_task_along_but_cannot_cancel_or_skip(client, world, db, plan):
    task = make_task(db, plan, person=world.teacher)
    skip = set_status(client, world, task.id, "done")
    assert skip.status_code == 409
    assert skip.json()["type"].endswith("/invalid-transition")
    assert skip.json()["errors"][0]["field"] == "status"
    assert set_status(client, world, task.id, "in_progress").status_code == 200
    assert set_status(client, world, task.id, "todo").status_code == 200
    assert set_status(client, world, task.id, "in_progress").status_code == 200
    assert set_status(client, world, task.id, "cancelled").status_code == 409
    done = set_status(client, world, task.id, "done", note="Đã nộp bài")
    assert done.status_code == 200 and done.json()["completed_at"] is not None
    assert set_status(client, world, task.id, "todo").status_code == 409  # only a manager reopens
    db.refresh(task)
    assert task.status == "done"
    events = db.exec(
        sa.select(AuditEvent).where(AuditEvent.action == "task.status").order_by(AuditEvent.id)
    ).scalars()
    last = list(events)[-1]
    assert (last.before["status"], last.after["status"], last.after["note"]) == (
        "in_progress",
        "done",
        "Đã nộp bài",
    )


def test_manager_cancels_reopens_and_completes(client, world, db, plan):
    task = make_task(db, plan, person=world.teacher)
    assert set_status(client, world, task.id, "cancelled", "manager").status_code == 200
    assert set_status(client, world, task.id, "in_progress", "manager").status_code == 409
    # A cancelled task is reopened to todo, by a manager only.
    assert set_status(client, world, task.id, "todo", "member").status_code == 409
    assert set_status(client, world, task.id, "todo", "manager").status_code == 200
    assert set_status(client, world, task.id, "done", "manager").status_code == 200
    refused = set_status(client, world, task.id, "cancelled", "manager")
    assert refused.status_code == 409 and refused.json()["errors"][0]["field"] == "status"
    reopened = set_status(client, world, task.id, "todo", "manager")
    assert reopened.status_code == 200
    assert (reopened.json()["status"], reopened.json()["completed_at"]) == ("todo", None)


@pytest.mark.parametrize("caller", ["member", "manager", "viewer", "admin"])
def test_the_moves_a_task_offers_are_exactly_those_the_server_accepts(
    client, world, db, plan, caller
):
    task = make_task(db, plan, person=world.teacher)
    moves = 0
    for start in ("todo", "in_progress", "done", "cancelled"):
        task.status = start
        db.commit()
        detail = client.get(f"/api/v1/tasks/{task.id}", headers=world.headers(caller))
        assert detail.status_code == 200, detail.text
        accepted = []
        for target in {"todo", "in_progress", "done", "cancelled"} - {start}:
            if set_status(client, world, task.id, target, caller).status_code == 200:
                accepted.append(target)
                db.refresh(task)
                task.status = start
                db.commit()
        offered = detail.json()["allowed_moves"]
        assert sorted(offered) == sorted(accepted), (caller, start)
        moves += len(accepted)
        assert detail.json()["may_work"] == (caller != "viewer")
        assert detail.json()["may_manage"] == (caller in {"manager", "admin"})
    assert moves == {"member": 3, "manager": 8, "viewer": 0, "admin": 8}[caller]


def test_a_closed_plans_task_offers_no_moves(client, world, db):
    closed = make_plan(db, world.school, status="closed", period_start=date(2025, 3, 1))
    task = make_task(db, closed, person=world.teacher)
    for caller in ("member", "manager"):
        detail = client.get(f"/api/v1/tasks/{task.id}", headers=world.headers(caller)).json()
        assert detail["allowed_moves"] == [] and detail["may_work"] is True


def test_asking_for_the_current_status_changes_nothing(client, world, db, plan):
    task = make_task(db, plan, person=world.teacher, status="in_progress")
    again = set_status(client, world, task.id, "in_progress")
    assert again.status_code == 200 and again.json()["status"] == "in_progress"
    assert count(db, AuditEvent, AuditEvent.action == "task.status") == 0


def test_others_cannot_touch_a_task_that_is_not_theirs(client, world, db, plan):
    task = make_task(db, plan, person=world.colleague)
    for caller, expected in [("member", 403), ("viewer", 403), ("other_admin", 404)]:
        response = set_status(client, world, task.id, "in_progress", caller)
        assert response.status_code == expected, (caller, response.text)
    assert client.get(f"/api/v1/tasks/{task.id}", headers=world.headers("member")).status_code == (
        403
    )
    db.refresh(task)
    assert task.status == "todo"


# Recurrence


def test_a_done_yearly_task_makes_next_years_exactly_once(client, world, db, plan):
    task = make_task(db, plan, person=world.teacher, recurrence="yearly", due_on=date(2026, 5, 31))
    assert set_status(client, world, task.id, "in_progress").status_code == 200
    assert set_status(client, world, task.id, "done").status_code == 200
    copies = list(db.exec(sa.select(Task).where(Task.previous_task_id == task.id)).scalars())
    assert len(copies) == 1
    copy = copies[0]
    assert (copy.due_on, copy.status, copy.recurrence) == (date(2027, 5, 31), "todo", "yearly")
    assert (copy.assignee_participant_id, copy.title) == (world.teacher.id, task.title)
    # Reopened and done again: still one copy.
    assert set_status(client, world, task.id, "todo", "manager").status_code == 200
    assert set_status(client, world, task.id, "done", "manager").status_code == 200
    assert count(db, Task, Task.previous_task_id == task.id) == 1
    assert count(db, AuditEvent, AuditEvent.action == "task.recur") == 1
    listed = tasks_page(client, world, "member", plan_id=plan.id)
    assert sorted(t["due_on"] for t in listed["items"]) == ["2026-05-31", "2027-05-31"]


def test_a_yearly_task_due_on_29_february_recurs_on_28_february(client, world, db, plan):
    task = make_task(db, plan, person=world.teacher, recurrence="yearly", due_on=date(2028, 2, 29))
    assert set_status(client, world, task.id, "done", "manager").status_code == 200
    copy = db.exec(sa.select(Task).where(Task.previous_task_id == task.id)).scalar_one()
    assert copy.due_on == date(2029, 2, 28)


def test_a_task_without_recurrence_makes_no_copy(client, world, db, plan):
    task = make_task(db, plan, person=world.teacher, due_on=date(2026, 5, 31))
    assert set_status(client, world, task.id, "done", "manager").status_code == 200
    assert count(db, Task, Task.previous_task_id == task.id) == 0


# Overdue and filters


def test_overdue_is_derived_and_filterable(client, world, db, plan):
    yesterday = today() - timedelta(days=1)
    late = make_task(db, plan, person=world.teacher, title="Trễ hạn", due_on=yesterday)
    make_task(db, plan, person=world.teacher, title="Xong rồi", due_on=yesterday, status="done")
    make_task(db, plan, person=world.teacher, title="Hủy", due_on=yesterday, status="cancelled")
    make_task(db, plan, person=world.teacher, title="Hôm nay", due_on=today())
    make_task(db, plan, person=world.teacher, title="Không hạn")
    assert "overdue" not in Task.__table__.columns  # derived, never stored
    detail = client.get(f"/api/v1/tasks/{late.id}", headers=world.headers("member")).json()
    assert detail["overdue"] is True and detail["evidence"] == []
    assert titles(tasks_page(client, world, overdue="true")) == {"Trễ hạn"}
    assert titles(tasks_page(client, world, overdue="false")) == {
        "Xong rồi",
        "Hủy",
        "Hôm nay",
        "Không hạn",
    }
    flags = {t["title"]: t["overdue"] for t in tasks_page(client, world)["items"]}
    assert flags == {
        "Trễ hạn": True,
        "Xong rồi": False,
        "Hủy": False,
        "Hôm nay": False,
        "Không hạn": False,
    }


def test_due_this_week_filter_and_sorting(client, world, db, plan):
    day = today()
    make_task(db, plan, person=world.teacher, title="Hôm qua", due_on=day - timedelta(days=1))
    make_task(db, plan, person=world.teacher, title="Hôm nay", due_on=day, priority="low")
    make_task(
        db, plan, person=world.teacher, title="Ba ngày", due_on=day + timedelta(3), priority="high"
    )
    make_task(db, plan, person=world.teacher, title="Bảy ngày", due_on=day + timedelta(7))
    make_task(db, plan, person=world.teacher, title="Mười ngày", due_on=day + timedelta(10))
    make_task(db, plan, person=world.teacher, title="Không hạn")
    week = tasks_page(client, world, due_within_days=7)
    assert [t["title"] for t in week["items"]] == ["Hôm nay", "Ba ngày", "Bảy ngày"]
    assert week["total"] == 3
    by_due = [t["title"] for t in tasks_page(client, world, sort="-due_on")["items"]]
    assert by_due == ["Mười ngày", "Bảy ngày", "Ba ngày", "Hôm nay", "Hôm qua", "Không hạn"]
    by_priority = [t["title"] for t in tasks_page(client, world, sort="priority")["items"]]
    assert by_priority[0] == "Ba ngày" and by_priority[-1] == "Hôm nay"
    page = tasks_page(client, world, limit=2, offset=4)
    assert page["total"] == 6 and [t["title"] for t in page["items"]] == ["Mười ngày", "Không hạn"]
    assert titles(tasks_page(client, world, q="ngày")) == {"Ba ngày", "Bảy ngày", "Mười ngày"}
    too_far = client.get(
        "/api/v1/tasks", headers=world.headers("manager"), params={"due_within_days": 400}
    )
    assert too_far.status_code == 422


def test_mine_and_unit_filters(client, world, db, plan):
    to1 = world.units["Tổ 1"]
    make_task(db, plan, unit=to1, title="Của Tổ 1")
    make_task(db, plan, person=world.teacher, title="Của cô Mai")
    make_task(db, plan, person=world.colleague, title="Của thầy Hùng")
    make_task(db, plan, unit=world.units["Công đoàn"], title="Của Công đoàn")
    # A teacher in Tổ 1 sees her own task and Tổ 1's, whether or not she asks for "mine".
    assert titles(tasks_page(client, world, "member", mine="true")) == {"Của Tổ 1", "Của cô Mai"}
    assert titles(tasks_page(client, world, "member")) == {"Của Tổ 1", "Của cô Mai"}
    # The manager sees all; a unit's tasks include its members' tasks.
    assert tasks_page(client, world)["total"] == 4
    assert titles(tasks_page(client, world, unit_id=to1.id)) == {
        "Của Tổ 1",
        "Của cô Mai",
        "Của thầy Hùng",
    }
    assert titles(tasks_page(client, world, assignee_participant_id=world.colleague.id)) == {
        "Của thầy Hùng"
    }
    assert tasks_page(client, world, mine="true")["total"] == 0  # the manager has no staff record
    assert tasks_page(client, world, "viewer")["total"] == 4
    assert tasks_page(client, world, "other_admin")["total"] == 0
    assert tasks_page(client, world, "token")["total"] == 0
    assert tasks_page(client, world, status="todo", plan_id=plan.id)["total"] == 4


def test_a_unit_leader_sees_and_updates_the_units_tasks(client, world, db, plan):
    theirs = make_task(db, plan, person=world.colleague, title="Của thầy Hùng")
    make_task(db, plan, unit=world.units["Công đoàn"], title="Của Công đoàn")
    assert set_status(client, world, theirs.id, "in_progress").status_code == 403
    lead(db, world.teacher, world.units["Tổ 1"])
    assert titles(tasks_page(client, world, "member")) == {"Của thầy Hùng"}
    assert tasks_page(client, world, "member", mine="true")["total"] == 0
    assert set_status(client, world, theirs.id, "in_progress").status_code == 200
    assert set_status(client, world, theirs.id, "cancelled").status_code == 409


def test_a_unit_member_updates_the_units_task(client, world, db, plan):
    task = make_task(db, plan, unit=world.units["Tổ 1"])
    assert set_status(client, world, task.id, "in_progress").status_code == 200
    added = client.post(
        f"/api/v1/tasks/{task.id}/evidence",
        headers=world.headers("member"),
        json={"kind": "link", "url": "https://thnbk.edu.vn/bai-viet-nq57"},
    )
    assert added.status_code == 201
    assert added.json()["submitted_by_name"] == "Nguyễn Thị Mai"


def test_the_list_takes_a_fixed_number_of_queries(client, world, db, plan, connection):
    statements: list[str] = []

    def listen(conn, cursor, statement, *args):
        statements.append(statement)

    def queries_for_list() -> int:
        statements.clear()
        sa.event.listen(connection, "before_cursor_execute", listen)
        try:
            tasks_page(client, world)
        finally:
            sa.event.remove(connection, "before_cursor_execute", listen)
        return len(statements)

    for i in range(2):
        make_task(db, plan, person=world.teacher, title=f"Việc {i}")
    few = queries_for_list()
    assert few > 0
    for i in range(2, 12):
        task = make_task(db, plan, unit=world.units["Tổ 1"], title=f"Việc {i}")
        db.add(TaskEvidence(task_id=task.id, kind="note", note="Đã làm"))
    db.commit()
    assert tasks_page(client, world)["total"] == 12
    assert queries_for_list() == few


# Evidence


def test_evidence_links_and_notes(client, world, db, plan):
    task = make_task(db, plan, person=world.teacher)
    url = f"/api/v1/tasks/{task.id}/evidence"
    headers = world.headers("member")
    link = client.post(
        url, headers=headers, json={"kind": "link", "url": "https://facebook.com/thnbk/posts/1"}
    )
    assert link.status_code == 201, link.text
    assert link.json()["review_status"] == "pending"
    note = client.post(url, headers=headers, json={"kind": "note", "note": "Đã học xong."})
    assert note.status_code == 201
    for bad in (
        {"kind": "link"},
        {"kind": "link", "url": "javascript:alert(1)"},
        {"kind": "note"},
        {"kind": "file"},
    ):
        assert client.post(url, headers=headers, json=bad).status_code == 422, bad
    detail = client.get(f"/api/v1/tasks/{task.id}", headers=headers).json()
    assert [e["kind"] for e in detail["evidence"]] == ["link", "note"]
    assert detail["evidence_counts"] == {"pending": 2, "accepted": 0, "returned": 0}
    assert count(db, AuditEvent, AuditEvent.action == "task.evidence.add") == 2


@both_storages
def test_evidence_file_upload_and_download_only_for_those_allowed(client, world, db, plan, uploads):
    task = make_task(db, plan, person=world.teacher)
    response = upload(client, world, task.id)
    assert response.status_code == 201, response.text
    evidence = response.json()
    assert (evidence["kind"], evidence["file_name"], evidence["file_size"]) == (
        "file",
        "bang-chung.pdf",
        len(PDF),
    )
    assert evidence["note"] == "Biên bản sinh hoạt tổ"
    assert contents(uploads) == [PDF]
    url = f"/api/v1/tasks/{task.id}/evidence/{evidence['id']}/file"
    for caller in ("member", "manager", "viewer", "admin"):
        download = client.get(url, headers=world.headers(caller))
        assert download.status_code == 200, caller
        assert download.content == PDF
        assert download.headers["content-type"] == "application/pdf"
    colleague_user = make_user(db, "gv002", world.school, Role.MEMBER, world.colleague)
    db.commit()
    colleague = {"Authorization": f"Bearer {login_token(db, colleague_user)}"}
    db.commit()
    for headers, expected in [
        (colleague, 403),
        (world.headers("other_admin"), 404),
        (world.headers("token"), 403),
        (world.headers("anonymous"), 401),
    ]:
        refused = client.get(url, headers=headers)
        assert refused.status_code == expected
        assert PDF not in refused.content
    # Evidence of another task is not reachable through this one.
    other = make_task(db, plan, person=world.teacher, title="Việc khác")
    assert (
        client.get(
            f"/api/v1/tasks/{other.id}/evidence/{evidence['id']}/file",
            headers=world.headers("member"),
        ).status_code
        == 404
    )


@both_storages
def test_a_file_too_large_is_413_and_nothing_saved(client, world, db, plan, monkeypatch, uploads):
    task = make_task(db, plan, person=world.teacher)
    monkeypatch.setattr(files, "MAX_UPLOAD_BYTES", 1024)
    response = upload(client, world, task.id, content=PDF + b"0" * 2000)
    assert response.status_code == 413
    assert response.json()["errors"][0]["field"] == "file"
    assert count(db, TaskEvidence) == 0 and count(db, StoredFile) == 0
    assert uploads.all_keys() == []


@both_storages
def test_an_upload_whose_write_fails_leaves_no_file_behind(
    client, world, db, plan, monkeypatch, uploads
):
    """The file is written before its row commits; a transaction that fails takes it away."""
    task = make_task(db, plan, person=world.teacher)

    def refuse(*args, **kwargs):
        raise Conflict("audit refused")

    with monkeypatch.context() as patched:
        patched.setattr(task_evidence.audit, "record", refuse)
        assert upload(client, world, task.id).status_code == 409
    assert count(db, TaskEvidence) == 0 and count(db, StoredFile) == 0
    assert uploads.all_keys() == []
    assert upload(client, world, task.id).status_code == 201
    assert contents(uploads) == [PDF]


@both_storages
def test_wrong_type_or_a_path_in_the_name_is_refused(client, world, db, plan, uploads):
    task = make_task(db, plan, person=world.teacher)
    assert upload(client, world, task.id, name="virus.exe", content=b"MZ...").status_code == 415
    assert upload(client, world, task.id, name="fake.pdf", content=b"MZ...").status_code == 415
    path = upload(client, world, task.id, name="../../etc/bang-chung.pdf")
    assert path.status_code == 422 and path.json()["errors"][0]["field"] == "file"
    assert count(db, TaskEvidence) == 0 and count(db, StoredFile) == 0
    assert uploads.all_keys() == []


def test_review_accepts_or_returns_with_a_comment(client, world, db, plan):
    task = make_task(db, plan, person=world.teacher)
    headers = world.headers("member")
    url = f"/api/v1/tasks/{task.id}/evidence"
    first = client.post(url, headers=headers, json={"kind": "note", "note": "Bài thu hoạch"}).json()
    second = client.post(
        url, headers=headers, json={"kind": "link", "url": "https://example.vn/a"}
    ).json()
    review = f"{url}/{first['id']}/review"
    assert client.post(review, headers=headers, json={"decision": "accept"}).status_code == 403
    no_comment = client.post(review, headers=world.headers("manager"), json={"decision": "return"})
    assert no_comment.status_code == 422
    assert no_comment.json()["errors"][0]["field"] == "body.comment"
    assert db.get(TaskEvidence, first["id"]).review_status == "pending"
    returned = client.post(
        review,
        headers=world.headers("manager"),
        json={"decision": "return", "comment": "Cần bổ sung ảnh chụp"},
    )
    assert returned.status_code == 200
    assert (returned.json()["review_status"], returned.json()["review_comment"]) == (
        "returned",
        "Cần bổ sung ảnh chụp",
    )
    accepted = client.post(
        f"{url}/{second['id']}/review",
        headers=world.headers("manager"),
        json={"decision": "accept"},
    )
    assert accepted.status_code == 200
    assert accepted.json()["reviewed_by_id"] == world.users["manager"].id
    assert accepted.json()["reviewed_at"] is not None
    counts = client.get(f"/api/v1/tasks/{task.id}", headers=headers).json()["evidence_counts"]
    assert counts == {"pending": 0, "accepted": 1, "returned": 1}
    event = (
        db.exec(
            sa.select(AuditEvent)
            .where(AuditEvent.action == "task.evidence.review")
            .order_by(AuditEvent.id)
        )
        .scalars()
        .first()
    )
    assert (event.before["review_status"], event.after["review_status"]) == ("pending", "returned")
    # Accepted evidence stays unless a manager removes it; the submitter removes the rest.
    assert client.delete(f"{url}/{second['id']}", headers=headers).status_code == 409
    assert client.delete(f"{url}/{first['id']}", headers=headers).status_code == 204
    assert (
        client.delete(f"{url}/{second['id']}", headers=world.headers("manager")).status_code == 204
    )
    assert count(db, TaskEvidence, TaskEvidence.task_id == task.id) == 0


def test_a_member_cannot_remove_evidence_of_others(client, world, db, plan):
    task = make_task(db, plan, unit=world.units["Tổ 1"])
    evidence = client.post(
        f"/api/v1/tasks/{task.id}/evidence",
        headers=world.headers("manager"),
        json={"kind": "note", "note": "Ghi chú của quản lý"},
    ).json()
    removed = client.delete(
        f"/api/v1/tasks/{task.id}/evidence/{evidence['id']}", headers=world.headers("member")
    )
    assert removed.status_code == 403
    assert count(db, TaskEvidence, TaskEvidence.id == evidence["id"]) == 1


# Bulk updates


def test_bulk_update_changes_all(client, world, db, plan):
    one = make_task(db, plan, person=world.teacher, title="Một")
    two = make_task(db, plan, unit=world.units["Tổ 1"], title="Hai", status="in_progress")
    due = today() + timedelta(days=5)
    response = client.post(
        "/api/v1/tasks/bulk",
        headers=world.headers("manager"),
        json={
            "task_ids": [one.id, two.id],
            "status": "done",
            "assignee_participant_id": world.colleague.id,
            "due_on": due.isoformat(),
        },
    )
    assert response.status_code == 200, response.text
    assert [t["id"] for t in response.json()] == [one.id, two.id]
    for task in response.json():
        assert (task["status"], task["assignee_name"], task["due_on"]) == (
            "done",
            "Trần Văn Hùng",
            due.isoformat(),
        )
        assert task["assignee_unit_id"] is None and task["completed_at"] is not None
    assert count(db, AuditEvent, AuditEvent.action == "task.bulk_update") == 2


def test_bulk_update_is_all_or_nothing(client, world, db, plan):
    one = make_task(db, plan, person=world.teacher, title="Một")
    cancelled = make_task(db, plan, person=world.teacher, title="Hai", status="cancelled")
    headers = world.headers("manager")

    def bulk(**body):
        return client.post("/api/v1/tasks/bulk", headers=headers, json=body)

    jump = bulk(task_ids=[one.id, cancelled.id], status="in_progress")
    assert jump.status_code == 422 and jump.json()["errors"][0]["field"] == "body.status"
    assert str(cancelled.id) in jump.json()["errors"][0]["message"]
    unknown = bulk(task_ids=[one.id, 999_999], status="in_progress")
    assert unknown.status_code == 404
    other_plan = make_plan(db, world.other_school, period_start=date(2025, 3, 1))
    theirs = make_task(db, other_plan, person=world.other_teacher)
    foreign = bulk(task_ids=[one.id, theirs.id], status="in_progress")
    assert foreign.status_code == 404
    assert world.other_teacher.full_name not in foreign.text
    stranger = bulk(task_ids=[one.id], assignee_participant_id=world.other_teacher.id)
    assert stranger.status_code == 422
    assert stranger.json()["errors"][0]["field"] == "body.assignee_participant_id"
    early = bulk(task_ids=[one.id], due_on="2025-01-01")
    assert early.status_code == 422 and early.json()["errors"][0]["field"] == "body.due_on"
    assert bulk(task_ids=[one.id]).status_code == 422  # nothing to change
    assert bulk(task_ids=[]).status_code == 422
    member = client.post(
        "/api/v1/tasks/bulk",
        headers=world.headers("member"),
        json={"task_ids": [one.id], "status": "in_progress"},
    )
    assert member.status_code == 403
    for task in (one, cancelled, theirs):
        db.refresh(task)
    assert (one.status, one.assignee_participant_id, one.due_on) == ("todo", world.teacher.id, None)
    assert cancelled.status == "cancelled" and theirs.status == "todo"
    assert count(db, AuditEvent, AuditEvent.action == "task.bulk_update") == 0


def test_bulk_done_on_a_yearly_task_makes_next_years(client, world, db, plan):
    task = make_task(db, plan, person=world.teacher, recurrence="yearly", due_on=date(2026, 12, 15))
    response = client.post(
        "/api/v1/tasks/bulk",
        headers=world.headers("manager"),
        json={"task_ids": [task.id], "status": "done"},
    )
    assert response.status_code == 200
    copy = db.exec(sa.select(Task).where(Task.previous_task_id == task.id)).scalar_one()
    assert copy.due_on == date(2027, 12, 15)


# A closed plan


def test_tasks_of_a_closed_plan_are_read_only(client, world, db):
    closed = make_plan(db, world.school, status="closed", period_start=date(2025, 3, 1))
    task = make_task(db, closed, person=world.teacher)
    evidence = TaskEvidence(task_id=task.id, kind="note", note="Đã làm")
    db.add(evidence)
    db.commit()
    manager, member = world.headers("manager"), world.headers("member")
    attempts = [
        client.post(
            "/api/v1/tasks",
            headers=manager,
            json={
                "plan_id": closed.id,
                "title": "Mới",
                "assignee_participant_id": world.teacher.id,
            },
        ),
        client.patch(f"/api/v1/tasks/{task.id}", headers=manager, json={"title": "Khác"}),
        set_status(client, world, task.id, "in_progress"),
        client.post(
            "/api/v1/tasks/bulk", headers=manager, json={"task_ids": [task.id], "status": "done"}
        ),
        client.post(
            f"/api/v1/tasks/{task.id}/evidence", headers=member, json={"kind": "note", "note": "x"}
        ),
        upload(client, world, task.id),
        client.post(
            f"/api/v1/tasks/{task.id}/evidence/{evidence.id}/review",
            headers=manager,
            json={"decision": "accept"},
        ),
        client.delete(f"/api/v1/tasks/{task.id}/evidence/{evidence.id}", headers=manager),
    ]
    for response in attempts:
        assert response.status_code == 409, response.text
        assert response.json()["type"].endswith("/plan-closed")
    assert client.get(f"/api/v1/tasks/{task.id}", headers=member).status_code == 200
    db.refresh(task)
    assert (task.title, task.status) == ("Viết bài tuyên truyền Nghị quyết 57", "todo")
    assert count(db, Task, Task.plan_id == closed.id) == 1
    assert count(db, TaskEvidence, TaskEvidence.task_id == task.id) == 1


# Permission matrix

RULES: dict[str, dict[str, int | str]] = {
    # Lists filtered to what the caller may see.
    "scoped_list": dict.fromkeys(CALLERS, "ok") | {"anonymous": 401},
    # Reading a colleague's task: a reading role over the school.
    "task_read": {
        "anonymous": 401,
        "member": 403,
        "manager": "ok",
        "viewer": "ok",
        "admin": "ok",
        "other_admin": 404,
        "token": 403,
    },
    # Writing tasks: managers and admins of the school.
    "task_write": {
        "anonymous": 401,
        "member": 403,
        "manager": "ok",
        "viewer": 403,
        "admin": "ok",
        "other_admin": 404,
        "token": 403,
    },
    # Reading one's own task: the assignee too.
    "own_read": {
        "anonymous": 401,
        "member": "ok",
        "manager": "ok",
        "viewer": "ok",
        "admin": "ok",
        "other_admin": 404,
        "token": 403,
    },
    # Working on one's own task (status, evidence): the assignee and managers, not viewers.
    "own_work": {
        "anonymous": 401,
        "member": "ok",
        "manager": "ok",
        "viewer": 403,
        "admin": "ok",
        "other_admin": 404,
        "token": 403,
    },
}


def endpoints(db, world) -> list[Endpoint]:
    plan = make_plan(db, world.school, period_start=date(2025, 3, 1))
    own = make_task(db, plan, person=world.teacher, title="Của cô Mai")
    theirs = make_task(db, plan, person=world.colleague, title="Của thầy Hùng")
    stored = files.save_upload(
        db, organization_id=world.school.id, filename="a.pdf", content=PDF, uploaded_by_id=None
    )
    own_file = TaskEvidence(task_id=own.id, kind="file", file_id=stored.id)
    their_file = TaskEvidence(task_id=theirs.id, kind="file", file_id=stored.id)
    their_note = TaskEvidence(task_id=theirs.id, kind="note", note="Ghi chú")
    db.add_all([own_file, their_file, their_note])
    db.commit()
    o, t = f"/api/v1/tasks/{own.id}", f"/api/v1/tasks/{theirs.id}"
    pdf = {"file": ("bang-chung.pdf", PDF, "application/pdf")}
    return [
        Endpoint("GET", "/api/v1/tasks", "scoped_list"),
        Endpoint("GET", f"/api/v1/tasks?plan_id={plan.id}&mine=true", "scoped_list"),
        Endpoint(
            "POST",
            "/api/v1/tasks",
            "task_write",
            201,
            {"plan_id": plan.id, "title": "Mới", "assignee_unit_id": world.units["Tổ 1"].id},
        ),
        Endpoint("GET", o, "own_read"),
        Endpoint("GET", t, "task_read"),
        Endpoint("GET", f"{o}/evidence", "own_read"),
        Endpoint("GET", f"{t}/evidence", "task_read"),
        Endpoint("GET", f"{o}/evidence/{own_file.id}/file", "own_read"),
        Endpoint("GET", f"{t}/evidence/{their_file.id}/file", "task_read"),
        Endpoint("PATCH", o, "task_write", json={"priority": "high"}),
        Endpoint("PATCH", t, "task_write", json={"assignee_participant_id": world.teacher.id}),
        Endpoint("POST", f"{o}/status", "own_work", json={"status": "in_progress"}),
        Endpoint("POST", f"{t}/status", "task_write", json={"status": "cancelled"}),
        Endpoint(
            "POST",
            "/api/v1/tasks/bulk",
            "task_write",
            json={"task_ids": [own.id, theirs.id], "status": "in_progress"},
        ),
        Endpoint(
            "POST", f"{o}/evidence", "own_work", 201, {"kind": "link", "url": "https://a.vn/b"}
        ),
        Endpoint("POST", f"{t}/evidence", "task_write", 201, {"kind": "note", "note": "Ghi chú"}),
        Endpoint("POST", f"{o}/evidence/file", "own_work", 201, files=pdf),
        Endpoint("POST", f"{t}/evidence/file", "task_write", 201, files=pdf),
        Endpoint(
            "POST", f"{o}/evidence/{own_file.id}/review", "task_write", json={"decision": "accept"}
        ),
        Endpoint("DELETE", f"{t}/evidence/{their_note.id}", "task_write", 204),
    ]


ENDPOINT_COUNT = 20


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("index", range(ENDPOINT_COUNT))
def test_task_permission_matrix(client, world, db, caller, index):
    all_endpoints = endpoints(db, world)
    assert len(all_endpoints) == ENDPOINT_COUNT
    endpoint = all_endpoints[index]
    before = count(db, AuditEvent)
    response, expected = call_as(client, world, endpoint, caller, RULES)
    if expected >= 400:
        assert count(db, AuditEvent) == before  # a refusal writes nothing
    if expected == 404:
        assert "Của" not in response.text
    if endpoint.method != "GET" and expected < 400:
        # Every write is audited: once for each task it changes.
        changed = len(endpoint.json["task_ids"]) if endpoint.path.endswith("/bulk") else 1
        assert count(db, AuditEvent) == before + changed

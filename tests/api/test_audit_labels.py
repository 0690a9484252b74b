"""The audit log names the records its events are about, within the caller's scope only."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from app.acknowledgements.models import Acknowledgement
from app.activities.models import Activity
from app.audit import trail as audit
from app.auth.models import RoleAssignment
from app.authz import Role
from app.reports.models import Report
from app.study_sessions.models import StudySession
from app.tasks.models import Task
from tests.factories import (
    api_token,
    login_token,
    make_participant,
    make_plan,
    make_unit,
    make_user,
)
from tests.support import count_queries

AUDIT = "/api/v1/audit"


def page(client, world, caller: str = "admin", **params) -> list[dict]:
    response = client.get(AUDIT, headers=world.headers(caller), params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    return response.json()["items"]


def labels(client, world, caller: str = "admin", **params) -> dict[tuple[str, str], str | None]:
    return {
        (e["entity_type"], e["entity_id"]): e["entity_label"]
        for e in page(client, world, caller, **params)
    }


def log(db, entity_type: str, entity_id: int, organization_id: int) -> None:
    audit.record(
        db,
        None,
        f"{entity_type}.update",
        entity_type=entity_type,
        entity_id=entity_id,
        organization_id=organization_id,
    )


def school_records(db, world, index: int = 0) -> dict[tuple[str, str], str]:
    """A record of every kind the log names, in the school, each with an event; returns the
    name each should be shown with, by (entity_type, entity_id)."""
    school = world.school
    now = datetime(2025, 3, 10, 1, 0, tzinfo=UTC)
    plan = make_plan(db, school, title=f"Kế hoạch học tập {index}")
    draft = make_plan(db, school, title=f"Dự thảo kế hoạch {index}", status="draft")
    unit = make_unit(db, school, f"Tổ chuyên môn {index}")
    person = make_participant(db, school, f"Phạm Văn Bình {index}", f"PB{index:03d}")
    token, _ = api_token(db, school, world.users["admin"], ["reports:read"])
    role = db.exec(
        sa.select(RoleAssignment).where(RoleAssignment.user_id == world.users["manager"].id)
    ).scalar_one()
    task = Task(
        plan_id=plan.id, organization_id=school.id, title="Viết bài", assignee_unit_id=unit.id
    )
    session = StudySession(
        plan_id=plan.id,
        organization_id=school.id,
        title="Học tập chuyên đề Nghị quyết 57",
        starts_at=now,
        ends_at=now + timedelta(hours=2),
        checkin_secret="s" * 32,
    )
    activity = Activity(
        plan_id=plan.id,
        organization_id=school.id,
        kind="video",
        title="Video giới thiệu Nghị quyết 57",
        happened_on=date(2025, 3, 12),
    )
    report = Report(
        plan_id=plan.id,
        organization_id=school.id,
        number=index + 1,
        year=2025,
        symbol=f"{index + 1:02d}/BC-THNBK",
        issued_on=date(2025, 3, 31),
        title="Báo cáo kết quả học tập",
    )
    confirmation = Acknowledgement(
        plan_id=plan.id,
        participant_id=person.id,
        organization_id=school.id,
        material_major=1,
        confirmed_at=now,
        method="self",
    )
    db.add_all([task, session, activity, report, confirmation])
    db.flush()
    expected = {
        ("organization", school.id): "Trường Tiểu học Nguyễn Bỉnh Khiêm",
        ("unit", unit.id): unit.name,
        ("participant", person.id): person.full_name,
        ("user", world.users["admin"].id): "Bùi Can",
        ("role_assignment", role.id): "manager",
        ("api_token", token.id): token.name,
        ("plan", plan.id): plan.symbol,
        ("plan", draft.id): draft.title,
        ("task", task.id): "Viết bài",
        ("session", session.id): "Học tập chuyên đề Nghị quyết 57",
        ("activity", activity.id): "Video giới thiệu Nghị quyết 57",
        ("report", report.id): report.symbol,
        ("acknowledgement", confirmation.id): f"{person.full_name} ({plan.symbol})",
    }
    for entity_type, entity_id in expected:
        log(db, entity_type, entity_id, school.id)
    db.commit()
    return {(kind, str(entity_id)): name for (kind, entity_id), name in expected.items()}


def test_every_kind_of_record_is_named(client, world, db):
    expected = school_records(db, world)
    found = labels(client, world)
    assert {key: found.get(key) for key in expected} == expected


def test_an_edit_through_the_api_is_named_and_keeps_its_fields(client, world):
    headers = world.headers("admin")
    edited = client.patch(
        f"/api/v1/participants/{world.teacher.id}", headers=headers, json={"position": "Tổ trưởng"}
    )
    assert edited.status_code == 200, edited.text
    [event] = page(client, world, action="participant.update")
    assert event["entity_label"] == "Nguyễn Thị Mai"
    assert event["entity_type"] == "participant" and event["entity_id"] == str(world.teacher.id)
    assert event["actor_label"] and event["after"]["position"] == "Tổ trưởng"
    assert event["actor_name"] == world.users["admin"].display_name
    assert event["organization_id"] == world.school.id and event["request_id"]


def test_an_archived_record_keeps_its_name_and_one_that_is_gone_has_none(client, world):
    headers = world.headers("admin")
    unit = client.post(
        f"/api/v1/orgs/{world.school.id}/units", headers=headers, json={"name": "Tổ tạm"}
    ).json()
    assert client.delete(f"/api/v1/units/{unit['id']}", headers=headers).status_code == 204
    events = page(client, world, entity_type="unit", entity_id=str(unit["id"]))
    assert [(e["action"], e["entity_label"]) for e in events] == [
        ("unit.archive", "Tổ tạm"),
        ("unit.create", "Tổ tạm"),
    ]
    member = world.users["member"]
    removed = client.delete(f"/api/v1/orgs/{world.school.id}/roles/{member.id}", headers=headers)
    assert removed.status_code == 204
    [event] = page(client, world, action="role.remove")
    assert event["entity_type"] == "role_assignment" and event["entity_label"] is None


def test_a_fixed_number_of_queries_whatever_the_page_size(client, world, db, connection):
    headers = world.headers("admin")
    school_records(db, world, 0)
    few = count_queries(client, connection, f"{AUDIT}?limit=500", headers=headers)
    for index in range(1, 21):
        school_records(db, world, index)
    assert len(page(client, world)) > 20 * 13
    many = count_queries(client, connection, f"{AUDIT}?limit=500", headers=headers)
    # The newest 13 events are one batch: every kind of record again, on a short page.
    short = count_queries(client, connection, f"{AUDIT}?limit=13", headers=headers)
    assert few == many == short


def test_no_name_from_another_organisation(client, world, db):
    edited = client.patch(
        f"/api/v1/participants/{world.other_teacher.id}",
        headers=world.headers("other_admin"),
        json={"position": "Giáo viên"},
    )
    assert edited.status_code == 200, edited.text
    # Events of the school naming records of the other school (stray ids): the school's
    # admin sees these events, never the other school's names.
    other_plan = make_plan(db, world.other_school, title="Kế hoạch của trường khác")
    log(db, "participant", world.other_teacher.id, world.school.id)
    log(db, "plan", other_plan.id, world.school.id)
    district_admin = make_user(db, "district-admin", world.district, Role.ADMIN)
    world.tokens["district_admin"] = login_token(db, district_admin)
    db.commit()
    strays = {("participant", str(world.other_teacher.id)), ("plan", str(other_plan.id))}

    response = client.get(AUDIT, headers=world.headers("admin"), params={"limit": 500})
    assert "Lê Thị Hoa" not in response.text and other_plan.title not in response.text
    school = response.json()["items"]
    assert {e["organization_id"] for e in school} == {world.school.id}
    assert {
        (e["entity_type"], e["entity_id"]): e["entity_label"]
        for e in school
        if (e["entity_type"], e["entity_id"]) in strays
    } == dict.fromkeys(strays)

    [own] = page(client, world, "other_admin", action="participant.update")
    assert own["organization_id"] == world.other_school.id
    assert own["entity_label"] == "Lê Thị Hoa"

    whole = page(client, world, "district_admin", action="participant.update")
    assert sorted((e["organization_id"], e["entity_label"]) for e in whole) == sorted(
        [(world.school.id, "Lê Thị Hoa"), (world.other_school.id, "Lê Thị Hoa")]
    )


def test_the_ids_in_before_and_after_are_named(client, world, db):
    plan = make_plan(db, world.school, title="Kế hoạch học tập")
    db.commit()
    headers = world.headers("admin")
    units = world.units
    created = client.post(
        "/api/v1/tasks",
        headers=headers,
        json={"plan_id": plan.id, "title": "Viết bài", "assignee_unit_id": units["Tổ 1"].id},
    )
    assert created.status_code == 201, created.text
    moved = client.patch(
        f"/api/v1/tasks/{created.json()['id']}",
        headers=headers,
        json={"assignee_participant_id": world.teacher.id, "assignee_unit_id": None},
    )
    assert moved.status_code == 200, moved.text
    [update, create] = page(client, world, entity_type="task")
    assert create["after"]["organization_id"] == world.school.id
    assert create["value_names"] == {
        "organization_id": {str(world.school.id): "Trường Tiểu học Nguyễn Bỉnh Khiêm"},
        "plan_id": {str(plan.id): plan.symbol},
        "assignee_unit_id": {str(units["Tổ 1"].id): "Tổ 1"},
        "created_by_id": {str(world.users["admin"].id): "Bùi Can"},
    }
    assert update["value_names"]["assignee_unit_id"] == {str(units["Tổ 1"].id): "Tổ 1"}
    assert update["value_names"]["assignee_participant_id"] == {
        str(world.teacher.id): "Nguyễn Thị Mai"
    }


def test_a_list_of_ids_is_named_and_a_stray_id_is_not(client, world, db):
    audit.record(
        db,
        None,
        "session.update",
        entity_type="session",
        entity_id=1,
        organization_id=world.school.id,
        before={"audience_unit_ids": [world.units["Tổ 1"].id]},
        after={
            "audience_unit_ids": [world.units["Tổ 1"].id, world.units["Công đoàn"].id],
            "participant_id": world.other_teacher.id,
            "unit_id": True,
        },
    )
    db.commit()
    [event] = page(client, world, action="session.update")
    assert event["value_names"] == {
        "audience_unit_ids": {
            str(world.units["Tổ 1"].id): "Tổ 1",
            str(world.units["Công đoàn"].id): "Công đoàn",
        }
    }


def test_names_in_before_and_after_take_no_query_per_event(client, world, db, connection):
    headers = world.headers("admin")
    plan = make_plan(db, world.school, title="Kế hoạch học tập")
    unit = world.units["Tổ 1"]

    def events(n: int) -> None:
        for _ in range(n):
            audit.record(
                db,
                None,
                "task.update",
                entity_type="task",
                entity_id=1,
                organization_id=world.school.id,
                after={
                    "organization_id": world.school.id,
                    "plan_id": plan.id,
                    "assignee_unit_id": unit.id,
                    "assignee_participant_id": world.teacher.id,
                    "task_id": 1,
                    "session_id": 1,
                    "created_by_id": world.users["admin"].id,
                },
            )
        db.commit()

    events(1)
    few = count_queries(client, connection, f"{AUDIT}?limit=500", headers=headers)
    events(40)
    many = count_queries(client, connection, f"{AUDIT}?limit=500", headers=headers)
    assert few == many

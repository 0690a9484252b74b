"""The organisation tree, units and memberships."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.core.base import utcnow
from app.orgs.models import Unit, UnitMembership
from tests.factories import make_plan


def memberships(db, participant_id: int) -> list[tuple[str, bool]]:
    """(unit name, live) of every membership row the person has had, oldest first."""
    return [
        (name, ended is None)
        for name, ended in db.exec(
            sa.select(Unit.name, UnitMembership.ended_at)
            .join(Unit, Unit.id == UnitMembership.unit_id)
            .where(UnitMembership.participant_id == participant_id)
            .order_by(UnitMembership.id)
        ).all()
    ]


def test_create_child_sets_path_and_depth(client, world):
    response = client.post(
        "/api/v1/orgs",
        headers=world.headers("admin"),
        json={
            "parent_id": world.school.id,
            "kind": "campus",
            "name": "Điểm trường 2",
            "code": "nbk-2",
            "abbreviation": "nbk2",
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["path"] == f"{world.school.path}{body['id']}/"
    assert body["depth"] == world.school.depth + 1
    assert body["abbreviation"] == "NBK2"


def test_district_viewer_sees_the_whole_subtree(client, world):
    response = client.get(
        f"/api/v1/orgs/{world.district.id}/subtree", headers=world.headers("viewer")
    )
    assert response.status_code == 200
    codes = [o["code"] for o in response.json()["items"]]
    assert codes[0] == "pgd-thanh-khe" and set(codes) == {"pgd-thanh-khe", "th-nbk", "th-other"}
    children = client.get(
        f"/api/v1/orgs/{world.district.id}/children", headers=world.headers("viewer")
    )
    assert {o["code"] for o in children.json()["items"]} == {"th-nbk", "th-other"}


def test_school_admin_sees_only_its_school(client, world):
    response = client.get("/api/v1/orgs", headers=world.headers("admin"))
    assert [o["code"] for o in response.json()["items"]] == ["th-nbk"]
    assert (
        client.get(f"/api/v1/orgs/{world.district.id}", headers=world.headers("admin")).status_code
        == 404
    )


def test_duplicate_code_is_a_409_naming_the_field(client, world):
    response = client.post(
        "/api/v1/orgs",
        headers=world.headers("admin"),
        json={
            "parent_id": world.school.id,
            "kind": "campus",
            "name": "X",
            "code": "th-other",
            "abbreviation": "X",
        },
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "body.code"


def test_bad_code_and_abbreviation_are_422(client, world):
    response = client.post(
        "/api/v1/orgs",
        headers=world.headers("admin"),
        json={
            "parent_id": world.school.id,
            "kind": "x",
            "name": "X",
            "code": "có dấu",
            "abbreviation": "a b",
        },
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"body.code", "body.abbreviation"}


def test_units_with_member_counts_and_leaders(client, world):
    headers = world.headers("admin")
    units = {
        u["name"]: u
        for u in client.get(f"/api/v1/orgs/{world.school.id}/units", headers=headers).json()
    }
    assert units["Tổ 1"]["member_count"] == 2
    unit_id = units["Tổ 1"]["id"]
    assert (
        client.put(
            f"/api/v1/units/{unit_id}/members/{world.teacher.id}",
            headers=headers,
            json={"is_leader": True},
        ).status_code
        == 204
    )
    members = client.get(f"/api/v1/units/{unit_id}/members", headers=headers).json()
    assert members[0] == {
        "participant_id": world.teacher.id,
        "full_name": "Nguyễn Thị Mai",
        "staff_code": "GV001",
        "is_leader": True,
    }


def test_unit_names_are_unique_ignoring_accents(client, world):
    response = client.post(
        f"/api/v1/orgs/{world.school.id}/units",
        headers=world.headers("admin"),
        json={"name": "to 1"},
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "body.name"


def test_member_of_another_school_cannot_join_a_unit(client, world):
    unit_id = world.units["Tổ 1"].id
    response = client.put(
        f"/api/v1/units/{unit_id}/members/{world.other_teacher.id}",
        headers=world.headers("admin"),
        json={},
    )
    assert response.status_code == 404


def test_org_update_is_audited_with_before_and_after(client, world, db):
    response = client.patch(
        f"/api/v1/orgs/{world.school.id}",
        headers=world.headers("admin"),
        json={"place_name": "Thanh Khê"},
    )
    assert response.status_code == 200
    event = db.exec(
        sa.select(AuditEvent).where(AuditEvent.action == "organization.update")
    ).scalar_one()
    assert event.before["place_name"] is None and event.after["place_name"] == "Thanh Khê"
    assert event.actor_label == "admin"


def test_removing_a_member_ends_the_membership_and_keeps_it(client, world, db):
    headers = world.headers("admin")
    unit = world.units["Tổ 1"].id
    url = f"/api/v1/units/{unit}/members/{world.teacher.id}"
    assert client.delete(url, headers=headers).status_code == 204
    assert client.delete(url, headers=headers).status_code == 404  # no live membership left
    members = client.get(f"/api/v1/units/{unit}/members", headers=headers).json()
    assert [m["full_name"] for m in members] == ["Trần Văn Hùng"]
    person = client.get(f"/api/v1/participants/{world.teacher.id}", headers=headers).json()
    assert person["units"] == []
    assert client.put(url, json={"is_leader": True}, headers=headers).status_code == 204
    assert client.put(url, json={"is_leader": False}, headers=headers).status_code == 204
    assert memberships(db, world.teacher.id) == [("Tổ 1", False), ("Tổ 1", True)]


def test_changing_a_persons_units_ends_and_starts_memberships(client, world, db):
    response = client.patch(
        f"/api/v1/participants/{world.colleague.id}",
        json={"unit_ids": [world.units["Công đoàn"].id, world.units["Ban giám hiệu"].id]},
        headers=world.headers("admin"),
    )
    assert response.status_code == 200, response.text
    assert {u["name"] for u in response.json()["units"]} == {"Công đoàn", "Ban giám hiệu"}
    assert memberships(db, world.colleague.id) == [
        ("Tổ 1", False),
        ("Công đoàn", True),
        ("Ban giám hiệu", True),
    ]


def test_one_live_membership_per_unit_and_person(db, world):
    with pytest.raises(sa.exc.IntegrityError), db.begin_nested():
        db.add(UnitMembership(unit_id=world.units["Tổ 1"].id, participant_id=world.teacher.id))
        db.flush()
    ended = db.exec(
        sa.select(UnitMembership).where(UnitMembership.participant_id == world.teacher.id)
    ).scalar_one()
    ended.ended_at = utcnow()
    db.add(UnitMembership(unit_id=world.units["Tổ 1"].id, participant_id=world.teacher.id))
    db.flush()  # a new live row beside an ended one is fine


def test_a_unit_is_archived_not_deleted(client, world, db):
    headers = world.headers("admin")
    unit = world.units["Tổ 1"].id
    url = f"/api/v1/units/{unit}/archive"
    assert client.post(url, headers=world.headers("manager")).status_code == 403
    assert client.post(url, headers=world.headers("other_admin")).status_code == 404
    archived = client.post(url, headers=headers)
    assert archived.status_code == 200 and archived.json()["archived_at"]
    again = client.post(url, headers=headers)
    assert again.json()["archived_at"] == archived.json()["archived_at"]

    listed = client.get(f"/api/v1/orgs/{world.school.id}/units", headers=headers).json()
    assert "Tổ 1" not in [u["name"] for u in listed]
    everything = client.get(
        f"/api/v1/orgs/{world.school.id}/units",
        params={"include_archived": "true"},
        headers=headers,
    ).json()
    assert everything[-1]["name"] == "Tổ 1" and everything[-1]["archived_at"]
    assert everything[-1]["member_count"] == 0
    assert client.get(f"/api/v1/units/{unit}/members", headers=headers).json() == []
    assert memberships(db, world.teacher.id) == [("Tổ 1", False)]
    event = db.exec(sa.select(AuditEvent).where(AuditEvent.action == "unit.archive")).scalar_one()
    assert event.after["memberships_ended"] == 2 and event.before["archived_at"] is None

    # It takes no change, no member, no new plan, session or task; its name is free again.
    rename = client.patch(f"/api/v1/units/{unit}", json={"name": "Tổ Một"}, headers=headers)
    assert rename.status_code == 409
    join = client.put(f"/api/v1/units/{unit}/members/{world.teacher.id}", json={}, headers=headers)
    assert join.status_code == 409
    plan = client.post(
        "/api/v1/plans",
        headers=world.headers("manager"),
        json={
            "organization_id": world.school.id,
            "title": "Kế hoạch cho tổ",
            "period_start": "2025-03-01",
            "audience_all": False,
            "audience_unit_ids": [unit],
        },
    )
    assert plan.status_code == 422
    assert plan.json()["errors"][0]["field"] == "body.audience_unit_ids"
    task = client.post(
        "/api/v1/tasks",
        headers=world.headers("manager"),
        json={"plan_id": make_plan(db, world.school).id, "title": "X", "assignee_unit_id": unit},
    )
    assert task.status_code == 422
    again = client.post(
        f"/api/v1/orgs/{world.school.id}/units", json={"name": "Tổ 1"}, headers=headers
    )
    assert again.status_code == 201 and again.json()["id"] != unit

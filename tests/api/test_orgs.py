"""The organisation tree, units and memberships."""

from __future__ import annotations

import sqlalchemy as sa

from app.audit.models import AuditEvent


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

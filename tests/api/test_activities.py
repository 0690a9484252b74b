"""The outreach log."""

from __future__ import annotations

import sqlalchemy as sa

from app.activities.models import Activity
from app.audit.models import AuditEvent
from tests.factories import make_plan


def test_log_and_list_outreach(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    headers = world.headers("manager")
    created = client.post(
        "/api/v1/activities",
        headers=headers,
        json={
            "plan_id": plan.id,
            "kind": "video",
            "title": "Video clip giới thiệu Nghị quyết 57",
            "happened_on": "2025-04-02",
            "url": "https://thnguyenbinhkhiem.edu.vn/video-57",
            "reach": 850,
            "responsible_unit_id": world.units["Tổ 1"].id,
        },
    )
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["kind_label"] == "Video clip" and body["responsible_name"] == "Tổ 1"
    client.post(
        "/api/v1/activities",
        headers=headers,
        json={
            "plan_id": plan.id,
            "kind": "article",
            "title": "Bài viết trên website",
            "happened_on": "2025-03-20",
            "responsible_participant_id": world.teacher.id,
        },
    )
    page = client.get(
        "/api/v1/activities", params={"plan_id": plan.id}, headers=world.headers("viewer")
    ).json()
    assert page["total"] == 2 and [a["kind"] for a in page["items"]] == ["video", "article"]
    videos = client.get("/api/v1/activities", params={"kind": "video"}, headers=headers).json()
    assert videos["total"] == 1


def test_bad_outreach_input(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    headers = world.headers("manager")
    base = {"plan_id": plan.id, "kind": "article", "title": "Tin", "happened_on": "2025-03-20"}
    wrong_kind = client.post("/api/v1/activities", headers=headers, json=base | {"kind": "rumour"})
    assert wrong_kind.status_code == 422 and wrong_kind.json()["errors"][0]["field"] == "body.kind"
    bad_url = client.post(
        "/api/v1/activities", headers=headers, json=base | {"url": "javascript:alert(1)"}
    )
    assert bad_url.status_code == 422 and bad_url.json()["errors"][0]["field"] == "body.url"
    outsider = client.post(
        "/api/v1/activities",
        headers=headers,
        json=base | {"responsible_participant_id": world.other_teacher.id},
    )
    assert outsider.status_code == 422
    assert outsider.json()["errors"][0]["field"] == "body.responsible_participant_id"
    negative = client.post("/api/v1/activities", headers=headers, json=base | {"reach": -1})
    assert negative.status_code == 422
    assert client.get("/api/v1/activities", headers=headers).json()["total"] == 0


def test_who_may_log_outreach(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    body = {
        "plan_id": plan.id,
        "kind": "seminar",
        "title": "Tọa đàm chuyển đổi số",
        "happened_on": "2025-05-10",
    }
    for caller, expected in [
        ("anonymous", 401),
        ("member", 403),
        ("viewer", 403),
        ("other_admin", 404),
        ("token", 403),
        ("admin", 201),
    ]:
        response = client.post("/api/v1/activities", json=body, headers=world.headers(caller))
        assert response.status_code == expected, (caller, response.text)
    activity_id = client.get("/api/v1/activities", headers=world.headers("admin")).json()["items"][
        0
    ]["id"]
    assert (
        client.get(
            f"/api/v1/activities/{activity_id}", headers=world.headers("other_admin")
        ).status_code
        == 404
    )
    assert (
        client.patch(
            f"/api/v1/activities/{activity_id}", json={"reach": 40}, headers=world.headers("viewer")
        ).status_code
        == 403
    )
    updated = client.patch(
        f"/api/v1/activities/{activity_id}", json={"reach": 40}, headers=world.headers("manager")
    )
    assert updated.status_code == 200 and updated.json()["reach"] == 40
    assert (
        client.delete(
            f"/api/v1/activities/{activity_id}", headers=world.headers("manager")
        ).status_code
        == 204
    )


def test_an_entry_is_archived_not_deleted(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    headers = world.headers("manager")
    created = client.post(
        "/api/v1/activities",
        headers=headers,
        json={
            "plan_id": plan.id,
            "kind": "article",
            "title": "Bài viết đăng nhầm",
            "happened_on": "2025-03-20",
            "reach": 30,
        },
    ).json()
    url = f"/api/v1/activities/{created['id']}"
    for caller, expected in [("viewer", 403), ("other_admin", 404), ("member", 403)]:
        assert client.post(f"{url}/archive", headers=world.headers(caller)).status_code == expected
    archived = client.post(f"{url}/archive", headers=headers)
    assert archived.status_code == 200 and archived.json()["archived_at"]
    again = client.post(f"{url}/archive", headers=headers)
    assert again.json()["archived_at"] == archived.json()["archived_at"]
    assert client.delete(url, headers=headers).status_code == 204  # the old way archives too

    listed = client.get("/api/v1/activities", params={"plan_id": plan.id}, headers=headers)
    assert listed.json()["total"] == 0
    with_archived = client.get(
        "/api/v1/activities",
        params={"plan_id": plan.id, "include_archived": "true"},
        headers=headers,
    ).json()
    assert [a["title"] for a in with_archived["items"]] == ["Bài viết đăng nhầm"]
    assert client.get(url, headers=headers).json()["archived_at"] == archived.json()["archived_at"]
    edit = client.patch(url, json={"reach": 40}, headers=headers)
    assert edit.status_code == 409
    assert db.get(Activity, created["id"]).reach == 30
    actions = db.exec(
        sa.select(AuditEvent.action).where(
            AuditEvent.entity_type == "activity", AuditEvent.entity_id == str(created["id"])
        )
    ).scalars()
    assert sorted(actions) == ["activity.archive", "activity.create"]


def test_archived_unit_is_no_longer_responsible_for_new_entries(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    unit = world.units["Công đoàn"].id
    archived = client.post(f"/api/v1/units/{unit}/archive", headers=world.headers("admin"))
    assert archived.status_code == 200, archived.text
    response = client.post(
        "/api/v1/activities",
        headers=world.headers("manager"),
        json={
            "plan_id": plan.id,
            "kind": "seminar",
            "title": "Tọa đàm",
            "happened_on": "2025-03-20",
            "responsible_unit_id": unit,
        },
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.responsible_unit_id"

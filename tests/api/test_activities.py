"""The outreach log."""

from __future__ import annotations

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

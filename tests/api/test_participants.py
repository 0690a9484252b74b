"""Staff: search without accents, filters, sorting, paging, validation, deactivation, logins."""

from __future__ import annotations

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.people.models import Participant


def people(client, world, caller="admin", **params):
    params.setdefault("org_id", world.school.id)
    response = client.get("/api/v1/participants", headers=world.headers(caller), params=params)
    assert response.status_code == 200, response.text
    return response.json()


def test_search_ignores_accents_and_case(client, world):
    assert [p["full_name"] for p in people(client, world, q="nguyen thi")["items"]] == [
        "Nguyễn Thị Mai"
    ]
    assert [p["full_name"] for p in people(client, world, q="HÙNG")["items"]] == ["Trần Văn Hùng"]
    assert [p["full_name"] for p in people(client, world, q="bui")["items"]] == ["Bùi Can"]
    assert people(client, world, q="gv002")["total"] == 1
    assert people(client, world, q="mai@example")["total"] == 1
    assert people(client, world, q="100%")["total"] == 0  # LIKE wildcards are taken literally


def test_filter_by_unit_and_activity_sort_and_page(client, world):
    unit = world.units["Tổ 1"].id
    assert {p["staff_code"] for p in people(client, world, unit_id=unit)["items"]} == {
        "GV001",
        "GV002",
    }
    page = people(client, world, sort="-staff_code", limit=2, offset=0)
    assert page["total"] == 3 and [p["staff_code"] for p in page["items"]] == ["HT001", "GV002"]
    assert [
        p["staff_code"]
        for p in people(client, world, sort="-staff_code", limit=2, offset=2)["items"]
    ] == ["GV001"]
    client.post(
        f"/api/v1/participants/{world.colleague.id}/deactivate", headers=world.headers("admin")
    )
    assert people(client, world, active=False)["total"] == 1
    assert people(client, world, active=True)["total"] == 2
    assert people(client, world, has_account=True)["total"] == 2  # the teacher and the principal


def test_names_sort_as_vietnamese_lists_do_on_either_database(client, world, db):
    """Given name first, in the Vietnamese alphabet (Ă after A, Đ after D), tones last."""
    for code, name in [
        ("T1", "Đỗ Thị Ánh"),
        ("T2", "Lê Văn Đức"),
        ("T3", "Phạm Thị Yến"),
        ("T4", "Vũ Văn Dũng"),
        ("T5", "Hoàng Ân"),
        ("T6", "Ngô Thị Ảnh"),
    ]:
        created = client.post(
            "/api/v1/participants",
            headers=world.headers("admin"),
            json={"organization_id": world.school.id, "full_name": name, "staff_code": code},
        )
        assert created.status_code == 201, created.text
    expected = [
        "Đỗ Thị Ánh",
        "Ngô Thị Ảnh",
        "Hoàng Ân",
        "Bùi Can",
        "Vũ Văn Dũng",
        "Lê Văn Đức",
        "Trần Văn Hùng",
        "Nguyễn Thị Mai",
        "Phạm Thị Yến",
    ]
    names = [p["full_name"] for p in people(client, world, limit=20)["items"]]
    assert names == expected
    reversed_names = [p["full_name"] for p in people(client, world, sort="-full_name")["items"]]
    assert reversed_names == expected[::-1]
    # Renamed, she moves to her new place.
    client.patch(
        f"/api/v1/participants/{world.teacher.id}",
        headers=world.headers("admin"),
        json={"full_name": "Nguyễn Thị An"},
    )
    assert people(client, world, limit=1)["items"][0]["full_name"] == "Nguyễn Thị An"


def test_items_carry_units_and_login(client, world):
    mai = people(client, world, q="mai")["items"][0]
    assert mai["units"] == [{"id": world.units["Tổ 1"].id, "name": "Tổ 1", "is_leader": False}]
    assert mai["username"] == "gv001" and mai["role"] == "member"


def test_create_normalises_email_and_phone(client, world):
    response = client.post(
        "/api/v1/participants",
        headers=world.headers("admin"),
        json={
            "organization_id": world.school.id,
            "full_name": "  Phạm Văn Nam ",
            "staff_code": "GV050",
            "email": "Nam@Example.VN",
            "phone": "+84 905 123 456",
            "unit_ids": [world.units["Tổ 1"].id],
        },
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["full_name"], body["email"], body["phone"]) == (
        "Phạm Văn Nam",
        "nam@example.vn",
        "0905123456",
    )
    assert [u["name"] for u in body["units"]] == ["Tổ 1"]


def test_bad_fields_are_all_named_and_nothing_saved(client, world, db):
    before = db.exec(sa.select(sa.func.count()).select_from(Participant)).one()[0]
    response = client.post(
        "/api/v1/participants",
        headers=world.headers("admin"),
        json={
            "organization_id": world.school.id,
            "full_name": "",
            "staff_code": "GV 9",
            "email": "abc@",
            "phone": "12345",
        },
    )
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"body.full_name", "body.staff_code", "body.email", "body.phone"}
    assert db.exec(sa.select(sa.func.count()).select_from(Participant)).one()[0] == before


def test_duplicate_staff_code_is_a_409(client, world):
    response = client.post(
        "/api/v1/participants",
        headers=world.headers("admin"),
        json={"organization_id": world.school.id, "full_name": "Ai đó", "staff_code": "gv001"},
    )
    assert response.status_code == 409
    assert response.json()["errors"][0]["field"] == "body.staff_code"


def test_same_staff_code_is_fine_in_another_school(client, world):
    response = client.post(
        "/api/v1/participants",
        headers=world.headers("other_admin"),
        json={
            "organization_id": world.other_school.id,
            "full_name": "Ai đó",
            "staff_code": "GV002",
        },
    )
    assert response.status_code == 201


def test_unknown_unit_is_rejected_and_nothing_saved(client, world, db):
    other_unit = client.post(
        f"/api/v1/orgs/{world.other_school.id}/units",
        headers=world.headers("other_admin"),
        json={"name": "Tổ 9"},
    ).json()["id"]
    response = client.patch(
        f"/api/v1/participants/{world.teacher.id}",
        headers=world.headers("admin"),
        json={"position": "Tổ trưởng", "unit_ids": [other_unit]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.unit_ids"
    db.refresh(world.teacher)
    assert world.teacher.position is None


def test_update_changes_units_and_is_audited(client, world, db):
    response = client.patch(
        f"/api/v1/participants/{world.teacher.id}",
        headers=world.headers("admin"),
        json={"position": "Tổ trưởng", "unit_ids": [world.units["Công đoàn"].id]},
    )
    assert response.status_code == 200
    assert [u["name"] for u in response.json()["units"]] == ["Công đoàn"]
    event = db.exec(
        sa.select(AuditEvent).where(AuditEvent.action == "participant.update")
    ).scalar_one()
    assert event.before["position"] is None and event.after["position"] == "Tổ trưởng"
    assert event.entity_id == str(world.teacher.id)


def test_account_needs_a_long_password_and_a_free_username(client, world):
    url = f"/api/v1/participants/{world.colleague.id}/account"
    short = client.post(url, headers=world.headers("admin"), json={"password": "ngan"})
    assert short.status_code == 422 and short.json()["errors"][0]["field"] == "body.password"
    taken = client.post(
        url, headers=world.headers("admin"), json={"username": "GV001", "password": "mat-khau-dai"}
    )
    assert taken.status_code == 409
    made = client.post(
        url, headers=world.headers("admin"), json={"password": "mat-khau-dai", "role": "manager"}
    )
    assert made.status_code == 201
    assert made.json()["username"] == "gv002" and made.json()["role"] == "manager"
    login = client.post(
        "/api/v1/auth/login", json={"username": "gv002", "password": "mat-khau-dai"}
    )
    assert login.status_code == 200


def test_audit_log_lists_and_filters(client, world):
    client.patch(
        f"/api/v1/participants/{world.teacher.id}",
        headers=world.headers("admin"),
        json={"position": "Giáo viên"},
    )
    page = client.get(
        "/api/v1/audit", headers=world.headers("admin"), params={"action": "participant.update"}
    ).json()
    assert page["total"] == 1 and page["items"][0]["entity_id"] == str(world.teacher.id)
    other = client.get(
        "/api/v1/audit",
        headers=world.headers("other_admin"),
        params={"action": "participant.update"},
    ).json()
    assert other["total"] == 0
    naive = client.get(
        "/api/v1/audit", headers=world.headers("admin"), params={"since": "2025-01-01T00:00"}
    )
    assert naive.status_code == 422 and naive.json()["errors"][0]["field"] == "query.since"

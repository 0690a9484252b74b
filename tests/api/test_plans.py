"""Plans: the official fields, status workflow, numbering, materials, adoption, visibility."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.plans.models import Plan
from tests.factories import make_plan
from tests.object_store import both_storages

SECTIONS = [
    {"key": "purpose", "heading": "MỤC ĐÍCH, YÊU CẦU", "body": "1. Mục đích\n- Tổ chức học tập."},
    {
        "key": "organisation",
        "heading": "TỔ CHỨC THỰC HIỆN",
        "body": "Hiệu trưởng có trách nhiệm...",
    },
]


def new_plan(client, world, caller="manager", **overrides):
    body = {
        "organization_id": world.school.id,
        "title": "Tổ chức học tập, quán triệt và tuyên truyền Nghị quyết số 57-NQ/TW",
        "resolution": "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị",
        "legal_basis": ["Kế hoạch số 470/KH-UBND ngày 04/3/2025 của UBND quận Thanh Khê"],
        "sections": SECTIONS,
        "period_start": "2025-03-01",
        "recipients": ["UBND quận Thanh Khê", "PGDĐT quận Thanh Khê", "Lưu: VT, HT"],
        "signer_name": "Bùi Can",
        "signer_title": "HIỆU TRƯỞNG",
        "place_name": "Thanh Khê",
    } | overrides
    return client.post("/api/v1/plans", json=body, headers=world.headers(caller))


def test_create_draft_with_official_fields(client, world):
    response = new_plan(client, world)
    assert response.status_code == 201, response.text
    plan = response.json()
    assert plan["status"] == "draft" and plan["symbol"] is None and plan["number"] is None
    assert plan["issuer_name"] == "Trường Tiểu học Nguyễn Bỉnh Khiêm"
    assert plan["issuer_parent_name"] == "Phòng GDĐT quận Thanh Khê"
    assert [s["heading"] for s in plan["sections"]] == ["MỤC ĐÍCH, YÊU CẦU", "TỔ CHỨC THỰC HIỆN"]
    assert plan["date_line"].startswith("Thanh Khê, ngày")


def test_issue_numbers_per_issuer_type_and_year(client, world):
    headers = world.headers("manager")
    first = new_plan(client, world).json()
    second = new_plan(client, world).json()
    issued = client.post(
        f"/api/v1/plans/{first['id']}/issue", json={"issued_on": "2025-03-05"}, headers=headers
    )
    assert issued.status_code == 200, issued.text
    assert issued.json()["symbol"] == "01/KH-THNBK"
    assert issued.json()["date_line"] == "Thanh Khê, ngày 05 tháng 3 năm 2025"
    assert issued.json()["status"] == "active"
    again = client.post(
        f"/api/v1/plans/{second['id']}/issue", json={"issued_on": "2025-12-30"}, headers=headers
    )
    assert again.json()["symbol"] == "02/KH-THNBK"
    third = new_plan(client, world).json()
    next_year = client.post(
        f"/api/v1/plans/{third['id']}/issue", json={"issued_on": "2026-01-02"}, headers=headers
    )
    assert next_year.json()["symbol"] == "01/KH-THNBK"
    assert next_year.json()["date_line"] == "Thanh Khê, ngày 02 tháng 01 năm 2026"


def test_status_jumps_that_are_not_allowed(client, world):
    headers = world.headers("manager")
    plan = new_plan(client, world).json()
    refused = client.post(f"/api/v1/plans/{plan['id']}/close", headers=headers)
    assert refused.status_code == 409 and refused.json()["type"].endswith("/invalid-transition")
    client.post(f"/api/v1/plans/{plan['id']}/issue", headers=headers)
    assert client.post(f"/api/v1/plans/{plan['id']}/issue", headers=headers).status_code == 409
    assert client.post(f"/api/v1/plans/{plan['id']}/close", headers=headers).status_code == 200


def test_closed_plan_is_read_only(client, world, db):
    plan = make_plan(db, world.school, status="closed")
    db.commit()
    headers = world.headers("admin")
    response = client.patch(f"/api/v1/plans/{plan.id}", json={"title": "Khác"}, headers=headers)
    assert response.status_code == 409 and response.json()["type"].endswith("/plan-closed")
    link = {"title": "Nghị quyết", "url": "https://example.vn/nq57.pdf"}
    assert (
        client.post(f"/api/v1/plans/{plan.id}/materials", json=link, headers=headers).status_code
        == 409
    )
    db.refresh(plan)
    assert plan.title != "Khác"


def test_active_plan_edits_are_audited(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    response = client.patch(
        f"/api/v1/plans/{plan.id}",
        json={"signer_name": "Bùi Can"},
        headers=world.headers("manager"),
    )
    assert response.status_code == 200
    event = db.exec(sa.select(AuditEvent).where(AuditEvent.action == "plan.update")).scalar_one()
    assert event.before["signer_name"] == "" and event.after["signer_name"] == "Bùi Can"


def test_bad_input_names_the_field(client, world):
    period = new_plan(client, world, period_start="2025-03-01", period_end="2025-01-01")
    assert period.status_code == 422
    audience = new_plan(
        client, world, audience_all=False, audience_unit_ids=[world.units["Tổ 1"].id + 999]
    )
    assert (
        audience.status_code == 422
        and audience.json()["errors"][0]["field"] == "body.audience_unit_ids"
    )
    section = new_plan(client, world, sections=[{"key": "nonsense", "heading": "X"}])
    assert section.status_code == 422 and section.json()["errors"][0]["field"].startswith(
        "body.sections.0.key"
    )


def test_audience_of_chosen_units(client, world):
    unit = world.units["Tổ 1"].id
    plan = new_plan(client, world, audience_all=False, audience_unit_ids=[unit]).json()
    assert plan["audience_units"] == [{"id": unit, "name": "Tổ 1"}]


@both_storages
def test_materials_versions(client, world, storage):
    headers = world.headers("manager")
    plan = new_plan(client, world).json()
    link = client.post(
        f"/api/v1/plans/{plan['id']}/materials",
        headers=headers,
        json={"title": "Toàn văn Nghị quyết 57", "url": "https://example.vn/nq57"},
    )
    assert link.status_code == 201 and link.json()["added_in_major"] == 1
    upload = client.post(
        f"/api/v1/plans/{plan['id']}/materials/file",
        headers=headers,
        files={"file": ("de-cuong.pdf", b"%PDF-1.4 de cuong", "application/pdf")},
        data={"title": "Đề cương tuyên truyền"},
    )
    assert upload.status_code == 201, upload.text
    assert upload.json()["file_name"] == "de-cuong.pdf"
    download = client.get(
        f"/api/v1/plans/{plan['id']}/materials/{upload.json()['id']}/file", headers=headers
    )
    assert download.status_code == 200 and download.content == b"%PDF-1.4 de cuong"
    published = client.post(
        f"/api/v1/plans/{plan['id']}/materials/publish", json={"major": True}, headers=headers
    )
    assert (published.json()["material_major"], published.json()["material_minor"]) == (2, 0)
    minor = client.post(
        f"/api/v1/plans/{plan['id']}/materials/publish", json={"major": False}, headers=headers
    )
    assert (minor.json()["material_major"], minor.json()["material_minor"]) == (2, 1)


def test_bad_material_files(client, world):
    headers = world.headers("manager")
    plan = new_plan(client, world).json()
    url = f"/api/v1/plans/{plan['id']}/materials/file"
    wrong = client.post(
        url, headers=headers, files={"file": ("virus.exe", b"MZ...", "application/x-msdownload")}
    )
    assert wrong.status_code == 415
    fake = client.post(
        url, headers=headers, files={"file": ("fake.pdf", b"MZ...", "application/pdf")}
    )
    assert fake.status_code == 415
    path = client.post(
        url, headers=headers, files={"file": ("../../etc/a.pdf", b"%PDF", "application/pdf")}
    )
    assert path.status_code == 422 and path.json()["errors"][0]["field"] == "file"
    assert client.get(f"/api/v1/plans/{plan['id']}/materials", headers=headers).json() == []


def test_school_adopts_the_district_plan(client, world, db):
    district_plan = make_plan(
        db,
        world.district,
        title="Tổ chức học tập, quán triệt Nghị quyết số 57-NQ/TW",
        legal_basis=["Nghị quyết số 57-NQ/TW"],
        issued_on=date(2025, 3, 4),
        sections=SECTIONS,
    )
    db.commit()
    # The school's manager sees the district's issued plan and adopts it.
    listed = client.get("/api/v1/plans", headers=world.headers("manager")).json()
    assert district_plan.id in [p["id"] for p in listed["items"]]
    adopted = client.post(
        f"/api/v1/plans/{district_plan.id}/adopt",
        json={"organization_id": world.school.id},
        headers=world.headers("manager"),
    )
    assert adopted.status_code == 201, adopted.text
    plan = adopted.json()
    assert plan["status"] == "draft" and plan["parent_plan"]["id"] == district_plan.id
    assert plan["legal_basis"][-1].startswith(
        "Kế hoạch số 01/KH-PGDĐT ngày 04 tháng 3 năm 2025 của Phòng GDĐT"
    )
    assert plan["sections"] == SECTIONS
    # The district lists adoption school by school, including the school that has not adopted.
    rows = client.get(
        f"/api/v1/plans/{district_plan.id}/adoptions", headers=world.headers("viewer")
    ).json()
    by_code = {r["organization_code"]: r["plan"] for r in rows}
    assert by_code["th-nbk"]["id"] == plan["id"] and by_code["th-other"] is None


def test_adopting_needs_an_issued_plan_above(client, world, db):
    school_plan = make_plan(db, world.school)
    draft = make_plan(db, world.district, status="draft")
    db.commit()
    sideways = client.post(
        f"/api/v1/plans/{school_plan.id}/adopt",
        json={"organization_id": world.school.id},
        headers=world.headers("manager"),
    )
    assert sideways.status_code == 422
    hidden = client.post(
        f"/api/v1/plans/{draft.id}/adopt",
        json={"organization_id": world.school.id},
        headers=world.headers("manager"),
    )
    assert hidden.status_code == 404  # a district draft is not the school's business


def test_a_plan_is_adopted_once_per_organisation(client, world, db):
    district_plan = make_plan(db, world.district, issued_on=date(2025, 3, 4))
    db.commit()
    url = f"/api/v1/plans/{district_plan.id}/adopt"
    first = client.post(
        url, json={"organization_id": world.school.id}, headers=world.headers("manager")
    )
    assert first.status_code == 201, first.text
    plans_before = db.exec(sa.select(sa.func.count()).select_from(Plan)).one()[0]
    second = client.post(
        url, json={"organization_id": world.school.id}, headers=world.headers("admin")
    )
    assert second.status_code == 409
    problem = second.json()
    assert problem["type"].endswith("/already-adopted")
    assert problem["errors"][0]["field"] == "body.organization_id"
    assert f"plan {first.json()['id']}" in problem["errors"][0]["message"]
    assert db.exec(sa.select(sa.func.count()).select_from(Plan)).one()[0] == plans_before
    # Another school adopts it all the same.
    other = client.post(
        url, json={"organization_id": world.other_school.id}, headers=world.headers("other_admin")
    )
    assert other.status_code == 201


def test_the_database_refuses_a_second_adoption(db, world):
    """What settles two adoptions at the same moment, past the service's own check."""
    district_plan = make_plan(db, world.district)
    make_plan(db, world.school, status="draft", parent_plan_id=district_plan.id)
    with pytest.raises(sa.exc.IntegrityError), db.begin_nested():
        make_plan(db, world.school, status="draft", parent_plan_id=district_plan.id)


def test_an_archived_unit_stays_in_an_audience_it_already_had(client, world, db):
    """Editing a plan or session addressed to an archived unit keeps the unit if it is sent
    back; a plan or session that did not have it cannot take it."""
    union, team = world.units["Công đoàn"].id, world.units["Tổ 1"].id
    manager = world.headers("manager")
    plan = new_plan(client, world, audience_all=False, audience_unit_ids=[union]).json()
    session = client.post(
        "/api/v1/sessions",
        headers=manager,
        json={
            "plan_id": make_plan(db, world.school).id,
            "title": "Học tập",
            "starts_at": "2025-03-15T07:00:00+07:00",
            "ends_at": "2025-03-15T09:00:00+07:00",
            "audience_all": False,
            "audience_unit_ids": [union],
        },
    ).json()
    archived = client.post(f"/api/v1/units/{union}/archive", headers=world.headers("admin"))
    assert archived.status_code == 200, archived.text
    kept = client.patch(
        f"/api/v1/plans/{plan['id']}", json={"audience_unit_ids": [union, team]}, headers=manager
    )
    assert kept.status_code == 200, kept.text
    assert {u["id"] for u in kept.json()["audience_units"]} == {union, team}
    session_kept = client.patch(
        f"/api/v1/sessions/{session['id']}", json={"audience_unit_ids": [union]}, headers=manager
    )
    assert session_kept.status_code == 200, session_kept.text
    other = new_plan(client, world, audience_all=False, audience_unit_ids=[team]).json()
    taken = client.patch(
        f"/api/v1/plans/{other['id']}", json={"audience_unit_ids": [union]}, headers=manager
    )
    assert taken.status_code == 422
    assert taken.json()["errors"][0]["field"] == "body.audience_unit_ids"


def test_visibility(client, world, db):
    draft = make_plan(db, world.school, status="draft")
    active = make_plan(db, world.school)
    other = make_plan(db, world.other_school)
    db.commit()
    member = world.headers("member")
    assert (
        client.get(f"/api/v1/plans/{active.id}", headers=member).status_code == 200
    )  # in the audience
    assert client.get(f"/api/v1/plans/{draft.id}", headers=member).status_code == 404
    assert client.get(f"/api/v1/plans/{other.id}", headers=member).status_code == 404
    assert (
        client.patch(f"/api/v1/plans/{active.id}", json={"title": "x"}, headers=member).status_code
        == 403
    )
    viewer = world.headers("viewer")
    assert client.get(f"/api/v1/plans/{other.id}", headers=viewer).status_code == 200
    assert (
        client.patch(f"/api/v1/plans/{other.id}", json={"title": "x"}, headers=viewer).status_code
        == 403
    )
    assert (
        client.get(f"/api/v1/plans/{other.id}", headers=world.headers("admin")).status_code == 404
    )
    assert (
        client.post(
            f"/api/v1/plans/{active.id}/issue", headers=world.headers("other_admin")
        ).status_code
        == 404
    )

"""Text no record may hold is refused at the door: 422 naming the field, nothing written.

PostgreSQL refused a NUL with a 500, neither database could encode a lone surrogate, and a
control character that got in broke every XLSX and DOCX that later carried it.
"""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from app.plans.models import Plan, PlanMaterial

REFUSED = ["\x00", "\x01", "\x1b", "\x0b", "\r", "\ud800"]


def count(db, model) -> int:
    return db.exec(sa.select(sa.func.count()).select_from(model)).one()[0]


def post_json(client, world, path: str, body: dict, caller: str = "manager"):
    """The body as JSON text: httpx could not encode a lone surrogate itself."""
    return client.post(
        path,
        content=json.dumps(body),
        headers=world.headers(caller) | {"Content-Type": "application/json"},
    )


def plan_body(world, **fields) -> dict:
    return {
        "organization_id": world.school.id,
        "title": "Kế hoạch học tập Nghị quyết 57-NQ/TW",
        "period_start": "2025-03-01",
        **fields,
    }


def refused_fields(response) -> list[str]:
    assert response.status_code == 422, response.text
    assert response.json()["type"].endswith("/invalid-input")
    return [error["field"] for error in response.json()["errors"]]


@pytest.mark.parametrize("character", REFUSED)
def test_json_body_with_a_control_character_is_refused_naming_the_field(
    client, world, db, character
):
    before = count(db, Plan)
    response = post_json(
        client, world, "/api/v1/plans", plan_body(world, title=f"Kế hoạch{character} 57")
    )
    assert refused_fields(response) == ["body.title"]
    assert f"U+{ord(character):04X}" in response.json()["errors"][0]["message"]
    assert count(db, Plan) == before


def test_nested_fields_are_named_as_pydantic_names_them(client, world, db):
    sections = [
        {"key": "purpose", "heading": "MỤC ĐÍCH", "body": "Tổ chức học tập."},
        {"key": "content", "heading": "NỘI\x01 DUNG", "body": "1. Học tập\x00"},
    ]
    body = plan_body(world, sections=sections, recipients=["Lưu: VT", "\x1b[31mđỏ"])
    response = post_json(client, world, "/api/v1/plans", body)
    assert refused_fields(response) == [
        "body.sections.1.heading",
        "body.sections.1.body",
        "body.recipients.1",
    ]
    assert count(db, Plan) == 0
    keyed = post_json(client, world, "/api/v1/plans", plan_body(world) | {"x\x00": 1})
    assert refused_fields(keyed) == ["body.x\x00"]


def test_crlf_becomes_lf_and_tab_newline_and_del_are_kept(client, world, db):
    sections = [{"key": "purpose", "heading": "MỤC ĐÍCH", "body": "Dòng 1\r\nDòng 2\n\tý a\x7f"}]
    response = post_json(client, world, "/api/v1/plans", plan_body(world, sections=sections))
    assert response.status_code == 201, response.text
    assert response.json()["sections"][0]["body"] == "Dòng 1\nDòng 2\n\tý a\x7f"
    stored = db.get(Plan, response.json()["id"])
    assert stored.sections[0]["body"] == "Dòng 1\nDòng 2\n\tý a\x7f"


def test_query_parameter_with_nul_is_a_422_not_a_database_error(client, world):
    response = client.get(
        "/api/v1/participants",
        params={"org_id": world.school.id, "q": "nguyen\x00"},
        headers=world.headers("admin"),
    )
    assert refused_fields(response) == ["query.q"]


def test_personal_link_with_nul_in_its_path_is_a_422(client):
    assert refused_fields(client.get("/api/v1/links/ltp_abc%00def")) == ["path.token"]
    assert refused_fields(client.post("/api/v1/links/ltp_abc%1Bdef/checkin", json={})) == [
        "path.token"
    ]


def test_form_fields_and_file_names_of_uploads_are_checked(client, world, db):
    plan = post_json(client, world, "/api/v1/plans", plan_body(world)).json()
    url = f"/api/v1/plans/{plan['id']}/materials/file"
    headers = world.headers("manager")
    pdf = b"%PDF-1.4 de cuong"
    bad_title = client.post(
        url,
        headers=headers,
        files={"file": ("de-cuong.pdf", pdf, "application/pdf")},
        data={"title": "Đề cương\x00", "summary": "Tóm tắt\x1b"},
    )
    assert refused_fields(bad_title) == ["body.title", "body.summary"]
    # Written by hand: httpx would percent-encode the control character in the file name.
    multipart = (
        b"--b0undary\r\n"
        b'Content-Disposition: form-data; name="file"; filename="de\x01cuong.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n" + pdf + b"\r\n--b0undary--\r\n"
    )
    bad_name = client.post(
        url,
        headers=headers | {"Content-Type": "multipart/form-data; boundary=b0undary"},
        content=multipart,
    )
    assert refused_fields(bad_name) == ["body.file"]
    assert count(db, PlanMaterial) == 0
    # Browsers send every line break of a multipart field as CRLF: that is not refused.
    crlf = client.post(
        url,
        headers=headers,
        files={"file": ("de-cuong.pdf", pdf, "application/pdf")},
        data={"title": "Đề cương", "summary": "Dòng 1\r\nDòng 2"},
    )
    assert crlf.status_code == 201, crlf.text


def test_a_body_full_of_bad_strings_gets_a_short_answer(client, world, db):
    body = plan_body(world, legal_basis=["\x00"] * 50)
    assert len(refused_fields(post_json(client, world, "/api/v1/plans", body))) == 20


def test_deeply_nested_body_is_refused_without_a_server_error(client, world):
    deep = "[" * 900 + '"\\u0000"' + "]" * 900
    response = client.post(
        "/api/v1/plans",
        content=f'{{"title": "x", "legal_basis": {deep}}}',
        headers=world.headers("manager") | {"Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text

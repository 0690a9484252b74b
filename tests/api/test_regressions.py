"""One test for each fault the API fuzzer (schemathesis) found."""

from __future__ import annotations

from tests.factories import make_plan


def test_huge_offset_is_a_422_not_a_500(client, world):
    response = client.get(
        "/api/v1/orgs",
        params={"offset": 3862225566275215516203962746273792},
        headers=world.headers("admin"),
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "query.offset"


def test_null_for_a_required_field_is_a_422(client, world):
    org = client.patch(
        f"/api/v1/orgs/{world.school.id}",
        json={"abbreviation": None},
        headers=world.headers("admin"),
    )
    assert org.status_code == 422 and org.json()["errors"][0]["field"] == "body.abbreviation"
    person = client.patch(
        f"/api/v1/participants/{world.teacher.id}",
        json={"staff_code": None},
        headers=world.headers("admin"),
    )
    assert person.status_code == 422 and person.json()["errors"][0]["field"] == "body.staff_code"


def test_checkin_code_with_odd_characters_is_a_422(client, world):
    body = rb'{"code": "\udaf2\ude41M\u00fc"}'  # lone surrogates, escaped as JSON allows
    response = client.post(
        "/api/v1/checkin",
        content=body,
        headers=world.headers("member") | {"Content-Type": "application/json"},
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "body.code"


def test_deleting_a_unit_in_use_archives_it_and_keeps_its_task(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    unit = world.units["Tổ 1"].id
    created = client.post(
        "/api/v1/tasks",
        headers=world.headers("manager"),
        json={"plan_id": plan.id, "title": "Nhiệm vụ của tổ", "assignee_unit_id": unit},
    )
    assert created.status_code == 201, created.text
    response = client.delete(f"/api/v1/units/{unit}", headers=world.headers("admin"))
    assert response.status_code == 204
    task = client.get(f"/api/v1/tasks/{created.json()['id']}", headers=world.headers("manager"))
    assert task.status_code == 200 and task.json()["assignee_unit_id"] == unit
    assert client.get(f"/api/v1/units/{unit}/members", headers=world.headers("admin")).json() == []


def test_undecodable_body_is_a_documented_400(client, world):
    def post(body: bytes):
        return client.post(
            "/api/v1/api-tokens",
            content=body,
            headers=world.headers("admin") | {"Content-Type": "application/json"},
        )

    # Bytes no encoding of JSON (UTF-8, -16, -32) decodes: the body cannot be read at all.
    for body in (b'{"name": "\xff"}', b"\xff\xfei"):
        response = post(body)
        assert response.status_code == 400, response.text
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["detail"] == "There was an error parsing the body"
    # UTF-16 by its byte-order mark, but not JSON: a field error on the body.
    response = post(b"\xff\xfei\x00")
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"] == [
        {"field": "body", "message": "JSON decode error", "type": "json_invalid"}
    ]
    spec = client.get("/api/v1/openapi.json").json()
    assert {"400", "409", "413", "415", "429"} <= set(
        spec["paths"]["/api/v1/api-tokens"]["post"]["responses"]
    )


def test_ids_too_large_for_any_column_are_404(client, world):
    huge = 1079740853927053660098572503035674624
    for method, path in [
        ("GET", f"/api/v1/sessions/{huge}/checkin-code"),
        ("DELETE", f"/api/v1/plans/{huge}/materials/5"),
        ("POST", f"/api/v1/acknowledgements/{huge}/withdraw"),
        ("GET", f"/api/v1/participants?org_id={huge}"),
    ]:
        response = client.request(
            method, path, headers=world.headers("admin"), json={"reason": "lý do rút"}
        )
        assert response.status_code == 404, (path, response.text)
        assert response.headers["content-type"] == "application/problem+json"


def test_null_plan_sections_is_a_422_not_a_500(client, world, db):
    """PATCH took `sections: null` (typed nullable) and the service iterated over it."""
    plan = make_plan(db, world.school, status="draft")
    db.commit()
    for field in ("sections", "resolution"):  # resolution: a 409 from the NOT NULL column
        response = client.patch(
            f"/api/v1/plans/{plan.id}", json={field: None}, headers=world.headers("admin")
        )
        assert response.status_code == 422, response.text
        assert [e["field"] for e in response.json()["errors"]] == [f"body.{field}"]

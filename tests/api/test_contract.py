"""The OpenAPI document and the server agree on what a date is and on what may be null."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.main import create_app
from tests.factories import make_plan

NOT_ISO_DATES = [0, "0", "20250101", 1700000000, "2025-1-1", "2025-01-01T00:00:00"]
NOT_ISO_DATETIMES = [0, "0", 1700000000, "1700000000", "20250315T073000+0700"]


OPENAPI = create_app(frontend_dir=None).openapi()


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = OPENAPI["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _not_null(schema: dict[str, Any]) -> dict[str, Any]:
    """An optional body (`anyOf` [its model, null]) as its model."""
    options = [o for o in schema.get("anyOf", [schema]) if o.get("type") != "null"]
    return options[0] if len(options) == 1 else schema


def _formats(schema: dict[str, Any]) -> set[str]:
    """The string formats a property accepts (`anyOf` [date, null] gives {"date"})."""
    options = schema.get("anyOf", [schema])
    return {option["format"] for option in options if "format" in option}


def date_inputs() -> Iterator[tuple[str, str, str, str, str]]:
    """(method, path, where, name, format) of every date or date-time a request may carry."""
    for path, operations in OPENAPI["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                for fmt in _formats(parameter["schema"]) & {"date", "date-time"}:
                    yield method.upper(), path, parameter["in"], parameter["name"], fmt
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" not in content:
                continue
            body = _resolve(_not_null(content["application/json"]["schema"]))
            for name, schema in body.get("properties", {}).items():
                for fmt in _formats(schema) & {"date", "date-time"}:
                    yield method.upper(), path, "body", name, fmt


DATE_INPUTS = sorted(set(date_inputs()))


def test_the_date_inputs_are_found_and_still_documented_as_dates():
    found = {(method, path, name) for method, path, _, name, _ in DATE_INPUTS}
    assert {
        ("GET", "/api/v1/plans/{plan_id}/rollup", "as_of"),
        ("GET", "/api/v1/plans/{plan_id}/progress", "as_of"),
        ("GET", "/api/v1/activities", "since"),
        ("POST", "/api/v1/plans", "period_start"),
        ("PATCH", "/api/v1/plans/{plan_id}", "period_end"),
        ("POST", "/api/v1/plans/{plan_id}/issue", "issued_on"),
        ("POST", "/api/v1/plans/{plan_id}/reports", "issued_on"),
        ("POST", "/api/v1/tasks/bulk", "due_on"),
        ("PATCH", "/api/v1/activities/{activity_id}", "happened_on"),
        ("POST", "/api/v1/sessions", "starts_at"),
    } <= found


@pytest.mark.parametrize(
    ("method", "path", "where", "name", "fmt"),
    DATE_INPUTS,
    ids=[f"{m} {p} {n}" for m, p, _, n, _ in DATE_INPUTS],
)
def test_a_date_not_in_iso_form_is_a_422_naming_the_field(
    client, world, method, path, where, name, fmt
):
    url = path.format_map({key: 1 for key in _path_parameters(path)})
    for value in NOT_ISO_DATES if fmt == "date" else NOT_ISO_DATETIMES:
        if where == "query":
            response = client.request(
                method, url, params={name: value}, headers=world.headers("admin")
            )
        else:
            response = client.request(
                method, url, json={name: value}, headers=world.headers("admin")
            )
        assert response.status_code == 422, (value, response.text)
        named = [e for e in response.json()["errors"] if e["field"] == f"{where}.{name}"]
        assert named and named[0]["type"] == f"{fmt.replace('-', '')}_format", (value, named)


def _path_parameters(path: str) -> list[str]:
    return [part[1:-1] for part in path.split("/") if part.startswith("{")]


def _nullable(schema: dict[str, Any]) -> bool:
    return any(option.get("type") == "null" for option in schema.get("anyOf", [schema]))


PATCH_FIELDS = sorted(
    (path, name, _nullable(schema))
    for path, operations in OPENAPI["paths"].items()
    if "patch" in operations
    for name, schema in _resolve(
        operations["patch"]["requestBody"]["content"]["application/json"]["schema"]
    )["properties"].items()
)
# Nulls the server accepts only beside another field: a task needs one assignee.
COMPANIONS = {"assignee_unit_id": "assignee_participant_id"}


@pytest.fixture
def records(client, world, db) -> dict[str, int]:
    """One record of the school's behind every PATCH path, by the path's parameter name."""
    plan = make_plan(db, world.school)
    db.commit()
    admin, unit = world.headers("admin"), world.units["Tổ 1"].id

    def create(path: str, body: dict[str, Any]) -> int:
        response = client.post(f"/api/v1/{path}", json={"plan_id": plan.id} | body, headers=admin)
        assert response.status_code == 201, response.text
        return response.json()["id"]

    return {
        "org_id": world.school.id,
        "unit_id": unit,
        "participant_id": world.teacher.id,
        "plan_id": plan.id,
        "task_id": create(
            "tasks", {"title": "Tọa đàm", "assignee_unit_id": world.units["Tổ 1"].id}
        ),
        "session_id": create(
            "sessions",
            {
                "title": "Học tập Nghị quyết",
                "starts_at": "2025-03-15T07:30:00+07:00",
                "ends_at": "2025-03-15T09:30:00+07:00",
            },
        ),
        "activity_id": create(
            "activities", {"kind": "article", "title": "Bài viết", "happened_on": "2025-03-20"}
        ),
        "endpoint_id": client.post(
            "/api/v1/webhooks",
            json={
                "organization_id": world.school.id,
                "url": "https://93.184.216.34/lan-toa",
                "events": ["report.issued"],
            },
            headers=admin,
        ).json()["id"],
    }


def test_patch_fields_are_found_and_the_clearable_stay_nullable():
    nullable = {(path.rsplit("/", 2)[1], name) for path, name, can in PATCH_FIELDS if can}
    assert {("plans", "period_end"), ("tasks", "due_on"), ("participants", "email")} <= nullable
    assert ("orgs", "name") in {(path.rsplit("/", 2)[1], name) for path, name, _ in PATCH_FIELDS}


@pytest.mark.parametrize(
    ("path", "name", "nullable"), PATCH_FIELDS, ids=[f"{p} {n}" for p, n, _ in PATCH_FIELDS]
)
def test_a_patch_field_takes_null_exactly_when_openapi_says_so(
    client, world, db, records, path, name, nullable
):
    url = path.format_map(records)
    admin = world.headers("admin")
    events = audit_event_count(db)
    body: dict[str, Any] = {name: None}
    if name in COMPANIONS:
        body[COMPANIONS[name]] = world.teacher.id
    response = client.patch(url, json=body, headers=admin)
    if nullable:
        assert response.status_code == 200, response.text
        return
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [f"body.{name}"]
    assert audit_event_count(db) == events  # nothing written


def audit_event_count(db) -> int:
    return db.exec(sa.select(sa.func.count()).select_from(AuditEvent)).one()[0]

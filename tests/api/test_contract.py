"""The OpenAPI document and the server agree on what a date is and on what may be null."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from app.main import create_app

NOT_ISO_DATES = [0, "0", "20250101", 1700000000, "2025-1-1", "2025-01-01T00:00:00"]
NOT_ISO_DATETIMES = [0, "0", 1700000000, "1700000000", "20250315T073000+0700"]


def _openapi() -> dict[str, Any]:
    return create_app(frontend_dir=None).openapi()


OPENAPI = _openapi()


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

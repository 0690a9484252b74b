"""The permission matrix machinery shared by the matrix tests: callers, endpoints, one call."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

CALLERS = ["anonymous", "member", "manager", "viewer", "admin", "other_admin", "token"]


@dataclass
class Endpoint:
    method: str
    path: str
    rule: str
    ok: int = 200
    json: Any = None
    files: Any = None


def call_as(client, world, endpoint: Endpoint, caller: str, rules: dict[str, dict[str, int | str]]):
    """Call the endpoint as `caller` and check the status its rule expects.

    Returns (response, expected status).
    """
    expected = rules[endpoint.rule][caller]
    expected = endpoint.ok if expected == "ok" else expected
    response = client.request(
        endpoint.method,
        endpoint.path,
        json=endpoint.json,
        files=endpoint.files,
        headers=world.headers(caller),
    )
    assert response.status_code == expected, (
        f"{endpoint.method} {endpoint.path} as {caller}: "
        f"{response.status_code} {response.text[:300]}"
    )
    if expected >= 400:
        assert response.headers["content-type"] == "application/problem+json"
    if expected == 404:
        # Nothing about the record leaks into the refusal.
        assert world.school.name not in response.text
    return response, expected

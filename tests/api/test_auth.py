"""Password login, access tokens, logout, password change and reset, throttling."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth.models import ApiToken, FailedAttempt, LoginSession
from app.auth.sign_in import (
    FIRST_LOGIN_WAIT,
    FREE_LOGIN_FAILURES,
    LONGEST_LOGIN_WAIT,
    MAX_LOGIN_FAILURES_PER_ADDRESS,
)
from app.auth.sign_in import MAX_RESET_FAILURES_PER_USERNAME as MAX_RESET_FAILURES
from app.core.config import current_settings
from tests.factories import PASSWORD


def login(client, username, password=PASSWORD):
    return client.post("/api/v1/auth/login", json={"username": username, "password": password})


def test_login_returns_a_token_that_works(client, world):
    response = login(client, "GV001")  # usernames are case-insensitive
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "bearer"
    assert body["me"]["user"]["username"] == "gv001"
    assert body["me"]["roles"][0]["role"] == "member"
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['access_token']}"})
    assert me.status_code == 200
    assert me.json()["user"]["participant_id"] == world.teacher.id
    assert [(r["organization_code"], r["organization_kind"]) for r in me.json()["roles"]] == [
        ("th-nbk", "school")
    ]


def test_token_is_stored_hashed(client, world, db):
    token = login(client, "admin").json()["access_token"]
    hashes = db.exec(sa.select(LoginSession.token_hash)).scalars().all()
    assert token not in hashes and all(len(h) == 64 for h in hashes)


def test_wrong_password_and_unknown_user_answer_alike(client, world):
    wrong = login(client, "admin", "sai-mat-khau")
    unknown = login(client, "khong-co", "sai-mat-khau")
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]


def test_logout_revokes_the_token(client, world):
    token = login(client, "admin").json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert client.post("/api/v1/auth/logout", headers=headers).status_code == 204
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_missing_or_garbage_token_is_401_with_challenge(client, world):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer lts_nope"}).status_code == 401


def age_failures(db, by: timedelta) -> None:
    """Move every counted failure back in time, as if the caller had waited that long."""
    for failure in db.exec(sa.select(FailedAttempt)).scalars():
        failure.created_at -= by
    db.commit()


def test_wrong_passwords_slow_their_sender_not_the_owner_elsewhere(client_at, world):
    attacker, owner = client_at("203.0.113.7"), client_at("198.51.100.20")
    for _ in range(FREE_LOGIN_FAILURES):
        assert login(attacker, "admin", "sai").status_code == 401
    response = login(attacker, "admin")  # from there even the right password waits now
    assert response.status_code == 429
    assert 0 < int(response.headers["retry-after"]) <= FIRST_LOGIN_WAIT.total_seconds()
    assert response.json()["type"].endswith("/too-many-requests")
    assert login(owner, "admin").status_code == 200  # the owner, from another address
    assert login(attacker, "manager").status_code == 200  # other accounts from there too


def test_each_further_failure_doubles_the_wait(client_at, world, db):
    attacker = client_at("203.0.113.7")
    for _ in range(FREE_LOGIN_FAILURES):
        login(attacker, "admin", "sai")
    waits = []
    for _ in range(3):
        waits.append(int(login(attacker, "admin", "sai").headers["retry-after"]))
        age_failures(db, timedelta(hours=1))  # waited: one more try is let through
        assert login(attacker, "admin", "sai").status_code == 401
    assert waits[0] < waits[1] < waits[2] <= LONGEST_LOGIN_WAIT.total_seconds()
    assert waits[2] > 2 * FIRST_LOGIN_WAIT.total_seconds()


def test_a_success_forgets_only_its_own_address_failures(client_at, world, db):
    owner, attacker = client_at("198.51.100.20"), client_at("203.0.113.7")
    for caller in (owner, attacker):
        for _ in range(FREE_LOGIN_FAILURES - 1):
            login(caller, "admin", "sai")
    assert login(owner, "admin").status_code == 200
    assert login(owner, "admin", "sai").status_code == 401  # starts over here
    assert login(attacker, "admin", "sai").status_code == 401  # the fifth from there
    assert login(attacker, "admin", "sai").status_code == 429


def test_password_spraying_from_one_address_is_stopped_across_accounts(client_at, world, db):
    for number in range(MAX_LOGIN_FAILURES_PER_ADDRESS):
        db.add(FailedAttempt(kind="login", subject=f"user{number}", address="203.0.113.7"))
    db.commit()
    assert login(client_at("203.0.113.7"), "gv001", "sai").status_code == 429
    assert login(client_at("198.51.100.20"), "gv001").status_code == 200


def test_failed_logins_are_audited_and_kept_after_a_success(client_at, world, db):
    caller = client_at("203.0.113.7")
    assert login(caller, "admin", "mat-khau-doan-thu").status_code == 401
    assert login(caller, "khong-co-ai", "mat-khau-doan-thu").status_code == 401
    assert login(caller, "admin").status_code == 200
    events = (
        db.exec(
            sa.select(AuditEvent)
            .where(AuditEvent.action == "auth.login_failed")
            .order_by(AuditEvent.id)
        )
        .scalars()
        .all()
    )
    assert [(e.entity_id, e.organization_id, e.after) for e in events] == [
        (
            str(world.users["admin"].id),
            world.school.id,
            {"username": "admin", "address": "203.0.113.7"},
        ),
        (None, None, {"username": "khong-co-ai", "address": "203.0.113.7"}),
    ]
    assert all("mat-khau-doan-thu" not in str(e.model_dump()) for e in events)
    shown = client_at("198.51.100.20").get(
        "/api/v1/audit", params={"action": "auth.login_failed"}, headers=world.headers("admin")
    )
    assert [e["entity_label"] for e in shown.json()["items"]] == ["Bùi Can"]


def test_a_valid_reset_code_always_works(client_at, world, db):
    """Even from the address where someone guessed passwords and codes until refused."""
    issued = client_at("198.51.100.20").post(
        f"/api/v1/users/{world.users['member'].id}/reset", headers=world.headers("admin")
    )
    code = issued.json()["reset_code"]
    there = client_at("203.0.113.7")
    for _ in range(FREE_LOGIN_FAILURES):
        login(there, "gv001", "sai")
    body = {"username": "gv001", "reset_code": "SAIMA23456", "new_password": "mat-khau-moi-5"}
    wrong = [there.post("/api/v1/auth/reset", json=body) for _ in range(MAX_RESET_FAILURES + 1)]
    assert [r.status_code for r in wrong] == [401] * MAX_RESET_FAILURES + [429]
    assert int(wrong[-1].headers["retry-after"]) > 0
    assert there.post("/api/v1/auth/reset", json=body | {"reset_code": code}).status_code == 204
    assert login(there, "gv001", "mat-khau-moi-5").status_code == 200
    failed = db.exec(
        sa.select(sa.func.count()).where(AuditEvent.action == "auth.reset_failed")
    ).one()[0]
    assert failed == MAX_RESET_FAILURES


def test_password_change_needs_the_current_one_and_a_long_new_one(client, world):
    headers = world.headers("member")
    short = client.post(
        "/api/v1/auth/password",
        headers=headers,
        json={"current_password": PASSWORD, "new_password": "ngan"},
    )
    assert short.status_code == 422
    assert short.json()["errors"][0]["field"] == "body.new_password"
    wrong = client.post(
        "/api/v1/auth/password",
        headers=headers,
        json={"current_password": "sai", "new_password": "mat-khau-moi-9"},
    )
    assert wrong.status_code == 422
    assert wrong.json()["errors"][0]["field"] == "body.current_password"
    ok = client.post(
        "/api/v1/auth/password",
        headers=headers,
        json={"current_password": PASSWORD, "new_password": "mat-khau-moi-9"},
    )
    assert ok.status_code == 204
    assert login(client, "gv001").status_code == 401
    assert login(client, "gv001", "mat-khau-moi-9").status_code == 200


def test_admin_issues_a_one_time_reset(client, world):
    issued = client.post(
        f"/api/v1/users/{world.users['member'].id}/reset", headers=world.headers("admin")
    )
    assert issued.status_code == 200
    code = issued.json()["reset_code"]
    body = {"username": "gv001", "reset_code": code, "new_password": "mat-khau-moi-3"}
    assert client.post("/api/v1/auth/reset", json=body).status_code == 204
    assert (
        client.get("/api/v1/me", headers=world.headers("member")).status_code == 401
    )  # old sessions end
    assert login(client, "gv001", "mat-khau-moi-3").status_code == 200
    again = client.post("/api/v1/auth/reset", json=body | {"new_password": "mat-khau-moi-4"})
    assert again.status_code == 401  # one time only


def test_deactivated_participant_cannot_log_in(client, world):
    client.post(
        f"/api/v1/participants/{world.teacher.id}/deactivate", headers=world.headers("admin")
    )
    assert login(client, "gv001").status_code == 401
    assert client.get("/api/v1/me", headers=world.headers("member")).status_code == 401


def test_logins_are_audited(client, world, db):
    login(client, "admin")
    actions = db.exec(sa.select(AuditEvent.action)).scalars().all()
    assert "auth.login" in actions


def test_api_token_is_shown_once_and_works(client, world, db):
    created = client.post(
        "/api/v1/api-tokens",
        headers=world.headers("admin"),
        json={
            "organization_id": world.school.id,
            "name": "Phòng GD",
            "scopes": ["people:read"],
            "expires_in_days": 30,
        },
    )
    assert created.status_code == 201, created.text
    token = created.json()["token"]
    assert token.startswith("ltk_")
    listed = client.get(
        f"/api/v1/api-tokens?org_id={world.school.id}", headers=world.headers("admin")
    ).json()
    assert all("token" not in item for item in listed)
    assert token not in db.exec(sa.select(ApiToken.token_hash)).scalars().all()

    headers = {"Authorization": f"Bearer {token}"}
    assert (
        client.get(f"/api/v1/participants?org_id={world.school.id}", headers=headers).status_code
        == 200
    )
    used = db.exec(sa.select(ApiToken).where(ApiToken.id == created.json()["id"])).scalar_one()
    db.refresh(used)
    assert used.last_used_at is not None

    token_id = created.json()["id"]
    assert (
        client.delete(f"/api/v1/api-tokens/{token_id}", headers=world.headers("admin")).status_code
        == 200
    )
    assert (
        client.get(f"/api/v1/participants?org_id={world.school.id}", headers=headers).status_code
        == 401
    )


def test_expired_api_token_is_refused(client, world, db):
    from tests.factories import api_token

    _, token = api_token(
        db,
        world.school,
        world.users["admin"],
        ["people:read"],
        expires_at=datetime.now(UTC) - timedelta(minutes=1),
    )
    db.commit()
    response = client.get("/api/v1/participants", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 401


def create_token(client, world, **body):
    return client.post(
        "/api/v1/api-tokens",
        headers=world.headers("admin"),
        json={"organization_id": world.school.id, "name": "Phòng GD", "scopes": ["reports:read"]}
        | body,
    )


def test_api_token_expires_in_a_year_unless_told_sooner(client, world):
    created = create_token(client, world)
    assert created.status_code == 201, created.text
    expires_at = datetime.fromisoformat(created.json()["expires_at"])
    assert abs(expires_at - (datetime.now(UTC) + timedelta(days=365))) < timedelta(minutes=5)
    sooner = create_token(client, world, expires_in_days=30).json()["expires_at"]
    assert datetime.fromisoformat(sooner) < datetime.now(UTC) + timedelta(days=31)


@pytest.mark.parametrize("days", [None, 366, 3650])
def test_api_token_never_lasts_forever_nor_past_the_maximum(client, world, db, days):
    tokens = db.exec(sa.select(sa.func.count()).select_from(ApiToken)).one()[0]
    response = create_token(client, world, expires_in_days=days)
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["body.expires_in_days"]
    assert db.exec(sa.select(sa.func.count()).select_from(ApiToken)).one()[0] == tokens


def test_api_token_maximum_is_a_setting(client, world, monkeypatch):
    monkeypatch.setattr(current_settings(), "api_token_max_days", 30)
    refused = create_token(client, world, expires_in_days=31)
    assert refused.status_code == 422 and "30" in refused.json()["detail"]
    default = datetime.fromisoformat(create_token(client, world).json()["expires_at"])
    assert abs(default - (datetime.now(UTC) + timedelta(days=30))) < timedelta(minutes=5)


def test_api_token_cannot_be_given_write_scopes(client, world):
    response = client.post(
        "/api/v1/api-tokens",
        headers=world.headers("admin"),
        json={"organization_id": world.school.id, "name": "x", "scopes": ["people:manage"]},
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.scopes"

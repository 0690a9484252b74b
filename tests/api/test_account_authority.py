"""No level acts above itself: acting on a login takes the right over every organisation where
it holds a role; deactivating a person ends whatever acts for her, for good."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth.models import RoleAssignment, User
from app.authz import Role
from tests.factories import PASSWORD, login_token, make_participant, make_user

# Where, besides the school she teaches at, a teacher's login holds a role.
PLACES = ["school", "district", "other_school"]
# Who may act on her login, by place.
EXPECTED = {
    "admin": {"school": "ok", "district": 404, "other_school": 404},
    "district_admin": {"school": "ok", "district": "ok", "other_school": "ok"},
}


def _org(world, place: str):
    return {"school": world.school, "district": world.district, "other_school": world.other_school}[
        place
    ]


@pytest.fixture
def district_admin(db, world) -> User:
    user = make_user(db, "district-admin", world.district, Role.ADMIN)
    world.tokens["district_admin"] = login_token(db, user)
    db.commit()
    return user


def teacher_with_login(db, world, place: str) -> User:
    """A teacher of the school, a member there; her login is also an admin at `place`."""
    person = make_participant(db, world.school, f"Giáo viên {place}", f"GV-{place}")
    user = make_user(db, f"gv-{place}", world.school, Role.MEMBER, person)
    if place != "school":
        db.add(RoleAssignment(user_id=user.id, organization_id=_org(world, place).id, role="admin"))
    db.commit()
    return user


def _reset(world, user):
    return "POST", f"/api/v1/users/{user.id}/reset", None, 200


def _set_role(world, user):
    return "PUT", f"/api/v1/orgs/{world.school.id}/roles/{user.id}", {"role": "manager"}, 200


def _remove_role(world, user):
    return "DELETE", f"/api/v1/orgs/{world.school.id}/roles/{user.id}", None, 204


def _deactivate(world, user):
    return "POST", f"/api/v1/participants/{user.participant_id}/deactivate", None, 200


def _activate(world, user):
    return "POST", f"/api/v1/participants/{user.participant_id}/activate", None, 200


ACTIONS = {
    "reset": _reset,
    "set_role": _set_role,
    "remove_role": _remove_role,
    "deactivate": _deactivate,
    "activate": _activate,
}


def events(db) -> int:
    return db.exec(sa.select(sa.func.count()).select_from(AuditEvent)).one()[0]


@pytest.mark.parametrize("actor", list(EXPECTED))
@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("action", list(ACTIONS))
def test_account_actions_need_the_right_over_every_role_of_the_login(
    client, world, db, district_admin, actor, place, action
):
    user = teacher_with_login(db, world, place)
    if action == "activate":  # a person who left and comes back
        client.post(_deactivate(world, user)[1], headers=world.headers("district_admin"))
    method, url, body, ok = ACTIONS[action](world, user)
    written = events(db)
    roles = db.exec(sa.select(RoleAssignment.organization_id, RoleAssignment.role)).all()

    response = client.request(method, url, json=body, headers=world.headers(actor))

    expected = EXPECTED[actor][place]
    assert response.status_code == (ok if expected == "ok" else expected), response.text
    if expected != "ok":
        assert response.headers["content-type"] == "application/problem+json"
        assert events(db) == written  # nothing written
        assert db.exec(sa.select(RoleAssignment.organization_id, RoleAssignment.role)).all() == (
            roles
        )
        db.refresh(user)
        assert user.reset_code_hash is None and user.is_active is (action != "activate")


@pytest.mark.parametrize("actor", list(EXPECTED))
@pytest.mark.parametrize("place", PLACES)
def test_a_login_is_made_only_for_a_person_the_actor_manages(
    client, world, db, district_admin, actor, place
):
    person = make_participant(db, _org(world, place), "Phạm Văn Nam", "GV050")
    db.commit()
    response = client.post(
        f"/api/v1/participants/{person.id}/account",
        headers=world.headers(actor),
        json={"password": "mat-khau-moi-1", "role": "member"},
    )
    expected = EXPECTED[actor][place]
    assert response.status_code == (201 if expected == "ok" else expected), response.text
    made = db.exec(sa.select(User).where(User.participant_id == person.id)).scalar_one_or_none()
    assert (made is not None) is (expected == "ok")


@pytest.mark.parametrize("place", ["district", "other_school"])
def test_a_school_admin_grants_no_role_beyond_the_school(client, world, db, place):
    url = f"/api/v1/orgs/{_org(world, place).id}/roles/{world.users['member'].id}"
    response = client.put(url, headers=world.headers("admin"), json={"role": "admin"})
    assert response.status_code == 404
    granted = db.exec(
        sa.select(RoleAssignment).where(RoleAssignment.user_id == world.users["member"].id)
    ).all()
    assert len(granted) == 1  # the member role at the school, as before


def test_a_school_admin_cannot_take_over_a_district_login(client, world, db):
    """The issue's attack: reset the password of a teacher who also administers the district,
    then sign in as her."""
    user = teacher_with_login(db, world, "district")
    refused = client.post(f"/api/v1/users/{user.id}/reset", headers=world.headers("admin"))
    assert refused.status_code == 404
    assert "reset_code" not in refused.text
    login = client.post(
        "/api/v1/auth/reset",
        json={"username": user.username, "reset_code": "AAAA-BBBB", "new_password": "chiem-quyen"},
    )
    assert login.status_code == 401


def test_a_manager_is_refused_as_before(client, world, db):
    user = teacher_with_login(db, world, "school")
    response = client.post(f"/api/v1/users/{user.id}/reset", headers=world.headers("manager"))
    assert response.status_code == 403


# Deactivation


def _login(client, username: str, password: str = PASSWORD):
    return client.post("/api/v1/auth/login", json={"username": username, "password": password})


def test_deactivation_ends_sessions_links_and_reset_codes_for_good(client, world, db):
    admin = world.headers("admin")
    member = world.headers("member")
    teacher = world.teacher.id
    link = client.post(f"/api/v1/participants/{teacher}/links", headers=admin).json()["token"]
    code = client.post(f"/api/v1/users/{world.users['member'].id}/reset", headers=admin).json()[
        "reset_code"
    ]
    assert client.get("/api/v1/me", headers=member).status_code == 200
    assert client.get(f"/api/v1/links/{link}").status_code == 200

    deactivated = client.post(f"/api/v1/participants/{teacher}/deactivate", headers=admin)
    assert deactivated.status_code == 200, deactivated.text
    assert client.get("/api/v1/me", headers=member).status_code == 401
    assert client.get(f"/api/v1/links/{link}").status_code == 404
    reset = {"username": "gv001", "reset_code": code, "new_password": "mat-khau-moi-7"}
    assert client.post("/api/v1/auth/reset", json=reset).status_code == 401
    assert _login(client, "gv001").status_code == 401
    again = client.post(f"/api/v1/users/{world.users['member'].id}/reset", headers=admin)
    assert again.status_code == 409  # no code for a login that is switched off
    [event] = db.exec(
        sa.select(AuditEvent).where(AuditEvent.action == "participant.deactivate")
    ).scalars()
    assert event.after["active"] is False and event.after["sessions_revoked"] == 1
    revoked = db.exec(
        sa.select(AuditEvent.after).where(
            AuditEvent.action == "link.revoke", AuditEvent.entity_id == str(teacher)
        )
    ).scalar_one()
    assert revoked == {"revoked": 1}

    assert client.post(f"/api/v1/participants/{teacher}/activate", headers=admin).status_code == 200
    # Back at work: her password works again, nothing that was ended does.
    assert client.get("/api/v1/me", headers=member).status_code == 401
    assert client.get(f"/api/v1/links/{link}").status_code == 404
    assert client.post("/api/v1/auth/reset", json=reset).status_code == 401
    assert _login(client, "gv001").status_code == 200
    fresh = client.post(f"/api/v1/participants/{teacher}/links", headers=admin).json()["token"]
    assert client.get(f"/api/v1/links/{fresh}").status_code == 200


def test_no_login_and_no_link_for_an_inactive_person(client, world, db):
    admin = world.headers("admin")
    person = world.colleague.id
    left = client.post(f"/api/v1/participants/{person}/deactivate", headers=admin)
    assert left.status_code == 200
    written = events(db)
    account = client.post(
        f"/api/v1/participants/{person}/account",
        headers=admin,
        json={"password": "mat-khau-moi-1", "role": "member"},
    )
    assert account.status_code == 409
    assert account.json()["detail"].startswith("Cán bộ đã ngừng hoạt động")
    assert db.exec(sa.select(User).where(User.participant_id == person)).first() is None
    assert client.post(f"/api/v1/participants/{person}/links", headers=admin).status_code == 404
    sheet = client.post(f"/api/v1/orgs/{world.school.id}/link-sheet", json={}, headers=admin)
    assert sheet.status_code == 200
    assert person not in [row["participant_id"] for row in sheet.json()]
    assert events(db) == written + len(sheet.json())  # one link.issue for each on the sheet

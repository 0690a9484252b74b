"""Every endpoint × every kind of caller: who gets in, who is refused, who learns nothing.

Callers: anonymous; a member (teacher) of the school; the school's manager; the district's
viewer; the school's admin; the admin of another school under the same district; and a
district API token whose scopes do not include what the endpoint needs.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.contests.models import Contest, ContestRound
from tests.factories import make_plan
from tests.matrix import CALLERS, Endpoint, call_as

# Expected status by rule, for every caller but the ones allowed (who get the endpoint's `ok`).
RULES: dict[str, dict[str, int | str]] = {
    # Managing the school: only its admin.
    "school_admin": {
        "anonymous": 401,
        "member": 403,
        "manager": 403,
        "viewer": 403,
        "admin": "ok",
        "other_admin": 404,
        "token": 403,
    },
    # Reading the school's people and organisation: staff with a reading role over it.
    "school_read": {
        "anonymous": 401,
        "member": 403,
        "manager": "ok",
        "viewer": "ok",
        "admin": "ok",
        "other_admin": 404,
        "token": 403,
    },
    # Lists filtered to what the caller may see: every signed-in caller gets a (maybe empty) page.
    "scoped_list": {
        "anonymous": 401,
        "member": "ok",
        "manager": "ok",
        "viewer": "ok",
        "admin": "ok",
        "other_admin": "ok",
        "token": "ok",
    },
    # About the signed-in person: users only.
    "user_self": {
        "anonymous": 401,
        "member": "ok",
        "manager": "ok",
        "viewer": "ok",
        "admin": "ok",
        "other_admin": "ok",
        "token": 403,
    },
    # About the signed-in person's own staff record: users who are on a staff (the test world's
    # member and school admin); 403 for an account that is nobody on the staff.
    "staff_self": {
        "anonymous": 401,
        "member": "ok",
        "manager": 403,
        "viewer": 403,
        "admin": "ok",
        "other_admin": 403,
        "token": 403,
    },
    # Lists of staff records without an organisation: who reads people somewhere.
    "people_list": {
        "anonymous": 401,
        "member": 403,
        "manager": "ok",
        "viewer": "ok",
        "admin": "ok",
        "other_admin": "ok",
        "token": 403,
    },
    # Admin-only lists without an organisation: any admin, for their own subtree.
    "any_admin": {
        "anonymous": 401,
        "member": 403,
        "manager": 403,
        "viewer": 403,
        "admin": "ok",
        "other_admin": "ok",
        "token": 403,
    },
}


def endpoints(w) -> list[Endpoint]:
    s, u, t = w.school.id, w.units["Tổ 1"].id, w.colleague.id
    staff_csv = {
        "file": ("ds.csv", "Họ và tên,Mã cán bộ\nPhạm Văn Nam,GV050\n".encode(), "text/csv")
    }
    return [
        Endpoint("GET", "/api/v1/orgs", "scoped_list"),
        Endpoint(
            "POST",
            "/api/v1/orgs",
            "school_admin",
            201,
            {
                "parent_id": s,
                "kind": "unit",
                "name": "Điểm trường 2",
                "code": "th-nbk-2",
                "abbreviation": "THNBK2",
            },
        ),
        Endpoint("GET", f"/api/v1/orgs/{s}", "school_read"),
        Endpoint("PATCH", f"/api/v1/orgs/{s}", "school_admin", json={"place_name": "Thanh Khê"}),
        Endpoint("GET", f"/api/v1/orgs/{s}/children", "school_read"),
        Endpoint("GET", f"/api/v1/orgs/{s}/subtree", "school_read"),
        Endpoint("GET", f"/api/v1/orgs/{s}/units", "school_read"),
        Endpoint("POST", f"/api/v1/orgs/{s}/units", "school_admin", 201, {"name": "Tổ 5"}),
        Endpoint("PATCH", f"/api/v1/units/{u}", "school_admin", json={"name": "Tổ Một"}),
        Endpoint("DELETE", f"/api/v1/units/{u}", "school_admin", 204),
        Endpoint("GET", f"/api/v1/units/{u}/members", "school_read"),
        Endpoint("PUT", f"/api/v1/units/{u}/members/{t}", "school_admin", 204, {"is_leader": True}),
        Endpoint("DELETE", f"/api/v1/units/{u}/members/{t}", "school_admin", 204),
        Endpoint("GET", "/api/v1/participants", "scoped_list"),
        Endpoint("GET", f"/api/v1/participants?org_id={s}", "school_read"),
        Endpoint(
            "POST",
            "/api/v1/participants",
            "school_admin",
            201,
            {"organization_id": s, "full_name": "Phạm Văn Nam", "staff_code": "GV050"},
        ),
        Endpoint("GET", f"/api/v1/participants/{t}", "school_read"),
        Endpoint("GET", f"/api/v1/participants/{t}/transfers", "school_read"),
        Endpoint("GET", "/api/v1/transfers", "people_list"),
        Endpoint(
            "PATCH", f"/api/v1/participants/{t}", "school_admin", json={"position": "Tổ trưởng"}
        ),
        Endpoint("POST", f"/api/v1/participants/{t}/deactivate", "school_admin"),
        Endpoint("POST", f"/api/v1/participants/{t}/activate", "school_admin"),
        Endpoint(
            "POST",
            f"/api/v1/participants/{t}/account",
            "school_admin",
            201,
            {"password": "mat-khau-moi-1", "role": "member"},
        ),
        Endpoint(
            "POST",
            f"/api/v1/participants/import?org_id={s}&dry_run=true",
            "school_admin",
            files=staff_csv,
        ),
        Endpoint("GET", "/api/v1/participants/import/template", "scoped_list"),
        Endpoint("GET", f"/api/v1/orgs/{s}/roles", "school_admin"),
        Endpoint(
            "PUT",
            f"/api/v1/orgs/{s}/roles/{w.users['manager'].id}",
            "school_admin",
            json={"role": "viewer"},
        ),
        Endpoint("DELETE", f"/api/v1/orgs/{s}/roles/{w.users['manager'].id}", "school_admin", 204),
        Endpoint("POST", f"/api/v1/users/{w.users['member'].id}/reset", "school_admin"),
        Endpoint("GET", f"/api/v1/api-tokens?org_id={s}", "school_admin"),
        Endpoint(
            "POST",
            "/api/v1/api-tokens",
            "school_admin",
            201,
            {"organization_id": s, "name": "Báo cáo", "scopes": ["reports:read"]},
        ),
        Endpoint("GET", "/api/v1/audit", "any_admin"),
        Endpoint("GET", f"/api/v1/audit?org_id={s}", "school_admin"),
        Endpoint("GET", "/api/v1/me", "user_self"),
        Endpoint("GET", "/api/v1/me/quizzes", "staff_self"),
        Endpoint(
            "POST",
            "/api/v1/auth/password",
            "user_self",
            204,
            {"current_password": "mat-khau-2025", "new_password": "mat-khau-moi-2"},
        ),
    ]


ENDPOINT_COUNT = 36


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("index", range(ENDPOINT_COUNT))
def test_permission_matrix(client, world, caller, index):
    all_endpoints = endpoints(world)
    assert len(all_endpoints) == ENDPOINT_COUNT
    endpoint = all_endpoints[index]
    call_as(client, world, endpoint, caller, RULES)


def test_revoke_api_token_matrix(client, world, db):
    from tests.factories import api_token

    row, _ = api_token(db, world.school, world.users["admin"], ["reports:read"])
    db.commit()
    for caller, expected in [
        ("anonymous", 401),
        ("member", 403),
        ("manager", 403),
        ("viewer", 403),
        ("other_admin", 404),
        ("token", 403),
        ("admin", 200),
    ]:
        response = client.delete(f"/api/v1/api-tokens/{row.id}", headers=world.headers(caller))
        assert response.status_code == expected, (caller, response.text)


def test_a_member_reads_their_own_record_only(client, world):
    headers = world.headers("member")
    assert (
        client.get(f"/api/v1/participants/{world.teacher.id}", headers=headers).status_code == 200
    )
    assert (
        client.get(f"/api/v1/participants/{world.colleague.id}", headers=headers).status_code == 403
    )
    assert (
        client.get(f"/api/v1/participants/{world.other_teacher.id}", headers=headers).status_code
        == 404
    )


def test_token_with_the_scope_reads_people_in_its_subtree(client, world):
    headers = {"Authorization": f"Bearer {world.tokens['people_token']}"}
    response = client.get(f"/api/v1/participants?org_id={world.school.id}", headers=headers)
    assert response.status_code == 200
    assert response.json()["total"] == 3
    assert (
        client.post(
            "/api/v1/participants",
            headers=headers,
            json={"organization_id": world.school.id, "full_name": "X", "staff_code": "X1"},
        ).status_code
        == 403
    )


# A contest on the district's plan: who reports on the district reads and ranks it (its
# viewer, its reports token); writing it takes a manager of the district, whom this world lacks.
CONTEST_RULES: dict[str, dict[str, int | str]] = {
    "district_report": {
        "anonymous": 401,
        "member": 404,
        "manager": 404,
        "viewer": "ok",
        "admin": 404,
        "other_admin": 404,
        "token": "ok",
    },
    "district_write": {
        "anonymous": 401,
        "member": 404,
        "manager": 404,
        "viewer": 403,
        "admin": 404,
        "other_admin": 404,
        "token": 403,
    },
    # A staff member's own contests: callers who are somebody on the staff.
    "staff_self": {
        "anonymous": 401,
        "member": "ok",
        "manager": 403,
        "viewer": 403,
        "admin": "ok",
        "other_admin": 403,
        "token": 403,
    },
}


@pytest.mark.parametrize("caller", CALLERS)
def test_contest_matrix(client, world, db, caller):
    plan = make_plan(db, world.district)
    contest = Contest(
        plan_id=plan.id, organization_id=world.district.id, title="Cuộc thi", public_token="k"
    )
    db.add(contest)
    db.flush()
    soon = datetime.now(UTC) + timedelta(days=1)
    opening = ContestRound(
        contest_id=contest.id,
        number=1,
        opens_at=soon,
        closes_at=soon + timedelta(hours=2),
        question_count=5,
        time_limit_minutes=10,
        tiebreak_question="Dự đoán số người tham gia",
    )
    db.add(opening)
    db.commit()
    c, r = contest.id, opening.id
    body = {
        "title": "Cuộc thi",
        "rounds": [
            {"opens_at": soon.isoformat(), "closes_at": (soon + timedelta(hours=1)).isoformat()}
        ],
    }
    for endpoint in [
        Endpoint("GET", f"/api/v1/plans/{plan.id}/contests", "district_report"),
        Endpoint("POST", f"/api/v1/plans/{plan.id}/contests", "district_write", 201, body),
        Endpoint("GET", f"/api/v1/contests/{c}", "district_report"),
        Endpoint("PUT", f"/api/v1/contests/{c}", "district_write", json=body),
        Endpoint("POST", f"/api/v1/contests/{c}/publish", "district_write"),
        Endpoint("POST", f"/api/v1/contests/{c}/unpublish", "district_write"),
        Endpoint("GET", f"/api/v1/contests/{c}/rounds/{r}/leaderboard/people", "district_report"),
        Endpoint("GET", f"/api/v1/contests/{c}/rounds/{r}/leaderboard/schools", "district_report"),
        Endpoint(
            "GET", f"/api/v1/contests/{c}/rounds/{r}/leaderboard/districts", "district_report"
        ),
        Endpoint("GET", f"/api/v1/contests/{c}/results.xlsx", "district_report"),
        Endpoint("GET", "/api/v1/me/contests", "staff_self"),
    ]:
        call_as(client, world, endpoint, caller, CONTEST_RULES)

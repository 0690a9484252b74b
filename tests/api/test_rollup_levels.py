"""The roll-up by level over a province → districts → schools tree: each row sums its subtree
and agrees with the flat list of every organisation and with a school's own progress, as of a
past day too; drill-down, sorting, filters and pages; the scope rules; CSV and XLSX at each
level; a fixed number of statements whatever the number of schools."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

import openpyxl
import pytest
import sqlalchemy as sa

from app.authz import Role
from app.orgs.models import Organization
from app.people.models import Participant
from app.plans.models import Plan
from app.reports.models import RollupFigures
from tests.factories import (
    ack,
    at,
    held_session,
    login_token,
    make_org,
    make_participant,
    make_plan,
    make_user,
)
from tests.support import count_queries

FIGURES = (
    "audience",
    "confirmed",
    "confirmed_rate",
    "reflections",
    "graded",
    "sessions_held",
    "attended",
    "attended_rate",
    "attendances",
    "expected_attendances",
    "attendance_rate",
    "tasks_total",
    "tasks_done",
    "tasks_overdue",
    "outreach",
    "outreach_reach",
)
COUNTS = tuple(k for k in FIGURES if not k.endswith("_rate"))


@dataclass
class Province:
    province: Organization
    districts: dict[str, Organization]
    schools: dict[str, Organization]
    plan: Plan
    plans: dict[str, Plan]
    headers: dict[str, dict[str, str]]


def add_school(db, province: Province, district: str, code: str, name: str, staff: int, done: int):
    """A school of `staff` people under the district, its plan adopted from the district's,
    `done` of them confirmed on 16/3 (the first on 10/3) and present at a session on 15/3."""
    school = make_org(db, code, name, province.districts[district])
    plan = make_plan(db, school, parent_plan_id=province.plans[district].id)
    plan.created_at = at("2025-03-05")
    people = []
    for n in range(staff):
        person = make_participant(db, school, f"Giáo viên {code} {n}", f"{code}-{n}")
        person.created_at = at("2025-01-02")
        people.append(person)
    for n, person in enumerate(people[:done]):
        ack(db, plan, person, "2025-03-10" if n == 0 else "2025-03-16")
    held_session(db, plan, [(p, "present") for p in people[:done]])
    province.schools[code] = school
    province.plans[code] = plan
    return school


@pytest.fixture
def tree(db) -> Province:
    """Sở GDĐT (two office staff, one confirmed) → Phòng GDĐT A (schools a1: 4 of 5, a2: 1 of
    4) and Phòng GDĐT B (school b1: 3 of 3; b2 has not adopted the plan, 2 staff). Callers:
    the province's viewer, a viewer of district B, a school admin of a1."""
    province = make_org(db, "so-gddt", "Sở GDĐT tỉnh Thử", kind="province", abbreviation="SGDĐT")
    plan = make_plan(db, province, issued_on=date(2025, 3, 3))
    plan.created_at = at("2025-03-03")
    office = [make_participant(db, province, f"Chuyên viên {n}", f"SO-{n}") for n in range(2)]
    for person in office:
        person.created_at = at("2025-01-02")
    ack(db, plan, office[0], "2025-03-12")
    found = Province(province, {}, {}, plan, {}, {})
    for key, name in (("a", "Phòng GDĐT huyện An"), ("b", "Phòng GDĐT huyện Bình")):
        district = make_org(db, f"pgd-{key}", name, province, kind="district")
        found.districts[key] = district
        district_plan = make_plan(db, district, parent_plan_id=plan.id)
        district_plan.created_at = at("2025-03-04")
        found.plans[key] = district_plan
    add_school(db, found, "a", "a1", "Trường Tiểu học Yên Thế", 5, 4)
    add_school(db, found, "a", "a2", "Trường Tiểu học Ánh Dương", 4, 1)
    add_school(db, found, "b", "b1", "Trường THCS Bạch Đằng", 3, 3)
    b2 = make_org(db, "b2", "Trường THCS Chu Văn An", found.districts["b"])
    found.schools["b2"] = b2
    for n in range(2):
        make_participant(db, b2, f"Giáo viên b2 {n}", f"b2-{n}").created_at = at("2025-01-02")
    callers = {
        "province": make_user(db, "so-viewer", province, Role.VIEWER),
        "district_b": make_user(db, "pgd-b-viewer", found.districts["b"], Role.VIEWER),
        "school_admin": make_user(db, "a1-admin", found.schools["a1"], Role.ADMIN),
    }
    found.headers = {
        name: {"Authorization": f"Bearer {login_token(db, user)}"} for name, user in callers.items()
    }
    db.commit()
    return found


def get(client, tree: Province, path: str, caller: str = "province", **params) -> dict:
    response = client.get(path, params=params, headers=tree.headers[caller])
    assert response.status_code == 200, response.text
    return response.json()


def level(client, tree: Province, caller: str = "province", **params) -> dict:
    return get(client, tree, f"/api/v1/plans/{tree.plan.id}/rollup", caller, **params)


def flat(client, tree: Province, **params) -> dict:
    return get(
        client, tree, f"/api/v1/plans/{tree.plan.id}/rollup/organizations", limit=500, **params
    )


def summed(rows: list[dict]) -> dict:
    return {k: sum(r[k] for r in rows) for k in COUNTS}


def by_code(rows: list[dict]) -> dict[str, dict]:
    return {row["organization_code"]: row for row in rows}


def test_the_province_sees_its_districts_each_over_its_subtree(client, tree):
    top = level(client, tree)
    rows = by_code(top["rows"])
    assert [r["organization_code"] for r in top["rows"]] == ["pgd-a", "pgd-b", "so-gddt"]
    assert top["organization"]["id"] == tree.province.id
    assert [c["code"] for c in top["breadcrumbs"]] == ["so-gddt"]
    assert (top["total"], top["limit"], top["offset"]) == (3, 50, 0)

    # The office's own staff: the plan's audience at the issuer, not a subtree.
    office = rows["so-gddt"]
    assert (office["subtree"], office["audience"], office["confirmed"]) == (False, 2, 1)
    assert (office["organizations"], office["children"], office["depth"]) == (1, 2, 0)
    # District A: its own (staffless) office and two schools: 5 of 9 confirmed.
    a = rows["pgd-a"]
    assert (a["subtree"], a["adopted"], a["organizations"], a["organizations_adopted"]) == (
        True,
        True,
        3,
        3,
    )
    assert (a["audience"], a["confirmed"], a["confirmed_rate"], a["children"]) == (9, 5, 0.5556, 2)
    # District B: b2 has not adopted it and counts its 2 staff as not reached: 3 of 5.
    b = rows["pgd-b"]
    assert (b["organizations"], b["organizations_adopted"], b["audience"], b["confirmed"]) == (
        3,
        2,
        5,
        3,
    )
    assert b["sessions_held"] == 1 and b["attended"] == 3 and b["attended_rate"] == 0.6

    # The rows and the totals are the sums of the flat list, whose rows are each their own.
    every = flat(client, tree)
    assert every["total"] == 7 and all(not r["subtree"] for r in every["rows"])
    assert summed(top["rows"]) == summed(every["rows"]) == {k: top["totals"][k] for k in COUNTS}
    assert top["totals"] == every["totals"]
    assert (top["totals"]["organizations"], top["totals"]["adopted"]) == (7, 6)
    assert top["totals"]["confirmed_rate"] == round(9 / 16, 4)
    in_a = [r for r in every["rows"] if r["organization_code"] in ("pgd-a", "a1", "a2")]
    assert summed(in_a) == {k: a[k] for k in COUNTS}


def test_drilling_down_to_a_district_and_a_school(client, tree):
    district = level(client, tree, org_id=tree.districts["a"].id)
    assert [c["code"] for c in district["breadcrumbs"]] == ["so-gddt", "pgd-a"]
    rows = by_code(district["rows"])
    assert set(rows) == {"pgd-a", "a1", "a2"}
    assert rows["pgd-a"]["subtree"] is False and rows["pgd-a"]["audience"] == 0
    assert rows["a1"]["children"] == 0 and rows["a1"]["depth"] == 2
    assert {k: district["totals"][k] for k in COUNTS} == summed(district["rows"])

    # A school: its own row, the only one, the same as in the flat list and its progress.
    school = level(client, tree, org_id=tree.schools["a1"].id)
    assert [r["organization_code"] for r in school["rows"]] == ["a1"]
    assert [c["code"] for c in school["breadcrumbs"]] == ["so-gddt", "pgd-a", "a1"]


@pytest.mark.parametrize("as_of", [None, "2025-03-12"])
def test_a_school_row_agrees_with_the_flat_list_and_its_progress(client, tree, as_of):
    params = {"as_of": as_of} if as_of else {}
    row = by_code(level(client, tree, org_id=tree.districts["a"].id, **params)["rows"])["a1"]
    listed = by_code(flat(client, tree, **params)["rows"])["a1"]
    progress = get(client, tree, f"/api/v1/plans/{tree.plans['a1'].id}/progress", **params)
    assert {k: row[k] for k in FIGURES} == {k: listed[k] for k in FIGURES}
    assert (
        row["audience"],
        row["confirmed"],
        row["confirmed_rate"],
        row["attended"],
        row["attended_rate"],
    ) == (
        progress["audience"],
        progress["confirmed"],
        progress["confirmed_rate"],
        progress["attendance"]["attended"],
        progress["attendance"]["attended_rate"],
    )
    assert (row["confirmed"], row["attended"]) == ((1, 0) if as_of else (4, 4))


def test_sort_filter_and_pages(client, tree):
    def codes(**params) -> list[str]:
        return [r["organization_code"] for r in level(client, tree, **params)["rows"]]

    a = {"org_id": tree.districts["a"].id}
    # a1 4/5, a2 1/4, the district's own office 0/0 (rate 0).
    assert codes(**a, sort="confirmed_rate") == ["pgd-a", "a2", "a1"]
    assert codes(**a, sort="-confirmed_rate") == ["a1", "a2", "pgd-a"]
    assert codes(**a, sort="name") == ["pgd-a", "a2", "a1"]  # Phòng, Trường … Ánh, … Yên
    assert codes(**a, sort="-name") == ["a1", "a2", "pgd-a"]
    b = {"org_id": tree.districts["b"].id}
    assert codes(**b, sort="not_adopted")[0] == "b2"
    assert codes(**b, not_adopted=True) == ["b2"]
    assert codes(**a, below_rate=0.5) == ["pgd-a", "a2"]
    assert codes(sort="not_adopted", not_adopted=True) == ["pgd-b"]

    page = level(client, tree, **a, sort="-confirmed_rate", limit=1, offset=1)
    assert [r["organization_code"] for r in page["rows"]] == ["a2"]
    assert (page["total"], page["limit"], page["offset"]) == (3, 1, 1)
    filtered = level(client, tree, **a, below_rate=0.5)
    assert filtered["total"] == 2
    assert filtered["totals"] == level(client, tree, **a)["totals"]  # the level's, unfiltered

    flat_page = get(
        client, tree, f"/api/v1/plans/{tree.plan.id}/rollup/organizations", limit=3, offset=3
    )
    assert flat_page["total"] == 7 and len(flat_page["rows"]) == 3
    assert flat_page["totals"] == flat(client, tree)["totals"]

    for bad in ({"sort": "audience"}, {"below_rate": 2}, {"limit": 0}, {"offset": -1}):
        response = client.get(
            f"/api/v1/plans/{tree.plan.id}/rollup", params=bad, headers=tree.headers["province"]
        )
        assert response.status_code == 422, bad


def test_scope(client, tree, db):
    url = f"/api/v1/plans/{tree.plan.id}/rollup"
    elsewhere = make_org(db, "so-khac", "Sở GDĐT tỉnh Khác", kind="province")
    db.commit()
    for org_id in (elsewhere.id, 999999):
        response = client.get(url, params={"org_id": org_id}, headers=tree.headers["province"])
        assert response.status_code == 404, org_id
        assert response.headers["content-type"].startswith("application/problem+json")
    # Below the issuer only: the district's own plan asks for nothing above it.
    district_plan = f"/api/v1/plans/{tree.plans['a'].id}/rollup"
    response = client.get(
        district_plan, params={"org_id": tree.province.id}, headers=tree.headers["province"]
    )
    assert response.status_code == 404
    # A school admin reads neither the province's nor its district's roll-up, at any level.
    for path, org_id in ((url, tree.schools["a1"].id), (district_plan, tree.districts["a"].id)):
        response = client.get(path, params={"org_id": org_id}, headers=tree.headers["school_admin"])
        assert response.status_code == 404
    # The viewer of district B reads its district's plan, not the province's or district A's.
    assert client.get(url, headers=tree.headers["district_b"]).status_code == 404
    own = get(client, tree, f"/api/v1/plans/{tree.plans['b'].id}/rollup", "district_b")
    assert {r["organization_code"] for r in own["rows"]} == {"b1", "b2"}
    assert (
        client.get(
            f"/api/v1/plans/{tree.plans['b'].id}/rollup",
            params={"org_id": tree.districts["a"].id},
            headers=tree.headers["district_b"],
        ).status_code
        == 404
    )
    assert client.get(url).status_code == 401


def test_csv_and_xlsx_at_each_level(client, tree):
    url = f"/api/v1/plans/{tree.plan.id}/rollup"
    for org_id, codes in (
        (None, ["pgd-a", "pgd-b", "so-gddt"]),
        (tree.districts["b"].id, ["pgd-b", "b1", "b2"]),
    ):
        params = {"sort": "name", **({"org_id": org_id} if org_id else {})}
        response = client.get(
            url, params={**params, "format": "csv"}, headers=tree.headers["province"]
        )
        assert response.headers["content-type"].startswith("text/csv")
        table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        json_rows = level(client, tree, **params)["rows"]
        assert [row[1] for row in table[1:-1]] == [r["organization_code"] for r in json_rows]
        assert sorted(row[1] for row in table[1:-1]) == sorted(codes)
        audience = table[0].index("Số người")
        assert [int(row[audience]) for row in table[1:-1]] == [r["audience"] for r in json_rows]
        assert table[-1][0] == "Tổng cộng"
        assert int(table[-1][audience]) == sum(r["audience"] for r in json_rows)
        scope = table[0].index("Phạm vi số liệu")
        assert {row[scope] for row in table[1:-1]} == {
            "Đơn vị và các đơn vị trực thuộc",
            "Riêng đơn vị",
        }

        book = client.get(
            url, params={**params, "format": "xlsx"}, headers=tree.headers["province"]
        )
        assert "attachment" in book.headers["content-disposition"]
        sheet = openpyxl.load_workbook(io.BytesIO(book.content))["Các đơn vị"]
        names = [c.value for c in sheet["A"]]
        assert all(r["organization_name"] in names for r in json_rows)
        assert names[-1] == "Tổng cộng"

    every = client.get(
        f"{url}/organizations",
        params={"format": "csv", "limit": 2, "offset": 1},
        headers=tree.headers["province"],
    )
    table = list(csv.reader(io.StringIO(every.content.decode("utf-8-sig"))))
    assert len(table) == 1 + 2 + 1
    assert {row[table[0].index("Phạm vi số liệu")] for row in table[1:-1]} == {"Riêng đơn vị"}


def test_an_issuer_without_staff_has_no_row_of_its_own(client, tree, db):
    db.exec(
        sa.update(Participant)
        .where(Participant.organization_id == tree.province.id)
        .values(active=False, deactivated_at=at("2025-01-03"))
    )
    db.commit()
    top = level(client, tree)
    assert {r["organization_code"] for r in top["rows"]} == {"pgd-a", "pgd-b"}
    assert top["totals"]["organizations"] == 6


def test_a_fixed_number_of_statements_for_two_or_six_schools(client, tree, db, connection):
    headers = tree.headers["province"]
    urls = [
        f"/api/v1/plans/{tree.plan.id}/rollup",
        f"/api/v1/plans/{tree.plan.id}/rollup?org_id={tree.districts['a'].id}",
        f"/api/v1/plans/{tree.plan.id}/rollup/organizations",
        f"/api/v1/plans/{tree.plan.id}/rollup?org_id={tree.districts['a'].id}&format=csv",
    ]

    def counts() -> list[tuple[int, int]]:
        """(counting every plan, every plan's counts kept) for each address."""
        found = []
        for url in urls:
            db.exec(sa.delete(RollupFigures))
            db.commit()
            cold = count_queries(client, connection, url, headers=headers)
            found.append((cold, count_queries(client, connection, url, headers=headers)))
        return found

    small = counts()
    for n in range(4):
        add_school(db, tree, "a", f"a{n + 3}", f"Trường Tiểu học Số {n + 3}", 3, n)
    db.commit()
    assert level(client, tree, org_id=tree.districts["a"].id)["total"] == 7
    large = counts()
    assert small == large
    if connection.dialect.name == "sqlite":  # on PostgreSQL the test's one transaction has
        # written every change, never visible before a reader began: nothing is kept
        assert all(warm < cold for cold, warm in small)

"""A person moves to another school of the district: the school she left keeps its past figures
and issued reports, the new one addresses her from the moment of the move, and her record
follows her, read-only there."""

from __future__ import annotations

import io
from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
from docx import Document

from app.audit.models import AuditEvent
from app.auth.models import RoleAssignment
from app.authz import Role
from app.core.config import current_settings
from app.orgs.models import UnitMembership
from app.people.models import Participant
from app.privacy import retention
from app.privacy.models import RetentionPolicy
from app.transfers.models import ParticipantTransfer
from tests.factories import (
    ack,
    login_token,
    make_org,
    make_plan,
    make_unit,
    make_user,
    report_history,
)
from tests.support import count_queries

ASSESSMENT = "Ưu điểm: triển khai kịp thời, đầy đủ."


@pytest.fixture
def moves(db, world):
    """The report history of the school (Mai confirmed its plan on 16/3/2025), a plan of the
    other school addressed to all its staff, and the district's admin."""
    district_plan, plan = report_history(db, world)
    theirs = make_plan(
        db, world.other_school, "Kế hoạch của trường Khác", issued_on=date(2025, 3, 12)
    )
    chief = make_user(db, "district-admin", world.district, Role.ADMIN)
    world.tokens["district_admin"] = login_token(db, chief)
    db.commit()
    return plan, theirs


def today() -> date:
    return datetime.now(current_settings().zone).date()


def move(client, world, person_id: int, caller: str = "district_admin", **body):
    body.setdefault("to_org_id", world.other_school.id)
    return client.post(
        f"/api/v1/participants/{person_id}/transfer", json=body, headers=world.headers(caller)
    )


def moved(client, world, person_id: int, **body) -> dict:
    response = move(client, world, person_id, **body)
    assert response.status_code == 201, response.text
    return response.json()


def get(client, world, url: str, caller: str = "district_admin", status: int = 200, **params):
    response = client.get(url, params=params, headers=world.headers(caller))
    assert response.status_code == status, response.text
    return response.json()


def figures(client, world, plan, as_of: date | None = None) -> tuple[int, int, list[str]]:
    params = {"as_of": as_of.isoformat()} if as_of else {}
    p = get(client, world, f"/api/v1/plans/{plan.id}/progress", **params)
    return p["audience"], p["confirmed"], [x["full_name"] for x in p["pending"]]


def test_the_old_school_keeps_its_past_and_the_new_one_has_her_from_the_move(
    client, world, moves, db
):
    plan, theirs = moves
    issued = client.post(
        f"/api/v1/plans/{plan.id}/reports",
        headers=world.headers("manager"),
        json={"issued_on": "2025-04-15", "assessment": ASSESSMENT},
    )
    assert issued.status_code == 201, issued.text
    report = f"/api/v1/reports/{issued.json()['id']}"
    forms = ("", "/document", "/figures", "/figures?format=csv")
    said = [client.get(report + f, headers=world.headers("viewer")).content for f in forms]
    yesterday = today() - timedelta(days=1)
    assert figures(client, world, plan, yesterday)[:2] == (3, 2)
    assert figures(client, world, theirs, yesterday) == (1, 0, ["Lê Thị Hoa"])

    new = moved(
        client,
        world,
        world.teacher.id,
        staff_code="GV014",
        position="Giáo viên",
        decision_ref="125/QĐ-UBND",
        decided_on="2026-08-20",
        note="Điều động theo nguyện vọng",
    )
    assert (new["organization_id"], new["staff_code"], new["active"]) == (
        world.other_school.id,
        "GV014",
        True,
    )
    assert new["full_name"] == "Nguyễn Thị Mai" and new["email"] == "mai@example.vn"

    # The school she left: as of any earlier day she and her confirmation count; from the
    # move on she is off its roll, and its issued report says exactly what it said.
    assert figures(client, world, plan, yesterday)[:2] == (3, 2)
    assert figures(client, world, plan, date(2025, 4, 15))[:2] == (3, 2)
    assert figures(client, world, plan, today())[:2] == (2, 1)
    assert figures(client, world, plan)[:2] == (2, 1)
    assert [client.get(report + f, headers=world.headers("viewer")).content for f in forms] == said

    # The new school: its plan addresses her from the moment of the move, not before.
    assert figures(client, world, theirs, yesterday) == (1, 0, ["Lê Thị Hoa"])
    audience, confirmed, pending = figures(client, world, theirs, today())
    assert (audience, confirmed, set(pending)) == (2, 0, {"Lê Thị Hoa", "Nguyễn Thị Mai"})

    old = db.get(Participant, world.teacher.id)
    db.refresh(old)
    mine = db.get(Participant, new["id"])
    assert not old.active and old.deactivated_at == mine.created_at
    [link] = db.exec(sa.select(ParticipantTransfer)).scalars().all()
    assert (link.from_participant_id, link.to_participant_id, link.moved_at) == (
        old.id,
        mine.id,
        mine.created_at,
    )
    assert (link.decision_ref, link.decided_on) == ("125/QĐ-UBND", date(2026, 8, 20))
    # Her memberships in the old school ended at the move, and stay in its history.
    ended = (
        db.exec(sa.select(UnitMembership.ended_at).where(UnitMembership.participant_id == old.id))
        .scalars()
        .all()
    )
    assert ended == [mine.created_at]
    actions = set(
        db.exec(
            sa.select(AuditEvent.action, AuditEvent.organization_id).where(
                AuditEvent.action.like("participant.transfer%")
            )
        ).all()
    )
    assert actions == {
        ("participant.transfer_out", world.school.id),
        ("participant.transfer_in", world.other_school.id),
    }


def test_her_staff_code_units_and_position_there(client, world, moves, db):
    taken = move(client, world, world.teacher.id)  # GV001 is Lê Thị Hoa's at the other school
    assert taken.status_code == 409, taken.text
    assert taken.json()["errors"][0]["field"] == "body.staff_code"
    wrong_unit = move(
        client, world, world.teacher.id, staff_code="GV014", unit_ids=[world.units["Tổ 1"].id]
    )
    assert wrong_unit.status_code == 422
    assert wrong_unit.json()["errors"][0]["field"] == "body.unit_ids"
    ahead = (today() + timedelta(days=1)).isoformat()
    future = move(client, world, world.teacher.id, staff_code="GV014", decided_on=ahead)
    assert future.status_code == 422
    assert future.json()["errors"][0]["field"] == "body.decided_on"
    assert db.exec(sa.select(sa.func.count()).select_from(ParticipantTransfer)).one()[0] == 0
    assert db.get(Participant, world.teacher.id).active

    group = make_unit(db, world.other_school, "Tổ 2")
    db.commit()
    new = moved(client, world, world.colleague.id, unit_ids=[group.id])
    assert (new["staff_code"], new["position"]) == ("GV002", None)
    assert [u["name"] for u in new["units"]] == ["Tổ 2"]


@pytest.mark.parametrize(
    ("caller", "status"),
    [("anonymous", 401), ("other_admin", 404), ("member", 403), ("manager", 403), ("viewer", 403)],
)
def test_who_may_move_her(client, world, moves, caller, status):
    assert move(client, world, world.teacher.id, caller, staff_code="GV014").status_code == status


def test_the_receiving_school_must_be_one_the_mover_manages(client, world, moves, db):
    # A school's admin reaches the person, but not the other school: she cannot send her there.
    refused = move(client, world, world.teacher.id, "admin", staff_code="GV014")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "body.to_org_id"
    elsewhere = make_org(
        db, "th-xa", "Trường Tiểu học Xa", make_org(db, "pgd-xa", "PGD Xa", kind="district")
    )
    db.commit()
    for to_org_id in (world.school.id, world.district.id, elsewhere.id, 999999):
        response = move(client, world, world.teacher.id, to_org_id=to_org_id, staff_code="GV014")
        assert response.status_code == 422, (to_org_id, response.text)
        assert response.json()["errors"][0]["field"] == "body.to_org_id"
    assert move(client, world, 999999).status_code == 404
    assert db.exec(sa.select(sa.func.count()).select_from(ParticipantTransfer)).one()[0] == 0


def test_a_person_moves_once(client, world, moves, db):
    new = moved(client, world, world.teacher.id, staff_code="GV014")
    again = move(client, world, world.teacher.id, staff_code="GV015")
    assert again.status_code == 422, again.text
    # A retried request learns where she went.
    assert world.other_school.name in again.json()["detail"]
    assert str(new["id"]) in again.json()["detail"]
    inactive = db.get(Participant, world.colleague.id)
    inactive.active, inactive.deactivated_at = False, datetime.now().astimezone()
    db.commit()
    inactive_refused = move(client, world, world.colleague.id)
    assert inactive_refused.status_code == 422 and "reactivate" in inactive_refused.json()["detail"]
    assert db.exec(sa.select(sa.func.count()).select_from(ParticipantTransfer)).one()[0] == 1


def test_her_login_follows_her_and_her_old_links_die(client, world, moves, db):
    link = client.post(
        f"/api/v1/participants/{world.teacher.id}/links", headers=world.headers("manager")
    )
    assert link.status_code == 201, link.text
    token = link.json()["token"]
    assert client.get(f"/api/v1/links/{token}").status_code == 200
    new = moved(client, world, world.teacher.id, staff_code="GV014")

    assert client.get(f"/api/v1/links/{token}").status_code == 404
    assert client.get(f"/api/v1/links/{token}/history").status_code == 404
    me = get(client, world, "/api/v1/me", "member")
    assert me["user"]["participant_id"] == new["id"]
    assert [(r["organization_id"], r["role"]) for r in me["roles"]] == [
        (world.other_school.id, "member")
    ]
    home = get(client, world, "/api/v1/me/home", "member")
    assert home["person"]["organization_name"] == world.other_school.name
    assert [p["title"] for p in home["plans"]] == ["Kế hoạch của trường Khác"]
    assert new["username"] == "gv001" and new["role"] == "member"
    roles = (
        db.exec(
            sa.select(RoleAssignment.organization_id).where(
                RoleAssignment.user_id == world.users["member"].id
            )
        )
        .scalars()
        .all()
    )
    assert roles == [world.other_school.id]


def test_her_record_follows_her_read_only(client, world, moves, db):
    plan, theirs = moves
    old_id = world.teacher.id
    new = moved(client, world, old_id, staff_code="GV014")
    ack(db, theirs, db.get(Participant, new["id"]), today().isoformat())
    db.commit()

    # The new school reads her whole record through her new row, each plan with its school.
    body = get(client, world, f"/api/v1/participants/{new['id']}/history", "other_admin")
    plans = {p["plan"]["id"]: p for y in body["years"] for p in y["plans"]}
    assert set(plans) == {plan.id, theirs.id}
    before, now = plans[plan.id], plans[theirs.id]
    assert (before["school_name"], before["participant_id"], before["earlier_school"]) == (
        world.school.name,
        old_id,
        True,
    )
    assert before["confirmations"][0]["reflection"] == "Bài thu hoạch …"
    assert [a["status"] for a in before["attendance"]] == ["present"]
    assert (now["school_name"], now["earlier_school"]) == (world.other_school.name, False)
    assert [(s["organization_name"], s["staff_code"]) for s in body["schools"]] == [
        (world.other_school.name, "GV014"),
        (world.school.name, "GV001"),
    ]
    assert body["schools"][1]["until"] == body["schools"][0]["since"]
    # Her record as a document says where she studied the earlier plan.
    docx = client.get(
        f"/api/v1/participants/{new['id']}/history/export?format=docx",
        headers=world.headers("other_admin"),
    )
    assert docx.status_code == 200, docx.text
    cells = dict.fromkeys(  # a merged cell is one cell, however many columns it spans
        cell.text
        for table in Document(io.BytesIO(docx.content)).tables
        for row in table.rows
        for cell in row.cells
    )
    text = "\n".join(cells)
    assert text.count("trước khi chuyển trường") == 1  # her plan here has no such note
    # She reads the same, signed in; by a link of her new row too.
    assert get(client, world, "/api/v1/me/history", "member") == body
    link = client.post(
        f"/api/v1/participants/{new['id']}/links", headers=world.headers("other_admin")
    )
    assert client.get(f"/api/v1/links/{link.json()['token']}/history").json() == body

    # Read-only: the old row and its records stay the old school's.
    for url in (
        f"/api/v1/participants/{old_id}",
        f"/api/v1/participants/{old_id}/history",
        f"/api/v1/participants/{old_id}/transfers",
    ):
        get(client, world, url, "other_admin", 404)
    grading = client.post(
        f"/api/v1/acknowledgements/{before['confirmations'][0]['id']}/grade",
        json={"grade": "kha"},
        headers=world.headers("other_admin"),
    )
    assert grading.status_code == 404
    # The school she left still reads its own row, and only it.
    kept = get(client, world, f"/api/v1/participants/{old_id}/history", "admin")
    assert [p["plan"]["id"] for y in kept["years"] for p in y["plans"]] == [plan.id]
    assert [s["organization_name"] for s in kept["schools"]] == [world.school.name]
    get(client, world, f"/api/v1/participants/{new['id']}", "admin", 404)


def test_both_sides_show_the_move(client, world, moves):
    new = moved(client, world, world.teacher.id, staff_code="GV014", decision_ref="125/QĐ-UBND")
    old = get(client, world, f"/api/v1/participants/{world.teacher.id}", "admin")
    assert old["active"] is False
    [out] = get(client, world, f"/api/v1/participants/{world.teacher.id}/transfers", "admin")
    assert (out["direction"], out["to_organization_name"], out["decision_ref"]) == (
        "out",
        world.other_school.name,
        "125/QĐ-UBND",
    )
    [arrival] = get(client, world, f"/api/v1/participants/{new['id']}/transfers", "other_admin")
    assert (arrival["direction"], arrival["from_organization_name"]) == ("in", world.school.name)
    assert arrival["created_by_name"] == "district-admin"
    assert get(client, world, f"/api/v1/participants/{new['id']}/transfers", "member") == [arrival]

    register = get(client, world, "/api/v1/transfers", org_id=world.district.id)
    assert register["total"] == 1 and register["items"][0]["full_name"] == "Nguyễn Thị Mai"
    assert register["items"][0]["direction"] is None
    # Each school finds the moves in or out of it; a login with no staff reach none at all.
    assert get(client, world, "/api/v1/transfers", "admin")["total"] == 1
    assert get(client, world, "/api/v1/transfers", "other_admin")["total"] == 1
    get(client, world, "/api/v1/transfers", "member", 403)
    get(client, world, "/api/v1/transfers", "other_admin", 404, org_id=world.school.id)


def test_her_history_costs_the_same_reads_however_often_she_moved(
    client, world, moves, db, connection
):
    plan, _ = moves
    url = f"/api/v1/participants/{world.colleague.id}/history"
    get(client, world, url)  # the login's first use writes what later ones only read
    stayed = count_queries(client, connection, url, headers=world.headers("district_admin"))
    first = moved(client, world, world.colleague.id, staff_code="GV020")
    back = moved(client, world, first["id"], to_org_id=world.school.id, staff_code="GV021")
    url = f"/api/v1/participants/{back['id']}/history"
    body = get(client, world, url)
    assert [s["staff_code"] for s in body["schools"]] == ["GV021", "GV020", "GV002"]
    [again] = [p for y in body["years"] for p in y["plans"]]
    assert again["plan"]["id"] == plan.id and len(again["confirmations"]) == 1
    assert count_queries(client, connection, url, headers=world.headers("district_admin")) == stayed


def anonymize(client, world, person_id: int, caller: str):
    return client.post(
        f"/api/v1/participants/{person_id}/anonymize",
        json={"reason": "Hết thời hạn lưu trữ"},
        headers=world.headers(caller),
    )


def test_a_row_she_left_goes_with_her_last_one_when_anonymised(client, world, moves, db):
    plan, _ = moves
    old_id = world.teacher.id
    new = moved(client, world, old_id, staff_code="GV014")
    # She works on at the other school: the school she left cannot scrub her record.
    refused = anonymize(client, world, old_id, "admin")
    assert refused.status_code == 422 and world.other_school.name in refused.json()["detail"]
    assert db.get(Participant, old_id).anonymized_at is None

    leaves = client.post(
        f"/api/v1/participants/{new['id']}/deactivate", headers=world.headers("other_admin")
    )
    assert leaves.status_code == 200, leaves.text
    # Her record spans both schools: the level above both anonymises it, all of it at once.
    assert anonymize(client, world, new["id"], "other_admin").status_code == 403
    done = anonymize(client, world, new["id"], "district_admin")
    assert done.status_code == 200, done.text
    db.expire_all()
    rows = [db.get(Participant, i) for i in (old_id, new["id"])]
    assert all(r.anonymized_at is not None and r.email is None for r in rows)
    assert "Mai" not in str([r.full_name for r in rows])
    # Her confirmation still counts in the old school's past figures.
    assert figures(client, world, plan, date(2025, 4, 15))[:2] == (3, 2)


def test_retention_waits_for_her_last_row_and_takes_the_ones_she_left(client, world, moves, db):
    old_id = world.teacher.id
    new = moved(client, world, old_id, staff_code="GV014")
    db.add(RetentionPolicy(organization_id=world.district.id, inactive_years=1))
    db.commit()
    later = datetime.now().astimezone() + timedelta(days=800)
    assert old_id not in {d.person.id for d in retention.due(db, later)}
    leaves = client.post(
        f"/api/v1/participants/{new['id']}/deactivate", headers=world.headers("other_admin")
    )
    assert leaves.status_code == 200, leaves.text
    db.expire_all()
    assert new["id"] in {d.person.id for d in retention.sweep(db, later)}
    assert db.get(Participant, old_id).anonymized_at is not None


def test_her_data_on_request_lists_her_moves(client, world, moves):
    new = moved(client, world, world.teacher.id, staff_code="GV014", decision_ref="125/QĐ-UBND")
    for caller, person_id in (("admin", world.teacher.id), ("other_admin", new["id"])):
        [row] = get(client, world, f"/api/v1/participants/{person_id}/export", caller)["transfers"]
        assert (row["from_organization"], row["to_organization"], row["decision_ref"]) == (
            world.school.name,
            world.other_school.name,
            "125/QĐ-UBND",
        )


def test_the_row_she_left_stays_closed(client, world, moves, db):
    moved(client, world, world.teacher.id, staff_code="GV014")
    back = client.post(
        f"/api/v1/participants/{world.teacher.id}/activate", headers=world.headers("admin")
    )
    assert back.status_code == 409 and world.other_school.name in back.json()["detail"]
    # The school's old staff list, imported again, does not bring her back either.
    staff = "Họ và tên,Mã cán bộ\nNguyễn Thị Mai,GV001\nTrần Văn Hùng,GV002\n".encode()
    imported = client.post(
        f"/api/v1/participants/import?org_id={world.school.id}&dry_run=false",
        files={"file": ("ds.csv", staff, "text/csv")},
        headers=world.headers("admin"),
    )
    assert imported.status_code == 422
    [error] = imported.json()["errors"]
    assert error["field"].endswith("staff_code") and world.other_school.name in error["message"]
    db.expire_all()
    assert not db.get(Participant, world.teacher.id).active

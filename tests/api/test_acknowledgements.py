"""Confirmations, reflections, grades, withdrawals, the pending list, and personal links."""

from __future__ import annotations

import sqlalchemy as sa

from app.acknowledgements.models import Acknowledgement
from app.audit.models import AuditEvent
from app.links.models import PersonalLink
from app.plans.models import PlanAudienceUnit
from tests.factories import make_plan
from tests.object_store import both_storages
from tests.support import count_queries

REFLECTION = (
    "Nghị quyết 57 xác định khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số là đột phá. "
    "Bản thân tôi sẽ dùng kho học liệu e-Learning, soạn bài giảng điện tử "
    "và hướng dẫn học sinh dùng mạng an toàn."
)


def count(db) -> int:
    return db.exec(sa.select(sa.func.count()).select_from(Acknowledgement)).one()[0]


def test_one_tap_confirm_and_repeat(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    first = client.post(
        f"/api/v1/plans/{plan.id}/acknowledgements", headers=world.headers("member")
    )
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["method"] == "self" and body["material_major"] == 1 and body["current"]
    again = client.post(
        f"/api/v1/plans/{plan.id}/acknowledgements", headers=world.headers("member")
    )
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert count(db) == 1
    record = db.get(Acknowledgement, body["id"])
    assert record.client_address and record.confirmed_at


def test_a_confirmation_committed_meanwhile_is_returned_not_doubled(world, db):
    """Two taps at once both read "not confirmed yet": the second insert meets the first's
    row in the partial unique index, writes nothing, and returns that row."""
    from app.acknowledgements import confirmation as acks
    from app.authz import Actor

    plan = make_plan(db, world.school)
    actor = Actor(label="gv001", grants=(), participant_id=world.teacher.id)
    read_before_either = acks.confirmable(db, plan.id, world.teacher.id)
    assert read_before_either.existing_id is None
    first, created = acks.confirm(db, actor, read_before_either, world.teacher, method="self")
    second, created_again = acks.confirm(
        db, actor, read_before_either, world.teacher, method="self"
    )
    assert (created, created_again) == (True, False) and second.id == first.id
    assert count(db) == 1
    events = sa.select(sa.func.count()).where(AuditEvent.action == "acknowledgement.confirm")
    assert db.exec(events).one()[0] == 1


def test_required_reflection_and_its_minimum(client, world, db):
    plan = make_plan(db, world.school, reflection_required=True, reflection_min_length=100)
    db.commit()
    url = f"/api/v1/plans/{plan.id}/acknowledgements"
    short = client.post(url, json={"reflection": "Đã học."}, headers=world.headers("member"))
    assert short.status_code == 422 and short.json()["errors"][0]["field"] == "body.reflection"
    assert count(db) == 0
    ok = client.post(url, json={"reflection": REFLECTION}, headers=world.headers("member"))
    assert ok.status_code == 201 and ok.json()["reflection_submitted_at"]


def test_new_major_version_asks_again(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    url = f"/api/v1/plans/{plan.id}/acknowledgements"
    client.post(url, headers=world.headers("member"))
    pending = client.get(
        f"/api/v1/plans/{plan.id}/pending", headers=world.headers("manager")
    ).json()
    assert world.teacher.full_name not in [p["full_name"] for p in pending]
    client.post(
        f"/api/v1/plans/{plan.id}/materials/publish",
        json={"major": True},
        headers=world.headers("manager"),
    )
    pending = client.get(
        f"/api/v1/plans/{plan.id}/pending", headers=world.headers("manager")
    ).json()
    assert world.teacher.full_name in [p["full_name"] for p in pending]
    renewed = client.post(url, headers=world.headers("member"))
    assert renewed.status_code == 201 and renewed.json()["material_major"] == 2


def test_closed_plan_takes_no_confirmation(client, world, db):
    plan = make_plan(db, world.school, status="closed")
    db.commit()
    response = client.post(
        f"/api/v1/plans/{plan.id}/acknowledgements", headers=world.headers("member")
    )
    assert response.status_code == 409 and count(db) == 0


def test_a_plan_not_for_the_person_is_not_found_signed_in_or_by_link(client, world, db):
    """Signed in, a confirmation is refused as by the personal link: a plan that does not
    address the person (though her school's admin reads it, and another plan addresses her
    unit), a draft, another school's plan all answer 404, the same problem on both paths,
    and nothing is written."""
    for_the_union = make_plan(db, world.school, audience_all=False)
    db.add(PlanAudienceUnit(plan_id=for_the_union.id, unit_id=world.units["Công đoàn"].id))
    for_their_units = make_plan(db, world.school, audience_all=False)
    for unit in ("Tổ 1", "Ban giám hiệu"):
        db.add(PlanAudienceUnit(plan_id=for_their_units.id, unit_id=world.units[unit].id))
    draft = make_plan(db, world.school, status="draft")
    elsewhere = make_plan(db, world.other_school)
    db.commit()
    principal = world.users["admin"].participant_id
    for caller, person in (("member", world.teacher.id), ("admin", principal)):
        link = client.post(
            f"/api/v1/participants/{person}/links", headers=world.headers("admin")
        ).json()["token"]
        for plan in (for_the_union, draft, elsewhere):
            signed_in = client.post(
                f"/api/v1/plans/{plan.id}/acknowledgements", headers=world.headers(caller)
            )
            by_link = client.post(f"/api/v1/links/{link}/acknowledgements/{plan.id}")
            assert (signed_in.status_code, by_link.status_code) == (404, 404)
            assert signed_in.json()["detail"] == by_link.json()["detail"]
        assert count(db) == 0
        signed_in = client.post(
            f"/api/v1/plans/{for_their_units.id}/acknowledgements", headers=world.headers(caller)
        )
        by_link = client.post(f"/api/v1/links/{link}/acknowledgements/{for_their_units.id}")
        assert (signed_in.status_code, by_link.status_code) == (201, 200)
        db.exec(sa.delete(Acknowledgement))
        db.commit()


def test_signed_in_confirmation_reads_what_the_link_reads(client, world, db, connection):
    """Both paths read the person, then the plan for them in one prepared read
    (`confirmable`), and write the record, its audit event and the school's change
    (`app.core.changes`); signed in, the login's session and roles are read first."""
    plan = make_plan(db, world.school)
    db.commit()
    link = client.post(
        f"/api/v1/participants/{world.colleague.id}/links", headers=world.headers("manager")
    ).json()["token"]
    url = f"/api/v1/plans/{plan.id}/acknowledgements"
    member = world.headers("member")
    assert count_queries(client, connection, url, method="POST", status=201, headers=member) == 7
    by_link = f"/api/v1/links/{link}/acknowledgements/{plan.id}"
    assert count_queries(client, connection, by_link, method="POST", status=201) == 5


def test_on_behalf_needs_a_reason_and_the_right_role(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    url = f"/api/v1/plans/{plan.id}/acknowledgements/on-behalf"
    no_reason = client.post(
        url, json={"participant_id": world.colleague.id}, headers=world.headers("manager")
    )
    assert no_reason.status_code == 422 and no_reason.json()["errors"][0]["field"] == "body.reason"
    member = client.post(
        url,
        json={"participant_id": world.colleague.id, "reason": "Xác nhận qua điện thoại"},
        headers=world.headers("member"),
    )
    assert member.status_code == 403
    outsider = client.post(
        url,
        json={"participant_id": world.other_teacher.id, "reason": "Xác nhận qua điện thoại"},
        headers=world.headers("manager"),
    )
    assert outsider.status_code == 422
    ok = client.post(
        url,
        json={"participant_id": world.colleague.id, "reason": "Xác nhận qua điện thoại"},
        headers=world.headers("manager"),
    )
    assert ok.status_code == 201 and ok.json()["method"] == "on_behalf"
    assert db.get(Acknowledgement, ok.json()["id"]).recorded_by_id == world.users["manager"].id


def test_grading_and_withdrawal(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    ack = client.post(
        f"/api/v1/plans/{plan.id}/acknowledgements",
        json={"reflection": REFLECTION},
        headers=world.headers("member"),
    ).json()
    grade_url = f"/api/v1/acknowledgements/{ack['id']}/grade"
    assert (
        client.post(grade_url, json={"grade": "tot"}, headers=world.headers("member")).status_code
        == 403
    )
    assert (
        client.post(
            grade_url, json={"grade": "xuat_sac"}, headers=world.headers("manager")
        ).status_code
        == 422
    )
    graded = client.post(
        grade_url,
        json={"grade": "kha", "comment": "Liên hệ bản thân tốt"},
        headers=world.headers("manager"),
    )
    assert graded.status_code == 200 and graded.json()["grade_label"] == "Khá"
    locked = client.put(
        f"/api/v1/acknowledgements/{ack['id']}/reflection",
        json={"reflection": "Sửa"},
        headers=world.headers("member"),
    )
    assert locked.status_code == 409

    withdraw_url = f"/api/v1/acknowledgements/{ack['id']}/withdraw"
    assert (
        client.post(
            withdraw_url, json={"reason": "Nhập nhầm người"}, headers=world.headers("manager")
        ).status_code
        == 403
    )
    assert client.post(withdraw_url, json={}, headers=world.headers("admin")).status_code == 422
    withdrawn = client.post(
        withdraw_url, json={"reason": "Nhập nhầm người"}, headers=world.headers("admin")
    )
    assert withdrawn.status_code == 200 and withdrawn.json()["current"] is False
    # After a withdrawal the person may confirm afresh.
    again = client.post(
        f"/api/v1/plans/{plan.id}/acknowledgements", headers=world.headers("member")
    )
    assert again.status_code == 201 and again.json()["id"] != ack["id"]
    actions = set(db.exec(sa.select(AuditEvent.action)).scalars())
    assert {
        "acknowledgement.confirm",
        "acknowledgement.grade",
        "acknowledgement.withdraw",
    } <= actions


def test_pending_list_by_unit(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    client.post(f"/api/v1/plans/{plan.id}/acknowledgements", headers=world.headers("member"))
    all_pending = client.get(
        f"/api/v1/plans/{plan.id}/pending", headers=world.headers("viewer")
    ).json()
    assert [p["full_name"] for p in all_pending] == ["Bùi Can", "Trần Văn Hùng"]
    unit = world.units["Tổ 1"].id
    in_unit = client.get(
        f"/api/v1/plans/{plan.id}/pending",
        params={"unit_id": unit},
        headers=world.headers("manager"),
    ).json()
    assert [p["full_name"] for p in in_unit] == ["Trần Văn Hùng"]
    assert (
        client.get(f"/api/v1/plans/{plan.id}/pending", headers=world.headers("member")).status_code
        == 403
    )


def test_personal_link_page_confirm_and_limits(client, world, db):
    plan = make_plan(db, world.school, reflection_required=True, reflection_min_length=50)
    db.commit()
    issued = client.post(
        f"/api/v1/participants/{world.colleague.id}/links", headers=world.headers("manager")
    )
    assert issued.status_code == 201, issued.text
    token = issued.json()["token"]
    assert issued.json()["url"].endswith(f"/l/{token}")
    home = client.get(f"/api/v1/links/{token}")
    assert home.status_code == 200
    page = home.json()
    assert page["person"]["full_name"] == "Trần Văn Hùng" and page["pending_count"] == 1
    assert page["plans"][0]["reflection_required"] is True

    short = client.post(
        f"/api/v1/links/{token}/acknowledgements/{plan.id}", json={"reflection": "ngắn"}
    )
    assert short.status_code == 422
    done = client.post(
        f"/api/v1/links/{token}/acknowledgements/{plan.id}", json={"reflection": REFLECTION}
    )
    assert done.status_code == 201 and done.json()["method"] == "link"
    assert done.json()["participant_id"] == world.colleague.id
    assert client.get(f"/api/v1/links/{token}").json()["pending_count"] == 0

    tampered = client.get(f"/api/v1/links/{token[:-2]}xx")
    assert tampered.status_code == 404
    assert (
        client.delete(
            f"/api/v1/participants/{world.colleague.id}/links", headers=world.headers("manager")
        ).status_code
        == 204
    )
    assert client.get(f"/api/v1/links/{token}").status_code == 404


def test_link_only_acts_for_its_own_participant(client, world, db):
    other_plan = make_plan(db, world.other_school)
    db.commit()
    token = client.post(
        f"/api/v1/participants/{world.colleague.id}/links", headers=world.headers("manager")
    ).json()["token"]
    response = client.post(f"/api/v1/links/{token}/acknowledgements/{other_plan.id}")
    assert response.status_code == 404
    # The link is no login: it opens nothing else.
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


def test_bad_links_are_throttled(client, world):
    statuses = [client.get(f"/api/v1/links/ltp_guess{i}").status_code for i in range(31)]
    assert statuses[:30] == [404] * 30 and statuses[30] == 429


def test_printable_sheet_for_a_unit(client, world):
    sheet = client.post(
        f"/api/v1/orgs/{world.school.id}/link-sheet",
        json={"unit_id": world.units["Tổ 1"].id},
        headers=world.headers("admin"),
    )
    assert sheet.status_code == 200
    assert [row["full_name"] for row in sheet.json()] == ["Trần Văn Hùng", "Nguyễn Thị Mai"]
    assert all(row["qr_svg_data_uri"].startswith("data:image/svg+xml") for row in sheet.json())
    assert [row["staff_code"] for row in sheet.json()] == ["GV002", "GV001"]
    assert (
        client.post(
            f"/api/v1/orgs/{world.school.id}/link-sheet", json={}, headers=world.headers("manager")
        ).status_code
        == 403
    )


def test_a_sheet_printed_again_can_replace_the_earlier_links(client, world, db):
    url = f"/api/v1/orgs/{world.school.id}/link-sheet"
    admin = world.headers("admin")
    unit = {"unit_id": world.units["Tổ 1"].id}
    principal = world.users["admin"].participant_id  # in Ban giám hiệu, not on the sheet
    outside = client.post(f"/api/v1/participants/{principal}/links", headers=admin).json()["token"]
    first = [row["token"] for row in client.post(url, json=unit, headers=admin).json()]
    kept = [row["token"] for row in client.post(url, json=unit, headers=admin).json()]
    assert all(client.get(f"/api/v1/links/{t}").status_code == 200 for t in first + kept)

    replacing = client.post(url, json={**unit, "revoke_previous": True}, headers=admin)
    assert replacing.status_code == 200, replacing.text
    new = [row["token"] for row in replacing.json()]
    assert [client.get(f"/api/v1/links/{t}").status_code for t in first + kept] == [404] * 4
    assert all(client.get(f"/api/v1/links/{t}").status_code == 200 for t in new)
    assert client.get(f"/api/v1/links/{outside}").status_code == 200  # not on this sheet
    revoked = db.exec(
        sa.select(AuditEvent.entity_id, AuditEvent.after).where(AuditEvent.action == "link.revoke")
    ).all()
    assert sorted(revoked) == sorted(
        (str(row["participant_id"]), {"revoked": 2}) for row in replacing.json()
    )


def test_teacher_home_when_signed_in(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    home = client.get("/api/v1/me/home", headers=world.headers("member")).json()
    assert home["person"]["units"] == ["Tổ 1"] and [p["id"] for p in home["plans"]] == [plan.id]
    link = client.post(
        f"/api/v1/participants/{world.teacher.id}/links", headers=world.headers("manager")
    ).json()
    assert client.get(f"/api/v1/links/{link['token']}").json() == home  # the same page
    assert client.get("/api/v1/me/home", headers=world.headers("manager")).status_code == 403
    world.teacher.active = False
    db.commit()
    assert client.get("/api/v1/me/home", headers=world.headers("member")).status_code == 403


@both_storages
def test_personal_page_downloads_its_plans_files_only(client, world, db, storage):
    plan = make_plan(db, world.school)
    other = make_plan(db, world.other_school)
    db.commit()
    manager = world.headers("manager")
    material = client.post(
        f"/api/v1/plans/{plan.id}/materials/file",
        headers=manager,
        files={"file": ("de-cuong.pdf", b"%PDF-1.4 de cuong", "application/pdf")},
    ).json()
    token = client.post(f"/api/v1/participants/{world.teacher.id}/links", headers=manager).json()[
        "token"
    ]
    response = client.get(f"/api/v1/links/{token}/materials/{material['id']}/file")
    assert response.status_code == 200 and response.content == b"%PDF-1.4 de cuong"
    foreign = client.post(
        f"/api/v1/plans/{other.id}/materials/file",
        headers=world.headers("other_admin"),
        files={"file": ("x.pdf", b"%PDF-1.4 x", "application/pdf")},
    ).json()
    assert client.get(f"/api/v1/links/{token}/materials/{foreign['id']}/file").status_code == 404


def test_reflection_by_link_follows_the_confirmation(client, world, db):
    plan = make_plan(db, world.school)
    other = make_plan(db, world.other_school)
    db.commit()
    token = client.post(
        f"/api/v1/participants/{world.colleague.id}/links", headers=world.headers("manager")
    ).json()["token"]
    url = f"/api/v1/links/{token}/acknowledgements/{plan.id}"
    early = client.put(f"{url}/reflection", json={"reflection": REFLECTION})
    assert early.status_code == 404
    assert client.post(url).status_code == 201
    written = client.put(f"{url}/reflection", json={"reflection": REFLECTION})
    assert written.status_code == 200, written.text
    assert written.json()["reflection"] == REFLECTION
    foreign = client.put(
        f"/api/v1/links/{token}/acknowledgements/{other.id}/reflection",
        json={"reflection": REFLECTION},
    )
    assert foreign.status_code == 404


def _links_of(db, participant_id: int) -> list[int]:
    return list(
        db.exec(
            sa.select(PersonalLink.id)
            .where(PersonalLink.participant_id == participant_id)
            .order_by(PersonalLink.id)
        ).scalars()
    )


def test_what_comes_through_a_link_names_the_link_and_who_issued_it(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    person = world.colleague.id
    by_manager, by_admin = (
        client.post(f"/api/v1/participants/{person}/links", headers=world.headers(caller)).json()[
            "token"
        ]
        for caller in ("manager", "admin")
    )
    manager_link, admin_link = _links_of(db, person)
    url = f"/api/v1/links/{{}}/acknowledgements/{plan.id}"

    confirmed = client.post(url.format(by_manager))
    assert confirmed.status_code == 201, confirmed.text
    assert (confirmed.json()["link_id"], confirmed.json()["via_link_issued_by"]) == (
        manager_link,
        "manager",
    )
    assert confirmed.json()["reflection_link_id"] is None
    reflected = client.put(url.format(by_admin) + "/reflection", json={"reflection": REFLECTION})
    assert reflected.status_code == 200, reflected.text
    named = {
        key: reflected.json()[key]
        for key in (
            "link_id",
            "via_link_issued_by",
            "reflection_link_id",
            "reflection_via_link_issued_by",
        )
    }
    assert named == {
        "link_id": manager_link,
        "via_link_issued_by": "manager",
        "reflection_link_id": admin_link,
        "reflection_via_link_issued_by": "Bùi Can",
    }
    listed = client.get(
        "/api/v1/acknowledgements", params={"plan_id": plan.id}, headers=world.headers("manager")
    ).json()["items"]
    assert [{key: item[key] for key in named} for item in listed] == [named]
    home = client.get(f"/api/v1/links/{by_admin}").json()
    assert home["plans"][0]["acknowledgement"] == reflected.json()
    again = client.post(url.format(by_admin))  # a repeat returns the first, as it was made
    assert again.status_code == 200 and again.json() == reflected.json()

    events = dict(
        db.exec(
            sa.select(AuditEvent.action, AuditEvent.after).where(
                AuditEvent.action.in_(["acknowledgement.confirm", "acknowledgement.reflection"])
            )
        ).all()
    )
    confirm, reflection = events["acknowledgement.confirm"], events["acknowledgement.reflection"]
    assert confirm["link_id"] == confirm["via_link_id"] == manager_link
    assert confirm["via_link_issued_by_id"] == world.users["manager"].id
    assert reflection["reflection_link_id"] == reflection["via_link_id"] == admin_link
    assert (reflection["via_link_issued_by_id"], reflection["via_link_issued_by"]) == (
        world.users["admin"].id,
        "Bùi Can",
    )


def test_a_signed_in_confirmation_names_no_link(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    response = client.post(
        f"/api/v1/plans/{plan.id}/acknowledgements",
        json={"reflection": REFLECTION},
        headers=world.headers("member"),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["link_id"] is body["reflection_link_id"] is body["via_link_issued_by"] is None
    event = db.exec(
        sa.select(AuditEvent.after).where(AuditEvent.action == "acknowledgement.confirm")
    ).scalar_one()
    assert "via_link_id" not in event


def test_nobody_grades_her_own_reflection(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    own = client.post(
        f"/api/v1/plans/{plan.id}/acknowledgements",
        json={"reflection": REFLECTION},
        headers=world.headers("admin"),  # the principal, on the staff of the school
    ).json()
    url = f"/api/v1/acknowledgements/{own['id']}/grade"
    refused = client.post(url, json={"grade": "tot"}, headers=world.headers("admin"))
    assert refused.status_code == 403
    assert refused.json()["detail"].startswith("Không tự chấm bài thu hoạch")
    assert db.get(Acknowledgement, own["id"]).grade is None
    graded = client.post(url, json={"grade": "tot"}, headers=world.headers("manager"))
    assert graded.status_code == 200 and graded.json()["grade"] == "tot"


def test_withdrawn_and_superseded_confirmations_stay_listed(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    url = f"/api/v1/plans/{plan.id}/acknowledgements"
    first = client.post(url, json={"reflection": REFLECTION}, headers=world.headers("member"))
    mistaken = client.post(
        f"{url}/on-behalf",
        json={"participant_id": world.colleague.id, "reason": "Xác nhận qua điện thoại"},
        headers=world.headers("manager"),
    )
    withdrawn = client.post(
        f"/api/v1/acknowledgements/{mistaken.json()['id']}/withdraw",
        json={"reason": "Nhập nhầm người"},
        headers=world.headers("admin"),
    )
    assert withdrawn.status_code == 200
    client.post(
        f"/api/v1/plans/{plan.id}/materials/publish",
        json={"major": True},
        headers=world.headers("manager"),
    )
    renewed = client.post(url, headers=world.headers("member"))
    assert renewed.status_code == 201

    def listed(**params) -> dict[int, bool]:
        response = client.get(
            "/api/v1/acknowledgements",
            params={"plan_id": plan.id, **params},
            headers=world.headers("manager"),
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["total"] == len(body["items"])
        return {item["id"]: item["current"] for item in body["items"]}

    assert listed() == {
        first.json()["id"]: False,  # superseded by version 2
        mistaken.json()["id"]: False,  # withdrawn
        renewed.json()["id"]: True,
    }
    assert listed(current="true") == {renewed.json()["id"]: True}
    assert listed(current="false") == {first.json()["id"]: False, mistaken.json()["id"]: False}
    # Without a plan too, and with the other filters.
    everywhere = client.get(
        "/api/v1/acknowledgements",
        params={"has_reflection": "true"},
        headers=world.headers("manager"),
    ).json()
    assert [(a["id"], a["current"]) for a in everywhere["items"]] == [(first.json()["id"], False)]
    other = client.get(
        "/api/v1/acknowledgements",
        params={"plan_id": plan.id},
        headers=world.headers("other_admin"),
    )
    assert other.status_code == 404

"""Study sessions, the roster and attendance marks, and self check-in with the rotating code."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth.models import FailedAttempt
from app.links.models import PersonalLink
from app.study_sessions import attendance, checkin
from app.study_sessions.models import Attendance, StudySession
from tests.factories import make_plan


def iso(moment: datetime) -> str:
    return moment.isoformat()


def new_session(client, world, plan, caller="manager", start_in=timedelta(minutes=-5), **overrides):
    start = datetime.now(UTC) + start_in
    body = {
        "plan_id": plan.id,
        "kind": "study",
        "title": "Học tập Nghị quyết 57-NQ/TW",
        "starts_at": iso(start),
        "ends_at": iso(start + timedelta(hours=1)),
        "place": "Hội trường",
        "presenter": "Bùi Can",
    } | overrides
    return client.post("/api/v1/sessions", json=body, headers=world.headers(caller))


def code(client, world, session_id) -> dict:
    response = client.get(
        f"/api/v1/sessions/{session_id}/checkin-code", headers=world.headers("manager")
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_the_checkin_secret_never_reaches_the_audit_trail(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    session = new_session(client, world, plan).json()
    moved = client.patch(
        f"/api/v1/sessions/{session['id']}", headers=world.headers("manager"), json={"place": "P2"}
    )
    assert moved.status_code == 200, moved.text
    events = db.exec(
        sa.select(AuditEvent.before, AuditEvent.after).where(AuditEvent.entity_type == "session")
    ).all()
    assert len(events) == 2 and events[1].after["place"] == "P2"
    assert not any("checkin_secret" in (side or {}) for event in events for side in event)
    listed = client.get("/api/v1/audit", headers=world.headers("admin"))
    assert "checkin_secret" not in listed.text


def test_schedule_and_roster(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    created = new_session(client, world, plan)
    assert created.status_code == 201, created.text
    session = created.json()
    assert session["status"] == "scheduled" and session["counts"]["audience"] == 3
    roster = client.get(
        f"/api/v1/sessions/{session['id']}/attendance", headers=world.headers("viewer")
    ).json()
    # Given name first, as Vietnamese lists go: Can, Hùng, Mai.
    assert [r["full_name"] for r in roster] == ["Bùi Can", "Trần Văn Hùng", "Nguyễn Thị Mai"]
    assert all(r["status"] is None for r in roster)


def test_unit_audience(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    unit = world.units["Công đoàn"].id
    session = new_session(client, world, plan, audience_all=False, audience_unit_ids=[unit]).json()
    assert session["counts"]["audience"] == 1
    roster = client.get(
        f"/api/v1/sessions/{session['id']}/attendance", headers=world.headers("manager")
    ).json()
    assert [r["full_name"] for r in roster] == ["Trần Văn Hùng"]


def test_bad_session_input(client, world, db):
    plan = make_plan(db, world.school)
    closed = make_plan(db, world.school, status="closed")
    db.commit()
    start = datetime.now(UTC)
    backwards = new_session(client, world, plan, ends_at=iso(start - timedelta(hours=1)))
    assert backwards.status_code == 422
    naive = new_session(client, world, plan, starts_at="2025-03-15T07:30:00")
    assert naive.status_code == 422 and naive.json()["errors"][0]["field"] == "body.starts_at"
    assert new_session(client, world, closed).status_code == 409


def test_marks_one_by_one_and_the_rest_in_bulk(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    session_id = new_session(client, world, plan).json()["id"]
    headers = world.headers("manager")
    one = client.put(
        f"/api/v1/sessions/{session_id}/attendance/{world.colleague.id}",
        headers=headers,
        json={"status": "excused", "note": "Nghỉ phép"},
    )
    assert one.status_code == 200 and one.json()["status"] == "excused"
    rest = client.post(
        f"/api/v1/sessions/{session_id}/attendance/bulk",
        headers=headers,
        json={"status": "present"},
    )
    assert {r["full_name"]: r["status"] for r in rest.json()} == {
        "Bùi Can": "present",
        "Nguyễn Thị Mai": "present",
        "Trần Văn Hùng": "excused",
    }
    counts = client.get(f"/api/v1/sessions/{session_id}", headers=headers).json()["counts"]
    assert (counts["present"], counts["excused"], counts["unmarked"]) == (2, 1, 0)


def test_bulk_with_an_outsider_changes_nothing(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    session_id = new_session(client, world, plan).json()["id"]
    response = client.post(
        f"/api/v1/sessions/{session_id}/attendance/bulk",
        headers=world.headers("manager"),
        json={"status": "absent", "participant_ids": [world.teacher.id, world.other_teacher.id]},
    )
    assert (
        response.status_code == 422
        and response.json()["errors"][0]["field"] == "body.participant_ids"
    )
    assert db.exec(sa.select(sa.func.count()).select_from(Attendance)).one()[0] == 0


def test_self_checkin_with_the_projector_code(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    session_id = new_session(client, world, plan).json()["id"]
    shown = code(client, world, session_id)
    assert (
        shown["open"]
        and len(shown["code"]) == 6
        and shown["qr_svg_data_uri"].startswith("data:image/svg+xml")
    )
    assert shown["checkin_url"].endswith(f"/#/checkin/{shown['code']}")
    response = client.post(
        "/api/v1/checkin", json={"code": shown["code"]}, headers=world.headers("member")
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "present" and response.json()["session_id"] == session_id
    twice = client.post(
        "/api/v1/checkin", json={"code": shown["code"]}, headers=world.headers("member")
    )
    assert twice.status_code == 409
    assert db.exec(sa.select(sa.func.count()).select_from(Attendance)).one()[0] == 1


def test_a_checkin_by_link_names_the_link_and_who_issued_it(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    session_id = new_session(client, world, plan).json()["id"]
    token = client.post(
        f"/api/v1/participants/{world.colleague.id}/links", headers=world.headers("admin")
    ).json()["token"]
    link_id = db.exec(
        sa.select(PersonalLink.id).where(PersonalLink.participant_id == world.colleague.id)
    ).scalar_one()
    shown = code(client, world, session_id)
    checked = client.post(f"/api/v1/links/{token}/checkin", json={"code": shown["code"]})
    assert checked.status_code == 200, checked.text
    member = client.post(
        "/api/v1/checkin", json={"code": shown["code"]}, headers=world.headers("member")
    )
    assert member.status_code == 200, member.text

    roster = client.get(
        f"/api/v1/sessions/{session_id}/attendance", headers=world.headers("manager")
    ).json()
    by_person = {row["participant_id"]: row for row in roster}
    by_link = by_person[world.colleague.id]
    assert (by_link["method"], by_link["via_link_issued_by"]) == ("link", "Bùi Can")
    assert by_person[world.teacher.id]["via_link_issued_by"] is None  # signed in
    assert (
        db.exec(
            sa.select(Attendance.link_id).where(Attendance.participant_id == world.colleague.id)
        ).scalar_one()
        == link_id
    )
    event = db.exec(
        sa.select(AuditEvent.after).where(
            AuditEvent.action == "attendance.checkin", AuditEvent.actor_label.startswith("link:")
        )
    ).scalar_one()
    assert (event["link_id"], event["via_link_issued_by_id"]) == (link_id, world.users["admin"].id)

    # Marked by staff afterwards, the mark is the staff's and names no link.
    marked = client.put(
        f"/api/v1/sessions/{session_id}/attendance/{world.colleague.id}",
        json={"status": "excused"},
        headers=world.headers("manager"),
    )
    assert marked.status_code == 200, marked.text
    assert marked.json()["via_link_issued_by"] is None


def test_checkin_late_after_ten_minutes(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    session_id = new_session(client, world, plan, start_in=timedelta(minutes=-20)).json()["id"]
    shown = code(client, world, session_id)
    response = client.post(
        "/api/v1/checkin", json={"code": shown["code"]}, headers=world.headers("member")
    )
    assert response.json()["status"] == "late"


def test_checkin_refused_for_stale_codes_closed_windows_and_outsiders(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    headers = world.headers("member")
    session_id = new_session(client, world, plan).json()["id"]
    session = db.get(StudySession, session_id)
    stale = checkin.checkin_code(session, datetime.now(UTC) - timedelta(minutes=2))
    refused = client.post("/api/v1/checkin", json={"code": stale}, headers=headers)
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "body.code"

    later = new_session(client, world, plan, start_in=timedelta(hours=3)).json()["id"]
    early_code = checkin.checkin_code(db.get(StudySession, later), datetime.now(UTC))
    assert (
        client.post("/api/v1/checkin", json={"code": early_code}, headers=headers).status_code
        == 422
    )

    unit_only = new_session(
        client, world, plan, audience_all=False, audience_unit_ids=[world.units["Công đoàn"].id]
    ).json()["id"]
    their_code = checkin.checkin_code(db.get(StudySession, unit_only), datetime.now(UTC))
    outsider = client.post("/api/v1/checkin", json={"code": their_code}, headers=headers)
    assert outsider.status_code == 403
    assert db.exec(sa.select(sa.func.count()).select_from(Attendance)).one()[0] == 0


def test_status_workflow(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    headers = world.headers("manager")
    session_id = new_session(client, world, plan).json()["id"]
    held = client.post(
        f"/api/v1/sessions/{session_id}/status",
        headers=headers,
        json={"status": "held", "minutes": "41/43 đồng chí tham dự."},
    )
    assert held.status_code == 200 and held.json()["minutes"] == "41/43 đồng chí tham dự."
    again = client.post(
        f"/api/v1/sessions/{session_id}/status", headers=headers, json={"status": "cancelled"}
    )
    assert again.status_code == 409 and again.json()["type"].endswith("/invalid-transition")


def test_who_may_run_sessions(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    for caller, expected in [
        ("anonymous", 401),
        ("member", 403),
        ("viewer", 403),
        ("other_admin", 404),
        ("token", 403),
        ("manager", 201),
    ]:
        assert new_session(client, world, plan, caller=caller).status_code == expected, caller
    session_id = client.get("/api/v1/sessions", headers=world.headers("manager")).json()["items"][
        0
    ]["id"]
    assert (
        client.get(
            f"/api/v1/sessions/{session_id}/checkin-code", headers=world.headers("member")
        ).status_code
        == 403
    )
    assert (
        client.get(
            f"/api/v1/sessions/{session_id}/attendance", headers=world.headers("other_admin")
        ).status_code
        == 404
    )


def wrong_code(session: StudySession) -> str:
    """Six digits the session does not accept now (nor in the window before)."""
    now = datetime.now(UTC)
    live = {checkin.checkin_code(session, now - checkin.CODE_PERIOD * back) for back in (0, 1)}
    return next(c for c in (f"{n:06d}" for n in range(1000)) if c not in live)


def link_of(client, world, participant) -> str:
    issued = client.post(
        f"/api/v1/participants/{participant.id}/links", headers=world.headers("manager")
    )
    assert issued.status_code == 201, issued.text
    return issued.json()["token"]


def test_wrong_codes_are_throttled_per_person_and_audited(client_at, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    hall = client_at("203.0.113.7")
    session_id = new_session(hall, world, plan).json()["id"]
    guess = wrong_code(db.get(StudySession, session_id))
    member = world.headers("member")
    refused = [
        hall.post("/api/v1/checkin", json={"code": guess}, headers=member)
        for _ in range(checkin.MAX_CHECKIN_FAILURES_PER_PERSON)
    ]
    assert {r.status_code for r in refused} == {422}
    right = code(hall, world, session_id)["code"]
    throttled = hall.post("/api/v1/checkin", json={"code": right}, headers=member)
    assert throttled.status_code == 429 and int(throttled.headers["retry-after"]) > 0
    # Someone else on the same Wi-Fi, by their personal link, is not held up.
    colleague = hall.post(
        f"/api/v1/links/{link_of(hall, world, world.colleague)}/checkin", json={"code": right}
    )
    assert colleague.status_code == 200, colleague.text
    failures = db.exec(
        sa.select(AuditEvent.entity_id, AuditEvent.actor_label, AuditEvent.after).where(
            AuditEvent.action == "attendance.checkin_failed"
        )
    ).all()
    assert (
        failures
        == [(str(world.teacher.id), "gv001", {"method": "checkin", "address": "203.0.113.7"})]
        * checkin.MAX_CHECKIN_FAILURES_PER_PERSON
    )
    marks = db.exec(sa.select(Attendance.participant_id)).scalars().all()
    assert marks == [world.colleague.id]


def test_wrong_codes_from_one_address_are_throttled_across_people(client_at, world, db):
    plan = make_plan(db, world.school)
    for number in range(checkin.MAX_CHECKIN_FAILURES_PER_ADDRESS):
        db.add(FailedAttempt(kind="checkin", subject=f"p{number}", address="203.0.113.7"))
    db.commit()
    session_id = new_session(client_at("198.51.100.20"), world, plan).json()["id"]
    right = code(client_at("198.51.100.20"), world, session_id)["code"]
    token = link_of(client_at("198.51.100.20"), world, world.colleague)
    throttled = client_at("203.0.113.7").post(
        f"/api/v1/links/{token}/checkin", json={"code": right}
    )
    assert throttled.status_code == 429
    elsewhere = client_at("198.51.100.20").post(
        f"/api/v1/links/{token}/checkin", json={"code": right}
    )
    assert elsewhere.status_code == 200


def test_no_self_checkin_once_the_session_is_held(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    session_id = new_session(client, world, plan).json()["id"]
    right = code(client, world, session_id)["code"]
    held = client.post(
        f"/api/v1/sessions/{session_id}/status",
        headers=world.headers("manager"),
        json={"status": "held"},
    )
    assert held.status_code == 200
    assert code(client, world, session_id)["open"] is False
    for response in (
        client.post("/api/v1/checkin", json={"code": right}, headers=world.headers("member")),
        client.post(
            f"/api/v1/links/{link_of(client, world, world.colleague)}/checkin",
            json={"code": right},
        ),
    ):
        assert response.status_code == 409, response.text
        problem = response.json()
        assert problem["type"].endswith("/checkin-closed")
        assert problem["errors"][0]["field"] == "body.code"
        assert problem["detail"].startswith("Buổi học đã được xác nhận")
    assert db.exec(sa.select(sa.func.count()).select_from(Attendance)).one()[0] == 0


def test_a_self_checkin_never_changes_a_staff_mark(client, world, db):
    plan = make_plan(db, world.school)
    db.commit()
    session_id = new_session(client, world, plan).json()["id"]
    for participant, status in ((world.teacher, "excused"), (world.colleague, "absent")):
        marked = client.put(
            f"/api/v1/sessions/{session_id}/attendance/{participant.id}",
            headers=world.headers("manager"),
            json={"status": status, "note": "Báo trước"},
        )
        assert marked.status_code == 200
    right = code(client, world, session_id)["code"]
    for response in (
        client.post("/api/v1/checkin", json={"code": right}, headers=world.headers("member")),
        client.post(
            f"/api/v1/links/{link_of(client, world, world.colleague)}/checkin",
            json={"code": right},
        ),
    ):
        assert response.status_code == 409, response.text
        assert response.json()["errors"][0]["type"] == "marked_by_staff"
    marks = db.exec(
        sa.select(Attendance.participant_id, Attendance.status, Attendance.method)
    ).all()
    assert sorted(marks) == sorted(
        [(world.teacher.id, "excused", "marked"), (world.colleague.id, "absent", "marked")]
    )


def test_a_staff_mark_made_during_a_checkin_stands(client, world, db, monkeypatch):
    """The mark lands between the check-in's look and its insert: the insert gives way."""
    plan = make_plan(db, world.school)
    db.commit()
    session_id = new_session(client, world, plan).json()["id"]
    client.put(
        f"/api/v1/sessions/{session_id}/attendance/{world.teacher.id}",
        headers=world.headers("manager"),
        json={"status": "excused"},
    )
    look = attendance.mark_of
    looks = []

    def missed_once(*args):
        looks.append(args)
        return None if len(looks) == 1 else look(*args)

    monkeypatch.setattr(attendance, "mark_of", missed_once)
    right = code(client, world, session_id)["code"]
    response = client.post("/api/v1/checkin", json={"code": right}, headers=world.headers("member"))
    assert response.status_code == 409 and len(looks) == 2
    assert response.json()["errors"][0]["type"] == "marked_by_staff"
    mark = db.exec(sa.select(Attendance.status, Attendance.method)).one()
    assert tuple(mark) == ("excused", "marked")

"""The reminder API: a plan's settings (admins of its organisation, validated field by field),
the log, group messages, a leader's digest, and the bell's notifications (issue 18)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from app.reminders.models import Notification
from app.reminders.sending import send_due
from tests.factories import ack, at, lead, make_plan


def _plan(db, world):
    plan = make_plan(db, world.school, period_start=date(2026, 12, 1), issued_on=date(2026, 11, 25))
    db.commit()
    return plan


def test_a_plan_follows_the_defaults_until_its_admin_sets_its_own(client, db, world):
    plan = _plan(db, world)
    url = f"/api/v1/plans/{plan.id}/reminder-policy"
    got = client.get(url, headers=world.headers("manager"))
    assert got.status_code == 200, got.text
    assert got.json()["source"] == "default"
    assert got.json()["rules"]["confirmation"]["days_before"] == 2
    school_default = client.put(
        f"/api/v1/orgs/{world.school.id}/reminder-policy",
        json={"target_rate": 90},
        headers=world.headers("admin"),
    )
    assert school_default.status_code == 200, school_default.text
    assert client.get(url, headers=world.headers("admin")).json()["source"] == "organization"
    body = got.json() | {"confirmation_due_on": "2026-12-10", "escalate_after_days": 3}
    body["rules"]["task"]["every_days"] = 1
    for key in ("organization_id", "plan_id", "source"):
        body.pop(key)
    saved = client.put(url, json=body, headers=world.headers("admin"))
    assert saved.status_code == 200, saved.text
    assert saved.json()["source"] == "plan"
    assert saved.json()["confirmation_due_on"] == "2026-12-10"
    assert saved.json()["rules"]["task"]["every_days"] == 1
    # Managers read the settings; only admins change them.
    assert client.put(url, json=body, headers=world.headers("manager")).status_code == 403


def test_bad_settings_name_their_field(client, db, world):
    plan = _plan(db, world)
    url = f"/api/v1/plans/{plan.id}/reminder-policy"
    bad = client.put(
        url, json={"work_start_hour": 17, "work_end_hour": 8}, headers=world.headers("admin")
    )
    assert bad.status_code == 422
    assert bad.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in bad.json()["errors"]] == ["body.work_end_hour"]
    bad = client.put(
        url, json={"rules": {"task": {"every_days": 0}}}, headers=world.headers("admin")
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "body.rules.task.every_days"
    bad = client.put(
        f"/api/v1/orgs/{world.school.id}/reminder-policy",
        json={"confirmation_due_on": "2026-12-10"},
        headers=world.headers("admin"),
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "body.confirmation_due_on"


def test_another_organisations_plan_is_not_found(client, db, world):
    plan = _plan(db, world)
    for path in ("reminder-policy", "reminders", "group-messages"):
        answer = client.get(f"/api/v1/plans/{plan.id}/{path}", headers=world.headers("other_admin"))
        assert answer.status_code == 404, path
    put = client.put(
        f"/api/v1/plans/{plan.id}/reminder-policy", json={}, headers=world.headers("other_admin")
    )
    assert put.status_code == 404


def test_the_log_says_whether_the_thing_was_done_since(client, db, world):
    plan = _plan(db, world)
    send_due(db, at("2026-11-30"), plan.id)
    ack(db, plan, world.teacher, "2026-11-30")
    db.commit()
    log = client.get(f"/api/v1/plans/{plan.id}/reminders", headers=world.headers("manager"))
    assert log.status_code == 200, log.text
    rows = {r["recipient_name"]: r for r in log.json()["items"]}
    assert log.json()["total"] == 3
    assert rows["Nguyễn Thị Mai"]["done"] is True
    assert rows["Trần Văn Hùng"]["done"] is False
    assert rows["Trần Văn Hùng"]["stage"] == "before"
    assert rows["Trần Văn Hùng"]["channel"] == "in_app"
    assert rows["Trần Văn Hùng"]["item_title"] == plan.symbol


def test_group_messages_name_who_is_missing_and_carry_no_link(client, db, world):
    plan = _plan(db, world)
    ack(db, plan, world.teacher, "2026-11-30")
    db.commit()
    answer = client.get(f"/api/v1/plans/{plan.id}/group-messages", headers=world.headers("manager"))
    assert answer.status_code == 200, answer.text
    by_unit = {m["unit_name"]: m for m in answer.json()}
    assert by_unit["Tổ 1"]["missing"] == ["Trần Văn Hùng"]
    assert "Trần Văn Hùng" in by_unit["Tổ 1"]["text"]
    assert "01/12/2026" in by_unit["Tổ 1"]["text"]
    assert all("http" not in m["text"] and "#/" not in m["text"] for m in answer.json())


def test_the_bell_shows_ones_own_notifications_and_marks_them_read(client, db, world):
    plan = _plan(db, world)
    send_due(db, at("2026-11-30"), plan.id)
    mine = client.get("/api/v1/me/notifications", headers=world.headers("member"))
    assert mine.status_code == 200, mine.text
    assert mine.json()["unread"] == 1
    (note,) = mine.json()["items"]
    assert "xác nhận" in note["title"] and note["link"] == "#/me"
    # Another's notification: not found.
    theirs = db.exec(
        sa.select(Notification.id).where(Notification.participant_id == world.colleague.id)
    ).scalar_one()
    refused = client.post(
        f"/api/v1/me/notifications/{theirs}/read", headers=world.headers("member")
    )
    assert refused.status_code == 404
    read = client.post(
        f"/api/v1/me/notifications/{note['id']}/read", headers=world.headers("member")
    )
    assert read.status_code == 200 and read.json()["read_at"]
    assert (
        client.get("/api/v1/me/notifications", headers=world.headers("member")).json()["unread"]
        == 0
    )
    admin = client.post("/api/v1/me/notifications/read-all", headers=world.headers("admin"))
    assert admin.status_code == 204
    assert (
        client.get("/api/v1/me/notifications", headers=world.headers("admin")).json()["unread"] == 0
    )


def test_a_leader_reads_who_in_the_unit_is_behind(client, db, world):
    plan = make_plan(db, world.school, period_start=date(2025, 3, 1))
    lead(db, world.teacher, world.units["Tổ 1"])
    ack(db, plan, world.teacher, "2025-03-02")
    db.commit()
    digest = client.get("/api/v1/me/digest", headers=world.headers("member"))
    assert digest.status_code == 200, digest.text
    (entry,) = digest.json()
    assert entry["unit_name"] == "Tổ 1"
    assert entry["behind"] == ["Trần Văn Hùng: chưa xác nhận đã học tập (hạn 05/03/2025)"]
    assert entry["link"] == f"#/plans/{plan.id}/pending?unit={world.units['Tổ 1'].id}"
    assert client.get("/api/v1/me/digest", headers=world.headers("manager")).json() == []


def test_escalation_reaches_the_admins_bell_and_the_log_and_changes_are_audited(client, db, world):
    from app.audit.models import AuditEvent

    plan = _plan(db, world)
    send_due(db, at("2026-12-08"), plan.id)  # a week late: reminders and the school's digest
    bell = client.get("/api/v1/me/notifications", headers=world.headers("admin")).json()
    titles = [n["title"] for n in bell["items"]]
    assert any(t.startswith("3 tổ có người chậm") for t in titles), titles
    digest = next(n for n in bell["items"] if "chậm" in n["title"])
    assert digest["link"] == f"#/plans/{plan.id}/pending"
    assert "Tổ 1: 2 người" in digest["body"]
    log = client.get(
        f"/api/v1/plans/{plan.id}/reminders",
        params={"kind": "digest_school"},
        headers=world.headers("manager"),
    ).json()
    (row,) = log["items"]
    assert (row["recipient_name"], row["stage"], row["done"]) == ("Bùi Can", "escalation", None)
    client.put(
        f"/api/v1/plans/{plan.id}/reminder-policy",
        json={"escalate_after_days": 9},
        headers=world.headers("admin"),
    )
    event = db.exec(
        sa.select(AuditEvent).where(AuditEvent.action == "reminder_policy.create")
    ).scalar_one()
    assert event.entity_type == "reminder_policy" and event.after["escalate_after_days"] == 9


def test_group_messages_cover_the_units_a_plan_addresses(client, db, world):
    from app.plans.models import PlanAudienceUnit

    plan = make_plan(
        db,
        world.school,
        audience_all=False,
        period_start=date(2026, 12, 1),
        issued_on=date(2026, 11, 25),
    )
    db.add(PlanAudienceUnit(plan_id=plan.id, unit_id=world.units["Công đoàn"].id))
    db.commit()
    answer = client.get(f"/api/v1/plans/{plan.id}/group-messages", headers=world.headers("admin"))
    (message,) = answer.json()
    assert (message["unit_name"], message["missing"]) == ("Công đoàn", ["Trần Văn Hùng"])

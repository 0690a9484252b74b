"""Her data, on request: everything stored about a person as JSON or a workbook, for her
organisation's admins and for herself; never a secret; audited; a constant number of reads."""

from __future__ import annotations

import io
import json
from datetime import date

import sqlalchemy as sa
from openpyxl import load_workbook

from app.audit import trail as audit
from app.audit.models import AuditEvent
from app.core.security import token_digest
from app.files.models import StoredFile
from app.mail.models import OutboundMessage
from app.privacy.sections import SECTIONS
from app.reminders.models import Notification, Reminder
from app.tasks.models import TaskEvidence
from tests.factories import ack, at, held_session, make_plan, make_task
from tests.support import count_queries


def record_of_mai(db, client, world) -> str:
    """A record of every kind for Mai; the token of the personal link issued to her."""
    mai, hung = world.teacher, world.colleague
    plan = make_plan(db, world.school, "Kế hoạch NQ57", issued_on=date(2025, 3, 5))
    first = ack(db, plan, mai, "2025-03-10", client_address="10.0.0.7")
    plan.material_major = 2
    db.flush()
    ack(db, plan, mai, "2025-03-20", reflection="=Bài thu hoạch", grade="tot", grade_comment="Tốt")
    ack(db, plan, hung, "2025-03-20")
    db.flush()
    audit.record(
        db,
        None,
        "acknowledgement.withdraw",
        entity_type="acknowledgement",
        entity_id=first.id,
        organization_id=world.school.id,
        before={"withdrawn_at": None},
        after={"withdraw_reason": "Nhầm"},
    )
    held_session(db, plan, [(mai, "present"), (hung, "absent")])
    own = make_task(db, plan, person=mai, title="Viết bài thu hoạch", due_on=date(2025, 4, 1))
    make_task(db, plan, unit=world.units["Tổ 1"], title="Sinh hoạt tổ")
    make_task(db, plan, person=hung, title="Việc của thầy Hùng")
    stored = StoredFile(
        organization_id=world.school.id,
        original_name="minh-chung.pdf",
        content_type="application/pdf",
        size=1234,
        sha256="ab" * 32,
        storage_key="export-test-key",
    )
    db.add(stored)
    db.flush()
    db.add(TaskEvidence(task_id=own.id, kind="file", file_id=stored.id))
    reminder = Reminder(
        organization_id=world.school.id,
        plan_id=plan.id,
        participant_id=mai.id,
        kind="confirmation",
        item_id=plan.id,
        stage="due",
        day=date(2025, 3, 18),
    )
    db.add(reminder)
    db.flush()
    db.add(Notification(participant_id=mai.id, reminder_id=reminder.id, title="Nhắc", body="Xin"))
    db.add(
        OutboundMessage(
            organization_id=world.school.id,
            participant_id=mai.id,
            idempotency_key="export-test",
            to_address="mai@example.vn",
            subject="Nhắc xác nhận",
            body_text="SECRET-BODY",
            status="sent",
            sent_at=at("2025-03-18"),
        )
    )
    db.commit()
    issued = client.post(f"/api/v1/participants/{mai.id}/links", headers=world.headers("manager"))
    assert issued.status_code == 201, issued.text
    return issued.json()["token"]


def export(client, world, url: str, caller: str = "admin", status: int = 200):
    response = client.get(url, headers=world.headers(caller))
    assert response.status_code == status, response.text
    return response


def test_the_admin_exports_everything_and_no_secret(client, world, db):
    token = record_of_mai(db, client, world)
    response = export(client, world, f"/api/v1/participants/{world.teacher.id}/export")
    assert response.headers["content-type"].startswith("application/json")
    assert (
        response.headers["content-disposition"]
        == 'attachment; filename="du-lieu-ca-nhan-GV001.json"'
    )
    text = response.text
    assert token.startswith("ltp_")
    assert "ltp_" not in text and token not in text and token_digest(token) not in text
    assert "SECRET-BODY" not in text and "token_hash" not in text
    body = json.loads(text)
    assert {s.key for s in SECTIONS} <= set(body)
    assert body["profile"]["full_name"] == "Nguyễn Thị Mai"
    assert body["profile"]["email"] == "mai@example.vn"
    assert [m["unit"] for m in body["memberships"]] == ["Tổ 1"]
    [link] = body["links"]
    assert set(link) == {"id", "created_at", "expires_at", "revoked_at", "issued_by"}
    assert [c["material_major"] for c in body["confirmations"]] == [1, 2]
    assert body["confirmations"][0]["client_address"] == "10.0.0.7"
    assert body["confirmations"][1]["reflection"] == "=Bài thu hoạch"
    assert body["confirmations"][1]["grade"] == "tot"
    assert [(a["session"], a["status"]) for a in body["attendance"]] == [
        ("Học tập NQ57", "present")
    ]
    assert {t["title"] for t in body["tasks"]} == {"Viết bài thu hoạch", "Sinh hoạt tổ"}
    [evidence] = body["evidence"]
    assert (evidence["file_name"], evidence["file_size"]) == ("minh-chung.pdf", 1234)
    assert [r["kind"] for r in body["reminders"]] == ["confirmation"]
    assert [n["title"] for n in body["notifications"]] == ["Nhắc"]
    [email] = body["emails"]
    assert (email["subject"], email["status"]) == ("Nhắc xác nhận", "sent")
    actions = [e["action"] for e in body["audit"]]
    assert "acknowledgement.withdraw" in actions and "link.issue" in actions
    withdraw = next(e for e in body["audit"] if e["action"] == "acknowledgement.withdraw")
    assert withdraw["after"] == {"withdraw_reason": "Nhầm"}


def test_the_workbook_has_a_sheet_per_section(client, world, db):
    record_of_mai(db, client, world)
    response = export(client, world, f"/api/v1/participants/{world.teacher.id}/export?format=xlsx")
    assert response.headers["content-disposition"].endswith('du-lieu-ca-nhan-GV001.xlsx"')
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [s.sheet for s in SECTIONS]
    cells = [c for row in book["Xác nhận"].iter_rows() for c in row if c.value]
    reflection = next(c for c in cells if c.value == "=Bài thu hoạch")
    assert reflection.data_type == "s"  # text, never a formula
    assert any(c.value == "Họ và tên" for row in book["Hồ sơ"].iter_rows() for c in row)


def test_she_exports_herself(client, world, db):
    record_of_mai(db, client, world)
    mine = export(client, world, "/api/v1/me/export", "member").json()
    assert mine["profile"]["id"] == world.teacher.id
    assert len(mine["confirmations"]) == 2
    export(client, world, "/api/v1/me/export?format=xlsx", "member")
    export(client, world, "/api/v1/me/export", "manager", 403)  # a login that is nobody


def test_who_may_export(client, world, db):
    url = f"/api/v1/participants/{world.teacher.id}/export"
    export(client, world, url, "other_admin", 404)
    export(client, world, "/api/v1/participants/999999/export", "admin", 404)
    export(client, world, url, "manager", 403)  # in reach, without people:manage
    export(client, world, f"/api/v1/participants/{world.colleague.id}/export", "member", 404)
    export(client, world, f"{url}?format=csv", "admin", 422)


def test_each_export_is_audited(client, world, db):
    export(client, world, f"/api/v1/participants/{world.teacher.id}/export?format=xlsx")
    export(client, world, "/api/v1/me/export", "member")
    events = db.exec(
        sa.select(AuditEvent).where(AuditEvent.action == "participant.export")
    ).scalars()
    assert [(e.entity_type, e.entity_id, e.after["format"]) for e in events] == [
        ("participant", str(world.teacher.id), "xlsx"),
        ("participant", str(world.teacher.id), "json"),
    ]


def test_a_constant_number_of_reads(client, world, db, connection):
    def reads(person) -> int:
        url = f"/api/v1/participants/{person.id}/export"
        return count_queries(client, connection, url, headers=world.headers("admin"))

    few = reads(world.colleague)
    record_of_mai(db, client, world)
    many = reads(world.teacher)
    assert few == many <= 16  # the caller, her record, her school, eleven sections, the audit

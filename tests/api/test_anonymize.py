"""Anonymisation (issue 19, item 5): a former teacher's personal data scrubbed for good,
by her organisation's admins, once she is inactive; the figures (live and as of any day)
and every issued report stay exactly as they were; the audit says it happened."""

from __future__ import annotations

import json

import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.files.models import StoredFile
from app.mail.models import OutboundMessage
from app.people.models import Participant
from app.privacy.anonymize import anonymize_many, label
from app.privacy.models import RetentionPolicy
from app.reminders.models import Notification
from app.tasks.models import Task, TaskEvidence
from tests.api.test_reports import issue, what_it_says
from tests.factories import PASSWORD, at, report_history
from tests.object_store import both_storages, contents

PDF = b"%PDF-1.4 minh chung cua co Mai"
NAME, EMAIL, PHONE = "Nguyễn Thị Mai", "mai@example.vn", "0905123456"
REFLECTION = "Bài thu hoạch …"


def _figures(client, world, district_plan, plan) -> dict:
    """Every figure a viewer reads about the plans: live, and as of days past."""
    out = {}
    for url in (f"/api/v1/plans/{plan.id}/progress", f"/api/v1/plans/{district_plan.id}/rollup"):
        for as_of in (None, "2025-03-17", "2025-03-26", "2025-04-20"):
            params = {"as_of": as_of} if as_of else {}
            response = client.get(url, params=params, headers=world.headers("viewer"))
            assert response.status_code == 200, response.text
            figures = response.json()
            figures.pop("generated_at")  # when it was read, not what it says
            out[f"{url}?{as_of}"] = figures
    return out


def _her_story(client, world, db):
    """Mai's record of every kind, an issued report, then her deactivation."""
    district_plan, plan = report_history(db, world)
    mai = world.teacher
    mai.phone = PHONE
    db.add(
        OutboundMessage(
            organization_id=world.school.id,
            participant_id=mai.id,
            idempotency_key="anon-test",
            to_address=EMAIL,
            subject="Nhắc xác nhận",
            body_text=f"Kính nhắc thầy/cô {NAME}",
            status="queued",
            next_attempt_at=at("2025-03-18"),
        )
    )
    db.add(Notification(participant_id=mai.id, title="Nhắc", body=f"Kính nhắc thầy/cô {NAME}"))
    db.add(
        Notification(
            user_id=world.users["admin"].id, title="Tổ 1", body=f"Chưa xác nhận: {NAME}, Bùi Can"
        )
    )
    db.commit()
    task = db.exec(sa.select(Task).where(Task.assignee_participant_id == mai.id)).scalar_one()
    uploaded = client.post(
        f"/api/v1/tasks/{task.id}/evidence/file",
        headers=world.headers("member"),
        files={"file": ("minh-chung-mai.pdf", PDF, "application/pdf")},
        data={"note": f"Minh chứng của {NAME}"},
    )
    assert uploaded.status_code == 201, uploaded.text
    token = client.post(
        f"/api/v1/participants/{mai.id}/links", headers=world.headers("manager")
    ).json()["token"]
    report = issue(client, world, plan)
    assert report.status_code == 201, report.text
    off = client.post(f"/api/v1/participants/{mai.id}/deactivate", headers=world.headers("admin"))
    assert off.status_code == 200, off.text
    return district_plan, plan, report.json()["id"], token


def anonymize(client, world, person_id, caller="admin", reason="Nghỉ hưu, hết hạn lưu trữ"):
    body = {} if reason is None else {"reason": reason}
    return client.post(
        f"/api/v1/participants/{person_id}/anonymize", json=body, headers=world.headers(caller)
    )


@both_storages
def test_her_data_goes_and_every_figure_stays(client, client_at, world, db, storage):
    district_plan, plan, report_id, token = _her_story(client, world, db)
    mai = world.teacher
    stored = db.exec(sa.select(StoredFile)).scalar_one()
    assert storage.all_keys() == [stored.storage_key] and contents(storage) == [PDF]
    task_id, evidence_id = db.exec(
        sa.select(TaskEvidence.task_id, TaskEvidence.id).where(TaskEvidence.file_id == stored.id)
    ).one()
    evidence_url = f"/api/v1/tasks/{task_id}/evidence/{evidence_id}/file"
    assert client.get(evidence_url, headers=world.headers("admin")).content == PDF
    figures_before = _figures(client, world, district_plan, plan)
    report_before = what_it_says(client, world, report_id)

    done = anonymize(client, world, mai.id, reason=f"{NAME} nghỉ hưu từ 2019")
    assert done.status_code == 200, done.text
    body = done.json()
    assert body["full_name"] == label(mai.id) == f"Người đã ẩn danh #{mai.id}"
    assert body["staff_code"] == f"AN-{mai.id}"
    assert (body["email"], body["phone"], body["position"]) == (None, None, None)
    assert body["active"] is False and body["anonymized_at"]
    assert body["username"] == f"an-danh-{mai.id}"

    # Every figure, live and as of any day, says what it said: only her name became the label.
    figures_after = _figures(client, world, district_plan, plan)
    assert json.dumps(figures_after, ensure_ascii=False).replace(label(mai.id), NAME) == (
        json.dumps(figures_before, ensure_ascii=False)
    )
    # The issued report, in every form, byte for byte.
    assert what_it_says(client, world, report_id) == report_before

    # Her export holds nothing that names her, nor what she wrote; the audit included.
    export = client.get(f"/api/v1/participants/{mai.id}/export", headers=world.headers("admin"))
    assert export.status_code == 200, export.text
    text = export.text
    for word in (NAME, EMAIL, PHONE, REFLECTION, "GV001", "gv001", "minh-chung-mai"):
        assert word not in text, word
    data = export.json()
    assert data["profile"]["search_text"] == f"nguoi da an danh #{mai.id} an-{mai.id}"
    [confirmation] = data["confirmations"]
    assert confirmation["reflection"] and confirmation["grade"] == "tot"  # reflected, graded
    assert [a["status"] for a in data["attendance"]] == ["present"]
    assert all(link["revoked_at"] for link in data["links"])
    [event] = [e for e in data["audit"] if e["action"] == "participant.anonymize"]
    assert event["after"]["reason"] == f"{label(mai.id)} nghỉ hưu từ 2019"
    assert event["actor_label"] == "admin"

    # Nowhere in her school's audit, emails or notifications is she named any more.
    events = db.exec(
        sa.select(AuditEvent.actor_label, AuditEvent.before, AuditEvent.after).where(
            AuditEvent.organization_id == world.school.id
        )
    ).all()
    assert len(events) > 5
    dumped = json.dumps([list(e) for e in events], ensure_ascii=False)
    for word in (NAME, EMAIL, PHONE, REFLECTION, "link:GV001"):
        assert word not in dumped, word
    db.expire_all()
    [message] = db.exec(sa.select(OutboundMessage)).scalars()
    assert (message.to_address, message.body_text, message.status) == ("", "", "failed")
    assert NAME not in json.dumps(
        [(n.title, n.body) for n in db.exec(sa.select(Notification)).scalars()], ensure_ascii=False
    )
    assert (
        "Bùi Can"
        in db.exec(
            sa.select(Notification.body).where(Notification.user_id == world.users["admin"].id)
        ).scalar_one()
    )

    # Her links are dead, her login refused (old name and new), her file gone from storage.
    assert client.get(f"/api/v1/links/{token}").status_code == 404
    assert client_at("10.9.9.9").get(f"/l/{token}").status_code == 404
    for username in ("gv001", f"an-danh-{mai.id}"):
        login = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
        assert login.status_code == 401
    assert storage.all_keys() == [] and storage.open(stored.storage_key) is None
    assert client.get(evidence_url, headers=world.headers("admin")).status_code == 404
    assert db.get(StoredFile, stored.id).size == len(PDF)  # the row, and what counts it, stays

    # Cannot be undone: not twice, not edited back, not reactivated.
    again = anonymize(client, world, mai.id)
    assert again.status_code == 409, again.text
    for method, url, payload in (
        ("PATCH", f"/api/v1/participants/{mai.id}", {"full_name": NAME}),
        ("POST", f"/api/v1/participants/{mai.id}/activate", None),
    ):
        refused = client.request(method, url, json=payload, headers=world.headers("admin"))
        assert refused.status_code == 409, refused.text
    assert db.get(Participant, mai.id).full_name == label(mai.id)


def test_only_an_inactive_person_with_a_reason_by_her_admins(client, world, db):
    mai, hung = world.teacher, world.colleague
    active = anonymize(client, world, hung.id)
    assert active.status_code == 422, active.text
    assert "Deactivate" in active.json()["detail"]
    for reason in (None, "", "  "):
        missing = anonymize(client, world, hung.id, reason=reason)
        assert missing.status_code == 422
        assert missing.json()["errors"][0]["field"] == "body.reason"
    off = client.post(f"/api/v1/participants/{hung.id}/deactivate", headers=world.headers("admin"))
    assert off.status_code == 200
    for caller, status in (
        ("anonymous", 401),
        ("member", 403),
        ("manager", 403),
        ("viewer", 403),
        ("other_admin", 404),
    ):
        assert anonymize(client, world, hung.id, caller=caller).status_code == status, caller
    assert anonymize(client, world, 987654).status_code == 404
    db.expire_all()
    assert db.get(Participant, hung.id).anonymized_at is None
    assert anonymize(client, world, hung.id).status_code == 200
    assert anonymize(client, world, mai.id).status_code == 422  # still active


def test_two_requests_at_once_anonymise_once(client, world, db):
    hung = world.colleague
    client.post(f"/api/v1/participants/{hung.id}/deactivate", headers=world.headers("admin"))
    db.expire_all()
    person = db.get(Participant, hung.id)
    # Both read her as not yet anonymised; the first write claims her, the second finds her taken.
    assert anonymize_many(db, None, [person], "một") == [hung.id]
    assert anonymize_many(db, None, [person], "hai") == []
    events = db.exec(
        sa.select(AuditEvent.after).where(AuditEvent.action == "participant.anonymize")
    ).all()
    assert [e[0]["reason"] for e in events] == ["một"]


def test_the_retention_setting_is_inherited_and_set_by_admins(client, world, db):
    school_url = f"/api/v1/orgs/{world.school.id}/retention"
    district_url = f"/api/v1/orgs/{world.district.id}/retention"
    first = client.get(school_url, headers=world.headers("admin")).json()
    assert first == {
        "organization_id": world.school.id,
        "inactive_years": None,
        "source": "default",
        "from_organization_id": None,
    }
    assert (
        client.put(
            district_url, json={"inactive_years": 5}, headers=world.headers("admin")
        ).status_code
        == 404
    )
    viewer = world.headers("viewer")  # the district's viewer reads, never sets
    assert client.put(district_url, json={"inactive_years": 5}, headers=viewer).status_code == 403
    for bad in ({"inactive_years": 0}, {"inactive_years": "x"}, {}):
        wrong = client.put(school_url, json=bad, headers=world.headers("admin"))
        assert wrong.status_code == 422
        assert wrong.json()["errors"][0]["field"] == "body.inactive_years"
    own = client.put(school_url, json={"inactive_years": 7}, headers=world.headers("admin"))
    assert own.json() == {
        "organization_id": world.school.id,
        "inactive_years": 7,
        "source": "organization",
        "from_organization_id": world.school.id,
    }
    assert client.get(school_url, headers=viewer).json()["inactive_years"] == 7
    other = client.get(
        f"/api/v1/orgs/{world.other_school.id}/retention", headers=world.headers("other_admin")
    )
    assert other.json()["source"] == "default"
    # Back to the level above: the district's period applies to the school again.
    db.add(RetentionPolicy(organization_id=world.district.id, inactive_years=5))
    db.commit()
    assert client.delete(school_url, headers=viewer).status_code == 403
    back = client.delete(school_url, headers=world.headers("admin"))
    assert back.status_code == 200, back.text
    assert back.json() | {"inactive_years": 5, "source": "inherited"} == back.json()
    assert back.json()["from_organization_id"] == world.district.id
    again = client.delete(school_url, headers=world.headers("admin"))  # nothing of its own left
    assert again.json()["source"] == "inherited"

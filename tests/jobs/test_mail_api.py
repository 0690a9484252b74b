"""The admin's side of email: the outbox list and the "send a test email" button."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from app.core.base import utcnow
from app.mail import outbox
from app.mail.models import OutboundMessage
from tests.api.test_authz_matrix import RULES
from tests.jobs.conftest import PASSWORD, USERNAME, MailServer
from tests.matrix import CALLERS, Endpoint, call_as


def endpoints(w) -> list[Endpoint]:
    s = w.school.id
    return [
        Endpoint("GET", "/api/v1/outbound-messages", "any_admin"),
        Endpoint("GET", f"/api/v1/outbound-messages?org_id={s}", "school_admin"),
        # Allowed callers get as far as the settings: none configured in the tests.
        Endpoint(
            "POST",
            "/api/v1/system/mail-test",
            "school_admin",
            409,
            {"organization_id": s, "to": "hieutruong@example.vn"},
        ),
    ]


@pytest.mark.parametrize("caller", CALLERS)
def test_permission_matrix(client, world, caller):
    for endpoint in endpoints(world):
        call_as(client, world, endpoint, caller, RULES)


def _messages(db, world) -> dict[str, OutboundMessage]:
    """A sent, a failed and a queued message of the school; one of the other school."""
    made = {}
    for name, org, status in (
        ("sent", world.school, "sent"),
        ("failed", world.school, "failed"),
        ("queued", world.school, "queued"),
        ("other", world.other_school, "queued"),
    ):
        message, _ = outbox.enqueue_email(
            db,
            key=f"test:{name}",
            organization_id=org.id,
            to="mai@example.vn",
            subject=f"Nhắc {name}",
            body_text="Đường dẫn cá nhân: http://127.0.0.1:8000/#/l/ltp_secret",
        )
        message.status = status
        if status == "failed":
            message.attempts, message.last_error = 10, "Máy chủ thư từ chối … / refused"
            message.next_attempt_at = None
        if status == "sent":
            message.attempts, message.sent_at, message.next_attempt_at = 1, utcnow(), None
        made[name] = message
    db.commit()
    return made


def test_admins_see_their_messages_and_why_they_failed(client, world, db):
    made = _messages(db, world)
    admin = world.headers("admin")
    page = client.get("/api/v1/outbound-messages", headers=admin).json()
    assert page["total"] == 3
    assert {item["subject"] for item in page["items"]} == {
        "Nhắc sent",
        "Nhắc failed",
        "Nhắc queued",
    }
    assert all("body_text" not in item for item in page["items"])  # it holds personal links
    assert "ltp_secret" not in str(page)

    failed = client.get(
        f"/api/v1/outbound-messages?org_id={world.school.id}&status=failed", headers=admin
    ).json()
    assert failed["total"] == 1
    (item,) = failed["items"]
    assert item["id"] == made["failed"].id
    assert item["last_error"] == "Máy chủ thư từ chối … / refused"
    assert (item["attempts"], item["gave_up"]) == (10, True)

    second = client.get("/api/v1/outbound-messages?limit=1&offset=1", headers=admin).json()
    assert (second["total"], second["limit"], second["offset"], len(second["items"])) == (
        3,
        1,
        1,
        1,
    )
    other = world.headers("other_admin")
    assert client.get("/api/v1/outbound-messages", headers=other).json()["total"] == 1
    response = client.get(f"/api/v1/outbound-messages?org_id={world.school.id}", headers=other)
    assert response.status_code == 404
    assert "Nhắc" not in response.text
    assert client.get("/api/v1/outbound-messages?status=lost", headers=admin).status_code == 422


@pytest.fixture
def smtp_settings(app, settings):
    """The app's settings with a mail server, as the test button reads them (a copy, not
    validated again: a password is given as SecretStr)."""

    def use(server: MailServer, **values):
        app.state.settings = settings.model_copy(
            update={
                "smtp_host": "127.0.0.1",
                "smtp_port": server.port,
                "smtp_starttls": False,
                "smtp_from": "Lan Tỏa <no-reply@lantoa.test>",
                "smtp_timeout_seconds": 5,
                **values,
            }
        )

    yield use
    app.state.settings = settings


def _test_send(client, world, to="hieutruong@example.vn"):
    return client.post(
        "/api/v1/system/mail-test",
        json={"organization_id": world.school.id, "to": to},
        headers=world.headers("admin"),
    )


def _audit(client, world) -> list[dict]:
    response = client.get("/api/v1/audit?action=mail.test", headers=world.headers("admin"))
    return [event["after"] for event in response.json()["items"]]


def test_a_test_email_arrives_and_is_audited(client, world, mail_server, smtp_settings):
    smtp_settings(mail_server)
    response = _test_send(client, world)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "sent": True,
        "to": "hieutruong@example.vn",
        "server": f"127.0.0.1:{mail_server.port}",
    }
    (received,) = mail_server.inbox.messages
    assert received["Subject"] == "Lan Tỏa: thư thử / test email"
    assert "máy chủ thư đã được cấu hình đúng" in received.get_body(("plain",)).get_content()
    assert _audit(client, world)[0] | {"server": None} == {
        "to": "hieutruong@example.vn",
        "server": None,
        "sent": True,
        "error": None,
    }


def test_a_server_down_is_a_clear_problem_and_is_audited(client, world, smtp_settings):
    smtp_settings(MailServer())  # nothing listens there
    response = _test_send(client, world)
    assert response.status_code == 502
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["type"].endswith("/mail-failed")
    assert problem["detail"].startswith("Máy chủ thư 127.0.0.1:")
    assert "không nhận kết nối" in problem["detail"]
    (event,) = _audit(client, world)
    assert event["sent"] is False and "không nhận kết nối" in event["error"]


def test_wrong_credentials_are_named(client, world, smtp_settings):
    server = MailServer(with_auth=True).start()
    try:
        smtp_settings(server, smtp_username=USERNAME, smtp_password=SecretStr("sai"))
        response = _test_send(client, world)
        assert response.status_code == 502
        assert "từ chối tên đăng nhập hoặc mật khẩu" in response.json()["detail"]
        smtp_settings(server, smtp_username=USERNAME, smtp_password=SecretStr(PASSWORD))
        assert _test_send(client, world).status_code == 200
        assert len(server.inbox.messages) == 1
    finally:
        server.stop()


def test_no_server_and_bad_addresses(client, world):
    response = _test_send(client, world)
    assert response.status_code == 409
    assert response.json()["type"].endswith("/mail-not-configured")
    assert "SMTP_HOST" in response.json()["detail"]
    for bad in ("hieutruong", "a@b", "a b@c.vn"):
        response = _test_send(client, world, to=bad)
        assert response.status_code == 422, bad
        assert response.json()["errors"][0]["field"] == "body.to"


def test_an_admin_sends_a_failed_message_again(client, world, db):
    made = _messages(db, world)
    admin = world.headers("admin")
    path = f"/api/v1/outbound-messages/{made['failed'].id}/retry"
    for caller, status in (("manager", 403), ("viewer", 403), ("other_admin", 404)):
        assert client.post(path, headers=world.headers(caller)).status_code == status, caller
    response = client.post(path, headers=admin)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["status"], body["attempts"], body["gave_up"]) == ("queued", 0, False)
    event = client.get("/api/v1/audit?action=outbound_message.retry", headers=admin).json()[
        "items"
    ][0]
    assert (event["before"]["status"], event["after"]["status"]) == ("failed", "queued")
    assert "ltp_secret" not in str(event)  # the body, with its personal link, stays out
    again = client.post(path, headers=admin)
    assert again.status_code == 409
    assert "queued" in again.json()["detail"]
    assert client.post("/api/v1/outbound-messages/999999/retry", headers=admin).status_code == 404

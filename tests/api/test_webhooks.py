"""Webhooks to the level above: registered by an organisation's admin, signed per Standard
Webhooks, delivered to a real HTTP server on this machine, retried, logged, sent again."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.authz import Role
from app.core.config import current_settings
from app.webhooks import delivery, events
from app.webhooks.models import WebhookDelivery
from tests.factories import login_token, make_plan, make_user

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)  # 17:00 in Hà Nội


class Receiver:
    """A real HTTP server on a free local port that keeps what it was sent."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.answer = 204
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                length = int(self.headers["content-length"])
                receiver.received.append(
                    {"headers": dict(self.headers), "body": self.rfile.read(length)}
                )
                self.send_response(receiver.answer)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/lan-toa"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def verified(secret: str, headers: dict, body: bytes) -> bool:
    """What the README shows a district: check a delivery in a few lines of Python."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    given = [s.split(",", 1)[1] for s in headers["webhook-signature"].split()]
    return any(hmac.compare_digest(expected, s) for s in given)


@pytest.fixture
def receiver(monkeypatch) -> Iterator[Receiver]:
    monkeypatch.setattr(current_settings(), "webhook_allow_private_targets", True)
    served = Receiver()
    yield served
    served.close()


@pytest.fixture
def district_admin(db, world) -> dict[str, str]:
    user = make_user(db, "district-admin", world.district, Role.ADMIN)
    db.commit()
    return {"Authorization": f"Bearer {login_token(db, user)}"}


def register(client, world, headers, url, events=("acknowledgement.created",), **more):
    return client.post(
        "/api/v1/webhooks",
        json={"organization_id": world.district.id, "url": url, "events": list(events), **more},
        headers=headers,
    )


def send_due(db, now: datetime) -> list[WebhookDelivery]:
    """What a worker does for each due delivery, in the test's transaction."""
    sent = []
    for delivery_id in delivery.due(db, now):
        outgoing = delivery.claim(db, delivery_id, now)
        assert outgoing is not None
        sent.append(delivery.record(db, delivery_id, delivery.send(outgoing), now))
    return sent


def test_the_secret_is_shown_once_and_never_kept_in_the_audit(client, world, db, district_admin):
    created = register(client, world, district_admin, "https://93.184.216.34/hooks")
    assert created.status_code == 201, created.text
    secret = created.json()["secret"]
    assert secret.startswith("whsec_") and len(base64.b64decode(secret[6:])) == 32
    listed = client.get(
        "/api/v1/webhooks", params={"org_id": world.district.id}, headers=district_admin
    )
    assert [e["url"] for e in listed.json()] == ["https://93.184.216.34/hooks"]
    assert "secret" not in listed.json()[0]
    one = client.get(f"/api/v1/webhooks/{created.json()['id']}", headers=district_admin).json()
    assert "secret" not in one
    rotated = client.post(
        f"/api/v1/webhooks/{created.json()['id']}/rotate-secret", headers=district_admin
    )
    assert rotated.status_code == 200 and rotated.json()["secret"] not in ("", secret)
    assert rotated.json()["previous_secret_until"] is not None
    client.delete(f"/api/v1/webhooks/{created.json()['id']}", headers=district_admin)
    trail = db.exec(
        sa.select(AuditEvent).where(AuditEvent.action.like("webhook.%")).order_by(AuditEvent.id)
    ).scalars()
    actions = []
    for event in trail:
        actions.append(event.action)
        assert "whsec_" not in json.dumps([event.before, event.after])
    assert actions == ["webhook.create", "webhook.rotate_secret", "webhook.delete"]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/x",
        "http://localhost/x",
        "http://10.1.2.3/x",
        "http://192.168.1.10/x",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/x",
        "ftp://example.com/x",
        "https://user:pw@93.184.216.34/x",
        "https://93.184.216.34:99999/x",
        "not a url",
    ],
)
def test_private_and_malformed_targets_are_refused(client, world, district_admin, url):
    refused = register(client, world, district_admin, url)
    assert refused.status_code == 422, refused.text
    assert refused.json()["errors"][0]["field"] == "body.url"


def test_other_organisations_and_roles(client, world, db, district_admin):
    created = register(client, world, district_admin, "https://93.184.216.34/h").json()
    for caller in ("other_admin", "admin"):  # schools below do not see the district's
        found = client.get(f"/api/v1/webhooks/{created['id']}", headers=world.headers(caller))
        assert found.status_code == 404
        assert (
            client.post(
                f"/api/v1/webhooks/{created['id']}/rotate-secret", headers=world.headers(caller)
            ).status_code
            == 404
        )
    manager = client.post(
        "/api/v1/webhooks",
        json={"organization_id": world.school.id, "url": "https://93.184.216.34/h"}
        | {"events": ["report.issued"]},
        headers=world.headers("manager"),
    )
    assert manager.status_code == 403
    unknown_event = register(client, world, district_admin, "https://93.184.216.34/h", ["x.y"])
    assert unknown_event.status_code == 422
    assert unknown_event.json()["errors"][0]["field"].startswith("body.events")


def test_a_confirmation_reaches_the_district_signed_once(
    client, world, db, district_admin, receiver
):
    endpoint = register(client, world, district_admin, receiver.url).json()
    plan = make_plan(db, world.school)
    db.commit()
    token = client.post(
        f"/api/v1/participants/{world.colleague.id}/links", headers=world.headers("manager")
    ).json()["token"]
    confirmed = client.post(f"/api/v1/links/{token}/acknowledgements/{plan.id}")
    assert confirmed.status_code == 201
    now = datetime.now(UTC)

    assert events.derive(db, now) == 1
    assert events.derive(db, now) == 0  # run twice: nothing new
    [sent] = send_due(db, now)
    assert (sent.status, sent.attempts, sent.last_status_code) == ("delivered", 1, 204)
    [got] = receiver.received
    assert verified(endpoint["secret"], got["headers"], got["body"])
    assert got["headers"]["webhook-id"] == sent.message_id
    message = json.loads(got["body"])
    assert message["type"] == "acknowledgement.created"
    assert message["data"]["plan_id"] == plan.id
    assert message["data"]["participant_id"] == world.colleague.id
    assert message["data"]["method"] == "link"
    assert "Trần Văn Hùng" not in got["body"].decode()  # ids, not names, leave the school
    assert send_due(db, now) == []  # delivered: never again by itself

    log = client.get(f"/api/v1/webhooks/{endpoint['id']}/deliveries", headers=district_admin)
    assert log.json()["total"] == 1 and log.json()["items"][0]["status"] == "delivered"


def test_two_workers_claim_one_delivery_once(client, world, db, district_admin, receiver):
    register(client, world, district_admin, receiver.url, ["plan.adopted"])
    district_plan = make_plan(db, world.district)
    db.commit()
    adopted = client.post(
        f"/api/v1/plans/{district_plan.id}/adopt",
        json={"organization_id": world.school.id},
        headers=world.headers("manager"),
    )
    assert adopted.status_code == 201, adopted.text
    now = datetime.now(UTC)
    [delivery_id] = delivery.due(db, now)
    first = delivery.claim(db, delivery_id, now)
    assert first is not None and json.loads(first.payload)["type"] == "plan.adopted"
    assert delivery.claim(db, delivery_id, now) is None  # the other worker gets nothing
    # A worker that died with it: once its lease has run out, another takes it.
    assert delivery.claim(db, delivery_id, now + delivery.LEASE + timedelta(seconds=1))


def test_failures_back_off_over_a_day_then_stay_failed_until_sent_again(
    client, world, db, district_admin, receiver
):
    endpoint = register(client, world, district_admin, receiver.url, ["plan.adopted"]).json()
    events.emit(db, world.school.path, "plan.adopted", "plan.adopted:x", {"plan_id": 1}, NOW)
    receiver.answer = 500
    clock, waits = NOW, []
    while sent := send_due(db, clock):
        [attempt] = sent
        if attempt.status == "failed":
            break
        waits.append(attempt.next_attempt_at - clock)
        clock = attempt.next_attempt_at
    assert attempt.status == "failed" and attempt.attempts == len(delivery.RETRY_DELAYS) + 1
    assert waits == delivery.RETRY_DELAYS
    assert timedelta(hours=20) < sum(waits, timedelta()) < timedelta(hours=30)
    assert attempt.last_status_code == 500
    # Every attempt carried the same message id: the receiver can drop repeats.
    assert len({r["headers"]["webhook-id"] for r in receiver.received}) == 1

    failed = client.get(
        f"/api/v1/webhooks/{endpoint['id']}/deliveries",
        params={"status": "failed"},
        headers=district_admin,
    ).json()["items"]
    assert [d["id"] for d in failed] == [attempt.id]
    other = client.post(
        f"/api/v1/webhooks/deliveries/{attempt.id}/redeliver", headers=world.headers("admin")
    )
    assert other.status_code == 404
    again = client.post(
        f"/api/v1/webhooks/deliveries/{attempt.id}/redeliver", headers=district_admin
    )
    assert again.status_code == 200 and again.json()["status"] == "pending"
    receiver.answer = 200
    [resent] = send_due(db, datetime.now(UTC))
    assert resent.status == "delivered"


def test_after_a_rotation_both_secrets_sign_for_a_day(client, world, db, district_admin, receiver):
    endpoint = register(client, world, district_admin, receiver.url, ["report.issued"]).json()
    new = client.post(
        f"/api/v1/webhooks/{endpoint['id']}/rotate-secret", headers=district_admin
    ).json()["secret"]
    now = datetime.now(UTC)
    events.emit(db, world.school.path, "report.issued", "report.issued:1", {}, now)
    send_due(db, now)
    [got] = receiver.received
    assert len(got["headers"]["webhook-signature"].split()) == 2
    assert verified(new, got["headers"], got["body"])
    assert verified(endpoint["secret"], got["headers"], got["body"])


def test_the_test_button_says_what_the_receiver_answered(
    client, world, db, district_admin, receiver
):
    endpoint = register(client, world, district_admin, receiver.url, ["report.issued"]).json()
    tried = client.post(f"/api/v1/webhooks/{endpoint['id']}/test", headers=district_admin)
    assert tried.status_code == 200
    assert tried.json() | {"duration_ms": 0} == {
        "delivered": True,
        "status_code": 204,
        "error": "",
        "duration_ms": 0,
    }
    assert json.loads(receiver.received[0]["body"])["type"] == "webhook.test"
    receiver.close()  # nobody listens there now
    dead = client.post(f"/api/v1/webhooks/{endpoint['id']}/test", headers=district_admin)
    assert dead.json()["delivered"] is False
    assert dead.json()["error"].startswith("Không kết nối được")


def test_progress_daily_and_when_a_threshold_is_crossed(
    client, world, db, district_admin, receiver
):
    register(
        client,
        world,
        district_admin,
        receiver.url,
        ["plan.progress"],
        progress_thresholds=[25, 90],
    )
    plan = make_plan(db, world.district)
    db.commit()
    morning = NOW - timedelta(hours=2)  # 15:00 local: no daily figures yet
    assert events.derive(db, morning) == 0
    assert events.derive(db, NOW) == 1  # 17:00: the day's figures
    assert events.derive(db, NOW + timedelta(hours=1)) == 0  # once a day
    sent = json.loads(db.exec(sa.select(WebhookDelivery.payload)).scalars().one())
    assert sent["data"]["plan"]["id"] == plan.id
    assert sent["data"]["reason"] == "daily"
    assert set(sent["data"]["totals"]) >= {"organizations", "adopted", "confirmed_rate"}

"""Sending a delivery: claimed by one worker, signed, posted, recorded, retried.

A worker first claims the delivery in a short transaction of its own (an UPDATE that only one
worker can win, which also sets a lease), then posts it with no transaction open (a slow
receiver holds no lock), then records what happened in another. A worker that dies while
sending leaves the lease to run out; the delivery is then taken again. Failures are retried
with growing delays over about a day, then the delivery stays `failed`, visible in its log,
until an admin sends it again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

import httpx
import sqlalchemy as sa
from sqlmodel import Session

from app.core.config import current_settings
from app.webhooks import signing, targets
from app.webhooks.models import WebhookDelivery, WebhookEndpoint

# After the first failed attempt, the next waits 30 s; after the last, the delivery has
# been tried ten times over about 25 hours.
RETRY_DELAYS = [
    timedelta(seconds=30),
    timedelta(minutes=2),
    timedelta(minutes=10),
    timedelta(minutes=30),
    timedelta(hours=1),
    timedelta(hours=2),
    timedelta(hours=4),
    timedelta(hours=8),
    timedelta(hours=8),
]
LEASE = timedelta(minutes=2)
USER_AGENT = "LanToa-Webhooks/1"


@dataclass(frozen=True)
class Outgoing:
    """A claimed delivery: all that sending it needs, read before the claim's commit."""

    id: int
    url: str
    message_id: str
    payload: str
    secrets: list[str]


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str
    duration_ms: int

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def due(db: Session, now: datetime, limit: int = 100) -> list[int]:
    """Deliveries a worker may take now, oldest first."""
    return list(
        db.exec(
            sa.select(WebhookDelivery.id)
            .where(
                WebhookDelivery.status.in_(("pending", "sending")),
                WebhookDelivery.next_attempt_at <= now,
            )
            .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
            .limit(limit)
        ).scalars()
    )


def claim(db: Session, delivery_id: int, now: datetime) -> Outgoing | None:
    """Take the delivery for LEASE, or None when another worker has it or it is done."""
    taken = db.exec(
        sa.update(WebhookDelivery)
        .where(
            WebhookDelivery.id == delivery_id,
            WebhookDelivery.status.in_(("pending", "sending")),
            WebhookDelivery.next_attempt_at <= now,
        )
        .values(status="sending", next_attempt_at=now + LEASE)
    )
    if taken.rowcount != 1:
        return None
    delivery, endpoint = db.exec(
        sa.select(WebhookDelivery, WebhookEndpoint)
        .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
        .where(WebhookDelivery.id == delivery_id)
    ).one()
    secrets = [endpoint.secret]
    if (
        endpoint.previous_secret
        and endpoint.previous_secret_until
        and (endpoint.previous_secret_until > now)
    ):
        secrets.append(endpoint.previous_secret)
    return Outgoing(delivery.id, endpoint.url, delivery.message_id, delivery.payload, secrets)


def send(outgoing: Outgoing, timeout: float | None = None) -> Outcome:
    """Post it, signed; never raises. Any 2xx is delivered; redirects are not followed."""
    timeout = timeout if timeout is not None else current_settings().webhook_timeout_seconds
    body = outgoing.payload.encode()
    headers = signing.headers(outgoing.secrets, outgoing.message_id, int(time.time()), body)
    headers |= {"content-type": "application/json", "user-agent": USER_AGENT}
    started = time.perf_counter()

    def took() -> int:
        return round((time.perf_counter() - started) * 1000)

    try:
        targets.check(outgoing.url)
        with httpx.Client(timeout=timeout, follow_redirects=False) as client:
            response = client.post(outgoing.url, content=body, headers=headers)
    except targets.BadTarget as error:
        return Outcome(None, str(error), took())
    except httpx.TimeoutException:
        return Outcome(None, f"Hết thời gian chờ ({timeout:g} s). / Timed out.", took())
    except httpx.HTTPError as error:
        return Outcome(None, f"Không kết nối được: {error}. / Could not connect.", took())
    error = "" if 200 <= response.status_code < 300 else response.text[:200]
    return Outcome(response.status_code, error, took())


def record(db: Session, delivery_id: int, outcome: Outcome, now: datetime) -> WebhookDelivery:
    """What the attempt gave: delivered, or when to try again, or failed for good."""
    delivery = db.get(WebhookDelivery, delivery_id)
    delivery.attempts += 1
    delivery.last_attempt_at = now
    delivery.last_status_code = outcome.status_code
    delivery.last_error = outcome.error[:500]
    delivery.last_duration_ms = outcome.duration_ms
    if outcome.delivered:
        delivery.status, delivery.delivered_at, delivery.next_attempt_at = "delivered", now, None
    elif delivery.attempts <= len(RETRY_DELAYS):
        delivery.status = "pending"
        delivery.next_attempt_at = now + RETRY_DELAYS[delivery.attempts - 1]
    else:
        delivery.status, delivery.next_attempt_at = "failed", None
    db.add(delivery)
    db.flush()
    return delivery

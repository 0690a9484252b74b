"""Registering endpoints (an organisation's admins, as for API tokens), their secrets, and
the delivery log with its "send again"."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from app.audit import trail as audit
from app.authz import Actor, Permission
from app.core.base import utcnow
from app.core.errors import InvalidInput, NotFound, field_error
from app.core.pagination import PageParams
from app.orgs import service as orgs
from app.webhooks import delivery, events, signing, targets
from app.webhooks.models import WebhookDelivery, WebhookEndpoint
from app.webhooks.schemas import WebhookEndpointCreate, WebhookEndpointUpdate

NOT_FOUND = "Không tìm thấy webhook. / Webhook not found."
# After a rotation, the old secret signs too for this long, so the receiver can switch.
ROTATION_OVERLAP = timedelta(hours=24)


def _url(url: str) -> str:
    try:
        return targets.check(url)
    except targets.BadTarget as error:
        raise InvalidInput(str(error), errors=[field_error("body.url", str(error))]) from None


def _thresholds(values: list[int]) -> list[int]:
    if any(not 1 <= v <= 100 for v in values):
        message = "Mỗi ngưỡng từ 1 đến 100 (%). / Each threshold from 1 to 100 (%)."
        raise InvalidInput(message, errors=[field_error("body.progress_thresholds", message)])
    return sorted(set(values))


def _endpoint(db: Session, actor: Actor, endpoint_id: int) -> WebhookEndpoint:
    endpoint = db.get(WebhookEndpoint, endpoint_id)
    if endpoint is None:
        raise NotFound(NOT_FOUND)
    orgs.get_org(db, actor, endpoint.organization_id, Permission.TOKENS_MANAGE)
    return endpoint


def create_endpoint(
    db: Session, actor: Actor, data: WebhookEndpointCreate
) -> tuple[WebhookEndpoint, str]:
    org = orgs.get_org(db, actor, data.organization_id, Permission.TOKENS_MANAGE)
    secret = signing.new_secret()
    endpoint = WebhookEndpoint(
        organization_id=org.id,
        created_by_id=actor.user_id,
        url=_url(data.url),
        description=data.description.strip(),
        events=sorted(set(data.events)),
        progress_thresholds=_thresholds(data.progress_thresholds),
        secret=secret,
    )
    audit.create(db, actor, "webhook.create", endpoint, picture=_audited)
    return endpoint, secret


def list_endpoints(db: Session, actor: Actor, org_id: int) -> list[WebhookEndpoint]:
    org = orgs.get_org(db, actor, org_id, Permission.TOKENS_MANAGE)
    return list(
        db.exec(
            sa.select(WebhookEndpoint)
            .where(WebhookEndpoint.organization_id == org.id)
            .order_by(WebhookEndpoint.id)
        ).scalars()
    )


def get_endpoint(db: Session, actor: Actor, endpoint_id: int) -> WebhookEndpoint:
    return _endpoint(db, actor, endpoint_id)


def update_endpoint(
    db: Session, actor: Actor, endpoint_id: int, data: WebhookEndpointUpdate
) -> WebhookEndpoint:
    endpoint = _endpoint(db, actor, endpoint_id)
    changes = data.model_dump(exclude_unset=True)
    with audit.change(db, actor, "webhook.update", endpoint, picture=_audited):
        if changes.get("url") is not None:
            endpoint.url = _url(changes["url"])
        if changes.get("events") is not None:
            endpoint.events = sorted(set(changes["events"]))
        if changes.get("description") is not None:
            endpoint.description = changes["description"].strip()
        if changes.get("progress_thresholds") is not None:
            endpoint.progress_thresholds = _thresholds(changes["progress_thresholds"])
        if changes.get("active") is not None:
            endpoint.active = changes["active"]
    return endpoint


def rotate_secret(db: Session, actor: Actor, endpoint_id: int) -> tuple[WebhookEndpoint, str]:
    endpoint = _endpoint(db, actor, endpoint_id)
    secret = signing.new_secret()
    with audit.change(db, actor, "webhook.rotate_secret", endpoint, picture=_audited):
        endpoint.previous_secret = endpoint.secret
        endpoint.previous_secret_until = utcnow() + ROTATION_OVERLAP
        endpoint.secret = secret
    return endpoint, secret


def delete_endpoint(db: Session, actor: Actor, endpoint_id: int) -> None:
    endpoint = _endpoint(db, actor, endpoint_id)
    db.exec(sa.delete(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint.id))
    audit.delete(db, actor, "webhook.delete", endpoint, picture=_audited)


def deliveries(
    db: Session, actor: Actor, endpoint_id: int, page: PageParams, status: str | None = None
) -> tuple[list[WebhookDelivery], int]:
    endpoint = _endpoint(db, actor, endpoint_id)
    where = [WebhookDelivery.endpoint_id == endpoint.id]
    if status:
        where.append(WebhookDelivery.status == status)
    total = db.exec(sa.select(sa.func.count()).select_from(WebhookDelivery).where(*where)).one()[0]
    rows = db.exec(
        sa.select(WebhookDelivery)
        .where(*where)
        .order_by(WebhookDelivery.id.desc())
        .limit(page.limit)
        .offset(page.offset)
    ).scalars()
    return list(rows), total


def redeliver(db: Session, actor: Actor, delivery_id: int) -> WebhookDelivery:
    """Send it again as soon as a worker can: a failed one, or a delivered one asked for
    again by the receiver; the same message id, so the receiver can tell it is a repeat."""
    found = db.get(WebhookDelivery, delivery_id)
    if found is None:
        raise NotFound(NOT_FOUND)
    endpoint = _endpoint(db, actor, found.endpoint_id)
    with audit.change(
        db, actor, "webhook.redeliver", found, about=endpoint, picture=_audited_delivery
    ):
        found.status, found.attempts, found.next_attempt_at = "pending", 0, utcnow()
    return found


def test_message(db: Session, actor: Actor, endpoint_id: int, now: datetime) -> delivery.Outgoing:
    """A `webhook.test` event for the endpoint, signed as deliveries are; sent by the caller
    outside any transaction, its outcome then recorded (`record_test`). Not kept as a
    delivery."""
    endpoint = _endpoint(db, actor, endpoint_id)
    payload = events.body(events.TEST_EVENT, {"endpoint_id": endpoint.id}, now)
    return delivery.Outgoing(
        endpoint.id, endpoint.url, signing.new_message_id(), payload, [endpoint.secret]
    )


def record_test(db: Session, actor: Actor, endpoint_id: int, outcome: delivery.Outcome) -> None:
    endpoint = _endpoint(db, actor, endpoint_id)
    audit.record(
        db,
        actor,
        "webhook.test",
        entity_type="webhook_endpoint",
        entity_id=endpoint.id,
        organization_id=endpoint.organization_id,
        after={"status_code": outcome.status_code, "error": outcome.error},
    )


def _audited(endpoint: WebhookEndpoint) -> dict:
    """What the audit keeps of an endpoint: never a secret."""
    return {
        "url": endpoint.url,
        "events": endpoint.events,
        "description": endpoint.description,
        "progress_thresholds": endpoint.progress_thresholds,
        "active": endpoint.active,
    }


def _audited_delivery(found: WebhookDelivery) -> dict:
    return {
        "delivery_id": found.id,
        "status": found.status,
        "attempts": found.attempts,
        "key": found.key,
    }

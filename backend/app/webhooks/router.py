from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from fastapi import Query, status

from app.auth.deps import CurrentActor
from app.core.db import DbSession
from app.core.pagination import Page, Paging
from app.core.routing import ApiRouter, in_worker
from app.webhooks import delivery, service
from app.webhooks.schemas import (
    DeliveryStatus,
    WebhookDeliveryPublic,
    WebhookEndpointCreate,
    WebhookEndpointPublic,
    WebhookEndpointUpdate,
    WebhookEndpointWithSecret,
    WebhookTestResult,
)

router = ApiRouter(prefix="/webhooks", tags=["webhooks"])


def _with_secret(endpoint, secret: str) -> WebhookEndpointWithSecret:
    return WebhookEndpointWithSecret.model_validate(
        {**WebhookEndpointPublic.model_validate(endpoint).model_dump(), "secret": secret}
    )


@router.get("", response_model=list[WebhookEndpointPublic], summary="An organisation's webhooks")
def list_endpoints(org_id: int, actor: CurrentActor, db: DbSession) -> list[WebhookEndpointPublic]:
    return [
        WebhookEndpointPublic.model_validate(e) for e in service.list_endpoints(db, actor, org_id)
    ]


@router.post(
    "",
    response_model=WebhookEndpointWithSecret,
    status_code=201,
    summary="Register an endpoint; its signing secret is shown this once",
)
def create_endpoint(
    body: WebhookEndpointCreate, actor: CurrentActor, db: DbSession
) -> WebhookEndpointWithSecret:
    return _with_secret(*service.create_endpoint(db, actor, body))


@router.get("/{endpoint_id}", response_model=WebhookEndpointPublic)
def get_endpoint(endpoint_id: int, actor: CurrentActor, db: DbSession) -> WebhookEndpointPublic:
    return WebhookEndpointPublic.model_validate(service.get_endpoint(db, actor, endpoint_id))


@router.patch("/{endpoint_id}", response_model=WebhookEndpointPublic)
def update_endpoint(
    endpoint_id: int, body: WebhookEndpointUpdate, actor: CurrentActor, db: DbSession
) -> WebhookEndpointPublic:
    return WebhookEndpointPublic.model_validate(
        service.update_endpoint(db, actor, endpoint_id, body)
    )


@router.delete("/{endpoint_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_endpoint(endpoint_id: int, actor: CurrentActor, db: DbSession) -> None:
    service.delete_endpoint(db, actor, endpoint_id)


@router.post(
    "/{endpoint_id}/rotate-secret",
    response_model=WebhookEndpointWithSecret,
    summary="A new signing secret (the old one also signs for 24 hours)",
)
def rotate_secret(
    endpoint_id: int, actor: CurrentActor, db: DbSession
) -> WebhookEndpointWithSecret:
    return _with_secret(*service.rotate_secret(db, actor, endpoint_id))


@router.post(
    "/{endpoint_id}/test",
    response_model=WebhookTestResult,
    summary="Send a signed test event now and say what the receiver answered",
)
async def send_test(endpoint_id: int, actor: CurrentActor, db: DbSession) -> WebhookTestResult:
    # No database connection and no request thread waits on the receiver (up to
    # WEBHOOK_TIMEOUT_SECONDS): check, send in a thread of its own, then record.
    outgoing = await in_worker(
        service.test_message, db=db, actor=actor, endpoint_id=endpoint_id, now=datetime.now(UTC)
    )
    outcome = await asyncio.to_thread(delivery.send, outgoing)
    await in_worker(
        service.record_test, db=db, actor=actor, endpoint_id=endpoint_id, outcome=outcome
    )
    return WebhookTestResult(
        delivered=outcome.delivered,
        status_code=outcome.status_code,
        error=outcome.error,
        duration_ms=outcome.duration_ms,
    )


@router.get(
    "/{endpoint_id}/deliveries",
    response_model=Page[WebhookDeliveryPublic],
    summary="The delivery log, newest first",
)
def deliveries(
    endpoint_id: int,
    actor: CurrentActor,
    db: DbSession,
    paging: Paging,
    status: DeliveryStatus | None = Query(None),
) -> Page[WebhookDeliveryPublic]:
    rows, total = service.deliveries(db, actor, endpoint_id, paging, status)
    return Page(
        items=[WebhookDeliveryPublic.model_validate(r) for r in rows],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )


@router.post(
    "/deliveries/{delivery_id}/redeliver",
    response_model=WebhookDeliveryPublic,
    summary="Send a delivery again",
)
def redeliver(delivery_id: int, actor: CurrentActor, db: DbSession) -> WebhookDeliveryPublic:
    return WebhookDeliveryPublic.model_validate(service.redeliver(db, actor, delivery_id))

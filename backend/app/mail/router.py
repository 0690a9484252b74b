from __future__ import annotations

import asyncio

from fastapi import Query, Request

from app.auth.deps import CurrentActor
from app.authz import Permission, require_somewhere
from app.core.db import DbSession
from app.core.errors import PROBLEM_JSON, Problem
from app.core.pagination import Page, Paging
from app.core.routing import ApiRouter, in_worker
from app.mail import outbox, service
from app.mail.schemas import MailTest, MailTestResult, MessageStatus, OutboundMessagePublic
from app.orgs import service as orgs

router = ApiRouter(tags=["mail"])


@router.get(
    "/outbound-messages",
    response_model=Page[OutboundMessagePublic],
    summary="The emails sent or to be sent, with failures and their reasons (admins)",
)
def list_outbound_messages(
    actor: CurrentActor,
    db: DbSession,
    paging: Paging,
    org_id: int | None = Query(None, description="This organisation and those below it"),
    status: MessageStatus | None = Query(None, description="Only messages in this state"),
) -> Page[OutboundMessagePublic]:
    require_somewhere(actor, Permission.AUDIT_READ)
    organization = orgs.load_org(db, org_id) if org_id is not None else None
    rows, total = outbox.list_messages(
        db,
        actor,
        organization=organization,
        status=status,
        limit=paging.limit,
        offset=paging.offset,
    )
    return Page(
        items=[OutboundMessagePublic.model_validate(row) for row in rows],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )


@router.post(
    "/outbound-messages/{message_id}/retry",
    response_model=OutboundMessagePublic,
    summary="Send a failed message again, its attempts counted afresh (admins)",
)
def retry_outbound_message(
    message_id: int, actor: CurrentActor, db: DbSession
) -> OutboundMessagePublic:
    return OutboundMessagePublic.model_validate(outbox.retry(db, actor, message_id))


@router.post(
    "/system/mail-test",
    response_model=MailTestResult,
    responses={
        409: {
            "model": Problem,
            "content": {PROBLEM_JSON: {}},
            "description": "No mail server configured (`mail-not-configured`)",
        },
        502: {
            "model": Problem,
            "content": {PROBLEM_JSON: {}},
            "description": "The mail server could not be reached or refused the message "
            "(`mail-failed`); `detail` says why",
        },
    },
    summary="Send a test email now with the server's SMTP settings (admins)",
)
async def send_test_email(
    body: MailTest, actor: CurrentActor, db: DbSession, request: Request
) -> MailTestResult:
    # No database connection waits on the mail server: check, send (in a thread outside the
    # request threads), then record.
    settings = request.app.state.settings
    organization = await in_worker(
        service.test_organization, db=db, actor=actor, organization_id=body.organization_id
    )
    error = await asyncio.to_thread(service.send_test, settings, body.to)
    server = await in_worker(
        service.record_test,
        db=db,
        actor=actor,
        settings=settings,
        organization=organization,
        to=body.to,
        error=error,
    )
    return MailTestResult(sent=True, to=body.to, server=server)

from __future__ import annotations

from fastapi import Query, Response

from app.acknowledgements import confirmation, lists, reflections
from app.acknowledgements.schemas import (
    AcknowledgementPublic,
    ConfirmRequest,
    GradeRequest,
    OnBehalfRequest,
    PendingRow,
    ReflectionRequest,
    WithdrawRequest,
)
from app.auth.deps import ClientAddress, CurrentActor
from app.core.db import DbSession
from app.core.pagination import Page, Paging
from app.core.routing import ApiRouter

router = ApiRouter(tags=["acknowledgements"])

CONFIRM_RESPONSES = {200: {"description": "Already confirmed: the existing record"}}


@router.post(
    "/plans/{plan_id}/acknowledgements",
    response_model=AcknowledgementPublic,
    status_code=201,
    responses=CONFIRM_RESPONSES,
    summary="I have studied this plan (one tap)",
)
def confirm(
    plan_id: int,
    actor: CurrentActor,
    db: DbSession,
    address: ClientAddress,
    response: Response,
    body: ConfirmRequest | None = None,
) -> AcknowledgementPublic:
    record, created = confirmation.confirm_self(
        db, actor, plan_id, body.reflection if body else None, address
    )
    if not created:
        response.status_code = 200
    return record


@router.post(
    "/plans/{plan_id}/acknowledgements/on-behalf",
    response_model=AcknowledgementPublic,
    status_code=201,
    responses=CONFIRM_RESPONSES,
    summary="Record a confirmation for someone, with a reason",
)
def confirm_on_behalf(
    plan_id: int,
    body: OnBehalfRequest,
    actor: CurrentActor,
    db: DbSession,
    address: ClientAddress,
    response: Response,
) -> AcknowledgementPublic:
    record, created = confirmation.confirm_on_behalf(
        db, actor, plan_id, body.participant_id, body.reason, body.reflection, address
    )
    if not created:
        response.status_code = 200
    return record


@router.get(
    "/plans/{plan_id}/pending", response_model=list[PendingRow], summary="Who has not confirmed yet"
)
def pending(
    plan_id: int, actor: CurrentActor, db: DbSession, unit_id: int | None = None
) -> list[PendingRow]:
    return lists.pending(db, actor, plan_id, unit_id)


@router.get("/acknowledgements", response_model=Page[AcknowledgementPublic])
def list_acknowledgements(
    actor: CurrentActor,
    db: DbSession,
    paging: Paging,
    plan_id: int | None = None,
    participant_id: int | None = Query(None, description="Only this person's confirmations"),
    unit_id: int | None = None,
    has_reflection: bool | None = None,
    graded: bool | None = None,
    current: bool | None = Query(
        None,
        description="true: live confirmations of the plan's current materials version only; "
        "false: withdrawn or superseded ones; omitted: all",
    ),
) -> Page[AcknowledgementPublic]:
    items, total = lists.list_acknowledgements(
        db,
        actor,
        plan_id=plan_id,
        participant_id=participant_id,
        unit_id=unit_id,
        has_reflection=has_reflection,
        graded=graded,
        current=current,
        limit=paging.limit,
        offset=paging.offset,
    )
    return Page(items=items, total=total, limit=paging.limit, offset=paging.offset)


@router.put(
    "/acknowledgements/{ack_id}/reflection",
    response_model=AcknowledgementPublic,
    summary="Write or rewrite my reflection (bài thu hoạch)",
)
def reflect(
    ack_id: int, body: ReflectionRequest, actor: CurrentActor, db: DbSession
) -> AcknowledgementPublic:
    return reflections.reflect_self(db, actor, ack_id, body.reflection)


@router.post("/acknowledgements/{ack_id}/grade", response_model=AcknowledgementPublic)
def grade(
    ack_id: int, body: GradeRequest, actor: CurrentActor, db: DbSession
) -> AcknowledgementPublic:
    return reflections.grade(db, actor, ack_id, body.grade, body.comment)


@router.post("/acknowledgements/{ack_id}/withdraw", response_model=AcknowledgementPublic)
def withdraw(
    ack_id: int, body: WithdrawRequest, actor: CurrentActor, db: DbSession
) -> AcknowledgementPublic:
    return reflections.withdraw(db, actor, ack_id, body.reason)

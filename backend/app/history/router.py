from __future__ import annotations

from fastapi import Query

from app.auth.deps import ClientAddress, CurrentActor
from app.core.db import DbSession
from app.core.routing import ApiRouter
from app.history import service
from app.history.schemas import ParticipantHistory

router = ApiRouter(tags=["history"])

YEAR = Query(None, ge=2000, le=2100, description="School year starting then: 2025 is 2025–2026")
PLAN = Query(None, description="Only this plan")


@router.get(
    "/participants/{participant_id}/history",
    response_model=ParticipantHistory,
    summary="A person's record by school year and plan",
)
def participant_history(
    participant_id: int,
    actor: CurrentActor,
    db: DbSession,
    year: int | None = YEAR,
    plan_id: int | None = PLAN,
) -> ParticipantHistory:
    return service.participant_history(db, actor, participant_id, year=year, plan_id=plan_id)


@router.get("/me/history", response_model=ParticipantHistory, summary="My record (hồ sơ học tập)")
def my_history(
    actor: CurrentActor, db: DbSession, year: int | None = YEAR, plan_id: int | None = PLAN
) -> ParticipantHistory:
    return service.my_history(db, actor, year=year, plan_id=plan_id)


@router.get(
    "/links/{token}/history", response_model=ParticipantHistory, summary="My record, by my link"
)
def link_history(
    token: str,
    db: DbSession,
    address: ClientAddress,
    year: int | None = YEAR,
    plan_id: int | None = PLAN,
) -> ParticipantHistory:
    return service.link_history(db, token, address, year=year, plan_id=plan_id)

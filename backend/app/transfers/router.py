from __future__ import annotations

from fastapi import Query

from app.auth.deps import CurrentActor
from app.core.db import DbSession
from app.core.pagination import Page, Paging
from app.core.routing import ApiRouter
from app.people.schemas import ParticipantPublic
from app.transfers import service
from app.transfers.schemas import TransferCreate, TransferPublic

router = ApiRouter(tags=["transfers"])


@router.post(
    "/participants/{participant_id}/transfer",
    response_model=ParticipantPublic,
    status_code=201,
    summary="Move a person to another school: her new staff row there",
)
def transfer(
    participant_id: int, body: TransferCreate, actor: CurrentActor, db: DbSession
) -> ParticipantPublic:
    return service.transfer(db, actor, participant_id, body)


@router.get(
    "/participants/{participant_id}/transfers",
    response_model=list[TransferPublic],
    summary="The moves that brought this row of hers or ended it",
)
def participant_transfers(
    participant_id: int, actor: CurrentActor, db: DbSession
) -> list[TransferPublic]:
    return service.of_participant(db, actor, participant_id)


@router.get("/transfers", response_model=Page[TransferPublic], summary="Register of moves")
def list_transfers(
    actor: CurrentActor,
    db: DbSession,
    paging: Paging,
    org_id: int | None = Query(None, description="Into or out of this organisation's subtree"),
) -> Page[TransferPublic]:
    return service.list_transfers(
        db, actor, org_id=org_id, limit=paging.limit, offset=paging.offset
    )

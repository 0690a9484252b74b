from __future__ import annotations

from fastapi import Query, status

from app.activities import service
from app.activities.schemas import ActivityCreate, ActivityKind, ActivityPublic, ActivityUpdate
from app.auth.deps import CurrentActor
from app.core.db import DbSession
from app.core.inputs import IsoDate
from app.core.pagination import Page, Paging
from app.core.routing import ApiRouter

router = ApiRouter(prefix="/activities", tags=["outreach"])


@router.get("", response_model=Page[ActivityPublic], summary="The outreach log")
def list_activities(
    actor: CurrentActor,
    db: DbSession,
    paging: Paging,
    plan_id: int | None = None,
    org_id: int | None = None,
    kind: ActivityKind | None = None,
    since: IsoDate | None = None,
    until: IsoDate | None = None,
    include_archived: bool = Query(False, description="Archived entries too"),
) -> Page[ActivityPublic]:
    items, total = service.list_activities(
        db,
        actor,
        plan_id=plan_id,
        organization_id=org_id,
        kind=kind,
        since=since,
        until=until,
        include_archived=include_archived,
        limit=paging.limit,
        offset=paging.offset,
    )
    return Page(items=items, total=total, limit=paging.limit, offset=paging.offset)


@router.post("", response_model=ActivityPublic, status_code=201)
def create_activity(body: ActivityCreate, actor: CurrentActor, db: DbSession) -> ActivityPublic:
    return service.create(db, actor, body)


@router.get("/{activity_id}", response_model=ActivityPublic)
def get_activity(activity_id: int, actor: CurrentActor, db: DbSession) -> ActivityPublic:
    return service.get(db, actor, activity_id)


@router.patch("/{activity_id}", response_model=ActivityPublic)
def update_activity(
    activity_id: int, body: ActivityUpdate, actor: CurrentActor, db: DbSession
) -> ActivityPublic:
    return service.update(db, actor, activity_id, body)


@router.post(
    "/{activity_id}/archive",
    response_model=ActivityPublic,
    summary="Archive an entry: out of the log and today's figures; earlier figures keep it",
)
def archive_activity(activity_id: int, actor: CurrentActor, db: DbSession) -> ActivityPublic:
    return service.archive(db, actor, activity_id)


@router.delete(
    "/{activity_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    deprecated=True,
    summary="Archives the entry (as POST …/archive); nothing is deleted",
)
def delete_activity(activity_id: int, actor: CurrentActor, db: DbSession) -> None:
    service.archive(db, actor, activity_id)

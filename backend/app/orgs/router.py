from __future__ import annotations

from fastapi import Query, status

from app.auth.deps import CurrentActor
from app.core.db import DbSession
from app.core.pagination import Page, Paging
from app.core.routing import ApiRouter
from app.orgs import service
from app.orgs.schemas import (
    OrganizationCreate,
    OrganizationPublic,
    OrganizationUpdate,
    UnitCreate,
    UnitMemberPublic,
    UnitMemberSet,
    UnitPublic,
    UnitUpdate,
)

router = ApiRouter(tags=["organisations"])


def _page(rows, total, paging) -> Page[OrganizationPublic]:
    return Page(
        items=[OrganizationPublic.model_validate(o) for o in rows],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )


@router.get("/orgs", response_model=Page[OrganizationPublic], summary="Organisations I may read")
def list_orgs(
    actor: CurrentActor,
    db: DbSession,
    paging: Paging,
    q: str | None = Query(None, max_length=100, description="Name or code contains"),
) -> Page[OrganizationPublic]:
    rows, total = service.list_orgs(db, actor, q=q, limit=paging.limit, offset=paging.offset)
    return _page(rows, total, paging)


@router.post("/orgs", response_model=OrganizationPublic, status_code=201)
def create_org(body: OrganizationCreate, actor: CurrentActor, db: DbSession) -> OrganizationPublic:
    return OrganizationPublic.model_validate(service.create_org(db, actor, body))


@router.get("/orgs/{org_id}", response_model=OrganizationPublic)
def get_org(org_id: int, actor: CurrentActor, db: DbSession) -> OrganizationPublic:
    return OrganizationPublic.model_validate(service.get_org(db, actor, org_id))


@router.patch("/orgs/{org_id}", response_model=OrganizationPublic)
def update_org(
    org_id: int, body: OrganizationUpdate, actor: CurrentActor, db: DbSession
) -> OrganizationPublic:
    return OrganizationPublic.model_validate(service.update_org(db, actor, org_id, body))


@router.get("/orgs/{org_id}/children", response_model=Page[OrganizationPublic])
def list_children(
    org_id: int, actor: CurrentActor, db: DbSession, paging: Paging
) -> Page[OrganizationPublic]:
    org = service.get_org(db, actor, org_id)
    rows, total = service.list_orgs(
        db, actor, parent_id=org.id, limit=paging.limit, offset=paging.offset
    )
    return _page(rows, total, paging)


@router.get("/orgs/{org_id}/subtree", response_model=Page[OrganizationPublic])
def list_subtree(
    org_id: int, actor: CurrentActor, db: DbSession, paging: Paging
) -> Page[OrganizationPublic]:
    org = service.get_org(db, actor, org_id)
    rows, total = service.list_orgs(db, actor, under=org, limit=paging.limit, offset=paging.offset)
    return _page(rows, total, paging)


@router.get("/orgs/{org_id}/units", response_model=list[UnitPublic], tags=["units"])
def list_units(
    org_id: int,
    actor: CurrentActor,
    db: DbSession,
    include_archived: bool = Query(False, description="Archived units too, after the live ones"),
) -> list[UnitPublic]:
    return [
        UnitPublic.model_validate({**unit.model_dump(), "member_count": count})
        for unit, count in service.list_units(db, actor, org_id, include_archived=include_archived)
    ]


@router.post("/orgs/{org_id}/units", response_model=UnitPublic, status_code=201, tags=["units"])
def create_unit(org_id: int, body: UnitCreate, actor: CurrentActor, db: DbSession) -> UnitPublic:
    return UnitPublic.model_validate(service.create_unit(db, actor, org_id, body.name, body.kind))


@router.patch("/units/{unit_id}", response_model=UnitPublic, tags=["units"])
def update_unit(unit_id: int, body: UnitUpdate, actor: CurrentActor, db: DbSession) -> UnitPublic:
    return UnitPublic.model_validate(service.update_unit(db, actor, unit_id, body))


@router.post(
    "/units/{unit_id}/archive",
    response_model=UnitPublic,
    tags=["units"],
    summary="Archive a unit: out of lists and pickers, its memberships end; history stays",
)
def archive_unit(unit_id: int, actor: CurrentActor, db: DbSession) -> UnitPublic:
    return UnitPublic.model_validate(service.archive_unit(db, actor, unit_id))


@router.delete(
    "/units/{unit_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["units"],
    deprecated=True,
    summary="Archives the unit (as POST …/archive); nothing is deleted",
)
def delete_unit(unit_id: int, actor: CurrentActor, db: DbSession) -> None:
    service.archive_unit(db, actor, unit_id)


@router.get("/units/{unit_id}/members", response_model=list[UnitMemberPublic], tags=["units"])
def list_members(unit_id: int, actor: CurrentActor, db: DbSession) -> list[UnitMemberPublic]:
    return [
        UnitMemberPublic(
            participant_id=p.id,
            full_name=p.full_name,
            staff_code=p.staff_code,
            is_leader=m.is_leader,
        )
        for m, p in service.list_members(db, actor, unit_id)
    ]


@router.put(
    "/units/{unit_id}/members/{participant_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["units"],
)
def set_member(
    unit_id: int, participant_id: int, body: UnitMemberSet, actor: CurrentActor, db: DbSession
) -> None:
    service.set_member(db, actor, unit_id, participant_id, body.is_leader)


@router.delete(
    "/units/{unit_id}/members/{participant_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    tags=["units"],
)
def remove_member(unit_id: int, participant_id: int, actor: CurrentActor, db: DbSession) -> None:
    service.remove_member(db, actor, unit_id, participant_id)

from __future__ import annotations

from fastapi import File, Form, Query, UploadFile, status
from fastapi.responses import FileResponse, Response

from app.auth.deps import CurrentActor
from app.authz import Permission
from app.core.db import DbSession
from app.core.pagination import Page, Paging
from app.core.routing import ApiRouter
from app.files.download import file_response
from app.files.service import MAX_UPLOAD_BYTES
from app.plans import access, adoption, document, materials
from app.plans.schemas import (
    AdoptionRow,
    MaterialLinkCreate,
    MaterialPublic,
    MaterialPublish,
    PlanAdopt,
    PlanCreate,
    PlanIssue,
    PlanPublic,
    PlanStatus,
    PlanSummary,
    PlanUpdate,
)

router = ApiRouter(prefix="/plans", tags=["plans"])


@router.get(
    "",
    response_model=Page[PlanSummary],
    summary="Plans I may read, or report on (a token with reports:read: the issued plans in scope)",
)
def list_plans(
    actor: CurrentActor,
    db: DbSession,
    paging: Paging,
    org_id: int | None = None,
    status: PlanStatus | None = None,
    q: str | None = Query(None, max_length=100, description="Title or number contains"),
) -> Page[PlanSummary]:
    items, total = access.list_plans(
        db,
        actor,
        organization_id=org_id,
        status=status,
        q=q,
        limit=paging.limit,
        offset=paging.offset,
    )
    return Page(items=items, total=total, limit=paging.limit, offset=paging.offset)


@router.post("", response_model=PlanPublic, status_code=201)
def create_plan(body: PlanCreate, actor: CurrentActor, db: DbSession) -> PlanPublic:
    return document.create_plan(db, actor, body)


@router.get("/{plan_id}", response_model=PlanPublic)
def get_plan(plan_id: int, actor: CurrentActor, db: DbSession) -> PlanPublic:
    plan, org = access.load_plan(db, actor, plan_id, Permission.PLANS_READ)
    return document.present(db, plan, org)


@router.patch("/{plan_id}", response_model=PlanPublic)
def update_plan(plan_id: int, body: PlanUpdate, actor: CurrentActor, db: DbSession) -> PlanPublic:
    return document.update_plan(db, actor, plan_id, body)


@router.post(
    "/{plan_id}/issue",
    response_model=PlanPublic,
    summary="Issue a draft: number it, make it active",
)
def issue_plan(
    plan_id: int, actor: CurrentActor, db: DbSession, body: PlanIssue | None = None
) -> PlanPublic:
    return document.transition(db, actor, plan_id, "issue", body.issued_on if body else None)


@router.post(
    "/{plan_id}/close", response_model=PlanPublic, summary="Close an active plan (read-only after)"
)
def close_plan(plan_id: int, actor: CurrentActor, db: DbSession) -> PlanPublic:
    return document.transition(db, actor, plan_id, "close")


@router.post(
    "/{plan_id}/adopt",
    response_model=PlanPublic,
    status_code=201,
    summary="Adopt an ancestor's plan: a prefilled draft for my organisation",
)
def adopt_plan(plan_id: int, body: PlanAdopt, actor: CurrentActor, db: DbSession) -> PlanPublic:
    return adoption.adopt(db, actor, plan_id, body.organization_id)


@router.get(
    "/{plan_id}/adoptions",
    response_model=list[AdoptionRow],
    summary="Organisations below the issuer and the plans they adopted",
)
def list_adoptions(plan_id: int, actor: CurrentActor, db: DbSession) -> list[AdoptionRow]:
    return adoption.adoptions(db, actor, plan_id)


@router.get("/{plan_id}/materials", response_model=list[MaterialPublic], tags=["materials"])
def list_materials(plan_id: int, actor: CurrentActor, db: DbSession) -> list[MaterialPublic]:
    plan, _ = access.load_plan(db, actor, plan_id, Permission.PLANS_READ)
    return document.list_materials(db, plan)


@router.post(
    "/{plan_id}/materials", response_model=MaterialPublic, status_code=201, tags=["materials"]
)
def add_material_link(
    plan_id: int, body: MaterialLinkCreate, actor: CurrentActor, db: DbSession
) -> MaterialPublic:
    return materials.add_link(db, actor, plan_id, body)


@router.post(
    "/{plan_id}/materials/file", response_model=MaterialPublic, status_code=201, tags=["materials"]
)
def add_material_file(
    plan_id: int,
    actor: CurrentActor,
    db: DbSession,
    file: UploadFile = File(...),
    title: str = Form("", max_length=300),
    summary: str | None = Form(None, max_length=4000),
) -> MaterialPublic:
    content = file.file.read(MAX_UPLOAD_BYTES + 1)
    return materials.add_file(
        db,
        actor,
        plan_id,
        title=title.strip(),
        summary=summary,
        filename=file.filename or "",
        content=content,
    )


@router.delete(
    "/{plan_id}/materials/{material_id}", status_code=status.HTTP_204_NO_CONTENT, tags=["materials"]
)
def remove_material(plan_id: int, material_id: int, actor: CurrentActor, db: DbSession) -> None:
    materials.remove_material(db, actor, plan_id, material_id)


@router.post("/{plan_id}/materials/publish", response_model=PlanPublic, tags=["materials"])
def publish_materials(
    plan_id: int, body: MaterialPublish, actor: CurrentActor, db: DbSession
) -> PlanPublic:
    return materials.publish_materials(db, actor, plan_id, major=body.major)


@router.get(
    "/{plan_id}/materials/{material_id}/file", response_class=FileResponse, tags=["materials"]
)
def download_material(
    plan_id: int, material_id: int, actor: CurrentActor, db: DbSession
) -> Response:
    found = materials.material_file(db, actor, plan_id, material_id)
    return file_response(found)

from __future__ import annotations

from fastapi import File, Query, Response, UploadFile

from app.auth.deps import CurrentActor
from app.authz import Permission
from app.core.db import DbSession
from app.core.downloads import attachment
from app.core.pagination import Page, Paging
from app.core.routing import ApiRouter
from app.core.sheet_upload import MAX_IMPORT_BYTES
from app.core.spreadsheets import XLSX
from app.people import import_service, service
from app.people.importing import build_template_xlsx
from app.people.schemas import (
    AccountCreate,
    ImportReport,
    ParticipantCreate,
    ParticipantPublic,
    ParticipantSort,
    ParticipantUpdate,
)

router = ApiRouter(prefix="/participants", tags=["participants"])


@router.get("", response_model=Page[ParticipantPublic], summary="Search and list staff")
def list_participants(
    actor: CurrentActor,
    db: DbSession,
    paging: Paging,
    org_id: int | None = Query(None, description="Only this organisation"),
    q: str | None = Query(
        None, max_length=100, description="Name, code, email or phone; accents optional"
    ),
    unit_id: int | None = None,
    active: bool | None = None,
    has_account: bool | None = None,
    sort: ParticipantSort = Query(
        "full_name",
        description="full_name orders as Vietnamese lists do: given name first, Vietnamese "
        "alphabet; a leading - reverses",
    ),
) -> Page[ParticipantPublic]:
    items, total = service.list_participants(
        db,
        actor,
        organization_id=org_id,
        q=q,
        unit_id=unit_id,
        active=active,
        has_account=has_account,
        sort=sort,
        limit=paging.limit,
        offset=paging.offset,
    )
    return Page(items=items, total=total, limit=paging.limit, offset=paging.offset)


@router.post("", response_model=ParticipantPublic, status_code=201)
def create_participant(
    body: ParticipantCreate, actor: CurrentActor, db: DbSession
) -> ParticipantPublic:
    return service.create_participant(db, actor, body)


@router.get("/import/template", response_class=Response, summary="The staff list template (.xlsx)")
def import_template(_: CurrentActor) -> Response:
    return Response(
        build_template_xlsx(),
        media_type=XLSX,
        headers={"Content-Disposition": attachment("mau-danh-sach-can-bo.xlsx")},
    )


@router.post("/import", response_model=ImportReport, summary="Import staff from .xlsx or .csv")
def import_staff(
    actor: CurrentActor,
    db: DbSession,
    org_id: int = Query(..., description="Organisation the staff belong to"),
    dry_run: bool = Query(True, description="Only report what would change"),
    file: UploadFile = File(..., description=".xlsx or .csv with Vietnamese headers"),
) -> ImportReport:
    content = file.file.read(MAX_IMPORT_BYTES + 1)
    return import_service.import_staff(
        db, actor, org_id=org_id, filename=file.filename or "", content=content, dry_run=dry_run
    )


@router.get("/{participant_id}", response_model=ParticipantPublic)
def get_participant(participant_id: int, actor: CurrentActor, db: DbSession) -> ParticipantPublic:
    participant = service.load_participant(db, actor, participant_id, Permission.PEOPLE_READ)
    return service.present(db, [participant])[0]


@router.patch("/{participant_id}", response_model=ParticipantPublic)
def update_participant(
    participant_id: int, body: ParticipantUpdate, actor: CurrentActor, db: DbSession
) -> ParticipantPublic:
    return service.update_participant(db, actor, participant_id, body)


@router.post("/{participant_id}/deactivate", response_model=ParticipantPublic)
def deactivate(participant_id: int, actor: CurrentActor, db: DbSession) -> ParticipantPublic:
    return service.set_active(db, actor, participant_id, False)


@router.post("/{participant_id}/activate", response_model=ParticipantPublic)
def activate(participant_id: int, actor: CurrentActor, db: DbSession) -> ParticipantPublic:
    return service.set_active(db, actor, participant_id, True)


@router.post(
    "/{participant_id}/account",
    response_model=ParticipantPublic,
    status_code=201,
    tags=["accounts"],
)
def create_account(
    participant_id: int, body: AccountCreate, actor: CurrentActor, db: DbSession
) -> ParticipantPublic:
    return service.create_account(db, actor, participant_id, body)

from __future__ import annotations

from fastapi import Response, status
from fastapi.responses import FileResponse

from app.acknowledgements import reflections as acks
from app.acknowledgements.router import CONFIRM_RESPONSES
from app.acknowledgements.schemas import AcknowledgementPublic, ConfirmRequest, ReflectionRequest
from app.auth.deps import ClientAddress, CurrentActor
from app.core.db import DbSession
from app.core.routing import ApiRouter, PublicBaseUrl, in_worker
from app.files.download import file_response
from app.links import service
from app.links.schemas import LinkCreate, LinkIssued, LinkSheetRequest, TeacherHome
from app.study_sessions import checkin
from app.study_sessions.schemas import CheckinRequest, CheckinResult

router = ApiRouter(tags=["personal links"])


@router.post(
    "/participants/{participant_id}/links",
    response_model=LinkIssued,
    status_code=201,
    summary="A personal link (and its QR) for one person",
)
def issue_link(
    participant_id: int,
    actor: CurrentActor,
    db: DbSession,
    base_url: PublicBaseUrl,
    body: LinkCreate | None = None,
) -> LinkIssued:
    days = body.valid_days if body else LinkCreate().valid_days
    return service.issue_link(db, actor, participant_id, days, base_url)


@router.delete(
    "/participants/{participant_id}/links",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Revoke every personal link of this person",
)
def revoke_links(participant_id: int, actor: CurrentActor, db: DbSession) -> None:
    service.revoke_links(db, actor, participant_id)


@router.post(
    "/orgs/{org_id}/link-sheet",
    response_model=list[LinkIssued],
    summary="Fresh personal links and QR codes for a unit, to print",
)
def link_sheet(
    org_id: int, body: LinkSheetRequest, actor: CurrentActor, db: DbSession, base_url: PublicBaseUrl
) -> list[LinkIssued]:
    return service.link_sheet(
        db,
        actor,
        org_id,
        body.unit_id,
        body.valid_days,
        base_url,
        revoke_previous=body.revoke_previous,
    )


@router.get(
    "/me/home", response_model=TeacherHome, summary="My pending confirmations, sessions and tasks"
)
async def my_home(actor: CurrentActor, db: DbSession) -> TeacherHome:
    return await in_worker(service.member_home, db=db, actor=actor)


# The personal page's API: the token in the path is the only credential.


@router.get("/links/{token}", response_model=TeacherHome, summary="The personal page")
async def link_home(token: str, db: DbSession, address: ClientAddress) -> TeacherHome:
    return await in_worker(service.link_home, db=db, token=token, address=address)


@router.post(
    "/links/{token}/acknowledgements/{plan_id}",
    response_model=AcknowledgementPublic,
    status_code=201,
    responses=CONFIRM_RESPONSES,
    summary="Confirm in one tap",
)
async def link_confirm(
    token: str,
    plan_id: int,
    db: DbSession,
    address: ClientAddress,
    response: Response,
    body: ConfirmRequest | None = None,
) -> AcknowledgementPublic:
    record, created = await in_worker(
        service.confirm_by_link,
        db=db,
        token=token,
        plan_id=plan_id,
        reflection=body.reflection if body else None,
        address=address,
    )
    if not created:
        response.status_code = 200
    return record


@router.put(
    "/links/{token}/acknowledgements/{plan_id}/reflection",
    response_model=AcknowledgementPublic,
    summary="Write the reflection",
)
def link_reflect(
    token: str, plan_id: int, body: ReflectionRequest, db: DbSession, address: ClientAddress
) -> AcknowledgementPublic:
    participant, actor = service.resolve(db, token, address)
    record = service.ack_for_link(db, participant, plan_id)
    return acks.submit_reflection(db, actor, record, body.reflection)


@router.get(
    "/links/{token}/materials/{material_id}/file",
    response_class=FileResponse,
    summary="Download a study material from the personal page",
)
def link_material(token: str, material_id: int, db: DbSession, address: ClientAddress) -> Response:
    participant, _ = service.resolve(db, token, address)
    found = service.material_for_link(db, participant, material_id)
    return file_response(found)


@router.post(
    "/links/{token}/checkin", response_model=CheckinResult, summary="Check in with the code shown"
)
def link_checkin(
    token: str, body: CheckinRequest, db: DbSession, address: ClientAddress
) -> CheckinResult:
    participant, actor = service.resolve(db, token, address)
    return checkin.check_in(db, actor, participant, body.code, method="link", address=address)

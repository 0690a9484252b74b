from __future__ import annotations

import json
from typing import Any

from fastapi import Query, Response
from fastapi.encoders import jsonable_encoder

from app.auth.deps import ClientAddress, CurrentActor
from app.core.db import DbSession
from app.core.downloads import attachment
from app.core.routing import ApiRouter
from app.people import service as people
from app.people.models import Participant
from app.people.schemas import ParticipantPublic
from app.privacy import anonymize, retention, service
from app.privacy.schemas import AnonymizeRequest, RetentionInput, RetentionPublic
from app.privacy.service import Format

router = ApiRouter(tags=["privacy"])

MEDIA = {
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMAT = Query("json", alias="format", description="json (default) or xlsx: one sheet per section")
RESPONSES = {200: {"content": {MEDIA["xlsx"]: {}}, "description": "A download, JSON or XLSX"}}


def _download(db: DbSession, person: Participant, data: dict[str, Any], fmt: Format) -> Response:
    content = (
        json.dumps(jsonable_encoder(data), ensure_ascii=False, indent=2).encode()
        if fmt == "json"
        else service.workbook(db, person, data)
    )
    headers = {
        "Content-Disposition": attachment(f"du-lieu-ca-nhan-{person.staff_code}.{fmt}"),
        "Cache-Control": "no-store",
    }
    return Response(content, media_type=MEDIA[fmt], headers=headers)


@router.get(
    "/participants/{participant_id}/export",
    responses=RESPONSES,
    summary="Everything stored about a person (her organisation's admins)",
)
def participant_export(
    participant_id: int, actor: CurrentActor, db: DbSession, fmt: Format = FORMAT
) -> Response:
    person, data = service.participant_export(db, actor, participant_id, fmt)
    return _download(db, person, data, fmt)


@router.get("/me/export", responses=RESPONSES, summary="Everything stored about me")
def my_export(actor: CurrentActor, db: DbSession, fmt: Format = FORMAT) -> Response:
    person, data = service.my_export(db, actor, fmt)
    return _download(db, person, data, fmt)


@router.get(
    "/links/{token}/export", responses=RESPONSES, summary="Everything stored about me, by my link"
)
def link_export(
    token: str, db: DbSession, address: ClientAddress, fmt: Format = FORMAT
) -> Response:
    person, data = service.link_export(db, token, address, fmt)
    return _download(db, person, data, fmt)


@router.post(
    "/participants/{participant_id}/anonymize",
    response_model=ParticipantPublic,
    summary="Scrub a former staff member's personal data for good (her organisation's admins)",
    description="Only once she is inactive (422 before); cannot be undone (409 a second time). "
    "Her name becomes a neutral label; contact details, texts, links, login and evidence files "
    "go; every row that counts her stays, so figures and issued reports do not move.",
)
def anonymize_participant(
    participant_id: int, body: AnonymizeRequest, actor: CurrentActor, db: DbSession
) -> ParticipantPublic:
    anonymize.anonymize_participant(db, actor, participant_id, body.reason)
    return people.present(db, [db.get(Participant, participant_id)])[0]


@router.get(
    "/orgs/{org_id}/retention",
    response_model=RetentionPublic,
    summary="How long the data of people who left is kept (this organisation's, or inherited)",
)
def get_retention(org_id: int, actor: CurrentActor, db: DbSession) -> RetentionPublic:
    return retention.get_policy(db, actor, org_id)


@router.put(
    "/orgs/{org_id}/retention",
    response_model=RetentionPublic,
    summary="Set how long the data of people who left is kept, for this organisation and below",
)
def set_retention(
    org_id: int, body: RetentionInput, actor: CurrentActor, db: DbSession
) -> RetentionPublic:
    return retention.set_policy(db, actor, org_id, body)


@router.delete(
    "/orgs/{org_id}/retention",
    response_model=RetentionPublic,
    summary="Drop this organisation's own period: it follows the organisation above again",
)
def clear_retention(org_id: int, actor: CurrentActor, db: DbSession) -> RetentionPublic:
    return retention.clear_policy(db, actor, org_id)

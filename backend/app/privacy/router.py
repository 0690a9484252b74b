from __future__ import annotations

import json
from typing import Any

from fastapi import Query, Response
from fastapi.encoders import jsonable_encoder

from app.auth.deps import ClientAddress, CurrentActor
from app.core.db import DbSession
from app.core.downloads import attachment
from app.core.routing import ApiRouter
from app.people.models import Participant
from app.privacy import service
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

from __future__ import annotations

from fastapi import Query, Response

from app.auth.deps import ClientAddress, CurrentActor
from app.core import office
from app.core.db import DbSession
from app.core.downloads import attachment
from app.core.errors import PROBLEM_JSON, Problem
from app.core.routing import ApiRouter, in_worker
from app.history import exports, service
from app.history.exports import Format
from app.history.schemas import ParticipantHistory

router = ApiRouter(tags=["history"])

YEAR = Query(None, ge=2000, le=2100, description="School year starting then: 2025 is 2025–2026")
PLAN = Query(None, description="Only this plan")
FORMAT = Query(
    "xlsx",
    alias="format",
    description="xlsx (default: a sheet per kind of record, each row naming its school year), "
    "docx (an A4 document, one table per school year) or pdf (that document, by LibreOffice)",
)
MEDIA = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}
EXPORT_RESPONSES = {
    200: {
        "content": {media: {} for media in MEDIA.values()},
        "description": "The record as a download (audited)",
    },
    503: {
        "model": Problem,
        "content": {PROBLEM_JSON: {}},
        "description": "No PDF now: LibreOffice is not installed on the server "
        "(`pdf-unavailable`) or could not convert the document (`pdf-failed`); the .docx "
        "and the .xlsx stay available",
    },
}


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


async def _download(made: exports.RecordFile, fmt: Format) -> Response:
    """The file; a PDF rendered from the record's .docx first (seconds, in a thread of its own,
    with no database connection held)."""
    content = await office.to_pdf(made.content) if fmt == "pdf" else made.content
    headers = {
        "Content-Disposition": attachment(f"{made.name}.{fmt}"),
        "Cache-Control": "no-store",
    }
    return Response(content, media_type=MEDIA[fmt], headers=headers)


@router.get(
    "/participants/{participant_id}/history/export",
    response_class=Response,
    responses=EXPORT_RESPONSES,
    summary="A person's record as XLSX, DOCX or PDF",
)
async def participant_history_export(
    participant_id: int,
    actor: CurrentActor,
    db: DbSession,
    year: int | None = YEAR,
    plan_id: int | None = PLAN,
    fmt: Format = FORMAT,
) -> Response:
    made = await in_worker(
        exports.participant_record,
        db=db,
        actor=actor,
        participant_id=participant_id,
        fmt=fmt,
        year=year,
        plan_id=plan_id,
    )
    return await _download(made, fmt)


@router.get(
    "/me/history/export",
    response_class=Response,
    responses=EXPORT_RESPONSES,
    summary="My record as XLSX, DOCX or PDF",
)
async def my_history_export(
    actor: CurrentActor,
    db: DbSession,
    year: int | None = YEAR,
    plan_id: int | None = PLAN,
    fmt: Format = FORMAT,
) -> Response:
    made = await in_worker(
        exports.my_record, db=db, actor=actor, fmt=fmt, year=year, plan_id=plan_id
    )
    return await _download(made, fmt)


@router.get(
    "/links/{token}/history/export",
    response_class=Response,
    responses=EXPORT_RESPONSES,
    summary="My record as XLSX, DOCX or PDF, by my link",
)
async def link_history_export(
    token: str,
    db: DbSession,
    address: ClientAddress,
    year: int | None = YEAR,
    plan_id: int | None = PLAN,
    fmt: Format = FORMAT,
) -> Response:
    made = await in_worker(
        exports.link_record,
        db=db,
        token=token,
        address=address,
        fmt=fmt,
        year=year,
        plan_id=plan_id,
    )
    return await _download(made, fmt)

"""Report endpoints: JSON by default, CSV or XLSX on request, with ETags for polling clients;
the issued report as .docx and as PDF."""

from __future__ import annotations

import hashlib
from typing import Literal

from fastapi import Query, Request, Response

from app.auth.deps import CurrentActor
from app.core import office
from app.core.db import DbSession
from app.core.downloads import attachment
from app.core.errors import PROBLEM_JSON, Problem, ProblemError
from app.core.inputs import IsoDate
from app.core.pagination import Paging
from app.core.routing import ApiRouter, in_worker
from app.reports import exports, issued, progress, rollup
from app.reports.models import Report
from app.reports.schemas import (
    Progress,
    ReportCreate,
    ReportDetail,
    ReportPublic,
    Rollup,
    RollupSort,
)

router = ApiRouter(tags=["reports"])

Format = Literal["json", "csv", "xlsx"]
MEDIA = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"
DOCUMENTS = {"docx": DOCX, "pdf": PDF}
NOT_MODIFIED = {304: {"description": "Not modified since the ETag sent in If-None-Match"}}
AS_OF = Query(
    None, description="Figures as they stood at the end of this day (YYYY-MM-DD, not in the future)"
)
FORMAT = Query(None, description="json (default), csv or xlsx; or send Accept: text/csv")
REPORT_RESPONSES = {
    200: {
        "content": {MEDIA["csv"]: {}, MEDIA["xlsx"]: {}},
        "description": "JSON, or CSV / XLSX when asked by `format` or `Accept`",
    },
    **NOT_MODIFIED,
    406: {"description": "No format the server can give was acceptable"},
}


class NotAcceptable(ProblemError):
    status, code = 406, "not-acceptable"


def negotiate(request: Request, requested: Format | None) -> Format:
    if requested:
        return requested
    accept = request.headers.get("accept", "*/*").lower()
    if "text/csv" in accept:
        return "csv"
    if MEDIA["xlsx"] in accept:
        return "xlsx"
    if not accept or "json" in accept or "*/*" in accept or "application/*" in accept:
        return "json"
    raise NotAcceptable("Chỉ có JSON, CSV hoặc XLSX. / Available as JSON, CSV or XLSX only.")


def respond(
    request: Request, fmt: Format, figures: Progress | Rollup, name: str, tables
) -> Response:
    stable = figures.model_dump_json(exclude={"generated_at"})
    etag = f'W/"{hashlib.sha256(f"{fmt}:{stable}".encode()).hexdigest()[:32]}"'
    headers = {"ETag": etag, "Cache-Control": "private, no-cache", "Vary": "Accept, Authorization"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    if fmt == "json":
        return Response(figures.model_dump_json(), media_type=MEDIA["json"], headers=headers)
    suffix = figures.as_of.isoformat() if figures.as_of else "hien-tai"
    headers["Content-Disposition"] = attachment(f"{name}-{suffix}.{fmt}")
    content = (
        exports.to_csv(tables[0] if len(tables) == 1 else tables[1])
        if fmt == "csv"
        else exports.to_xlsx(tables)
    )
    return Response(content, media_type=MEDIA[fmt], headers=headers)


@router.get(
    "/plans/{plan_id}/progress",
    response_model=Progress,
    responses=REPORT_RESPONSES,
    summary="Progress of a plan (CSV: the table by unit)",
)
def plan_progress(
    plan_id: int,
    actor: CurrentActor,
    db: DbSession,
    request: Request,
    as_of: IsoDate | None = AS_OF,
    format: Format | None = FORMAT,
) -> Response:
    fmt = negotiate(request, format)
    figures = progress.progress(db, actor, plan_id, as_of)
    return respond(
        request, fmt, figures, f"tien-do-ke-hoach-{plan_id}", exports.progress_tables(figures)
    )


@router.get(
    "/plans/{plan_id}/rollup",
    response_model=Rollup,
    responses=REPORT_RESPONSES,
    summary="The roll-up by level: the organisations directly below one (the issuer by "
    "default), each over its whole subtree, with the totals",
)
def plan_rollup(
    plan_id: int,
    actor: CurrentActor,
    db: DbSession,
    request: Request,
    paging: Paging,
    org_id: int | None = Query(
        None,
        description="The organisation whose children to list: the issuer or any organisation "
        "below it that the caller may read (404 otherwise)",
    ),
    sort: RollupSort = Query(
        "name",
        description="name (Vietnamese alphabet), confirmed_rate (lowest first), attended_rate, "
        "not_adopted (most organisations that have not adopted the plan first), tasks_overdue "
        "(most first); a leading - reverses",
    ),
    not_adopted: bool = Query(
        False, description="Only rows with an organisation that has not adopted the plan"
    ),
    below_rate: float | None = Query(
        None, ge=0, le=1, description="Only rows whose confirmed_rate is below this (0 to 1)"
    ),
    as_of: IsoDate | None = AS_OF,
    format: Format | None = FORMAT,
) -> Response:
    fmt = negotiate(request, format)
    ask = rollup.Level(
        org_id=org_id,
        sort=sort,
        not_adopted=not_adopted,
        below_rate=below_rate,
        limit=paging.limit,
        offset=paging.offset,
    )
    figures = rollup.level(db, actor, plan_id, as_of, ask)
    name = f"tong-hop-ke-hoach-{plan_id}" + (f"-don-vi-{org_id}" if org_id else "")
    return respond(request, fmt, figures, name, [exports.rollup_table(figures)])


@router.get(
    "/plans/{plan_id}/rollup/organizations",
    response_model=Rollup,
    responses=REPORT_RESPONSES,
    summary="The flat roll-up for machine clients: every organisation below the issuer (and "
    "the issuer if the plan addresses its staff), one row each with its own figures, in tree "
    "order, paged; the totals over them all",
)
def plan_rollup_organizations(
    plan_id: int,
    actor: CurrentActor,
    db: DbSession,
    request: Request,
    paging: Paging,
    as_of: IsoDate | None = AS_OF,
    format: Format | None = FORMAT,
) -> Response:
    fmt = negotiate(request, format)
    figures = rollup.every_organization(
        db, actor, plan_id, as_of, limit=paging.limit, offset=paging.offset
    )
    return respond(
        request,
        fmt,
        figures,
        f"tong-hop-ke-hoach-{plan_id}-tat-ca-don-vi",
        [exports.rollup_table(figures)],
    )


@router.get(
    "/plans/{plan_id}/reports",
    response_model=list[ReportPublic],
    summary="Issued reports of a plan",
)
def list_reports(plan_id: int, actor: CurrentActor, db: DbSession) -> list[ReportPublic]:
    return [ReportPublic.model_validate(r) for r in issued.list_reports(db, actor, plan_id)]


@router.post(
    "/plans/{plan_id}/reports",
    response_model=ReportPublic,
    status_code=201,
    summary="Issue the official report: the next …/BC number, with the clerk's assessment",
)
def issue_report(
    plan_id: int, body: ReportCreate, actor: CurrentActor, db: DbSession
) -> ReportPublic:
    return ReportPublic.model_validate(issued.issue_report(db, actor, plan_id, body))


@router.post(
    "/plans/{plan_id}/reports/preview",
    response_class=Response,
    responses={200: {"content": {DOCX: {}}, "description": "The draft report as .docx"}},
    summary="Preview the report before issuing: the same document marked DỰ THẢO, no number "
    "taken, nothing stored",
)
def preview_report(
    plan_id: int, body: ReportCreate, actor: CurrentActor, db: DbSession
) -> Response:
    content = issued.preview_report(db, actor, plan_id, body)
    return Response(
        content,
        media_type=DOCX,
        headers={
            "Content-Disposition": attachment(f"du-thao-bao-cao-ke-hoach-{plan_id}.docx"),
            "Cache-Control": "no-store",
        },
    )


@router.get(
    "/reports/{report_id}",
    response_model=ReportDetail,
    summary="An issued report with the figures it states, as frozen when it was issued",
)
def get_report(report_id: int, actor: CurrentActor, db: DbSession) -> ReportDetail:
    return ReportDetail.model_validate(issued.issued_report(db, actor, report_id))


@router.get(
    "/reports/{report_id}/figures",
    response_model=Progress,
    responses=REPORT_RESPONSES,
    summary="The frozen figures of an issued report (CSV: the table by unit)",
)
def report_figures(
    report_id: int,
    actor: CurrentActor,
    db: DbSession,
    request: Request,
    format: Format | None = FORMAT,
) -> Response:
    fmt = negotiate(request, format)
    report, figures = issued.report_figures(db, actor, report_id)
    return respond(
        request,
        fmt,
        figures,
        f"so-lieu-bao-cao-{report.symbol.replace('/', '-')}",
        exports.progress_tables(figures, report),
    )


def stored_file(
    request: Request, report: Report, content: bytes, sha256: str, fmt: Literal["docx", "pdf"]
) -> Response:
    """A file of an issued report, which never changes: its SHA-256 is its ETag, and a client
    that sends it back in If-None-Match gets 304 without the bytes."""
    etag = f'"{sha256}"'
    headers = {"ETag": etag, "Cache-Control": "private, no-cache"}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    headers["Content-Disposition"] = attachment(f"bao-cao-{report.symbol.replace('/', '-')}.{fmt}")
    return Response(content, media_type=DOCUMENTS[fmt], headers=headers)


@router.get(
    "/reports/{report_id}/document",
    response_class=Response,
    responses={
        200: {
            "content": {DOCX: {}},
            "description": "The report as .docx (Decree 30 layout), the bytes stored at issue",
        },
        **NOT_MODIFIED,
    },
    summary="Download the official report (.docx)",
)
def report_document(
    report_id: int, actor: CurrentActor, db: DbSession, request: Request
) -> Response:
    report = issued.issued_report(db, actor, report_id)
    return stored_file(request, report, report.document, report.document_sha256, "docx")


@router.get(
    "/reports/{report_id}/document.pdf",
    response_class=Response,
    responses={
        200: {
            "content": {PDF: {}},
            "description": "The report as PDF, rendered by LibreOffice from the stored .docx at "
            "the first download and stored with the report from then on",
        },
        **NOT_MODIFIED,
        503: {
            "model": Problem,
            "content": {PROBLEM_JSON: {}},
            "description": "No PDF now: LibreOffice is not installed on the server "
            "(`pdf-unavailable`) or could not convert the document (`pdf-failed`); the .docx "
            "stays available",
        },
    },
    summary="Download the official report as PDF",
)
async def report_pdf(
    report_id: int, actor: CurrentActor, db: DbSession, request: Request
) -> Response:
    # Three steps, so that no database connection waits on LibreOffice: read the report, render
    # its .docx (seconds, in a thread of its own) if it has no PDF yet, then keep the PDF.
    report = await in_worker(issued.issued_report, db=db, actor=actor, report_id=report_id)
    if report.document_pdf is None:
        content = await office.to_pdf(report.document)
        report = await in_worker(
            issued.keep_pdf, db=db, actor=actor, report_id=report_id, content=content
        )
    return stored_file(request, report, report.document_pdf, report.document_pdf_sha256, "pdf")

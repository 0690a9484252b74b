"""Report endpoints: JSON by default, CSV or XLSX on request, with ETags for polling clients."""

from __future__ import annotations

import hashlib
from typing import Literal

from fastapi import Query, Request, Response

from app.auth.deps import CurrentActor
from app.core.db import DbSession
from app.core.downloads import attachment
from app.core.errors import ProblemError
from app.core.inputs import IsoDate
from app.core.routing import ApiRouter
from app.reports import exports, issued, progress, rollup
from app.reports.schemas import Progress, ReportCreate, ReportDetail, ReportPublic, Rollup

router = ApiRouter(tags=["reports"])

Format = Literal["json", "csv", "xlsx"]
MEDIA = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
AS_OF = Query(
    None, description="Figures as they stood at the end of this day (YYYY-MM-DD, not in the future)"
)
FORMAT = Query(None, description="json (default), csv or xlsx; or send Accept: text/csv")
REPORT_RESPONSES = {
    200: {
        "content": {MEDIA["csv"]: {}, MEDIA["xlsx"]: {}},
        "description": "JSON, or CSV / XLSX when asked by `format` or `Accept`",
    },
    304: {"description": "Not modified since the ETag sent in If-None-Match"},
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
    summary="Every organisation below the issuer, adopted or not, with totals",
)
def plan_rollup(
    plan_id: int,
    actor: CurrentActor,
    db: DbSession,
    request: Request,
    as_of: IsoDate | None = AS_OF,
    format: Format | None = FORMAT,
) -> Response:
    fmt = negotiate(request, format)
    figures = rollup.rollup(db, actor, plan_id, as_of)
    return respond(
        request, fmt, figures, f"tong-hop-ke-hoach-{plan_id}", [exports.rollup_table(figures)]
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


@router.get(
    "/reports/{report_id}/document",
    response_class=Response,
    responses={
        200: {
            "content": {DOCX: {}},
            "description": "The report as .docx (Decree 30 layout), the bytes stored at issue",
        }
    },
    summary="Download the official report (.docx)",
)
def report_document(report_id: int, actor: CurrentActor, db: DbSession) -> Response:
    report = issued.issued_report(db, actor, report_id)
    filename = f"bao-cao-{report.symbol.replace('/', '-')}.docx"
    return Response(
        report.document,
        media_type=DOCX,
        headers={
            "Content-Disposition": attachment(filename),
            "ETag": f'"{report.document_sha256}"',
            "Cache-Control": "private, no-cache",
        },
    )

"""Issued reports (Báo cáo …/BC-<issuer>): numbered, frozen when issued, never computed again.

At issue the report keeps its figures (as of its `as_of`, or the issue day) and the .docx
rendered from them; every later read gives those back, whatever the records become. Its PDF,
rendered from that .docx at the first PDF download, is kept alike.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import defer
from sqlmodel import Session

from app.audit import trail as audit
from app.authz import Actor, Permission, authorize
from app.core.base import utcnow
from app.core.config import current_settings
from app.core.db import writing
from app.core.errors import Conflict, InvalidInput, NotFound, field_error
from app.documents import service as documents
from app.orgs import service as orgs
from app.orgs.models import Organization
from app.plans import access as plans
from app.plans.models import Plan
from app.reports.document import build_report, default_title
from app.reports.figures import cutoff
from app.reports.models import Report
from app.reports.progress import plan_progress
from app.reports.schemas import Progress, ReportCreate
from app.webhooks import events as webhooks


class PlanNotIssued(Conflict):
    code = "plan-not-issued"


def issue_report(db: Session, actor: Actor, plan_id: int, data: ReportCreate) -> Report:
    """Give the report the next BC number of the issuer and freeze what it says."""
    plan, org = _reportable_plan(db, actor, plan_id)
    if not data.assessment:
        raise InvalidInput(
            "Báo cáo ban hành cần có phần đánh giá chung. / An issued report needs its assessment.",
            errors=[field_error("body.assessment", "required to issue a report", "missing")],
        )
    day = _check_dates(plan, data)
    number = documents.next_number(db, organization_id=org.id, doc_type="BC", year=day.year)
    report = _written(db, actor, plan, org, data, day)
    report.number = number
    report.symbol = documents.symbol(number, "BC", org.abbreviation)
    _freeze(db, report, plan, org)
    audit.create(db, actor, "report.issue", report, picture=_audited)
    webhooks.emit(
        db,
        org.path,
        "report.issued",
        f"report.issued:{report.id}",
        {
            "report_id": report.id,
            "plan_id": plan.id,
            "organization_id": org.id,
            "organization_name": org.name,
            "symbol": report.symbol,
            "title": report.title,
            "issued_on": report.issued_on,
            "as_of": report.as_of,
        },
        utcnow(),
    )
    return report


def preview_report(db: Session, actor: Actor, plan_id: int, data: ReportCreate) -> bytes:
    """The document the same request would issue, marked "DỰ THẢO", with no number taken and
    nothing stored: the clerk reads it before issuing."""
    plan, org = _reportable_plan(db, actor, plan_id)
    day = _check_dates(plan, data)
    report = _written(db, actor, plan, org, data, day)
    figures = plan_progress(db, plan, org, cutoff(report.as_of or day))
    return build_report(
        report,
        figures,
        plan=plan,
        issuer=org,
        parent=_parent(db, org),
        moment=utcnow(),
        draft=True,
    )


def _reportable_plan(db: Session, actor: Actor, plan_id: int) -> tuple[Plan, Organization]:
    plan, org = plans.load_plan(db, actor, plan_id, Permission.PLANS_WRITE)
    if plan.status == "draft":
        raise PlanNotIssued(
            "Kế hoạch chưa ban hành, chưa thể báo cáo. / The plan is not issued yet."
        )
    return plan, org


def _written(
    db: Session, actor: Actor, plan: Plan, org: Organization, data: ReportCreate, day: date
) -> Report:
    """The report as the clerk wrote it, with the plan's signer and recipients by default; not
    numbered, not added to the session."""
    parent = _parent(db, org)
    return Report(
        plan_id=plan.id,
        organization_id=org.id,
        number=0,
        year=day.year,
        symbol="",
        issued_on=day,
        as_of=data.as_of,
        title=data.title or default_title(plan),
        assessment=data.assessment,
        proposals=data.proposals,
        signer_name=data.signer_name if data.signer_name is not None else plan.signer_name,
        signer_title=data.signer_title if data.signer_title is not None else plan.signer_title,
        recipients=data.recipients
        if data.recipients is not None
        else [*([parent.name] if parent else []), "Lưu: VT"],
        created_by_id=actor.user_id,
    )


def list_reports(db: Session, actor: Actor, plan_id: int) -> list[Report]:
    plan, _ = plans.load_plan(db, actor, plan_id, Permission.REPORTS_READ)
    return list(
        db.exec(
            sa.select(Report)
            .options(defer(Report.figures), defer(Report.document), defer(Report.document_pdf))
            .where(Report.plan_id == plan.id)
            .order_by(Report.id.desc())
        ).scalars()
    )


def issued_report(db: Session, actor: Actor, report_id: int) -> Report:
    """An issued report the caller may read, with what it says (frozen now if it was issued
    before reports were frozen at issue)."""
    report = db.get(Report, report_id)
    if report is None:
        raise NotFound("Không tìm thấy báo cáo. / Report not found.")
    authorize(actor, Permission.REPORTS_READ, orgs.load_org(db, report.organization_id).path)
    if report.frozen_at is None:
        _freeze_on_first_read(db, actor, report)
    return report


def keep_pdf(db: Session, actor: Actor, report_id: int, content: bytes) -> Report:
    """Keep the PDF rendered from the report's .docx (`content`), and give the report back.

    Two first downloads at once each render one, outside any lock (rendering takes seconds);
    the first to come here keeps its PDF and the other gets that one, so every download
    gives the same bytes. Keeping it is recorded (`report.render_pdf`), as freezing is.
    """
    report = issued_report(db, actor, report_id)
    if report.document_pdf is None:
        with writing(db):
            _lock(db, report_id)
            if report.document_pdf is None:  # not kept by a parallel first download meanwhile
                report.document_pdf = content
                report.document_pdf_sha256 = hashlib.sha256(content).hexdigest()
                audit.record(
                    db,
                    actor,
                    "report.render_pdf",
                    entity_type="report",
                    entity_id=report.id,
                    organization_id=report.organization_id,
                    after={"document_pdf_sha256": report.document_pdf_sha256},
                )
    return report


def report_figures(db: Session, actor: Actor, report_id: int) -> tuple[Report, Progress]:
    report = issued_report(db, actor, report_id)
    return report, Progress.model_validate(report.figures)


def _parent(db: Session, org: Organization) -> Organization | None:
    return db.get(Organization, org.parent_id) if org.parent_id else None


def _check_dates(plan: Plan, data: ReportCreate) -> date:
    """The issue day: not in the future, not before the plan (its date, or the day it was
    written if it has none); `as_of` not after it. Returns the issue day."""
    today = plans.today()
    day = data.issued_on or today
    plan_day = plan.issued_on or _local_date(plan.created_at)
    if day > today:
        raise InvalidInput(
            "Ngày ban hành không được ở tương lai. / issued_on must not be in the future.",
            errors=[field_error("body.issued_on", "must not be after today", "future_date")],
        )
    if day < plan_day:
        raise InvalidInput(
            f"Ngày ban hành không được trước ngày của kế hoạch ({plan_day:%d/%m/%Y}). "
            f"/ issued_on must not be before the plan's date.",
            errors=[
                field_error(
                    "body.issued_on",
                    f"must not be before the plan's date {plan_day.isoformat()}",
                    "before_plan",
                )
            ],
        )
    if data.as_of is not None and data.as_of > day:
        raise InvalidInput(
            "Số liệu không thể tính đến sau ngày ban hành. / as_of must not be after issued_on.",
            errors=[field_error("body.as_of", "must not be after issued_on", "after_issue")],
        )
    return day


def _local_date(moment: datetime) -> date:
    return moment.astimezone(current_settings().zone).date()


def _freeze(db: Session, report: Report, plan: Plan, org: Organization) -> None:
    """Compute what the report says, as of its `as_of` (or issue day), render the .docx from
    it, and keep both with the report: nothing later changes them."""
    figures = plan_progress(
        db, plan, org, cutoff(report.as_of or min(report.issued_on, plans.today()))
    )
    content = build_report(
        report,
        figures,
        plan=plan,
        issuer=org,
        parent=_parent(db, org),
        moment=report.created_at or utcnow(),
    )
    report.figures = figures.model_dump(mode="json")
    report.document = content
    report.document_sha256 = hashlib.sha256(content).hexdigest()
    report.frozen_at = utcnow()


def _audited(report: Report) -> dict:
    """The report in the audit trail: its fields and the checksum of its document."""
    return audit.snapshot(report.model_dump(exclude={"figures", "document", "document_pdf"}))


def _freeze_on_first_read(db: Session, actor: Actor, report: Report) -> None:
    """A report issued before reports were frozen had its figures computed at every download,
    as of its `as_of` or issue day. The first read after the upgrade computes them once more
    in the same way and keeps them, and the document with them; `frozen_at` says when. They
    commit with the read, as any request's writes do: a read that fails after this freezes
    nothing, and the next one freezes the report then."""
    report_id = report.id
    with writing(db):
        _lock(db, report_id)
        if report.frozen_at is None:  # not frozen by a parallel first read meanwhile
            plan = db.get(Plan, report.plan_id)
            org = orgs.load_org(db, report.organization_id)
            _freeze(db, report, plan, org)
            audit.record(
                db,
                actor,
                "report.freeze",
                entity_type="report",
                entity_id=report.id,
                organization_id=org.id,
                after=_audited(report),
            )


def _lock(db: Session, report_id: int) -> None:
    """Lock the report's row and read it again: what a parallel request wrote meanwhile shows."""
    db.exec(
        sa.select(Report)
        .where(Report.id == report_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()

"""A person's record (hồ sơ học tập) as files: a workbook and an A4 document (.docx; the router
renders it as PDF through LibreOffice, as the official report).

The same access as the record on screen (`service`): staff who may read her, she herself, or
her personal link; everyone else 404. The files are made from the record the service returns
(its output models, never its queries), plus one read of where she works; each download is
audited, as her data export is: the record is personal data leaving the system.

The workbook is what a principal files and compares across years: a titled sheet per kind of
record (a summary row per plan, then every confirmation, session, task and outreach entry),
each row naming its school year, so one filter shows one year and the sheets print on A4.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session

from app.audit import trail as audit
from app.authz import Actor
from app.core import office
from app.core.base import utcnow
from app.history import document, service
from app.history.document import (
    STATE_LABELS,
    Heading,
    attendance_mark,
    attended,
    current_of,
    held,
    local,
    made_line,
    quiz_result,
    scope_line,
)
from app.history.schemas import HistoryConfirmation, ParticipantHistory, PlanHistory
from app.links import service as links
from app.orgs.models import Organization
from app.people.models import Participant
from app.reports.workbook import Table, Title, to_xlsx

Format = Literal["xlsx", "pdf", "docx"]

_PARENT = aliased(Organization)


@dataclass(frozen=True)
class RecordFile:
    """A record ready to send: its file name (without the suffix) and the workbook's or the
    document's bytes (the .docx, for a PDF too)."""

    name: str
    content: bytes


def participant_record(
    db: Session,
    actor: Actor,
    participant_id: int,
    fmt: Format,
    *,
    year: int | None,
    plan_id: int | None,
) -> RecordFile:
    record = service.participant_history(db, actor, participant_id, year=year, plan_id=plan_id)
    return _made(db, actor, record, fmt, year=year, plan_id=plan_id)


def my_record(
    db: Session, actor: Actor, fmt: Format, *, year: int | None, plan_id: int | None
) -> RecordFile:
    record = service.my_history(db, actor, year=year, plan_id=plan_id)
    return _made(db, actor, record, fmt, year=year, plan_id=plan_id)


def link_record(
    db: Session,
    token: str,
    address: str,
    fmt: Format,
    *,
    year: int | None,
    plan_id: int | None,
) -> RecordFile:
    """By her personal link: the token is the credential; the download names the link."""
    person, actor = links.resolve(db, token, address)
    record = service.build(db, person, year=year, plan_id=plan_id)
    return _made(db, actor, record, fmt, year=year, plan_id=plan_id)


def _made(
    db: Session,
    actor: Actor,
    record: ParticipantHistory,
    fmt: Format,
    *,
    year: int | None,
    plan_id: int | None,
) -> RecordFile:
    """The file, and its audit event. A PDF asked of a server without LibreOffice is refused
    (503) before anything is made or recorded."""
    if fmt == "pdf":
        office.converter()
    heading = _heading(db, record)
    content = (
        to_xlsx(tables(record, heading), creator=heading.organization)
        if fmt == "xlsx"
        else document.build(record, heading)
    )
    person = record.participant
    audit.record(
        db,
        actor,
        "participant.history_export",
        entity_type="participant",
        entity_id=person.id,
        organization_id=person.organization_id,
        after={"format": fmt, "year": year, "plan_id": plan_id},
    )
    return RecordFile(file_name(record, year, plan_id), content)


def file_name(record: ParticipantHistory, year: int | None, plan_id: int | None) -> str:
    """'ho-so-hoc-tap-GV001', then the school year and the plan when the record has only them."""
    code = record.participant.staff_code.replace("/", "-").replace("\\", "-")
    parts = ["ho-so-hoc-tap", code]
    if year is not None:
        parts.append(f"{year}-{year + 1}")
    if plan_id is not None:
        parts.append(f"ke-hoach-{plan_id}")
    return "-".join(parts)


def _heading(db: Session, record: ParticipantHistory) -> Heading:
    """Her position, her school, its parent body and its place: one read."""
    row = db.exec(
        sa.select(
            Participant.position,
            Organization.name,
            Organization.place_name,
            _PARENT.name.label("parent"),
        )
        .join(Organization, Organization.id == Participant.organization_id)
        .outerjoin(_PARENT, _PARENT.id == Organization.parent_id)
        .where(Participant.id == record.participant.id)
    ).one()
    return Heading(
        organization=row.name,
        parent=row.parent,
        place=row.place_name,
        position=row.position,
        made=utcnow(),
    )


def _entries(record: ParticipantHistory) -> list[tuple[str, PlanHistory]]:
    """Every plan of the record with the label of its school year, newest first."""
    return [(year.label, entry) for year in record.years for entry in year.plans]


def _plan_name(entry: PlanHistory) -> str:
    return entry.plan.symbol or entry.plan.title


def tables(record: ParticipantHistory, heading: Heading) -> list[Table]:
    """The workbook's sheets, each row in the words and types of its column."""
    person = record.participant
    who = f"Hồ sơ học tập của {person.full_name}, mã cán bộ {person.staff_code}"
    if heading.position:
        who += f", {heading.position}"

    def title(text: str) -> Title:
        return Title(heading.organization, who, text, [scope_line(record), made_line(heading.made)])

    entries = _entries(record)
    return [
        Table(
            "Tổng hợp",
            title("Tổng hợp theo kế hoạch"),
            [
                "Năm học",
                "Kế hoạch số",
                "Ngày ban hành",
                "Trích yếu",
                "Đơn vị ban hành",
                "Học khi công tác tại",
                "Xác nhận học tập",
                "Ngày xác nhận",
                "Phiên bản tài liệu",
                "Bài kiểm tra",
                "Điểm kiểm tra cao nhất",
                "Lượt làm bài kiểm tra",
                "Ngày nộp bài thu hoạch",
                "Xếp loại",
                "Buổi đã tham dự",
                "Buổi đã tổ chức",
                "Nhiệm vụ đã xong",
                "Nhiệm vụ được giao",
                "Hoạt động tuyên truyền",
                "Lượt tiếp cận",
            ],
            [_summary(label, entry) for label, entry in entries],
        ),
        Table(
            "Xác nhận",
            title("Các lần xác nhận học tập (mọi phiên bản)"),
            [
                "Năm học",
                "Kế hoạch",
                "Phiên bản tài liệu",
                "Tình trạng",
                "Thời điểm xác nhận",
                "Cách xác nhận",
                "Lý do ghi nhận thay",
                "Thời điểm rút",
                "Lý do rút",
                "Nộp bài thu hoạch lúc",
                "Xếp loại",
                "Nhận xét",
            ],
            [
                (
                    label,
                    _plan_name(entry),
                    c.material_major,
                    STATE_LABELS[c.state],
                    local(c.confirmed_at),
                    document.METHOD_LABELS.get(c.method, c.method),
                    c.on_behalf_reason,
                    local(c.withdrawn_at) if c.withdrawn_at else None,
                    c.withdraw_reason,
                    _submitted(c),
                    c.grade_label,
                    c.grade_comment,
                )
                for label, entry in entries
                for c in entry.confirmations
            ],
        ),
        Table(
            "Buổi học tập",
            title("Các buổi học tập và điểm danh"),
            ["Năm học", "Kế hoạch", "Buổi", "Hình thức", "Bắt đầu", "Điểm danh"],
            [
                (
                    label,
                    _plan_name(entry),
                    a.title,
                    a.kind_label,
                    local(a.starts_at),
                    attendance_mark(a),
                )
                for label, entry in entries
                for a in entry.attendance
            ],
        ),
        Table(
            "Nhiệm vụ",
            title("Nhiệm vụ được giao"),
            [
                "Năm học",
                "Kế hoạch",
                "Nhiệm vụ",
                "Giao cho tổ",
                "Hạn",
                "Trạng thái",
                "Hoàn thành lúc",
                "Minh chứng được duyệt",
            ],
            [
                (
                    label,
                    _plan_name(entry),
                    t.title,
                    t.via_unit,
                    t.due_on,
                    t.status_label,
                    local(t.completed_at) if t.completed_at else None,
                    t.evidence_accepted,
                )
                for label, entry in entries
                for t in entry.tasks
            ],
        ),
        Table(
            "Tuyên truyền",
            title("Hoạt động tuyên truyền được ghi nhận"),
            [
                "Năm học",
                "Kế hoạch",
                "Hoạt động",
                "Hình thức",
                "Ngày",
                "Ghi nhận cho tổ",
                "Lượt tiếp cận",
            ],
            [
                (
                    label,
                    _plan_name(entry),
                    a.title,
                    a.kind_label,
                    a.happened_on,
                    a.via_unit,
                    a.reach,
                )
                for label, entry in entries
                for a in entry.activities
            ],
        ),
    ]


def _submitted(confirmation: HistoryConfirmation) -> datetime | None:
    if not confirmation.reflection:
        return None
    return local(confirmation.reflection_submitted_at or confirmation.confirmed_at)


def _summary(label: str, entry: PlanHistory) -> tuple:
    plan, current, quiz = entry.plan, current_of(entry), entry.quiz
    best = quiz.best_percent if quiz else None
    return (
        label,
        plan.symbol,
        plan.issued_on,
        plan.title,
        plan.issuer,
        entry.school_name,
        "Đã xác nhận" if current else "Chưa xác nhận",
        local(current.confirmed_at).date() if current else None,
        plan.material_major,
        quiz_result(quiz) if quiz else None,
        best / 100 if best is not None else None,
        quiz.attempts if quiz else None,
        _submitted(current).date() if current and current.reflection else None,
        current.grade_label if current else None,
        attended(entry),
        held(entry),
        sum(t.status == "done" for t in entry.tasks),
        len(entry.tasks),
        len(entry.activities),
        sum(a.reach or 0 for a in entry.activities),
    )

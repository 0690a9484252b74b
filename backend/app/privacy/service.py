"""Everything stored about a person, on request (her data, as the law on personal data lets her
ask): one SELECT per kind of record, however many she has, as JSON or a workbook.

Secrets never leave: a link's token and its hash, an email's body (it may carry a link),
the bytes of evidence files. Each export is itself audited.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session

from app.acknowledgements.models import Acknowledgement
from app.audit import trail as audit
from app.audit.models import AuditEvent
from app.auth.models import User
from app.authz import Actor, Permission
from app.core.base import utcnow
from app.core.config import current_settings
from app.files.models import StoredFile
from app.links import service as links
from app.links.models import PersonalLink
from app.mail.models import OutboundMessage
from app.orgs import service as orgs
from app.orgs.models import Organization, Unit, UnitMembership
from app.people import service as people
from app.people.models import Participant
from app.plans.models import Plan
from app.privacy.sections import BY_KEY, SECTIONS
from app.reminders.models import Notification, Reminder
from app.reports.workbook import Table, Title
from app.reports.workbook import to_xlsx as workbook_bytes
from app.study_sessions.models import Attendance, StudySession
from app.tasks.models import Task, TaskEvidence
from app.transfers.models import ParticipantTransfer

Format = Literal["json", "xlsx"]


def participant_export(
    db: Session, actor: Actor, participant_id: int, fmt: Format
) -> tuple[Participant, dict[str, Any]]:
    """For the admins of her organisation (people:manage): 404 beyond their reach, 403 in
    reach without the right, as editing her record does."""
    person = people.load_record_of(db, actor, participant_id, Permission.PEOPLE_MANAGE)
    return person, export(db, actor, person, fmt)


def my_export(db: Session, actor: Actor, fmt: Format) -> tuple[Participant, dict[str, Any]]:
    person = people.own_participant(db, actor)
    return person, export(db, actor, person, fmt)


def link_export(
    db: Session, token: str, address: str, fmt: Format
) -> tuple[Participant, dict[str, Any]]:
    """By her personal link, for a teacher without an account: the token is the credential
    (a bad one is throttled as on every link route), and the export's event names the link."""
    holder, actor = links.resolve(db, token, address)
    person = db.get(Participant, holder.id)
    return person, export(db, actor, person, fmt)


def export(db: Session, actor: Actor, person: Participant, fmt: Format) -> dict[str, Any]:
    """The sections, read before the export's own audit event is written."""
    data = {
        "exported_at": utcnow(),
        "profile": person.model_dump(),
        **{key: [row._asdict() for row in db.exec(query)] for key, query in _queries(person)},
    }
    audit.record(
        db,
        actor,
        "participant.export",
        entity_type="participant",
        entity_id=person.id,
        organization_id=person.organization_id,
        after={"format": fmt},
    )
    return data


def _queries(person: Participant) -> list[tuple[str, sa.Select]]:
    pid = person.id
    her_units = sa.select(UnitMembership.unit_id).where(UnitMembership.participant_id == pid)
    her_logins = sa.select(User.id).where(User.participant_id == pid)
    task_ids = sa.select(Task.id).where(
        sa.or_(Task.assignee_participant_id == pid, Task.assignee_unit_id.in_(her_units))
    )
    ack_ids = sa.select(sa.cast(Acknowledgement.id, sa.String)).where(
        Acknowledgement.participant_id == pid
    )
    source, target = aliased(Organization), aliased(Organization)
    return [
        (
            "memberships",
            sa.select(
                UnitMembership.id,
                UnitMembership.unit_id,
                Unit.name.label("unit"),
                UnitMembership.is_leader,
                UnitMembership.started_at,
                UnitMembership.ended_at,
            )
            .join(Unit, Unit.id == UnitMembership.unit_id)
            .where(UnitMembership.participant_id == pid)
            .order_by(UnitMembership.started_at, UnitMembership.id),
        ),
        (
            "transfers",
            sa.select(
                ParticipantTransfer.id,
                ParticipantTransfer.from_participant_id,
                source.name.label("from_organization"),
                ParticipantTransfer.to_participant_id,
                target.name.label("to_organization"),
                ParticipantTransfer.moved_at,
                ParticipantTransfer.decision_ref,
                ParticipantTransfer.decided_on,
                ParticipantTransfer.note,
            )
            .join(source, source.id == ParticipantTransfer.from_organization_id)
            .join(target, target.id == ParticipantTransfer.to_organization_id)
            .where(
                sa.or_(
                    ParticipantTransfer.from_participant_id == pid,
                    ParticipantTransfer.to_participant_id == pid,
                )
            )
            .order_by(ParticipantTransfer.moved_at),
        ),
        (
            "links",
            sa.select(
                PersonalLink.id,
                PersonalLink.created_at,
                PersonalLink.expires_at,
                PersonalLink.revoked_at,
                User.display_name.label("issued_by"),
            )
            .outerjoin(User, User.id == PersonalLink.created_by_id)
            .where(PersonalLink.participant_id == pid)
            .order_by(PersonalLink.id),
        ),
        (
            "confirmations",
            sa.select(
                *_columns(Acknowledgement, "confirmations", but="plan"),
                Plan.title.label("plan"),
            )
            .join(Plan, Plan.id == Acknowledgement.plan_id)
            .where(Acknowledgement.participant_id == pid)
            .order_by(Acknowledgement.confirmed_at, Acknowledgement.id),
        ),
        (
            "attendance",
            sa.select(
                Attendance.id,
                Attendance.session_id,
                StudySession.title.label("session"),
                StudySession.starts_at,
                Attendance.status,
                Attendance.method,
                Attendance.note,
                Attendance.recorded_at,
                Attendance.client_address,
            )
            .join(StudySession, StudySession.id == Attendance.session_id)
            .where(Attendance.participant_id == pid)
            .order_by(StudySession.starts_at, Attendance.id),
        ),
        (
            "tasks",
            sa.select(
                Task.id,
                Task.plan_id,
                Task.title,
                Unit.name.label("unit"),
                Task.status,
                Task.due_on,
                Task.completed_at,
            )
            .outerjoin(Unit, Unit.id == Task.assignee_unit_id)
            .where(Task.id.in_(task_ids))
            .order_by(Task.id),
        ),
        (
            "evidence",
            sa.select(
                TaskEvidence.id,
                TaskEvidence.task_id,
                TaskEvidence.kind,
                TaskEvidence.url,
                TaskEvidence.note,
                StoredFile.original_name.label("file_name"),
                StoredFile.size.label("file_size"),
                StoredFile.content_type.label("file_type"),
                TaskEvidence.created_at,
                TaskEvidence.review_status,
                TaskEvidence.review_comment,
            )
            .outerjoin(StoredFile, StoredFile.id == TaskEvidence.file_id)
            .where(
                sa.or_(
                    TaskEvidence.task_id.in_(task_ids),
                    TaskEvidence.submitted_by_participant_id == pid,
                )
            )
            .order_by(TaskEvidence.id),
        ),
        (
            "reminders",
            sa.select(*_columns(Reminder, "reminders"))
            .where(sa.or_(Reminder.participant_id == pid, Reminder.user_id.in_(her_logins)))
            .order_by(Reminder.id),
        ),
        (
            "notifications",
            sa.select(*_columns(Notification, "notifications"))
            .where(sa.or_(Notification.participant_id == pid, Notification.user_id.in_(her_logins)))
            .order_by(Notification.id),
        ),
        (
            "emails",
            sa.select(*_columns(OutboundMessage, "emails"))
            .where(OutboundMessage.participant_id == pid)
            .order_by(OutboundMessage.id),
        ),
        (
            "audit",
            sa.select(*_columns(AuditEvent, "audit"))
            .where(
                sa.or_(
                    sa.and_(
                        AuditEvent.entity_type == "participant",
                        AuditEvent.entity_id == str(pid),
                    ),
                    sa.and_(
                        AuditEvent.entity_type == "acknowledgement",
                        AuditEvent.entity_id.in_(ack_ids),
                    ),
                )
            )
            .order_by(AuditEvent.id),
        ),
    ]


def _columns(model: Any, key: str, but: str = "") -> list[Any]:
    """The model's columns a section shows, by the section's names."""
    return [getattr(model, name) for name, _ in BY_KEY[key].columns if name != but]


def workbook(db: Session, person: Participant, data: dict[str, Any]) -> bytes:
    """One sheet per section, Vietnamese headers, text as text (never a formula)."""
    org = orgs.load_org(db, person.organization_id)
    made = f"Trích xuất lúc {_cell(data['exported_at']):%d/%m/%Y %H:%M}"
    tables = []
    for section in SECTIONS:
        rows = data[section.key]
        rows = [rows] if isinstance(rows, dict) else rows
        tables.append(
            Table(
                sheet=section.sheet,
                title=Title(
                    org.name,
                    f"Dữ liệu cá nhân: {person.full_name} ({person.staff_code})",
                    section.heading,
                    [made],
                ),
                headers=[header for _, header in section.columns],
                rows=[[_cell(row.get(name)) for name, _ in section.columns] for row in rows],
            )
        )
    return workbook_bytes(tables, creator=org.name)


def _cell(value: Any) -> Any:
    """A value as the workbook takes it: local naive times, yes/no, structures as JSON text."""
    if isinstance(value, datetime):
        return value.astimezone(current_settings().zone).replace(tzinfo=None)
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, default=str)
    return value

"""A task's evidence: links, notes and uploaded files, and their review by managers.

Whoever works on a task adds evidence; a manager accepts it or returns it with a comment.
The submitter removes their own until it is accepted; managers remove any.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from app.audit import trail as audit
from app.auth.models import User
from app.authz import Actor, Permission, authorize
from app.core.base import utcnow
from app.core.errors import Conflict, InvalidInput, NotFound, field_error
from app.files import service as files
from app.files.models import StoredFile
from app.people.models import Participant
from app.tasks.access import TaskAccess, check_open, load_task
from app.tasks.models import Task, TaskEvidence
from app.tasks.schemas import EvidenceCreate, EvidencePublic, EvidenceReview

_EVIDENCE_NOT_FOUND = "Không tìm thấy minh chứng. / Evidence not found."


class EvidenceAccepted(Conflict):
    code = "evidence-accepted"


def list_evidence(db: Session, task: Task, evidence_id: int | None = None) -> list[EvidencePublic]:
    query = (
        sa.select(TaskEvidence, StoredFile, Participant.full_name, User.display_name)
        .outerjoin(StoredFile, StoredFile.id == TaskEvidence.file_id)
        .outerjoin(Participant, Participant.id == TaskEvidence.submitted_by_participant_id)
        .outerjoin(User, User.id == TaskEvidence.submitted_by_user_id)
        .where(TaskEvidence.task_id == task.id)
    )
    if evidence_id is not None:
        query = query.where(TaskEvidence.id == evidence_id)
    rows = db.exec(query.order_by(TaskEvidence.created_at, TaskEvidence.id)).all()
    return [
        EvidencePublic.model_validate(
            {
                **evidence.model_dump(),
                "file_name": f.original_name if f else None,
                "file_size": f.size if f else None,
                "file_content_type": f.content_type if f else None,
                "submitted_by_name": person or user_name,
            }
        )
        for evidence, f, person, user_name in rows
    ]


def _add_evidence(
    db: Session, actor: Actor, access: TaskAccess, evidence: TaskEvidence
) -> EvidencePublic:
    evidence.task_id = access.task.id
    evidence.submitted_by_participant_id = actor.participant_id
    evidence.submitted_by_user_id = actor.user_id
    audit.create(db, actor, "task.evidence.add", evidence, about=access.task)
    return list_evidence(db, access.task, evidence.id)[0]


def add_evidence(db: Session, actor: Actor, task_id: int, data: EvidenceCreate) -> EvidencePublic:
    access = load_task(db, actor, task_id, "work")
    check_open(access.plan)
    return _add_evidence(
        db, actor, access, TaskEvidence(kind=data.kind, url=data.url, note=data.note)
    )


def add_evidence_file(
    db: Session,
    actor: Actor,
    task_id: int,
    *,
    filename: str,
    content: bytes,
    note: str | None,
) -> EvidencePublic:
    access = load_task(db, actor, task_id, "work")
    check_open(access.plan)
    stored = files.save_upload(
        db,
        organization_id=access.org.id,
        filename=filename,
        content=content,
        uploaded_by_id=actor.user_id,
    )
    evidence = TaskEvidence(kind="file", file_id=stored.id, note=note or None)
    return _add_evidence(db, actor, access, evidence)


def _load_evidence(db: Session, task: Task, evidence_id: int) -> TaskEvidence:
    evidence = db.get(TaskEvidence, evidence_id)
    if evidence is None or evidence.task_id != task.id:
        raise NotFound(_EVIDENCE_NOT_FOUND)
    return evidence


def review_evidence(
    db: Session, actor: Actor, task_id: int, evidence_id: int, data: EvidenceReview
) -> EvidencePublic:
    access = load_task(db, actor, task_id, "manage")
    check_open(access.plan)
    evidence = _load_evidence(db, access.task, evidence_id)
    if data.decision == "return" and not data.comment:
        raise InvalidInput(
            "Trả lại minh chứng cần có nhận xét. / Say why the evidence is returned.",
            errors=[field_error("body.comment", "required when returning evidence", "missing")],
        )
    with audit.change(db, actor, "task.evidence.review", evidence, about=access.task):
        evidence.review_status = "accepted" if data.decision == "accept" else "returned"
        evidence.review_comment = data.comment or None
        evidence.reviewed_by_id = actor.user_id
        evidence.reviewed_at = utcnow()
    return list_evidence(db, access.task, evidence.id)[0]


def remove_evidence(db: Session, actor: Actor, task_id: int, evidence_id: int) -> None:
    """The submitter removes their own evidence until it is accepted; managers remove any.

    An uploaded file stays in storage (the audit trail still names it).
    """
    access = load_task(db, actor, task_id, "work")
    check_open(access.plan)
    evidence = _load_evidence(db, access.task, evidence_id)
    own = actor.user_id is not None and evidence.submitted_by_user_id == actor.user_id
    if not access.manage:
        if not own:
            authorize(actor, Permission.TASKS_WRITE, access.org.path)
        if evidence.review_status == "accepted":
            raise EvidenceAccepted(
                "Minh chứng đã được duyệt, không thể xóa. / Accepted evidence cannot be removed."
            )
    audit.delete(db, actor, "task.evidence.remove", evidence, about=access.task)


def evidence_file(db: Session, actor: Actor, task_id: int, evidence_id: int) -> files.FileContent:
    access = load_task(db, actor, task_id, "read")
    evidence = _load_evidence(db, access.task, evidence_id)
    if evidence.file_id is None:
        raise NotFound(_EVIDENCE_NOT_FOUND)
    return files.open_file(db, evidence.file_id)

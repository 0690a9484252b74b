from __future__ import annotations

from fastapi import File, Form, Query, UploadFile, status
from fastapi.responses import FileResponse, Response

from app.auth.deps import CurrentActor
from app.core.db import DbSession
from app.core.pagination import Page, Paging
from app.core.routing import ApiRouter
from app.files.download import file_response
from app.files.service import MAX_UPLOAD_BYTES
from app.tasks import access, assignment, evidence, listing, workflow
from app.tasks.schemas import (
    EvidenceCreate,
    EvidencePublic,
    EvidenceReview,
    TaskBulkUpdate,
    TaskCreate,
    TaskDetail,
    TaskPublic,
    TaskSort,
    TaskStatus,
    TaskStatusChange,
    TaskUpdate,
)

router = ApiRouter(prefix="/tasks", tags=["tasks"])


@router.get("", response_model=Page[TaskPublic], summary="Tasks I may read")
def list_tasks(
    actor: CurrentActor,
    db: DbSession,
    paging: Paging,
    plan_id: int | None = None,
    mine: bool = Query(
        False,
        description="Only tasks assigned to me or to a unit of mine (implied for a plain member)",
    ),
    unit_id: int | None = Query(None, description="Assigned to this unit or to one of its members"),
    status: TaskStatus | None = None,
    overdue: bool | None = Query(
        None, description="Due before today and still todo or in progress (never stored)"
    ),
    due_within_days: int | None = Query(
        None, ge=0, le=366, description="Due between today and today + N days (7: this week)"
    ),
    assignee_participant_id: int | None = None,
    q: str | None = Query(None, max_length=100, description="Title contains"),
    sort: TaskSort = "due_on",
) -> Page[TaskPublic]:
    items, total = listing.list_tasks(
        db,
        actor,
        plan_id=plan_id,
        mine_only=mine,
        unit_id=unit_id,
        status=status,
        overdue=overdue,
        due_within_days=due_within_days,
        assignee_participant_id=assignee_participant_id,
        q=q,
        sort=sort,
        limit=paging.limit,
        offset=paging.offset,
    )
    return Page(items=items, total=total, limit=paging.limit, offset=paging.offset)


@router.post("", response_model=TaskPublic, status_code=201, summary="Assign a task of a plan")
def create_task(body: TaskCreate, actor: CurrentActor, db: DbSession) -> TaskPublic:
    return assignment.create_task(db, actor, body)


@router.post(
    "/bulk",
    response_model=list[TaskPublic],
    summary="Change status, assignee or due date of many tasks, all or nothing",
)
def bulk_update(body: TaskBulkUpdate, actor: CurrentActor, db: DbSession) -> list[TaskPublic]:
    return workflow.bulk_update(db, actor, body)


@router.get("/{task_id}", response_model=TaskDetail)
def get_task(task_id: int, actor: CurrentActor, db: DbSession) -> TaskDetail:
    return listing.task_detail(db, actor, task_id)


@router.patch("/{task_id}", response_model=TaskPublic, summary="Edit or reassign (managers)")
def update_task(task_id: int, body: TaskUpdate, actor: CurrentActor, db: DbSession) -> TaskPublic:
    return assignment.update_task(db, actor, task_id, body)


@router.post(
    "/{task_id}/status",
    response_model=TaskPublic,
    summary="Move a task along: todo, in_progress, done, cancelled",
    responses={409: {"description": "The jump is not allowed, or the plan is closed"}},
)
def change_status(
    task_id: int, body: TaskStatusChange, actor: CurrentActor, db: DbSession
) -> TaskPublic:
    return workflow.change_status(db, actor, task_id, body)


@router.get("/{task_id}/evidence", response_model=list[EvidencePublic], tags=["evidence"])
def list_evidence(task_id: int, actor: CurrentActor, db: DbSession) -> list[EvidencePublic]:
    reached = access.load_task(db, actor, task_id, "read")
    return evidence.list_evidence(db, reached.task)


@router.post(
    "/{task_id}/evidence",
    response_model=EvidencePublic,
    status_code=201,
    tags=["evidence"],
    summary="Add a link or a note as evidence",
)
def add_evidence(
    task_id: int, body: EvidenceCreate, actor: CurrentActor, db: DbSession
) -> EvidencePublic:
    return evidence.add_evidence(db, actor, task_id, body)


@router.post(
    "/{task_id}/evidence/file",
    response_model=EvidencePublic,
    status_code=201,
    tags=["evidence"],
    summary="Upload a file as evidence",
    responses={413: {"description": "File too large"}, 415: {"description": "File type refused"}},
)
def add_evidence_file(
    task_id: int,
    actor: CurrentActor,
    db: DbSession,
    file: UploadFile = File(...),
    note: str | None = Form(None, max_length=4000),
) -> EvidencePublic:
    content = file.file.read(MAX_UPLOAD_BYTES + 1)
    return evidence.add_evidence_file(
        db,
        actor,
        task_id,
        filename=file.filename or "",
        content=content,
        note=note.strip() if note else None,
    )


@router.post(
    "/{task_id}/evidence/{evidence_id}/review",
    response_model=EvidencePublic,
    tags=["evidence"],
    summary="Accept evidence, or return it with a comment (managers)",
)
def review_evidence(
    task_id: int, evidence_id: int, body: EvidenceReview, actor: CurrentActor, db: DbSession
) -> EvidencePublic:
    return evidence.review_evidence(db, actor, task_id, evidence_id, body)


@router.delete(
    "/{task_id}/evidence/{evidence_id}", status_code=status.HTTP_204_NO_CONTENT, tags=["evidence"]
)
def remove_evidence(task_id: int, evidence_id: int, actor: CurrentActor, db: DbSession) -> None:
    evidence.remove_evidence(db, actor, task_id, evidence_id)


@router.get(
    "/{task_id}/evidence/{evidence_id}/file", response_class=FileResponse, tags=["evidence"]
)
def download_evidence(
    task_id: int, evidence_id: int, actor: CurrentActor, db: DbSession
) -> Response:
    found = evidence.evidence_file(db, actor, task_id, evidence_id)
    return file_response(found)

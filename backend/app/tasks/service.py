"""Tasks of a plan: assignment, status workflow, yearly recurrence, evidence and its review.

Who may act on a task (decided here through app.authz, nowhere else):
- read: TASKS_READ over the plan's organisation, or the task is the caller's own — assigned
  to them, to a unit they belong to, or to a member of a unit they lead;
- work (change status within the assignee's jumps, add evidence): the same own tasks, or
  TASKS_WRITE;
- manage (create, edit, reassign, bulk-update, review, remove others' evidence): TASKS_WRITE.
A task out of the caller's reach answers 404; in reach but beyond their role, 403.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, get_args

import sqlalchemy as sa
from sqlmodel import Session

from app.audit import trail as audit
from app.auth.models import User
from app.authz import Actor, Permission, authorize, in_scope
from app.core.base import utcnow
from app.core.errors import Conflict, InvalidInput, NotFound, field_error
from app.files import service as files
from app.files.models import StoredFile
from app.orgs import service as orgs
from app.orgs.models import Organization, Unit, UnitMembership, live_membership
from app.people.models import Participant
from app.plans.access import PlanClosed, today
from app.plans.document import InvalidTransition
from app.plans.models import Plan
from app.tasks.models import Task, TaskEvidence
from app.tasks.schemas import (
    EvidenceCounts,
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

_NOT_FOUND = "Không tìm thấy công việc. / Task not found."
_EVIDENCE_NOT_FOUND = "Không tìm thấy minh chứng. / Evidence not found."
OPEN_STATUSES = ("todo", "in_progress")
STATUS_ORDER: tuple[str, ...] = get_args(TaskStatus)
# (from, to) jumps. Assignees move their work along; managers also cancel and reopen.
ASSIGNEE_MOVES = frozenset(
    {("todo", "in_progress"), ("in_progress", "done"), ("in_progress", "todo")}
)
MANAGER_MOVES = ASSIGNEE_MOVES | {
    ("todo", "done"),
    ("todo", "cancelled"),
    ("in_progress", "cancelled"),
    ("done", "todo"),
    ("cancelled", "todo"),
}
_PRIORITY_RANK = {"high": 0, "normal": 1, "low": 2}

Need = Literal["read", "work", "manage"]


class EvidenceAccepted(Conflict):
    code = "evidence-accepted"


@dataclass
class TaskAccess:
    """A task the caller reached, its plan and organisation, and whether they manage it."""

    task: Task
    plan: Plan
    org: Organization
    manage: bool


# Who reaches a task


def own_tasks(actor: Actor) -> sa.ColumnElement[bool]:
    """SQL: tasks assigned to the caller, to a unit of theirs, or to someone in a unit they lead."""
    pid = actor.participant_id
    if pid is None:
        return sa.false()
    my_units = sa.select(UnitMembership.unit_id).where(
        UnitMembership.participant_id == pid, live_membership()
    )
    led_units = sa.select(UnitMembership.unit_id).where(
        UnitMembership.participant_id == pid,
        UnitMembership.is_leader.is_(True),
        live_membership(),
    )
    led_people = sa.select(UnitMembership.participant_id).where(
        UnitMembership.unit_id.in_(led_units), live_membership()
    )
    return sa.or_(
        Task.assignee_participant_id == pid,
        Task.assignee_unit_id.in_(my_units),
        Task.assignee_participant_id.in_(led_people),
    )


def mine(actor: Actor) -> sa.ColumnElement[bool]:
    """SQL: tasks assigned to the caller or to a unit they belong to."""
    pid = actor.participant_id
    if pid is None:
        return sa.false()
    my_units = sa.select(UnitMembership.unit_id).where(
        UnitMembership.participant_id == pid, live_membership()
    )
    return sa.or_(Task.assignee_participant_id == pid, Task.assignee_unit_id.in_(my_units))


def overdue_condition(day: date) -> sa.ColumnElement[bool]:
    return sa.and_(Task.due_on.is_not(None), Task.due_on < day, Task.status.in_(OPEN_STATUSES))


def is_overdue(task: Task, day: date) -> bool:
    return task.due_on is not None and task.due_on < day and task.status in OPEN_STATUSES


def _is_own(db: Session, actor: Actor, task: Task) -> bool:
    if actor.participant_id is None:
        return False
    found = db.exec(
        sa.select(sa.func.count()).select_from(Task).where(Task.id == task.id, own_tasks(actor))
    ).one()[0]
    return found > 0


def load_task(db: Session, actor: Actor, task_id: int, need: Need) -> TaskAccess:
    task = db.get(Task, task_id)
    if task is None:
        raise NotFound(_NOT_FOUND)
    org = orgs.load_org(db, task.organization_id)
    manage = actor.can(Permission.TASKS_WRITE, org.path)
    if need == "manage":
        authorize(actor, Permission.TASKS_WRITE, org.path)
    elif not manage and not _is_own(db, actor, task):
        authorize(
            actor, Permission.TASKS_READ if need == "read" else Permission.TASKS_WRITE, org.path
        )
    plan = db.get(Plan, task.plan_id)
    return TaskAccess(task=task, plan=plan, org=org, manage=manage)


def _check_open(plan: Plan) -> None:
    if plan.status == "closed":
        raise PlanClosed("Kế hoạch đã kết thúc, chỉ được xem. / The plan is closed and read-only.")


# Presenting


def present(db: Session, tasks: list[Task]) -> list[TaskPublic]:
    """Tasks with plan, assignee name and evidence counts: two queries whatever the page size."""
    ids = [t.id for t in tasks]
    names: dict[int, tuple] = {}
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    if ids:
        for task_id, symbol, plan_title, plan_status, person, unit in db.exec(
            sa.select(
                Task.id, Plan.symbol, Plan.title, Plan.status, Participant.full_name, Unit.name
            )
            .join(Plan, Plan.id == Task.plan_id)
            .outerjoin(Participant, Participant.id == Task.assignee_participant_id)
            .outerjoin(Unit, Unit.id == Task.assignee_unit_id)
            .where(Task.id.in_(ids))
        ).all():
            names[task_id] = (symbol, plan_title, plan_status, person or unit or "")
        for task_id, review_status, count in db.exec(
            sa.select(TaskEvidence.task_id, TaskEvidence.review_status, sa.func.count())
            .where(TaskEvidence.task_id.in_(ids))
            .group_by(TaskEvidence.task_id, TaskEvidence.review_status)
        ).all():
            counts[task_id][review_status] = count
    day = today()
    result = []
    for task in tasks:
        symbol, plan_title, plan_status, assignee = names[task.id]
        result.append(
            TaskPublic.model_validate(
                {
                    **task.model_dump(),
                    "plan_symbol": symbol,
                    "plan_title": plan_title,
                    "plan_status": plan_status,
                    "assignee_name": assignee,
                    "overdue": is_overdue(task, day),
                    "evidence_counts": EvidenceCounts(**counts[task.id]),
                }
            )
        )
    return result


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


def task_detail(db: Session, actor: Actor, task_id: int) -> TaskDetail:
    """The task with its evidence and what this caller may do with it, so screens offer only
    what the server will accept."""
    access = load_task(db, actor, task_id, "read")
    task = access.task
    may_work = access.manage or _is_own(db, actor, task)
    moves = (MANAGER_MOVES if access.manage else ASSIGNEE_MOVES) if may_work else frozenset()
    if access.plan.status == "closed":
        moves = frozenset()
    return TaskDetail(
        **present(db, [task])[0].model_dump(),
        evidence=list_evidence(db, task),
        may_manage=access.manage,
        may_work=may_work,
        allowed_moves=[s for s in STATUS_ORDER if (task.status, s) in moves],
    )


# Listing


def list_tasks(
    db: Session,
    actor: Actor,
    *,
    plan_id: int | None,
    mine_only: bool,
    unit_id: int | None,
    status: str | None,
    overdue: bool | None,
    due_within_days: int | None,
    assignee_participant_id: int | None,
    q: str | None,
    sort: TaskSort,
    limit: int,
    offset: int,
) -> tuple[list[TaskPublic], int]:
    """Tasks the caller may read. For a plain member that is their own tasks (mine implied)."""
    day = today()
    conditions = [
        sa.or_(in_scope(actor, Permission.TASKS_READ, Organization.path), own_tasks(actor))
    ]
    if mine_only:
        conditions.append(mine(actor))
    if plan_id is not None:
        conditions.append(Task.plan_id == plan_id)
    if unit_id is not None:
        members = sa.select(UnitMembership.participant_id).where(
            UnitMembership.unit_id == unit_id, live_membership()
        )
        conditions.append(
            sa.or_(Task.assignee_unit_id == unit_id, Task.assignee_participant_id.in_(members))
        )
    if assignee_participant_id is not None:
        conditions.append(Task.assignee_participant_id == assignee_participant_id)
    if status:
        conditions.append(Task.status == status)
    if overdue is not None:
        late = overdue_condition(day)
        conditions.append(late if overdue else sa.not_(late))
    if due_within_days is not None:
        conditions.append(Task.due_on.between(day, day + timedelta(days=due_within_days)))
    if q and q.strip():
        conditions.append(Task.title.icontains(q.strip(), autoescape=True))
    query = (
        sa.select(Task)
        .join(Organization, Organization.id == Task.organization_id)
        .where(*conditions)
    )
    total = db.exec(sa.select(sa.func.count()).select_from(query.subquery())).one()[0]
    rows = list(
        db.exec(query.order_by(*_order(sort), Task.id).limit(limit).offset(offset)).scalars()
    )
    return present(db, rows), total


def _order(sort: TaskSort) -> list[sa.ColumnElement]:
    descending = sort.startswith("-")
    key = sort.lstrip("-")
    if key == "due_on":
        # Tasks without a due date come last either way.
        return [Task.due_on.is_(None), Task.due_on.desc() if descending else Task.due_on.asc()]
    if key == "priority":
        rank = sa.case(_PRIORITY_RANK, value=Task.priority, else_=1)
        # "priority" puts the most urgent first.
        return [rank.desc() if descending else rank.asc(), Task.due_on.is_(None), Task.due_on]
    column = getattr(Task, key)
    return [column.desc() if descending else column.asc()]


# Checks shared by create, update and bulk


def _check_assignee(
    db: Session, org_id: int, participant_id: int | None, unit_id: int | None
) -> None:
    """Refuse an assignee outside the plan's organisation without saying anything about it."""
    if participant_id is not None:
        person = db.get(Participant, participant_id)
        if person is None or person.organization_id != org_id or not person.active:
            raise InvalidInput(
                "Người được giao không thuộc đơn vị của kế hoạch. "
                "/ The assignee is not staff of the plan's organisation.",
                errors=[
                    field_error(
                        "body.assignee_participant_id",
                        "no such active participant in the plan's organisation",
                        "unknown_participant",
                    )
                ],
            )
    if unit_id is not None:
        unit = db.get(Unit, unit_id)
        if unit is None or unit.organization_id != org_id or unit.archived_at is not None:
            raise InvalidInput(
                "Tổ/bộ phận không thuộc đơn vị của kế hoạch hoặc đã lưu trữ. "
                "/ The unit is not part of the plan's organisation, or is archived.",
                errors=[
                    field_error(
                        "body.assignee_unit_id",
                        "no such live unit in the plan's organisation",
                        "unknown_unit",
                    )
                ],
            )


def _one_assignee(participant_id: int | None, unit_id: int | None) -> None:
    if (participant_id is None) == (unit_id is None):
        raise InvalidInput(
            "Giao cho đúng một người hoặc một tổ. / Assign to exactly one person or one unit.",
            errors=[
                field_error(
                    "body.assignee_participant_id",
                    "give exactly one of assignee_participant_id and assignee_unit_id",
                    "one_assignee",
                )
            ],
        )


def _check_due(plan: Plan, due_on: date | None) -> None:
    if due_on is not None and due_on < plan.period_start:
        raise InvalidInput(
            "Hạn hoàn thành trước ngày bắt đầu kế hoạch. / The due date is before the plan starts.",
            errors=[
                field_error(
                    "body.due_on",
                    f"must not be before the plan starts ({plan.period_start.isoformat()})",
                    "before_plan_start",
                )
            ],
        )


def _check_yearly(recurrence: str, due_on: date | None) -> None:
    if recurrence == "yearly" and due_on is None:
        raise InvalidInput(
            "Công việc lặp lại hằng năm cần có hạn. / A yearly task needs a due date.",
            errors=[field_error("body.due_on", "required for a yearly task", "missing")],
        )


# Writing


def create_task(db: Session, actor: Actor, data: TaskCreate) -> TaskPublic:
    plan = db.get(Plan, data.plan_id)
    if plan is None:
        raise NotFound("Không tìm thấy kế hoạch. / Plan not found.")
    org = orgs.load_org(db, plan.organization_id)
    authorize(actor, Permission.TASKS_WRITE, org.path)
    _check_open(plan)
    _one_assignee(data.assignee_participant_id, data.assignee_unit_id)
    _check_assignee(db, org.id, data.assignee_participant_id, data.assignee_unit_id)
    _check_due(plan, data.due_on)
    _check_yearly(data.recurrence, data.due_on)
    task = Task(**data.model_dump(), organization_id=org.id, created_by_id=actor.user_id)
    audit.create(db, actor, "task.create", task)
    return present(db, [task])[0]


def update_task(db: Session, actor: Actor, task_id: int, data: TaskUpdate) -> TaskPublic:
    """Managers edit and reassign; setting one kind of assignee clears the other."""
    access = load_task(db, actor, task_id, "manage")
    task, plan = access.task, access.plan
    _check_open(plan)
    changes = data.model_dump(exclude_unset=True)
    person, unit = task.assignee_participant_id, task.assignee_unit_id
    if "assignee_participant_id" in changes:
        person = changes["assignee_participant_id"]
        if person is not None and "assignee_unit_id" not in changes:
            unit = None
    if "assignee_unit_id" in changes:
        unit = changes["assignee_unit_id"]
        if unit is not None and "assignee_participant_id" not in changes:
            person = None
    _one_assignee(person, unit)
    _check_assignee(
        db,
        access.org.id,
        person if person != task.assignee_participant_id else None,
        unit if unit != task.assignee_unit_id else None,
    )
    due_on = changes.get("due_on", task.due_on)
    if "due_on" in changes:
        _check_due(plan, due_on)
    _check_yearly(changes.get("recurrence", task.recurrence), due_on)
    with audit.change(db, actor, "task.update", task):
        for key, value in changes.items():
            setattr(task, key, value)
        task.assignee_participant_id, task.assignee_unit_id = person, unit
    return present(db, [task])[0]


def _refuse_jump(task: Task, target: str, field: str = "status") -> InvalidTransition:
    return InvalidTransition(
        f"Không thể chuyển công việc từ '{task.status}' sang '{target}'. "
        f"/ Cannot move the task from {task.status} to {target}.",
        errors=[
            field_error(field, f"{task.status} → {target} is not allowed", "invalid_transition")
        ],
    )


def _next_year(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _apply_status(db: Session, actor: Actor, task: Task, target: str) -> None:
    task.status = target
    task.completed_at = utcnow() if target == "done" else None
    if target == "done":
        _recur(db, actor, task)


def _recur(db: Session, actor: Actor, task: Task) -> Task | None:
    """A done yearly task makes next year's copy, once: reopening and redoing adds none."""
    if task.recurrence != "yearly" or task.due_on is None:
        return None
    exists = db.exec(sa.select(Task.id).where(Task.previous_task_id == task.id)).first()
    if exists is not None:
        return None
    copy = Task(
        plan_id=task.plan_id,
        organization_id=task.organization_id,
        title=task.title,
        description=task.description,
        section=task.section,
        assignee_participant_id=task.assignee_participant_id,
        assignee_unit_id=task.assignee_unit_id,
        due_on=_next_year(task.due_on),
        priority=task.priority,
        status="todo",
        recurrence="yearly",
        previous_task_id=task.id,
        created_by_id=actor.user_id or task.created_by_id,
    )
    audit.create(db, actor, "task.recur", copy)
    return copy


def change_status(db: Session, actor: Actor, task_id: int, data: TaskStatusChange) -> TaskPublic:
    """Move a task along. Asking for the status it already has changes nothing (safe to retry)."""
    access = load_task(db, actor, task_id, "work")
    task = access.task
    _check_open(access.plan)
    if data.status == task.status:
        return present(db, [task])[0]
    allowed = MANAGER_MOVES if access.manage else ASSIGNEE_MOVES
    if (task.status, data.status) not in allowed:
        raise _refuse_jump(task, data.status)
    with audit.change(db, actor, "task.status", task, note=data.note):
        _apply_status(db, actor, task, data.status)
    return present(db, [task])[0]


def bulk_update(db: Session, actor: Actor, data: TaskBulkUpdate) -> list[TaskPublic]:
    """Change many tasks at once, all or nothing: every check runs before anything is written."""
    ids = list(dict.fromkeys(data.task_ids))
    rows = db.exec(
        sa.select(Task, Plan, Organization)
        .join(Plan, Plan.id == Task.plan_id)
        .join(Organization, Organization.id == Task.organization_id)
        .where(Task.id.in_(ids))
    ).all()
    found = {task.id: (task, plan, org) for task, plan, org in rows}
    unknown = [i for i in ids if i not in found or not actor.reaches(found[i][2].path)]
    if unknown:
        raise NotFound(
            _NOT_FOUND,
            errors=[field_error("body.task_ids", f"not found: {unknown}", "not_found")],
        )
    for _, _, org in found.values():
        authorize(actor, Permission.TASKS_WRITE, org.path)
    closed = [i for i in ids if found[i][1].status == "closed"]
    if closed:
        raise PlanClosed(
            "Có công việc thuộc kế hoạch đã kết thúc. / Some tasks belong to a closed plan.",
            errors=[field_error("body.task_ids", f"closed plan: {closed}", "plan_closed")],
        )
    if data.status is not None:
        refused = [
            i
            for i in ids
            if found[i][0].status != data.status
            and (found[i][0].status, data.status) not in MANAGER_MOVES
        ]
        if refused:
            raise InvalidInput(
                f"Không thể chuyển các công việc {refused} sang '{data.status}'. "
                f"/ Tasks {refused} cannot move to {data.status}.",
                errors=[
                    field_error(
                        "body.status",
                        f"not allowed from the current status of tasks {refused}",
                        "invalid_transition",
                    )
                ],
            )
    if data.assignee_participant_id is not None or data.assignee_unit_id is not None:
        for org_id in {org.id for _, _, org in found.values()}:
            _check_assignee(db, org_id, data.assignee_participant_id, data.assignee_unit_id)
    if data.due_on is not None:
        for i in ids:
            _check_due(found[i][1], data.due_on)
    tasks = [found[i][0] for i in ids]
    for task in tasks:
        with audit.change(db, actor, "task.bulk_update", task):
            if data.assignee_participant_id is not None:
                task.assignee_participant_id = data.assignee_participant_id
                task.assignee_unit_id = None
            if data.assignee_unit_id is not None:
                task.assignee_participant_id = None
                task.assignee_unit_id = data.assignee_unit_id
            if data.due_on is not None:
                task.due_on = data.due_on
            if data.status is not None and data.status != task.status:
                _apply_status(db, actor, task, data.status)
    return present(db, tasks)


# Evidence


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
    _check_open(access.plan)
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
    _check_open(access.plan)
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
    _check_open(access.plan)
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
    _check_open(access.plan)
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

"""How tasks move: the table of allowed status moves, single and bulk moves, yearly recurrence.

Assignees move their own work along; managers also cancel and reopen, and change many tasks
at once. A yearly task that is done makes next year's copy.
"""

from __future__ import annotations

from datetime import date
from typing import get_args

import sqlalchemy as sa
from sqlmodel import Session

from app.audit import trail as audit
from app.authz import Actor, Permission, authorize
from app.core.base import utcnow
from app.core.errors import InvalidInput, InvalidTransition, NotFound, field_error
from app.orgs.models import Organization
from app.plans.access import PlanClosed
from app.plans.models import Plan
from app.tasks.access import TASK_NOT_FOUND, TaskAccess, check_open, load_task
from app.tasks.assignment import check_assignee, check_due
from app.tasks.models import Task
from app.tasks.presenting import present
from app.tasks.schemas import TaskBulkUpdate, TaskPublic, TaskStatus, TaskStatusChange

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


def moves_offered(access: TaskAccess, may_work: bool) -> list[str]:
    """The statuses this caller may move the task to, so screens offer only what
    change_status accepts."""
    moves = (MANAGER_MOVES if access.manage else ASSIGNEE_MOVES) if may_work else frozenset()
    if access.plan.status == "closed":
        moves = frozenset()
    return [s for s in STATUS_ORDER if (access.task.status, s) in moves]


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
    check_open(access.plan)
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
            TASK_NOT_FOUND,
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
            check_assignee(db, org_id, data.assignee_participant_id, data.assignee_unit_id)
    if data.due_on is not None:
        for i in ids:
            check_due(found[i][1], data.due_on)
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

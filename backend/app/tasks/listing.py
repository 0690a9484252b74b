"""Reading tasks: the filtered, sorted page of tasks a caller may read, and one task's detail
with its evidence and what the caller may do with it."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import Session

from app.authz import Actor
from app.orgs.models import Organization, UnitMembership, live_membership
from app.plans.access import today
from app.tasks.access import is_own, load_task, mine, readable
from app.tasks.evidence import list_evidence
from app.tasks.models import Task
from app.tasks.presenting import overdue_condition, present
from app.tasks.schemas import TaskDetail, TaskPublic, TaskSort
from app.tasks.workflow import moves_offered

_PRIORITY_RANK = {"high": 0, "normal": 1, "low": 2}


def task_detail(db: Session, actor: Actor, task_id: int) -> TaskDetail:
    """The task with its evidence and what this caller may do with it, so screens offer only
    what the server will accept."""
    access = load_task(db, actor, task_id, "read")
    task = access.task
    may_work = access.manage or is_own(db, actor, task)
    return TaskDetail(
        **present(db, [task])[0].model_dump(),
        evidence=list_evidence(db, task),
        may_manage=access.manage,
        may_work=may_work,
        allowed_moves=moves_offered(access, may_work),
    )


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
    conditions = [readable(actor)]
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

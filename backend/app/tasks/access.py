"""Who reaches a task, and how far: the one place tasks ask app.authz.

- read: TASKS_READ over the plan's organisation, or the task is the caller's own — assigned
  to them, to a unit they belong to, or to a member of a unit they lead;
- work (change status within the assignee's jumps, add evidence): the same own tasks, or
  TASKS_WRITE;
- manage (create, edit, reassign, bulk-update, review, remove others' evidence): TASKS_WRITE.
A task out of the caller's reach answers 404; in reach but beyond their role, 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import sqlalchemy as sa
from sqlmodel import Session

from app.authz import Actor, Permission, authorize, in_scope
from app.core.errors import NotFound
from app.orgs import service as orgs
from app.orgs.models import Organization, UnitMembership, live_membership
from app.plans.access import PlanClosed
from app.plans.models import Plan
from app.tasks.models import Task

TASK_NOT_FOUND = "Không tìm thấy công việc. / Task not found."

Need = Literal["read", "work", "manage"]


@dataclass
class TaskAccess:
    """A task the caller reached, its plan and organisation, and whether they manage it."""

    task: Task
    plan: Plan
    org: Organization
    manage: bool


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


def readable(actor: Actor) -> sa.ColumnElement[bool]:
    """SQL: tasks the caller may read, for a query that joins the task's Organization."""
    return sa.or_(in_scope(actor, Permission.TASKS_READ, Organization.path), own_tasks(actor))


def is_own(db: Session, actor: Actor, task: Task) -> bool:
    if actor.participant_id is None:
        return False
    found = db.exec(
        sa.select(sa.func.count()).select_from(Task).where(Task.id == task.id, own_tasks(actor))
    ).one()[0]
    return found > 0


def load_task(db: Session, actor: Actor, task_id: int, need: Need) -> TaskAccess:
    task = db.get(Task, task_id)
    if task is None:
        raise NotFound(TASK_NOT_FOUND)
    org = orgs.load_org(db, task.organization_id)
    manage = actor.can(Permission.TASKS_WRITE, org.path)
    if need == "manage":
        authorize(actor, Permission.TASKS_WRITE, org.path)
    elif not manage and not is_own(db, actor, task):
        authorize(
            actor, Permission.TASKS_READ if need == "read" else Permission.TASKS_WRITE, org.path
        )
    plan = db.get(Plan, task.plan_id)
    return TaskAccess(task=task, plan=plan, org=org, manage=manage)


def check_open(plan: Plan) -> None:
    """A closed plan's tasks and evidence are read-only, whoever asks."""
    if plan.status == "closed":
        raise PlanClosed("Kế hoạch đã kết thúc, chỉ được xem. / The plan is closed and read-only.")

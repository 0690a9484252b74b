"""Assigning tasks: create and edit (reassign), and the checks on what a task is given.

The assignee and due-date checks are shared with bulk updates (app.tasks.workflow).
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from app.audit import trail as audit
from app.authz import Actor, Permission, authorize
from app.core.errors import InvalidInput, NotFound, field_error
from app.orgs import service as orgs
from app.orgs.models import Unit
from app.people.models import Participant
from app.plans.models import Plan
from app.tasks.access import check_open, load_task
from app.tasks.models import Task
from app.tasks.presenting import present
from app.tasks.schemas import TaskCreate, TaskPublic, TaskUpdate


def check_assignee(
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


def check_due(plan: Plan, due_on: date | None) -> None:
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


def create_task(db: Session, actor: Actor, data: TaskCreate) -> TaskPublic:
    plan = db.get(Plan, data.plan_id)
    if plan is None:
        raise NotFound("Không tìm thấy kế hoạch. / Plan not found.")
    org = orgs.load_org(db, plan.organization_id)
    authorize(actor, Permission.TASKS_WRITE, org.path)
    check_open(plan)
    _one_assignee(data.assignee_participant_id, data.assignee_unit_id)
    check_assignee(db, org.id, data.assignee_participant_id, data.assignee_unit_id)
    check_due(plan, data.due_on)
    _check_yearly(data.recurrence, data.due_on)
    task = Task(**data.model_dump(), organization_id=org.id, created_by_id=actor.user_id)
    audit.create(db, actor, "task.create", task)
    return present(db, [task])[0]


def update_task(db: Session, actor: Actor, task_id: int, data: TaskUpdate) -> TaskPublic:
    """Managers edit and reassign; setting one kind of assignee clears the other."""
    access = load_task(db, actor, task_id, "manage")
    task, plan = access.task, access.plan
    check_open(plan)
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
    check_assignee(
        db,
        access.org.id,
        person if person != task.assignee_participant_id else None,
        unit if unit != task.assignee_unit_id else None,
    )
    due_on = changes.get("due_on", task.due_on)
    if "due_on" in changes:
        check_due(plan, due_on)
    _check_yearly(changes.get("recurrence", task.recurrence), due_on)
    with audit.change(db, actor, "task.update", task):
        for key, value in changes.items():
            setattr(task, key, value)
        task.assignee_participant_id, task.assignee_unit_id = person, unit
    return present(db, [task])[0]

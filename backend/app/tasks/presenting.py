"""How tasks go out: with their plan, assignee name, evidence counts and the overdue flag.

Every service that returns tasks presents them here, so a page of any size costs two queries.
Overdue is derived (an open task past its due date), never stored.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session

from app.orgs.models import Unit
from app.people.models import Participant
from app.plans.access import today
from app.plans.models import Plan
from app.tasks.models import Task, TaskEvidence
from app.tasks.schemas import EvidenceCounts, TaskPublic

OPEN_STATUSES = ("todo", "in_progress")


def overdue_condition(day: date) -> sa.ColumnElement[bool]:
    return sa.and_(Task.due_on.is_not(None), Task.due_on < day, Task.status.in_(OPEN_STATUSES))


def is_overdue(task: Task, day: date) -> bool:
    return task.due_on is not None and task.due_on < day and task.status in OPEN_STATUSES


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

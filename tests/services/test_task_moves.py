"""Who may move a task from what status to what, and what a move to done makes: every case,
straight through the service (no HTTP). tests/api/test_tasks.py keeps the HTTP side."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from app.audit.models import AuditEvent
from app.auth import identity
from app.authz import Actor
from app.core.errors import ProblemError
from app.tasks import listing, workflow
from app.tasks.models import Task
from app.tasks.schemas import TaskBulkUpdate, TaskStatusChange
from tests.factories import lead, make_plan, make_task

STATUSES = ("todo", "in_progress", "done", "cancelled")

# Who may move a task from the status of its row to that of its column: W whoever works on it
# (its assignee, the members of the unit it is assigned to, the leader of the assignee's unit)
# and managers; M managers only; - nobody; = nothing to do (asking again changes nothing).
MOVES = """
                todo  in_progress  done  cancelled
    todo          =        W         M       M
    in_progress   W        =         W       M
    done          M        -         =       -
    cancelled     M        -         -       =
"""


def move_table() -> dict[tuple[str, str], str]:
    head, *rows = MOVES.strip().splitlines()
    targets = head.split()
    assert tuple(targets) == STATUSES
    table = {}
    for row in rows:
        start, *marks = row.split()
        table |= {(start, target): mark for target, mark in zip(targets, marks, strict=True)}
    return table


MOVE_TABLE = move_table()

# caller: (the login they use, to whom the tasks they move are assigned)
CALLERS = {
    "assignee": ("member", "teacher"),
    "unit_member": ("member", "Tổ 1"),
    "unit_leader": ("member", "colleague"),  # the teacher leads Tổ 1, the colleague's unit
    "manager": ("manager", "teacher"),
    "admin": ("admin", "teacher"),
    "viewer": ("viewer", "teacher"),
    "not_theirs": ("member", "colleague"),  # a fellow member of Tổ 1, not its leader
    "token": ("token", "teacher"),
    "other_admin": ("other_admin", "teacher"),
}
MANAGERS = ("manager", "admin")
# Callers who reach the task but may not work on it, or do not reach it at all.
REFUSED = {"viewer": "forbidden", "not_theirs": "forbidden", "token": "forbidden"}
REFUSED |= {"other_admin": "not-found"}


def expected(caller: str, start: str, target: str) -> str:
    """What moving a task from `start` to `target` does for `caller`: "moved", "unchanged",
    or the code of the refusal."""
    if caller in REFUSED:
        return REFUSED[caller]
    mark = MOVE_TABLE[start, target]
    if mark == "=":
        return "unchanged"
    if mark == "W" or (mark == "M" and caller in MANAGERS):
        return "moved"
    return "invalid-transition"


@pytest.fixture
def plan(db, world):
    plan = make_plan(db, world.school, period_start=date(2025, 3, 1))
    db.commit()
    return plan


def setup_caller(db, world, caller: str) -> tuple[Actor, dict]:
    """The caller's actor, and the assignee of the tasks they move (make_task's keywords)."""
    login, assignee = CALLERS[caller]
    if caller == "unit_leader":
        lead(db, world.teacher, world.units["Tổ 1"])
    actor = identity.resolve_actor(db, world.tokens[login])
    if assignee in world.units:
        return actor, {"unit": world.units[assignee]}
    return actor, {"person": getattr(world, assignee)}


def status_events(db, task: Task) -> list[AuditEvent]:
    return list(
        db.exec(
            sa.select(AuditEvent).where(
                AuditEvent.action == "task.status",
                AuditEvent.entity_type == "task",
                AuditEvent.entity_id == task.id,
            )
        ).scalars()
    )


def outcome(service_function, *args) -> str:
    """Call the service function: "ok", or the code of the problem it raised."""
    try:
        service_function(*args)
    except ProblemError as refusal:
        return refusal.code
    return "ok"


@pytest.mark.parametrize("caller", CALLERS)
def test_who_may_move_a_task_from_what_to_what(db, world, plan, caller):
    actor, assignee = setup_caller(db, world, caller)
    found, wanted = {}, {}
    for start in STATUSES:
        for target in STATUSES:
            task = make_task(db, plan, status=start, **assignee)
            answer = outcome(
                workflow.change_status, db, actor, task.id, TaskStatusChange(status=target)
            )
            db.refresh(task)
            recorded = [(e.before["status"], e.after["status"]) for e in status_events(db, task)]
            if answer == "ok":
                answer = "moved" if recorded else "unchanged"
            assert task.status == (target if answer == "moved" else start), (start, target)
            assert recorded == ([(start, target)] if answer == "moved" else []), (start, target)
            assert (task.completed_at is not None) == (task.status == "done"), (start, target)
            found[start, target] = answer
            wanted[start, target] = expected(caller, start, target)
    assert found == wanted


@pytest.mark.parametrize("caller", ["assignee", "unit_member", "unit_leader", *MANAGERS, "viewer"])
def test_a_task_offers_exactly_the_moves_its_caller_may_make(db, world, plan, caller):
    actor, assignee = setup_caller(db, world, caller)
    for start in STATUSES:
        task = make_task(db, plan, status=start, **assignee)
        offered = listing.task_detail(db, actor, task.id).allowed_moves
        allowed = [t for t in STATUSES if expected(caller, start, t) == "moved"]
        assert offered == allowed, start


@pytest.mark.parametrize("caller", CALLERS)
def test_a_closed_plans_tasks_do_not_move(db, world, caller):
    actor, assignee = setup_caller(db, world, caller)
    closed = make_plan(db, world.school, status="closed", period_start=date(2025, 3, 1))
    task = make_task(db, closed, **assignee)
    answer = outcome(
        workflow.change_status, db, actor, task.id, TaskStatusChange(status="in_progress")
    )
    assert answer == REFUSED.get(caller, "plan-closed")
    db.refresh(task)
    assert (task.status, status_events(db, task)) == ("todo", [])


def test_bulk_moves_follow_the_managers_table(db, world, plan):
    actor = identity.resolve_actor(db, world.tokens["manager"])
    found, wanted = {}, {}
    for start in STATUSES:
        for target in STATUSES:
            task = make_task(db, plan, status=start, person=world.teacher)
            bulk = TaskBulkUpdate(task_ids=[task.id], status=target)
            found[start, target] = outcome(workflow.bulk_update, db, actor, bulk)
            db.refresh(task)
            wanted[start, target] = "invalid-input" if MOVE_TABLE[start, target] == "-" else "ok"
            assert task.status == (target if found[start, target] == "ok" else start)
    assert found == wanted


# A done yearly task makes next year's copy


@pytest.mark.parametrize(
    ("recurrence", "due_on", "moves", "copies"),
    [
        ("yearly", date(2026, 5, 31), ["in_progress", "done"], [date(2027, 5, 31)]),
        ("yearly", date(2026, 5, 31), ["done"], [date(2027, 5, 31)]),
        # Reopened and done again: still the one copy.
        ("yearly", date(2026, 5, 31), ["done", "todo", "done"], [date(2027, 5, 31)]),
        ("yearly", date(2028, 2, 29), ["done"], [date(2029, 2, 28)]),  # no 29 February then
        ("yearly", date(2026, 5, 31), ["in_progress", "cancelled"], []),
        ("yearly", date(2026, 5, 31), ["cancelled", "todo"], []),
        ("none", date(2026, 5, 31), ["done"], []),
        ("none", None, ["in_progress", "done"], []),
    ],
)
def test_recurrence(db, world, plan, recurrence, due_on, moves, copies):
    task = make_task(
        db,
        plan,
        unit=world.units["Tổ 1"],
        recurrence=recurrence,
        due_on=due_on,
        priority="high",
        section="III.2",
        description="Mỗi năm một bài",
    )
    actor = identity.resolve_actor(db, world.tokens["manager"])
    for status in moves:
        workflow.change_status(db, actor, task.id, TaskStatusChange(status=status))
    made = list(db.exec(sa.select(Task).where(Task.previous_task_id == task.id)).scalars())
    assert [copy.due_on for copy in made] == copies
    for copy in made:
        kept = ("title", "description", "section", "priority", "assignee_unit_id", "plan_id")
        assert {f: getattr(copy, f) for f in kept} == {f: getattr(task, f) for f in kept}
        assert (copy.status, copy.recurrence, copy.completed_at) == ("todo", "yearly", None)
        assert (copy.assignee_participant_id, copy.created_by_id) == (None, actor.user_id)
    recurred = db.exec(
        sa.select(sa.func.count()).where(AuditEvent.action == "task.recur")
    ).scalar_one()
    assert recurred == len(copies)


@pytest.mark.parametrize("caller", ["assignee", "unit_leader"])
def test_the_copy_of_a_task_done_by_its_worker_names_them_as_its_maker(db, world, plan, caller):
    actor, assignee = setup_caller(db, world, caller)
    task = make_task(
        db, plan, status="in_progress", recurrence="yearly", due_on=date(2026, 5, 31), **assignee
    )
    workflow.change_status(db, actor, task.id, TaskStatusChange(status="done"))
    copy = db.exec(sa.select(Task).where(Task.previous_task_id == task.id)).scalar_one()
    assert (copy.due_on, copy.created_by_id) == (date(2027, 5, 31), world.users["member"].id)
    assert copy.assignee_participant_id == task.assignee_participant_id


def test_a_bulk_move_to_done_makes_the_copies_too(db, world, plan):
    yearly = [
        make_task(db, plan, person=world.teacher, recurrence="yearly", due_on=date(2026, 12, d))
        for d in (15, 31)
    ]
    once = make_task(db, plan, person=world.teacher, due_on=date(2026, 12, 1))
    actor = identity.resolve_actor(db, world.tokens["manager"])
    bulk = TaskBulkUpdate(task_ids=[t.id for t in [*yearly, once]], status="done")
    workflow.bulk_update(db, actor, bulk)
    copies = db.exec(
        sa.select(Task.previous_task_id, Task.due_on).where(Task.previous_task_id.is_not(None))
    ).all()
    assert sorted(copies) == [
        (yearly[0].id, date(2027, 12, 15)),
        (yearly[1].id, date(2027, 12, 31)),
    ]

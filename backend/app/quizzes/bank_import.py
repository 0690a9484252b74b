"""A plan's question bank from a spreadsheet: check every row, show what would change, then
write all or nothing, as the staff import does.

A row whose question is already in the bank (same text, case and spacing aside) updates that
question; one that says exactly what the bank says is left alone. Attempts keep their own copy
of what they drew, so an update changes none already taken.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from app.audit import trail as audit
from app.authz import Actor, Permission
from app.core.sheet_table import file_problem, rows_refused
from app.core.sheet_upload import ImportFileError
from app.people.schemas import ImportRowError
from app.plans.access import load_plan, writable_plan
from app.plans.models import Plan
from app.quizzes.models import QuizQuestion
from app.quizzes.question_file import (
    QuestionRow,
    build_template_xlsx,
    parse_question_file,
    question_key,
)
from app.quizzes.schemas import QuestionImportReport, QuestionImportRow, QuestionWrite

_COMPARED = tuple(QuestionWrite.model_fields)


def template(db: Session, actor: Actor, plan_id: int) -> bytes:
    """For those who may write the plan's bank; the file itself is the same for every plan."""
    load_plan(db, actor, plan_id, Permission.PLANS_WRITE)
    return build_template_xlsx()


def import_questions(
    db: Session, actor: Actor, plan_id: int, *, filename: str, content: bytes, dry_run: bool
) -> QuestionImportReport:
    """A real run with any bad row saves nothing (422, every row named)."""
    plan, _ = writable_plan(db, actor, plan_id)
    try:
        parsed = parse_question_file(filename, content)
    except ImportFileError as error:
        raise file_problem(error) from error

    bank: dict[str, QuizQuestion] = {}
    for question in db.exec(
        sa.select(QuizQuestion).where(QuizQuestion.plan_id == plan.id).order_by(QuizQuestion.id)
    ).scalars():
        bank.setdefault(question_key(question.text), question)  # the oldest of twins

    created: list[QuestionRow] = []
    updated: list[tuple[QuestionRow, QuizQuestion, list[str]]] = []
    for row in parsed.rows:
        current = bank.get(question_key(row.question.text))
        if current is None:
            created.append(row)
            continue
        changes = [n for n in _COMPARED if getattr(row.question, n) != getattr(current, n)]
        if changes:
            updated.append((row, current, changes))

    errors = [
        ImportRowError(row=e.row, field=e.field, column=e.column, message=e.message)
        for e in parsed.errors
    ]
    report = QuestionImportReport(
        dry_run=dry_run,
        total_rows=len(parsed.rows) + len({e.row for e in parsed.errors}),
        created=[QuestionImportRow(row=r.row, text=r.question.text) for r in created],
        updated=[
            QuestionImportRow(row=r.row, text=r.question.text, changes=changes)
            for r, _, changes in updated
        ],
        unchanged=len(parsed.rows) - len(created) - len(updated),
        errors=errors,
    )
    if dry_run:
        return report
    if errors:
        raise rows_refused(errors)
    for row in created:
        db.add(
            QuizQuestion(
                plan_id=plan.id, added_in_major=plan.material_major, **row.question.model_dump()
            )
        )
    for row, question, _ in updated:
        for name, value in row.question.model_dump().items():
            setattr(question, name, value)
    db.flush()
    _audit(db, actor, plan, filename, report)
    return report


def _audit(
    db: Session, actor: Actor, plan: Plan, filename: str, report: QuestionImportReport
) -> None:
    """One event for the file, with its counts and the rows it changed."""
    audit.record(
        db,
        actor,
        "quiz.question.import",
        entity_type="plan",
        entity_id=plan.id,
        organization_id=plan.organization_id,
        after={
            "file": filename,
            "created": len(report.created),
            "updated": len(report.updated),
            "unchanged": report.unchanged,
            "updated_rows": {str(r.row): r.changes for r in report.updated},
        },
    )

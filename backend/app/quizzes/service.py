"""The question bank and the quiz settings of a plan, for those who write the plan (the
permission its materials use), and who passed it, for those who read its reports."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from app.audit import trail as audit
from app.authz import Actor, Permission
from app.core.errors import NotFound
from app.people.models import Participant
from app.plans.access import load_plan, writable_plan
from app.quizzes.models import QuizAttempt, QuizQuestion, QuizSettings
from app.quizzes.schemas import (
    QuestionPublic,
    QuestionWrite,
    QuizResultRow,
    QuizSettingsPublic,
    QuizSettingsWrite,
)

QUESTION_NOT_FOUND = "Không tìm thấy câu hỏi. / Question not found."
NO_QUIZ = "Kế hoạch này chưa có bài kiểm tra. / This plan has no quiz."


def list_questions(db: Session, actor: Actor, plan_id: int) -> list[QuestionPublic]:
    plan, _ = load_plan(db, actor, plan_id, Permission.PLANS_WRITE)
    rows = db.exec(
        sa.select(QuizQuestion).where(QuizQuestion.plan_id == plan.id).order_by(QuizQuestion.id)
    ).scalars()
    return [QuestionPublic.model_validate(row) for row in rows]


def add_question(db: Session, actor: Actor, plan_id: int, data: QuestionWrite) -> QuestionPublic:
    plan, _ = writable_plan(db, actor, plan_id)
    question = QuizQuestion(
        plan_id=plan.id, added_in_major=plan.material_major, **data.model_dump()
    )
    audit.create(db, actor, "quiz.question.add", question, about=plan)
    return QuestionPublic.model_validate(question)


def _question(db: Session, plan_id: int, question_id: int) -> QuizQuestion:
    question = db.get(QuizQuestion, question_id)
    if question is None or question.plan_id != plan_id:
        raise NotFound(QUESTION_NOT_FOUND)
    return question


def update_question(
    db: Session, actor: Actor, plan_id: int, question_id: int, data: QuestionWrite
) -> QuestionPublic:
    plan, _ = writable_plan(db, actor, plan_id)
    question = _question(db, plan.id, question_id)
    with audit.change(db, actor, "quiz.question.update", question, about=plan):
        for name, value in data.model_dump().items():
            setattr(question, name, value)
    return QuestionPublic.model_validate(question)


def remove_question(db: Session, actor: Actor, plan_id: int, question_id: int) -> None:
    """Attempts keep their own copy of what they drew, so removing a question changes none."""
    plan, _ = writable_plan(db, actor, plan_id)
    audit.delete(db, actor, "quiz.question.remove", _question(db, plan.id, question_id), about=plan)


def _bank_size(db: Session, plan_id: int, topic: str | None) -> int:
    query = sa.select(sa.func.count()).where(QuizQuestion.plan_id == plan_id)
    if topic:
        query = query.where(QuizQuestion.topic == topic)
    return db.exec(query).one()[0]


def _settings_public(db: Session, settings: QuizSettings) -> QuizSettingsPublic:
    return QuizSettingsPublic.model_validate(
        {
            **settings.model_dump(),
            "bank_size": _bank_size(db, settings.plan_id, settings.topic),
        }
    )


def get_settings(db: Session, actor: Actor, plan_id: int) -> QuizSettingsPublic:
    plan, _ = load_plan(db, actor, plan_id, Permission.PLANS_WRITE)
    settings = db.get(QuizSettings, plan.id)
    if settings is None:
        raise NotFound(NO_QUIZ)
    return _settings_public(db, settings)


def put_settings(
    db: Session, actor: Actor, plan_id: int, data: QuizSettingsWrite
) -> QuizSettingsPublic:
    plan, _ = writable_plan(db, actor, plan_id)
    settings = db.get(QuizSettings, plan.id)
    if settings is None:
        settings = QuizSettings(plan_id=plan.id, **data.model_dump())
        audit.create(db, actor, "quiz.settings.create", settings, about=plan)
    else:
        with audit.change(db, actor, "quiz.settings.update", settings, about=plan):
            for name, value in data.model_dump().items():
                setattr(settings, name, value)
    return _settings_public(db, settings)


def results(db: Session, actor: Actor, plan_id: int) -> list[QuizResultRow]:
    """Who took the quiz of the plan's current material version: attempts, best score of a
    submitted attempt, passed. One query."""
    plan, _ = load_plan(db, actor, plan_id, Permission.REPORTS_READ)
    rows = db.exec(
        sa.select(
            Participant.id,
            Participant.full_name,
            Participant.staff_code,
            sa.func.count(QuizAttempt.id),
            sa.func.max(QuizAttempt.percent),
            sa.func.max(sa.case((QuizAttempt.passed.is_(True), 1), else_=0)),
        )
        .join(QuizAttempt, QuizAttempt.participant_id == Participant.id)
        .where(QuizAttempt.plan_id == plan.id, QuizAttempt.material_major == plan.material_major)
        .group_by(
            Participant.id, Participant.full_name, Participant.staff_code, Participant.sort_name
        )
        .order_by(Participant.sort_name, Participant.id)
    ).all()
    return [
        QuizResultRow(
            participant_id=pid,
            full_name=name,
            staff_code=code,
            attempts=attempts,
            best_percent=best,
            passed=bool(passed),
        )
        for pid, name, code, attempts, best, passed in rows
    ]

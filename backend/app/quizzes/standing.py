"""Where the teacher stands on each quiz of her plans, for the cards of her page: two reads,
whatever the number of plans (the plans with a quiz that address her, then her attempts).

An attempt left running past its time is closed here first (as reading it would), so her
best score and what she may do next are never stale.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from app import audience
from app.acknowledgements import confirmation as acks
from app.authz import Actor
from app.core.errors import NotFound
from app.plans.models import Plan
from app.quizzes import attempts
from app.quizzes.models import QuizAttempt, QuizQuestion, QuizSettings
from app.quizzes.schemas import QuizStanding
from app.quizzes.service import NO_QUIZ


def _quizzes(db: Session, person: Any, plan_id: int | None) -> list[tuple[Any, QuizSettings, int]]:
    """(plan, settings, bank size) of each issued plan of hers with a quiz."""
    bank = (
        sa.select(sa.func.count())
        .where(
            QuizQuestion.plan_id == Plan.id,
            sa.or_(QuizSettings.topic.is_(None), QuizQuestion.topic == QuizSettings.topic),
        )
        .correlate(Plan, QuizSettings)
        .scalar_subquery()
    )
    query = (
        sa.select(
            Plan.id, Plan.symbol, Plan.title, Plan.status, Plan.material_major, QuizSettings, bank
        )
        .join(QuizSettings, QuizSettings.plan_id == Plan.id)
        .where(
            Plan.organization_id == person.organization_id,
            Plan.status != "draft",
            audience.includes_person(Plan, person.id),
        )
        .order_by(Plan.id)
    )
    if plan_id is not None:
        query = query.where(Plan.id == plan_id)
    return [(row, row[5], row[6]) for row in db.exec(query).all()]


def _taken(db: Session, person: Any, plan_ids: list[int]) -> list[QuizAttempt]:
    if not plan_ids:
        return []
    return list(
        db.exec(
            sa.select(QuizAttempt)
            .where(QuizAttempt.participant_id == person.id, QuizAttempt.plan_id.in_(plan_ids))
            .order_by(QuizAttempt.number)
        ).scalars()
    )


def standings(
    db: Session, actor: Actor, person: Any, plan_id: int | None = None
) -> list[QuizStanding]:
    """Her standing on each quiz of her plans (or of the one plan asked for)."""
    found = _quizzes(db, person, plan_id)
    taken = _taken(db, person, [plan.id for plan, _, _ in found])
    if attempts.close_expired(db, actor, person, taken):
        found = _quizzes(db, person, plan_id)
        taken = _taken(db, person, [plan.id for plan, _, _ in found])
    return [_standing(plan, settings, bank, taken) for plan, settings, bank in found]


def standing(db: Session, actor: Actor, person: Any, plan_id: int) -> QuizStanding:
    """Her standing on one plan's quiz; 404 for a plan not hers or without a quiz."""
    acks.own_plan(db, plan_id, person)
    found = standings(db, actor, person, plan_id)
    if not found:
        raise NotFound(NO_QUIZ)
    return found[0]


def _standing(
    plan: Any, settings: QuizSettings, bank: int, taken: list[QuizAttempt]
) -> QuizStanding:
    own = [a for a in taken if a.plan_id == plan.id and a.material_major == plan.material_major]
    submitted = [a for a in own if a.status == "submitted"]
    running = next((a for a in own if a.status == "running"), None)
    closed = plan.status == "closed"
    return QuizStanding(
        plan_id=plan.id,
        plan_symbol=plan.symbol,
        plan_title=plan.title,
        required=settings.required,
        question_count=min(settings.question_count, bank),
        time_limit_minutes=settings.time_limit_minutes,
        attempts_allowed=settings.attempts_allowed,
        attempts_used=len(own),
        pass_percent=settings.pass_percent,
        best_percent=max((a.percent for a in submitted), default=None),
        passed=any(a.passed for a in submitted),
        running_attempt_id=running.id if running else None,
        last_attempt_id=submitted[-1].id if submitted else None,
        can_start=running is None
        and not closed
        and bank > 0
        and len(own) < settings.attempts_allowed,
        closed=closed,
    )

"""Taking a plan's quiz, by a personal link or signed in: start (or resume) an attempt, save
answers as she goes, submit once.

The server keeps the time: an attempt is due at `deadline_at` (its start plus the time
limit), answers arriving later than `GRACE` after it are not counted, and an attempt past
that is closed (scored on what it holds) the next time it is read. Submitting is a
conditional UPDATE (running → submitted), so two submits at once score once and a second
submit returns the first result. A question counts when exactly its right options are
chosen (all or nothing, for multiple choice too).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from app.acknowledgements import confirmation as acks
from app.audit import trail as audit
from app.authz import Actor
from app.core.db import writing
from app.core.errors import NotFound
from app.plans.access import PlanClosed
from app.quizzes import drawing
from app.quizzes.drawing import QuizConflict
from app.quizzes.models import QuizAttempt, QuizSettings
from app.quizzes.schemas import (
    Answer,
    AttemptPublic,
    AttemptResult,
    DrawnQuestion,
)
from app.quizzes.service import NO_QUIZ

GRACE = timedelta(seconds=30)  # network delay for an answer sent just before the end
ATTEMPT_NOT_FOUND = "Không tìm thấy lượt làm bài. / Attempt not found."


def _now() -> datetime:
    """The server's clock (tests move it)."""
    return datetime.now(UTC)


def start(db: Session, actor: Actor, person: Any, plan_id: int) -> AttemptPublic:
    """A new attempt at the plan's quiz, or the one still running (a second tab gets it)."""
    plan = acks.own_plan(db, plan_id, person)
    settings = db.get(QuizSettings, plan.id)
    if settings is None:
        raise NotFound(NO_QUIZ)
    now = _now()
    taken = _attempts(db, plan.id, person.id, plan.material_major)
    running = next((a for a in taken if a.status == "running"), None)
    if running is not None:
        if not _expired(running, now):
            return present(running, settings)
        _close(db, actor, running, person.organization_id, now)
    # A refusal below keeps the closing of an expired attempt above.
    if plan.status == "closed":
        raise PlanClosed("Kế hoạch đã kết thúc. / The plan is closed.", keep_writes=True)
    if len(taken) >= settings.attempts_allowed:
        raise QuizConflict(
            f"Bạn đã dùng hết {settings.attempts_allowed} lượt làm bài. "
            f"/ You have used all {settings.attempts_allowed} attempts.",
            keep_writes=True,
        )
    attempt = QuizAttempt(
        plan_id=plan.id,
        participant_id=person.id,
        material_major=plan.material_major,
        number=len(taken) + 1,
        started_at=now,
        deadline_at=now + timedelta(minutes=settings.time_limit_minutes),
        pass_percent=settings.pass_percent,
        questions=drawing.draw(db, plan.id, settings.question_count, settings.topic),
    )
    attempt.total = len(attempt.questions)
    try:
        with db.begin_nested():
            db.add(attempt)
            db.flush()
    except sa.exc.IntegrityError:  # another tab started the same attempt a moment ago
        winner = db.exec(
            sa.select(QuizAttempt).where(
                QuizAttempt.plan_id == plan.id,
                QuizAttempt.participant_id == person.id,
                QuizAttempt.material_major == plan.material_major,
                QuizAttempt.number == attempt.number,
            )
        ).scalar_one()
        return present(winner, settings)
    audit.record(
        db,
        actor,
        "quiz.attempt.start",
        entity_type="quiz_attempt",
        entity_id=attempt.id,
        organization_id=person.organization_id,
        after={"plan_id": plan.id, "number": attempt.number, "total": attempt.total},
    )
    return present(attempt, settings)


def _attempts(db: Session, plan_id: int, participant_id: int, major: int) -> list[QuizAttempt]:
    return list(
        db.exec(
            sa.select(QuizAttempt)
            .where(
                QuizAttempt.plan_id == plan_id,
                QuizAttempt.participant_id == participant_id,
                QuizAttempt.material_major == major,
            )
            .order_by(QuizAttempt.number)
        ).scalars()
    )


def _expired(attempt: QuizAttempt, now: datetime) -> bool:
    return now > attempt.deadline_at + GRACE


def _own(db: Session, person: Any, attempt_id: int) -> tuple[QuizAttempt, QuizSettings]:
    attempt = db.get(QuizAttempt, attempt_id)
    if attempt is None or attempt.participant_id != person.id:
        raise NotFound(ATTEMPT_NOT_FOUND)
    settings = db.get(QuizSettings, attempt.plan_id)
    if settings is None:  # the quiz was never set up: no attempt could exist
        raise NotFound(ATTEMPT_NOT_FOUND)
    return attempt, settings


def read(db: Session, actor: Actor, person: Any, attempt_id: int) -> AttemptPublic:
    """The attempt, to resume it; one past its time is closed first."""
    attempt, settings = _own(db, person, attempt_id)
    now = _now()
    if attempt.status == "running" and _expired(attempt, now):
        with writing(db):
            attempt, settings = _own(db, person, attempt_id)
            _close(db, actor, attempt, person.organization_id, now)
            db.refresh(attempt)
    return present(attempt, settings)


def close_expired(db: Session, actor: Actor, person: Any, taken: list[QuizAttempt]) -> bool:
    """Close those of her attempts left running past their time, as reading each would;
    True when any was (the caller reads again)."""
    now = _now()
    expired = [a.id for a in taken if a.status == "running" and _expired(a, now)]
    if not expired:
        return False
    with writing(db):
        for attempt_id in expired:
            attempt, _ = _own(db, person, attempt_id)
            _close(db, actor, attempt, person.organization_id, now)
    return True


def save_answers(
    db: Session, actor: Actor, person: Any, attempt_id: int, answers: list[Answer]
) -> AttemptPublic:
    """Keep what she has answered so far (merged with what was saved before)."""
    attempt, settings = _own(db, person, attempt_id)
    if attempt.status != "running":
        raise QuizConflict("Bài đã nộp. / The attempt has been submitted.")
    now = _now()
    if _expired(attempt, now):
        _close(db, actor, attempt, person.organization_id, now)
        raise QuizConflict(
            "Đã hết giờ làm bài; bài đã được chấm với các câu trả lời đã lưu. "
            "/ Time is up; the attempt was scored on the answers saved.",
            keep_writes=True,
        )
    merged = attempt.answers | drawing.checked(attempt.questions, answers)
    written = db.exec(
        sa.update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.status == "running")
        .values(answers=merged)
    )
    if written.rowcount != 1:
        raise QuizConflict("Bài đã nộp. / The attempt has been submitted.")
    audit.record(
        db,
        actor,
        "quiz.attempt.answer",
        entity_type="quiz_attempt",
        entity_id=attempt.id,
        organization_id=person.organization_id,
        after={"answers": drawing.checked(attempt.questions, answers)},
    )
    db.refresh(attempt)
    return present(attempt, settings)


def submit(
    db: Session, actor: Actor, person: Any, attempt_id: int, answers: list[Answer]
) -> AttemptPublic:
    """Score the attempt, once: answers sent along count unless they come too late; a
    second submit returns the first result."""
    attempt, settings = _own(db, person, attempt_id)
    if attempt.status == "running":
        now = _now()
        final = attempt.answers
        if answers and not _expired(attempt, now):
            final = final | drawing.checked(attempt.questions, answers)
        _close(db, actor, attempt, person.organization_id, now, final)
        db.refresh(attempt)
    return present(attempt, settings)


def _close(
    db: Session,
    actor: Actor,
    attempt: QuizAttempt,
    organization_id: int,
    now: datetime,
    answers: dict[str, list[int]] | None = None,
) -> bool:
    """Score and close a running attempt; False (and nothing written) when another request
    closed it first. The caller reads `attempt` again to present it."""
    answers = attempt.answers if answers is None else answers
    score = drawing.score(attempt.questions, answers)
    percent = score * 100 // attempt.total if attempt.total else 0
    result = {
        "score": score,
        "percent": percent,
        "passed": percent >= attempt.pass_percent,
    }
    written = db.exec(
        sa.update(QuizAttempt)
        .where(QuizAttempt.id == attempt.id, QuizAttempt.status == "running")
        .values(status="submitted", submitted_at=now, answers=answers, **result)
    )
    closed = written.rowcount == 1
    if closed:
        audit.record(
            db,
            actor,
            "quiz.attempt.submit",
            entity_type="quiz_attempt",
            entity_id=attempt.id,
            organization_id=organization_id,
            after=result | {"late": now > attempt.deadline_at},
        )
    return closed


def present(attempt: QuizAttempt, settings: QuizSettings) -> AttemptPublic:
    """The attempt as she sees it: which options are right only once it is submitted."""
    result = None
    if attempt.status == "submitted":
        result = AttemptResult(
            score=attempt.score,
            total=attempt.total,
            percent=attempt.percent,
            passed=attempt.passed,
            questions=drawing.question_results(attempt.questions, attempt.answers),
        )
    return AttemptPublic(
        id=attempt.id,
        plan_id=attempt.plan_id,
        number=attempt.number,
        attempts_allowed=settings.attempts_allowed,
        status=attempt.status,
        started_at=attempt.started_at,
        deadline_at=attempt.deadline_at,
        submitted_at=attempt.submitted_at,
        questions=[DrawnQuestion.model_validate(q) for q in attempt.questions],
        answers=attempt.answers,
        result=result,
    )

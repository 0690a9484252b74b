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
from app.core.db import PreparedRead, writing
from app.core.errors import NotFound
from app.links import service as links
from app.people import service as people
from app.plans.access import PlanClosed
from app.quizzes import drawing
from app.quizzes.drawing import QuizConflict
from app.quizzes.models import QuizAttempt, QuizSettings
from app.quizzes.schemas import Answer, AttemptPublic
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
            return present(running, settings.attempts_allowed)
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
        return present(winner, settings.attempts_allowed)
    audit.record(
        db,
        actor,
        "quiz.attempt.start",
        entity_type="quiz_attempt",
        entity_id=attempt.id,
        organization_id=person.organization_id,
        after={"plan_id": plan.id, "number": attempt.number, "total": attempt.total},
    )
    return present(attempt, settings.attempts_allowed)


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


def _expired(attempt: Any, now: datetime) -> bool:
    return now > attempt.deadline_at + GRACE


# The attempt and, of its quiz's settings, all that presenting it needs; a quiz never set up
# has no attempt. One read on the session's connection (see `PreparedRead`): a submit's
# fixed cost is mostly SQLAlchemy's, not the database's.
_OWN = PreparedRead(
    sa.select(*QuizAttempt.__table__.c, QuizSettings.attempts_allowed)
    .join(QuizSettings, QuizSettings.plan_id == QuizAttempt.plan_id)
    .where(
        QuizAttempt.id == sa.bindparam("attempt_id"),
        QuizAttempt.participant_id == sa.bindparam("participant_id"),
    )
)


def _own(db: Session, person: Any, attempt_id: int) -> Any:
    """Her attempt (a row with `attempts_allowed`), or 404."""
    attempt = _OWN.first(db, attempt_id=attempt_id, participant_id=person.id)
    if attempt is None:
        raise NotFound(ATTEMPT_NOT_FOUND)
    return attempt


def read(db: Session, actor: Actor, person: Any, attempt_id: int) -> AttemptPublic:
    """The attempt, to resume it; one past its time is closed first."""
    attempt = _own(db, person, attempt_id)
    now = _now()
    if attempt.status == "running" and _expired(attempt, now):
        with writing(db):
            attempt = _closed(db, actor, person, _own(db, person, attempt_id), now)
    return present(attempt, attempt.attempts_allowed)


def close_expired(db: Session, actor: Actor, person: Any, taken: list[QuizAttempt]) -> bool:
    """Close those of her attempts left running past their time, as reading each would;
    True when any was (the caller reads again)."""
    now = _now()
    expired = [a.id for a in taken if a.status == "running" and _expired(a, now)]
    if not expired:
        return False
    with writing(db):
        for attempt_id in expired:
            _close(db, actor, _own(db, person, attempt_id), person.organization_id, now)
    return True


def save_answers(
    db: Session, actor: Actor, person: Any, attempt_id: int, answers: list[Answer]
) -> AttemptPublic:
    """Keep what she has answered so far (merged with what was saved before)."""
    attempt = _own(db, person, attempt_id)
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
    given = drawing.checked(attempt.questions, answers)
    merged = attempt.answers | given
    written = db.connection().execute(_SAVE, {"attempt_id": attempt.id, "answers": merged})
    if written.rowcount != 1:
        raise QuizConflict("Bài đã nộp. / The attempt has been submitted.")
    audit.record(
        db,
        actor,
        "quiz.attempt.answer",
        entity_type="quiz_attempt",
        entity_id=attempt.id,
        organization_id=person.organization_id,
        after={"answers": given},
    )
    return present(attempt._replace(answers=merged), attempt.attempts_allowed)


def submit(
    db: Session, actor: Actor, person: Any, attempt_id: int, answers: list[Answer]
) -> AttemptPublic:
    """Score the attempt, once: answers sent along count unless they come too late; a
    second submit returns the first result."""
    attempt = _own(db, person, attempt_id)
    if attempt.status == "running":
        now = _now()
        final = attempt.answers
        if answers and not _expired(attempt, now):
            final = final | drawing.checked(attempt.questions, answers)
        attempt = _closed(db, actor, person, attempt, now, final)
    return present(attempt, attempt.attempts_allowed)


def submit_by_link(
    db: Session, token: str, address: str, attempt_id: int, answers: list[Answer]
) -> AttemptPublic:
    """`submit` through her personal link, in one pool thread (`app.core.routing.in_worker`)."""
    person, actor = links.resolve(db, token, address)
    return submit(db, actor, person, attempt_id, answers)


def submit_signed_in(
    db: Session, actor: Actor, attempt_id: int, answers: list[Answer]
) -> AttemptPublic:
    """`submit` by the staff member signed in, in one pool thread."""
    return submit(db, actor, people.own_participant(db, actor), attempt_id, answers)


def _closed(
    db: Session,
    actor: Actor,
    person: Any,
    attempt: Any,
    now: datetime,
    answers: dict[str, list[int]] | None = None,
) -> Any:
    """The running `attempt` (a row of `_OWN`) once closed: as written, or as the request
    that closed it first left it."""
    written = _close(db, actor, attempt, person.organization_id, now, answers)
    return attempt._replace(**written) if written else _own(db, person, attempt.id)


_RUNNING = sa.and_(QuizAttempt.id == sa.bindparam("attempt_id"), QuizAttempt.status == "running")
# Built once: a statement made per request costs more to build and look up than to run.
_SAVE = sa.update(QuizAttempt).where(_RUNNING).values(answers=sa.bindparam("answers"))
_SUBMIT = (
    sa.update(QuizAttempt)
    .where(_RUNNING)
    .values(
        {
            column: sa.bindparam(column)
            for column in ("status", "submitted_at", "answers", "score", "percent", "passed")
        }
    )
)


def _close(
    db: Session,
    actor: Actor,
    attempt: Any,
    organization_id: int,
    now: datetime,
    answers: dict[str, list[int]] | None = None,
) -> dict[str, Any] | None:
    """Score and close a running attempt: the columns written, or None (and nothing
    written) when another request closed it first."""
    answers = attempt.answers if answers is None else answers
    score = drawing.score(attempt.questions, answers)
    percent = score * 100 // attempt.total if attempt.total else 0
    result = {"score": score, "percent": percent, "passed": percent >= attempt.pass_percent}
    values = {"status": "submitted", "submitted_at": now, "answers": answers, **result}
    written = db.connection().execute(_SUBMIT, {"attempt_id": attempt.id, **values})
    if written.rowcount != 1:
        return None
    audit.record(
        db,
        actor,
        "quiz.attempt.submit",
        entity_type="quiz_attempt",
        entity_id=attempt.id,
        organization_id=organization_id,
        after=result | {"late": now > attempt.deadline_at},
    )
    return values


def present(attempt: Any, attempts_allowed: int) -> AttemptPublic:
    """The attempt as she sees it: which options are right only once it is submitted (the
    drawn questions' other keys are not fields of `DrawnQuestion`, so they stay out).
    Validated in one go, from plain values."""
    result = None
    if attempt.status == "submitted":
        result = {
            "score": attempt.score,
            "total": attempt.total,
            "percent": attempt.percent,
            "passed": attempt.passed,
            "questions": drawing.question_results(attempt.questions, attempt.answers),
        }
    return AttemptPublic.model_validate(
        {
            "id": attempt.id,
            "plan_id": attempt.plan_id,
            "number": attempt.number,
            "attempts_allowed": attempts_allowed,
            "status": attempt.status,
            "started_at": attempt.started_at,
            "deadline_at": attempt.deadline_at,
            "submitted_at": attempt.submitted_at,
            "questions": attempt.questions,
            "answers": attempt.answers,
            "result": result,
        }
    )

"""Drawing questions from a plan's bank, checking answers against what was drawn, and
scoring: shared by the plan's quiz and the contests on the plan.

A drawn question keeps its options in the shuffled order shown, with the indexes of the
right ones and the explanation, which stay on the server until it is scored. A question
counts when exactly its right options are chosen (all or nothing, for multiple choice too).
"""

from __future__ import annotations

import random
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from app.core.errors import Conflict, InvalidInput, field_error
from app.quizzes.models import QuizQuestion
from app.quizzes.schemas import Answer

_draw = random.SystemRandom()


class QuizConflict(Conflict):
    code = "quiz-conflict"


def draw(
    db: Session,
    plan_id: int,
    count: int,
    topic: str | None = None,
    rng: random.Random = _draw,
) -> list[dict[str, Any]]:
    """`count` questions at random (from the topic, if set), each with its options shuffled.
    The demo draws with a seeded `rng`, the same attempts each time (hence the fixed order)."""
    query = sa.select(QuizQuestion).where(QuizQuestion.plan_id == plan_id).order_by(QuizQuestion.id)
    if topic:
        query = query.where(QuizQuestion.topic == topic)
    bank = list(db.exec(query).scalars())
    if not bank:
        raise QuizConflict("Ngân hàng câu hỏi chưa có câu nào. / The question bank is empty.")
    drawn = []
    for question in rng.sample(bank, min(count, len(bank))):
        order = list(range(len(question.options)))
        rng.shuffle(order)
        drawn.append(
            {
                "id": question.id,
                "topic": question.topic,
                "text": question.text,
                "kind": question.kind,
                "options": [question.options[i] for i in order],
                "correct": sorted(order.index(i) for i in question.correct),
                "explanation": question.explanation,
            }
        )
    return drawn


def checked(questions: list[dict[str, Any]], answers: list[Answer]) -> dict[str, list[int]]:
    """The answers keyed by question id, or 422 naming each answer that is not one of the
    drawn questions or not a valid choice of its options."""
    shown = {q["id"]: q for q in questions}
    errors = []
    for index, answer in enumerate(answers):
        question = shown.get(answer.question_id)
        if question is None:
            errors.append(
                field_error(
                    f"body.answers.{index}.question_id",
                    "Câu hỏi không thuộc lượt làm bài này. / Not a question of this attempt.",
                )
            )
        elif (
            len(set(answer.chosen)) != len(answer.chosen)
            or not all(0 <= i < len(question["options"]) for i in answer.chosen)
            or (question["kind"] == "single" and len(answer.chosen) > 1)
        ):
            errors.append(
                field_error(
                    f"body.answers.{index}.chosen",
                    "Lựa chọn không hợp lệ. / Not a valid choice of options.",
                )
            )
    if errors:
        raise InvalidInput("Câu trả lời không hợp lệ. / Invalid answers.", errors=errors)
    return {str(answer.question_id): sorted(answer.chosen) for answer in answers}


def score(questions: list[dict[str, Any]], answers: dict[str, list[int]]) -> int:
    return sum(answers.get(str(q["id"])) == q["correct"] for q in questions)


def question_results(
    questions: list[dict[str, Any]], answers: dict[str, list[int]]
) -> list[dict[str, Any]]:
    """Per question: what was chosen, the right options and the explanation (the values of a
    `QuestionResult`, validated with the answer they are part of)."""
    return [
        {
            "id": q["id"],
            "chosen": answers.get(str(q["id"]), []),
            "correct": q["correct"],
            "right": answers.get(str(q["id"])) == q["correct"],
            "explanation": q["explanation"],
        }
        for q in questions
    ]

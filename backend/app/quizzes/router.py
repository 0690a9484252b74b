from __future__ import annotations

from fastapi import File, Query, Response, UploadFile, status

from app.auth.deps import ClientAddress, CurrentActor
from app.core.db import DbSession
from app.core.downloads import attachment
from app.core.routing import ApiRouter, in_worker
from app.core.sheet_upload import MAX_IMPORT_BYTES
from app.core.spreadsheets import XLSX
from app.links import service as links
from app.people import service as people
from app.quizzes import attempts, bank_import, service, standing
from app.quizzes.schemas import (
    AnswersWrite,
    AttemptPublic,
    AttemptStart,
    QuestionImportReport,
    QuestionPublic,
    QuestionWrite,
    QuizResultRow,
    QuizSettingsPublic,
    QuizSettingsWrite,
    QuizStanding,
)

router = ApiRouter(tags=["quiz"])

# The bank and the settings: for those who write the plan.


@router.get(
    "/plans/{plan_id}/quiz/questions",
    response_model=list[QuestionPublic],
    summary="The plan's question bank",
)
def list_questions(plan_id: int, actor: CurrentActor, db: DbSession) -> list[QuestionPublic]:
    return service.list_questions(db, actor, plan_id)


@router.post(
    "/plans/{plan_id}/quiz/questions",
    response_model=QuestionPublic,
    status_code=201,
    summary="Add a question to the bank",
)
def add_question(
    plan_id: int, body: QuestionWrite, actor: CurrentActor, db: DbSession
) -> QuestionPublic:
    return service.add_question(db, actor, plan_id, body)


@router.get(
    "/plans/{plan_id}/quiz/questions/template",
    response_class=Response,
    summary="The question bank template (.xlsx) to fill in Excel",
)
def question_template(plan_id: int, actor: CurrentActor, db: DbSession) -> Response:
    return Response(
        bank_import.template(db, actor, plan_id),
        media_type=XLSX,
        headers={"Content-Disposition": attachment("mau-cau-hoi-kiem-tra.xlsx")},
    )


@router.post(
    "/plans/{plan_id}/quiz/questions/import",
    response_model=QuestionImportReport,
    summary="Import questions from .xlsx or .csv: all rows or none",
)
def import_questions(
    plan_id: int,
    actor: CurrentActor,
    db: DbSession,
    dry_run: bool = Query(True, description="Only report what would change"),
    file: UploadFile = File(..., description=".xlsx or .csv with the template's headers"),
) -> QuestionImportReport:
    content = file.file.read(MAX_IMPORT_BYTES + 1)
    return bank_import.import_questions(
        db, actor, plan_id, filename=file.filename or "", content=content, dry_run=dry_run
    )


@router.put(
    "/plans/{plan_id}/quiz/questions/{question_id}",
    response_model=QuestionPublic,
    summary="Rewrite a question (attempts already taken keep what they showed)",
)
def update_question(
    plan_id: int, question_id: int, body: QuestionWrite, actor: CurrentActor, db: DbSession
) -> QuestionPublic:
    return service.update_question(db, actor, plan_id, question_id, body)


@router.delete(
    "/plans/{plan_id}/quiz/questions/{question_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Remove a question from the bank",
)
def remove_question(plan_id: int, question_id: int, actor: CurrentActor, db: DbSession) -> None:
    service.remove_question(db, actor, plan_id, question_id)


@router.get("/plans/{plan_id}/quiz", response_model=QuizSettingsPublic, summary="Quiz settings")
def get_settings(plan_id: int, actor: CurrentActor, db: DbSession) -> QuizSettingsPublic:
    return service.get_settings(db, actor, plan_id)


@router.put(
    "/plans/{plan_id}/quiz", response_model=QuizSettingsPublic, summary="Set up the plan's quiz"
)
def put_settings(
    plan_id: int, body: QuizSettingsWrite, actor: CurrentActor, db: DbSession
) -> QuizSettingsPublic:
    return service.put_settings(db, actor, plan_id, body)


@router.get(
    "/plans/{plan_id}/quiz/results",
    response_model=list[QuizResultRow],
    summary="Who took the quiz (current material version): attempts, best score, passed",
)
def quiz_results(plan_id: int, actor: CurrentActor, db: DbSession) -> list[QuizResultRow]:
    return service.results(db, actor, plan_id)


# Taking it: by the personal link (the token is the only credential), or signed in.


@router.post(
    "/links/{token}/quiz/attempts",
    response_model=AttemptPublic,
    summary="Start an attempt (or get the one still running)",
)
def link_start(
    token: str, body: AttemptStart, db: DbSession, address: ClientAddress
) -> AttemptPublic:
    person, actor = links.resolve(db, token, address)
    return attempts.start(db, actor, person, body.plan_id)


@router.get(
    "/links/{token}/quiz/attempts/{attempt_id}",
    response_model=AttemptPublic,
    summary="An attempt, to resume it",
)
def link_read(token: str, attempt_id: int, db: DbSession, address: ClientAddress) -> AttemptPublic:
    person, actor = links.resolve(db, token, address)
    return attempts.read(db, actor, person, attempt_id)


@router.put(
    "/links/{token}/quiz/attempts/{attempt_id}/answers",
    response_model=AttemptPublic,
    summary="Save answers so far",
)
def link_answers(
    token: str, attempt_id: int, body: AnswersWrite, db: DbSession, address: ClientAddress
) -> AttemptPublic:
    person, actor = links.resolve(db, token, address)
    return attempts.save_answers(db, actor, person, attempt_id, body.answers)


@router.post(
    "/links/{token}/quiz/attempts/{attempt_id}/submit",
    response_model=AttemptPublic,
    summary="Submit: the score, and per question the right options and the explanation",
)
async def link_submit(
    token: str,
    attempt_id: int,
    db: DbSession,
    address: ClientAddress,
    body: AnswersWrite | None = None,
) -> AttemptPublic:
    return await in_worker(
        attempts.submit_by_link,
        db=db,
        token=token,
        address=address,
        attempt_id=attempt_id,
        answers=body.answers if body else [],
    )


@router.post(
    "/me/quiz/attempts",
    response_model=AttemptPublic,
    summary="Start an attempt, signed in (or get the one still running)",
)
def my_start(body: AttemptStart, actor: CurrentActor, db: DbSession) -> AttemptPublic:
    return attempts.start(db, actor, people.own_participant(db, actor), body.plan_id)


@router.get("/me/quiz/attempts/{attempt_id}", response_model=AttemptPublic, summary="My attempt")
def my_read(attempt_id: int, actor: CurrentActor, db: DbSession) -> AttemptPublic:
    return attempts.read(db, actor, people.own_participant(db, actor), attempt_id)


@router.put(
    "/me/quiz/attempts/{attempt_id}/answers",
    response_model=AttemptPublic,
    summary="Save my answers so far",
)
def my_answers(
    attempt_id: int, body: AnswersWrite, actor: CurrentActor, db: DbSession
) -> AttemptPublic:
    person = people.own_participant(db, actor)
    return attempts.save_answers(db, actor, person, attempt_id, body.answers)


@router.post(
    "/me/quiz/attempts/{attempt_id}/submit",
    response_model=AttemptPublic,
    summary="Submit my attempt",
)
async def my_submit(
    attempt_id: int, actor: CurrentActor, db: DbSession, body: AnswersWrite | None = None
) -> AttemptPublic:
    return await in_worker(
        attempts.submit_signed_in,
        db=db,
        actor=actor,
        attempt_id=attempt_id,
        answers=body.answers if body else [],
    )


# Where she stands: for the cards of her page (every quiz of her plans) and the quiz page.


@router.get(
    "/links/{token}/quizzes",
    response_model=list[QuizStanding],
    summary="Her standing on each quiz of her plans",
)
def link_standings(token: str, db: DbSession, address: ClientAddress) -> list[QuizStanding]:
    person, actor = links.resolve(db, token, address)
    return standing.standings(db, actor, person)


@router.get(
    "/links/{token}/quiz",
    response_model=QuizStanding,
    summary="Her standing on one plan's quiz: attempts left, best score, the attempt to resume",
)
def link_standing(token: str, plan_id: int, db: DbSession, address: ClientAddress) -> QuizStanding:
    person, actor = links.resolve(db, token, address)
    return standing.standing(db, actor, person, plan_id)


@router.get(
    "/me/quizzes",
    response_model=list[QuizStanding],
    summary="My standing on each quiz of my plans",
)
def my_standings(actor: CurrentActor, db: DbSession) -> list[QuizStanding]:
    return standing.standings(db, actor, people.own_participant(db, actor))


@router.get("/me/quiz", response_model=QuizStanding, summary="My standing on one plan's quiz")
def my_standing(plan_id: int, actor: CurrentActor, db: DbSession) -> QuizStanding:
    return standing.standing(db, actor, people.own_participant(db, actor), plan_id)

from __future__ import annotations

from typing import Literal

from fastapi import Path, Response

from app.auth.deps import ClientAddress, CurrentActor
from app.contests import boards, entries, service
from app.contests.schemas import (
    ContestInfo,
    ContestPublic,
    ContestResults,
    ContestWrite,
    EntryPublic,
    EntrySubmit,
    GroupBoard,
    MyContest,
    PeopleBoard,
    PublicEntryStart,
)
from app.core.db import DbSession
from app.core.downloads import attachment
from app.core.pagination import Paging
from app.core.routing import ApiRouter
from app.links import service as links
from app.people import service as people
from app.quizzes.schemas import AnswersWrite

router = ApiRouter(tags=["contests"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PUBLIC_TOKEN = Path(max_length=64)
ENTRY_KEY = Path(max_length=64)

# The organiser: whoever may write the plan sets it up; whoever reads its reports ranks it.


@router.get(
    "/plans/{plan_id}/contests", response_model=list[ContestPublic], summary="The plan's contests"
)
def list_contests(plan_id: int, actor: CurrentActor, db: DbSession) -> list[ContestPublic]:
    return service.list_contests(db, actor, plan_id)


@router.post(
    "/plans/{plan_id}/contests",
    response_model=ContestPublic,
    status_code=201,
    summary="Open a contest on a district's or province's plan",
)
def create_contest(
    plan_id: int, body: ContestWrite, actor: CurrentActor, db: DbSession
) -> ContestPublic:
    return service.create(db, actor, plan_id, body)


@router.get("/contests/{contest_id}", response_model=ContestPublic, summary="A contest")
def get_contest(contest_id: int, actor: CurrentActor, db: DbSession) -> ContestPublic:
    return service.get_contest(db, actor, contest_id)


@router.put(
    "/contests/{contest_id}",
    response_model=ContestPublic,
    summary="Edit a contest (rounds that have opened stay as they are)",
)
def update_contest(
    contest_id: int, body: ContestWrite, actor: CurrentActor, db: DbSession
) -> ContestPublic:
    return service.update(db, actor, contest_id, body)


@router.post(
    "/contests/{contest_id}/publish",
    response_model=ContestPublic,
    summary="Publish the results on the public page",
)
def publish(contest_id: int, actor: CurrentActor, db: DbSession) -> ContestPublic:
    return service.publish(db, actor, contest_id, True)


@router.post(
    "/contests/{contest_id}/unpublish",
    response_model=ContestPublic,
    summary="Take the results off the public page",
)
def unpublish(contest_id: int, actor: CurrentActor, db: DbSession) -> ContestPublic:
    return service.publish(db, actor, contest_id, False)


@router.get(
    "/contests/{contest_id}/rounds/{round_id}/leaderboard/people",
    response_model=PeopleBoard,
    summary="A round's ranking of people",
)
def people_board(
    contest_id: int, round_id: int, actor: CurrentActor, db: DbSession, page: Paging
) -> PeopleBoard:
    return boards.people_board(db, actor, contest_id, round_id, page.limit, page.offset)


@router.get(
    "/contests/{contest_id}/rounds/{round_id}/leaderboard/{by}",
    response_model=GroupBoard,
    summary="A round's ranking of schools or districts",
)
def group_board(
    contest_id: int,
    round_id: int,
    by: Literal["schools", "districts"],
    actor: CurrentActor,
    db: DbSession,
) -> GroupBoard:
    return boards.group_board(db, actor, contest_id, round_id, by.removesuffix("s"))


@router.get(
    "/contests/{contest_id}/results.xlsx",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}},
    summary="The results (people, schools, districts) as XLSX",
)
def export(contest_id: int, actor: CurrentActor, db: DbSession) -> Response:
    content, name = boards.export(db, actor, contest_id)
    return Response(
        content,
        media_type=XLSX,
        headers={"Content-Disposition": attachment(name), "Cache-Control": "no-store"},
    )


# Staff: by the personal link (the token is the only credential), or signed in.


@router.get(
    "/links/{token}/contests", response_model=list[MyContest], summary="Contests open to me"
)
def link_contests(token: str, db: DbSession, address: ClientAddress) -> list[MyContest]:
    person, _ = links.resolve(db, token, address)
    return entries.my_contests(db, person)


@router.post(
    "/links/{token}/contests/rounds/{round_id}/entry",
    response_model=EntryPublic,
    summary="Enter a round (or get my entry in it)",
)
def link_start(token: str, round_id: int, db: DbSession, address: ClientAddress) -> EntryPublic:
    person, actor = links.resolve(db, token, address)
    return entries.start_staff(db, actor, person, round_id)


@router.get(
    "/links/{token}/contests/entries/{entry_id}", response_model=EntryPublic, summary="My entry"
)
def link_read(token: str, entry_id: int, db: DbSession, address: ClientAddress) -> EntryPublic:
    person, actor = links.resolve(db, token, address)
    return entries.read(db, actor, entries.staff_entry(db, person, entry_id))


@router.put(
    "/links/{token}/contests/entries/{entry_id}/answers",
    response_model=EntryPublic,
    summary="Save my answers so far",
)
def link_answers(
    token: str, entry_id: int, body: AnswersWrite, db: DbSession, address: ClientAddress
) -> EntryPublic:
    person, actor = links.resolve(db, token, address)
    entry = entries.staff_entry(db, person, entry_id)
    return entries.save_answers(db, actor, entry, body.answers)


@router.post(
    "/links/{token}/contests/entries/{entry_id}/submit",
    response_model=EntryPublic,
    summary="Submit my entry with the tie-break answer",
)
def link_submit(
    token: str, entry_id: int, body: EntrySubmit, db: DbSession, address: ClientAddress
) -> EntryPublic:
    person, actor = links.resolve(db, token, address)
    entry = entries.staff_entry(db, person, entry_id)
    return entries.submit(db, actor, entry, body.answers, body.tiebreak)


@router.get("/me/contests", response_model=list[MyContest], summary="Contests open to me")
def my_contests(actor: CurrentActor, db: DbSession) -> list[MyContest]:
    return entries.my_contests(db, people.own_participant(db, actor))


@router.post(
    "/me/contests/rounds/{round_id}/entry",
    response_model=EntryPublic,
    summary="Enter a round, signed in (or get my entry in it)",
)
def my_start(round_id: int, actor: CurrentActor, db: DbSession) -> EntryPublic:
    return entries.start_staff(db, actor, people.own_participant(db, actor), round_id)


@router.get("/me/contests/entries/{entry_id}", response_model=EntryPublic, summary="My entry")
def my_read(entry_id: int, actor: CurrentActor, db: DbSession) -> EntryPublic:
    person = people.own_participant(db, actor)
    return entries.read(db, actor, entries.staff_entry(db, person, entry_id))


@router.put(
    "/me/contests/entries/{entry_id}/answers",
    response_model=EntryPublic,
    summary="Save my answers so far",
)
def my_answers(
    entry_id: int, body: AnswersWrite, actor: CurrentActor, db: DbSession
) -> EntryPublic:
    entry = entries.staff_entry(db, people.own_participant(db, actor), entry_id)
    return entries.save_answers(db, actor, entry, body.answers)


@router.post(
    "/me/contests/entries/{entry_id}/submit",
    response_model=EntryPublic,
    summary="Submit my entry with the tie-break answer",
)
def my_submit(entry_id: int, body: EntrySubmit, actor: CurrentActor, db: DbSession) -> EntryPublic:
    entry = entries.staff_entry(db, people.own_participant(db, actor), entry_id)
    return entries.submit(db, actor, entry, body.answers, body.tiebreak)


# Invited people and the announcement: the contest's public link is the only credential.


@router.get(
    "/contests/public/{public_token}",
    response_model=ContestInfo,
    summary="The contest, its rounds and the schools to choose from",
)
def public_info(
    db: DbSession, address: ClientAddress, public_token: str = PUBLIC_TOKEN
) -> ContestInfo:
    return entries.public_info(db, public_token, address)


@router.post(
    "/contests/public/{public_token}/rounds/{round_id}/entries",
    response_model=EntryPublic,
    summary="Enter a round with name, school and phone (one entry per phone per round)",
)
def public_start(
    round_id: int,
    body: PublicEntryStart,
    db: DbSession,
    address: ClientAddress,
    public_token: str = PUBLIC_TOKEN,
) -> EntryPublic:
    return entries.start_public(db, public_token, round_id, body, address)


@router.get(
    "/contests/public/{public_token}/entries/{key}",
    response_model=EntryPublic,
    summary="An invited person's entry",
)
def public_read(
    db: DbSession, address: ClientAddress, public_token: str = PUBLIC_TOKEN, key: str = ENTRY_KEY
) -> EntryPublic:
    entry = entries.public_entry(db, public_token, key, address)
    return entries.read(db, entries.public_actor(entry.phone), entry)


@router.put(
    "/contests/public/{public_token}/entries/{key}/answers",
    response_model=EntryPublic,
    summary="Save an invited person's answers so far",
)
def public_answers(
    body: AnswersWrite,
    db: DbSession,
    address: ClientAddress,
    public_token: str = PUBLIC_TOKEN,
    key: str = ENTRY_KEY,
) -> EntryPublic:
    entry = entries.public_entry(db, public_token, key, address)
    return entries.save_answers(db, entries.public_actor(entry.phone), entry, body.answers)


@router.post(
    "/contests/public/{public_token}/entries/{key}/submit",
    response_model=EntryPublic,
    summary="Submit an invited person's entry with the tie-break answer",
)
def public_submit(
    body: EntrySubmit,
    db: DbSession,
    address: ClientAddress,
    public_token: str = PUBLIC_TOKEN,
    key: str = ENTRY_KEY,
) -> EntryPublic:
    entry = entries.public_entry(db, public_token, key, address)
    actor = entries.public_actor(entry.phone)
    return entries.submit(db, actor, entry, body.answers, body.tiebreak)


@router.get(
    "/contests/public/{public_token}/results",
    response_model=ContestResults,
    summary="The announced results (phones masked), once published",
)
def public_results(
    db: DbSession, address: ClientAddress, public_token: str = PUBLIC_TOKEN
) -> ContestResults:
    return boards.public_results(db, public_token, address)

"""Entering a contest's round: staff of the organiser's tree by their personal link or
signed in, invited people by the contest's public link with name, school and phone.

One entry per person per round (a unique entrant per round: a second tab, or a second
start, gets the same entry). Taking it works as a quiz attempt (`app.quizzes.drawing`): the
questions are drawn when it starts, answers are checked on the server and saved as she goes,
and it is scored once, on submit, by a conditional UPDATE, so a second submit cannot change
the score. The server keeps the time: the entry is due at its start plus the time limit (or
the round's close, if sooner); its duration is the server's submitted_at − started_at, never
more than that. The right options are shown once the round has closed, so an entrant cannot
pass them on while others still play; so is an invited person's score, since anyone can enter
with as many phones as she likes, and a score per entry would tell which options are right.
"""

from __future__ import annotations

import hmac
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session

from app.audit import trail as audit
from app.authz import Actor
from app.contests import service
from app.contests.models import Contest, ContestEntry, ContestRound
from app.contests.schemas import (
    ContestInfo,
    EntryPublic,
    EntryResult,
    MyContest,
    PublicEntryStart,
)
from app.core.config import current_settings
from app.core.db import writing
from app.core.errors import Forbidden, InvalidInput, NotFound, field_error
from app.core.security import token_digest
from app.core.text import fold
from app.links import service as links
from app.orgs.models import Organization
from app.people.models import Participant
from app.plans.models import Plan
from app.quizzes import drawing
from app.quizzes.attempts import GRACE
from app.quizzes.schemas import Answer, DrawnQuestion

ENTRY_NOT_FOUND = "Không tìm thấy bài dự thi. / Entry not found."
ROUND_NOT_FOUND = "Không tìm thấy vòng thi. / Round not found."


def _organisations(db: Session, org_id: int | None) -> tuple[Organization | None, ...]:
    """An organisation and its parent: an entrant's school and district."""
    school = db.get(Organization, org_id) if org_id else None
    district = db.get(Organization, school.parent_id) if school and school.parent_id else None
    return school, district


# Which contests and rounds a person reaches.


def _staff_round(db: Session, person: Any, round_id: int) -> tuple[Contest, ContestRound]:
    """A round of a contest whose organiser's tree holds the person's organisation, on an
    issued plan; 404 otherwise."""
    row = db.get(ContestRound, round_id)
    contest = db.get(Contest, row.contest_id) if row else None
    if contest is None or contest.id not in _staff_contest_ids(db, person):
        raise NotFound(ROUND_NOT_FOUND)
    return contest, row


def _staff_contest_ids(db: Session, person: Any) -> set[int]:
    own = db.get(Organization, person.organization_id)
    issuer = sa.orm.aliased(Organization)
    return set(
        db.exec(
            sa.select(Contest.id)
            .join(issuer, issuer.id == Contest.organization_id)
            .join(Plan, Plan.id == Contest.plan_id)
            .where(sa.literal(own.path).startswith(issuer.path), Plan.status != "draft")
        ).scalars()
    )


def my_contests(db: Session, person: Any) -> list[MyContest]:
    """The contests open to her (every round, whatever its state), with her entries."""
    ids = sorted(_staff_contest_ids(db, person))
    mine = db.exec(
        sa.select(ContestRound.contest_id, ContestEntry.round_id, ContestEntry.id)
        .join(ContestRound, ContestRound.id == ContestEntry.round_id)
        .where(ContestEntry.participant_id == person.id, ContestRound.contest_id.in_(ids))
    ).all()
    return [
        MyContest(
            contest=service.info(db, db.get(Contest, contest_id)),
            entries={round_id: entry_id for cid, round_id, entry_id in mine if cid == contest_id},
        )
        for contest_id in ids
    ]


def public_contest(db: Session, public_token: str, address: str) -> Contest:
    """The contest of a public link; a wrong link counts as a guess, as a bad personal
    link does."""
    contest = db.exec(sa.select(Contest).where(Contest.public_token == public_token)).scalar()
    plan = db.get(Plan, contest.plan_id) if contest else None
    if plan is None or plan.status == "draft":
        links.refuse(db, address)
    return contest


def public_info(db: Session, public_token: str, address: str) -> ContestInfo:
    return service.info(db, public_contest(db, public_token, address), with_schools=True)


# Starting.


def start_staff(db: Session, actor: Actor, person: Any, round_id: int) -> EntryPublic:
    contest, row = _staff_round(db, person, round_id)
    school, district = _organisations(db, person.organization_id)
    who = {
        "participant_id": person.id,
        "full_name": person.full_name,
        "school_id": school.id,
        "school_name": school.name,
        "district_id": district.id if district else None,
        "district_name": district.name if district else "",
    }
    return _start(db, actor, contest, row, f"p:{person.id}", who)


def start_public(
    db: Session, public_token: str, round_id: int, data: PublicEntryStart, address: str
) -> EntryPublic:
    contest = public_contest(db, public_token, address)
    if not contest.public_entries:
        raise Forbidden(
            "Cuộc thi này chỉ dành cho cán bộ, giáo viên trong đơn vị. "
            "/ This contest is for the organisation's staff only."
        )
    row = db.get(ContestRound, round_id)
    if row is None or row.contest_id != contest.id:
        raise NotFound(ROUND_NOT_FOUND)
    _refuse_staff_phone(db, contest, data.phone)
    school, district = _chosen_school(db, contest, data)
    who = {
        "phone": data.phone,
        "full_name": data.full_name,
        "school_id": school.id if school else None,
        "school_name": school.name if school else data.school_name,
        "district_id": district.id if district else None,
        "district_name": district.name if district else "",
    }
    return _start(db, public_actor(data.phone), contest, row, f"t:{data.phone}", who, public=True)


def _refuse_staff_phone(db: Session, contest: Contest, phone: str) -> None:
    """One entry per person per round: a phone on the staff list of the organiser's tree
    enters by its owner's personal link, so neither she nor a stranger who knows her number
    makes a second, public entry for her."""
    issuer = db.get(Organization, contest.organization_id)
    staff = db.exec(
        sa.select(Participant.id)
        .join(Organization, Organization.id == Participant.organization_id)
        .where(
            Participant.phone == phone,
            Participant.active,
            Organization.path.startswith(issuer.path, autoescape=True),
        )
        .limit(1)
    ).first()
    if staff is not None:
        raise service.ContestConflict(
            "Số điện thoại này là của cán bộ, giáo viên trong đơn vị: xin dự thi bằng đường "
            "dẫn cá nhân nhà trường gửi (hoặc đăng nhập). / This phone is a staff member's: "
            "please enter by your personal link (or signed in)."
        )


def _chosen_school(
    db: Session, contest: Contest, data: PublicEntryStart
) -> tuple[Organization | None, Organization | None]:
    """One of the schools the public form lists: in the organiser's tree, nothing under it."""
    if data.school_id is None:
        return None, None
    issuer = db.get(Organization, contest.organization_id)
    school, district = _organisations(db, data.school_id)
    has_children = (
        school is not None
        and db.exec(sa.select(sa.exists().where(Organization.parent_id == school.id))).one()[0]
    )
    if school is None or has_children or not school.path.startswith(issuer.path):
        raise InvalidInput(
            "Trường không thuộc đơn vị tổ chức. / Not a school of the organiser.",
            errors=[
                field_error(
                    "body.school_id", "Chọn trường trong danh sách. / Choose a listed school."
                )
            ],
        )
    return school, district


def public_actor(phone: str) -> Actor:
    """An invited entrant: no account, no permission; her events name her masked phone."""
    return Actor(label=f"contest:{mask_phone(phone)}", grants=())


def mask_phone(phone: str | None) -> str | None:
    """0905123456 → 0905***456: enough for her to recognise herself, not to call her."""
    return f"{phone[:4]}***{phone[-3:]}" if phone else None


def _start(
    db: Session,
    actor: Actor,
    contest: Contest,
    row: ContestRound,
    entrant: str,
    who: dict[str, Any],
    *,
    public: bool = False,
) -> EntryPublic:
    moment = service.now()
    existing = _entry_of(db, row.id, entrant)
    if existing is not None:
        return _resumed(db, actor, contest, row, existing, who, public)
    state = service.round_state(row, moment)
    if state != "open":
        raise service.ContestConflict(
            f"Vòng {row.number} chưa mở; vòng thi mở lúc {_local(row.opens_at)}. "
            f"/ Round {row.number} has not opened yet."
            if state == "upcoming"
            else f"Vòng {row.number} đã kết thúc lúc {_local(row.closes_at)}. "
            f"/ Round {row.number} has closed."
        )
    entry = ContestEntry(
        round_id=row.id,
        entrant=entrant,
        started_at=moment,
        deadline_at=min(moment + timedelta(minutes=row.time_limit_minutes), row.closes_at),
        questions=drawing.draw(db, contest.plan_id, row.question_count),
        **who,
    )
    entry.total = len(entry.questions)
    try:
        with db.begin_nested():
            db.add(entry)
            db.flush()
    except sa.exc.IntegrityError:  # another tab started the same entry a moment ago
        winner = _entry_of(db, row.id, entrant)
        return _resumed(db, actor, contest, row, winner, who, public)
    audit.record(
        db,
        actor,
        "contest.entry.start",
        entity_type="contest_entry",
        entity_id=entry.id,
        organization_id=contest.organization_id,
        after={"contest_id": contest.id, "round": row.number, "total": entry.total},
    )
    return present(entry, contest, row, public=public)


def _local(moment: datetime) -> str:
    return moment.astimezone(current_settings().zone).strftime("%H:%M %d/%m/%Y")


def _entry_of(db: Session, round_id: int, entrant: str) -> ContestEntry | None:
    return db.exec(
        sa.select(ContestEntry).where(
            ContestEntry.round_id == round_id, ContestEntry.entrant == entrant
        )
    ).scalar()


def _resumed(
    db: Session,
    actor: Actor,
    contest: Contest,
    row: ContestRound,
    entry: ContestEntry,
    who: dict[str, Any],
    public: bool,
) -> EntryPublic:
    """Her entry again (a second tab); a phone already used under another name is refused,
    so a stranger who knows the number cannot take over the entry."""
    if public and fold(entry.full_name) != fold(who["full_name"]):
        raise service.ContestConflict(
            "Số điện thoại này đã dự thi vòng này. / This phone has already entered this round."
        )
    _close_if_expired(db, actor, contest, entry)
    return present(entry, contest, row, public=public)


# Answering and submitting.


def _expired(entry: ContestEntry, moment: datetime) -> bool:
    return moment > entry.deadline_at + GRACE


def _close_if_expired(db: Session, actor: Actor | None, contest: Contest, entry: ContestEntry):
    if entry.status == "running" and _expired(entry, service.now()):
        with writing(db):
            db.refresh(entry)
            _close(db, actor, contest, entry, service.now(), entry.answers, None)
            db.refresh(entry)


def staff_entry(db: Session, person: Any, entry_id: int) -> ContestEntry:
    entry = db.get(ContestEntry, entry_id)
    if entry is None or entry.participant_id != person.id:
        raise NotFound(ENTRY_NOT_FOUND)
    return entry


def entry_key(entry_id: int) -> str:
    """A public entry's own key: its id and a keyed hash of it, so nothing is stored and
    nobody can guess another's."""
    return f"{entry_id}-{token_digest(f'contest-entry:{entry_id}')[:32]}"


def public_entry(db: Session, public_token: str, key: str, address: str) -> ContestEntry:
    contest = public_contest(db, public_token, address)
    number, _, _ = key.partition("-")
    entry = db.get(ContestEntry, int(number)) if number.isdigit() and len(number) < 12 else None
    row = db.get(ContestRound, entry.round_id) if entry else None
    if (
        entry is None
        or entry.participant_id is not None
        or row.contest_id != contest.id
        or not hmac.compare_digest(entry_key(entry.id), key)
    ):
        links.refuse(db, address)
    return entry


def _context(db: Session, entry: ContestEntry) -> tuple[Contest, ContestRound]:
    row = db.get(ContestRound, entry.round_id)
    return db.get(Contest, row.contest_id), row


def read(db: Session, actor: Actor, entry: ContestEntry) -> EntryPublic:
    contest, row = _context(db, entry)
    _close_if_expired(db, actor, contest, entry)
    return present(entry, contest, row, public=entry.participant_id is None)


def save_answers(
    db: Session, actor: Actor, entry: ContestEntry, answers: list[Answer]
) -> EntryPublic:
    contest, row = _context(db, entry)
    if entry.status != "running":
        raise drawing.QuizConflict("Bài đã nộp. / The entry has been submitted.")
    moment = service.now()
    if _expired(entry, moment):
        _close(db, actor, contest, entry, moment, entry.answers, None)
        raise drawing.QuizConflict(
            "Đã hết giờ làm bài; bài đã được chấm với các câu trả lời đã lưu. "
            "/ Time is up; the entry was scored on the answers saved.",
            keep_writes=True,
        )
    given = drawing.checked(entry.questions, answers)
    written = db.exec(
        sa.update(ContestEntry)
        .where(ContestEntry.id == entry.id, ContestEntry.status == "running")
        .values(answers=entry.answers | given)
    )
    if written.rowcount != 1:
        raise drawing.QuizConflict("Bài đã nộp. / The entry has been submitted.")
    audit.record(
        db,
        actor,
        "contest.entry.answer",
        entity_type="contest_entry",
        entity_id=entry.id,
        organization_id=contest.organization_id,
        after={"answers": given},
    )
    db.refresh(entry)
    return present(entry, contest, row, public=entry.participant_id is None)


def submit(
    db: Session, actor: Actor, entry: ContestEntry, answers: list[Answer], tiebreak: int | None
) -> EntryPublic:
    """Score the entry, once: answers and the tie-break sent along count unless they come
    too late; a second submit returns the first result."""
    contest, row = _context(db, entry)
    if entry.status == "running":
        moment = service.now()
        final, guess = entry.answers, None
        if not _expired(entry, moment):
            final = final | drawing.checked(entry.questions, answers)
            guess = tiebreak
        written = _close(db, actor, contest, entry, moment, final, guess)
        if written is None:  # another request closed it first: its result
            db.refresh(entry)
        for column, value in (written or {}).items():
            set_committed_value(entry, column, value)  # as written: nothing left to flush
    return present(entry, contest, row, public=entry.participant_id is None)


# Built once: a statement made per request costs more to build and look up than to run.
_SUBMIT = (
    sa.update(ContestEntry)
    .where(ContestEntry.id == sa.bindparam("entry_id"), ContestEntry.status == "running")
    .values(
        {
            column: sa.bindparam(column)
            for column in ("status", "submitted_at", "answers", "score", "duration_ms", "tiebreak")
        }
    )
)


def _close(
    db: Session,
    actor: Actor | None,
    contest: Contest,
    entry: ContestEntry,
    moment: datetime,
    answers: dict[str, list[int]],
    tiebreak: int | None,
) -> dict[str, Any] | None:
    """Score and close a running entry: the columns written, or None (and nothing written)
    when another request closed it first. The time taken stops at the deadline."""
    taken = min(moment, entry.deadline_at) - entry.started_at
    result = {
        "score": drawing.score(entry.questions, answers),
        "duration_ms": max(0, int(taken.total_seconds() * 1000)),
        "tiebreak": tiebreak,
    }
    values = {"status": "submitted", "submitted_at": moment, "answers": answers, **result}
    written = db.connection().execute(_SUBMIT, {"entry_id": entry.id, **values})
    if written.rowcount != 1:
        return None
    audit.record(
        db,
        actor,
        "contest.entry.submit",
        entity_type="contest_entry",
        entity_id=entry.id,
        organization_id=contest.organization_id,
        after=result | {"late": moment > entry.deadline_at},
    )
    return values


def close_expired(db: Session, contest: Contest, round_id: int) -> None:
    """Score the entries left running past their time, before the round is ranked."""
    moment = service.now()
    stale = sa.select(ContestEntry).where(
        ContestEntry.round_id == round_id,
        ContestEntry.status == "running",
        ContestEntry.deadline_at < moment - GRACE,
    )
    if db.exec(stale.limit(1)).first() is None:
        return
    with writing(db):
        for entry in db.exec(stale).scalars().all():
            _close(db, None, contest, entry, moment, entry.answers, None)
        db.flush()


def present(
    entry: ContestEntry, contest: Contest, row: ContestRound, *, public: bool = False
) -> EntryPublic:
    result = None
    if entry.status == "submitted":
        closed = service.round_state(row, service.now()) == "closed"
        result = EntryResult(
            score=entry.score if closed or entry.participant_id is not None else None,
            total=entry.total,
            duration_ms=entry.duration_ms,
            tiebreak=entry.tiebreak,
            questions=drawing.question_results(entry.questions, entry.answers) if closed else None,
        )
    return EntryPublic(
        id=entry.id,
        key=entry_key(entry.id) if public else None,
        contest_id=contest.id,
        round_id=row.id,
        round_number=row.number,
        tiebreak_question=row.tiebreak_question,
        status=entry.status,
        full_name=entry.full_name,
        school_name=entry.school_name,
        started_at=entry.started_at,
        deadline_at=entry.deadline_at,
        submitted_at=entry.submitted_at,
        questions=[DrawnQuestion.model_validate(q) for q in entry.questions],
        answers=entry.answers,
        result=result,
    )

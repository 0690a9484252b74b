"""A round's leaderboards, the public announcement and the XLSX of the results.

People are ranked by score (higher first), then time taken (shorter first), then how close
the tie-break answer is to the number of entries in the round (closer first; no answer
last), then who submitted first. Schools and districts are ranked by their entrants'
average score, then by their number of entries, then by their best score. Each board is one
SQL query whatever the size of the contest.
"""

from __future__ import annotations

import io

import sqlalchemy as sa
from openpyxl import Workbook
from sqlmodel import Session

from app.audit import trail as audit
from app.authz import Actor, Permission
from app.contests import entries, service
from app.contests.models import Contest, ContestEntry, ContestRound
from app.contests.schemas import (
    ContestResults,
    GroupBoard,
    GroupRow,
    PeopleBoard,
    PersonRow,
    RoundResults,
)
from app.core.config import current_settings
from app.core.db import writing
from app.core.errors import NotFound
from app.core.spreadsheets import xlsx_row

PUBLIC_TOP = 100
_SUBMITTED = ContestEntry.status == "submitted"


def _round(db: Session, contest: Contest, round_id: int) -> ContestRound:
    row = db.get(ContestRound, round_id)
    if row is None or row.contest_id != contest.id:
        raise NotFound(entries.ROUND_NOT_FOUND)
    return row


def _entry_count(db: Session, round_id: int) -> int:
    return db.exec(
        sa.select(sa.func.count()).where(ContestEntry.round_id == round_id, _SUBMITTED)
    ).one()[0]


def _people(
    db: Session, round_id: int, *, limit: int | None, offset: int, masked: bool
) -> PeopleBoard:
    count = _entry_count(db, round_id)
    gap = sa.func.abs(ContestEntry.tiebreak - count)
    rows = db.exec(
        sa.select(ContestEntry)
        .where(ContestEntry.round_id == round_id, _SUBMITTED)
        .order_by(
            ContestEntry.score.desc(),
            ContestEntry.duration_ms,
            sa.case((ContestEntry.tiebreak.is_(None), 1), else_=0),
            gap,
            ContestEntry.submitted_at,
            ContestEntry.id,
        )
        .limit(limit)
        .offset(offset)
    ).scalars()
    items = [
        PersonRow(
            rank=offset + index,
            entry_id=entry.id,
            full_name=entry.full_name,
            school_name=entry.school_name,
            district_name=entry.district_name,
            phone=entries.mask_phone(entry.phone) if masked else entry.phone,
            public_entry=entry.participant_id is None,
            score=entry.score,
            total=entry.total,
            duration_ms=entry.duration_ms,
            tiebreak=entry.tiebreak,
            submitted_at=entry.submitted_at,
        )
        for index, entry in enumerate(rows, start=1)
    ]
    return PeopleBoard(
        round_id=round_id,
        entries=count,
        items=items,
        total=count,
        limit=limit or count,
        offset=offset,
    )


def _groups(db: Session, round_id: int, by: str) -> GroupBoard:
    key, name = (
        (ContestEntry.school_id, ContestEntry.school_name)
        if by == "school"
        else (ContestEntry.district_id, ContestEntry.district_name)
    )
    average = sa.func.avg(ContestEntry.score)
    entries_ = sa.func.count(ContestEntry.id)
    best = sa.func.max(ContestEntry.score)
    rows = db.exec(
        sa.select(name, entries_, average, best)
        .where(ContestEntry.round_id == round_id, _SUBMITTED)
        .group_by(key, name)
        .order_by(average.desc(), entries_.desc(), best.desc(), name)
    ).all()
    return GroupBoard(
        round_id=round_id,
        by=by,
        items=[
            GroupRow(
                rank=index,
                name=label or "—",
                entries=count,
                average_score=round(float(avg), 2),
                best_score=top,
            )
            for index, (label, count, avg, top) in enumerate(rows, start=1)
        ],
    )


def people_board(
    db: Session, actor: Actor, contest_id: int, round_id: int, limit: int, offset: int
) -> PeopleBoard:
    contest, _ = service.load_contest(db, actor, contest_id, Permission.REPORTS_READ)
    row = _round(db, contest, round_id)
    entries.close_expired(db, contest, row.id)
    return _people(db, row.id, limit=limit, offset=offset, masked=False)


def group_board(db: Session, actor: Actor, contest_id: int, round_id: int, by: str) -> GroupBoard:
    contest, _ = service.load_contest(db, actor, contest_id, Permission.REPORTS_READ)
    row = _round(db, contest, round_id)
    entries.close_expired(db, contest, row.id)
    return _groups(db, row.id, by)


def public_results(db: Session, public_token: str, address: str) -> ContestResults:
    """The announcement, once the organiser has published it (until then, 404): each
    closed round's first hundred people, and every school and district; phones masked. A
    round still open is left out: its standings and its number of entries (the tie-break's
    answer) would help those still playing."""
    contest = entries.public_contest(db, public_token, address)
    if contest.published_at is None:
        raise NotFound(
            "Kết quả cuộc thi chưa được công bố. / The contest's results are not published yet."
        )
    info = service.info(db, contest)
    return ContestResults(
        contest=info,
        published_at=contest.published_at,
        rounds=[
            RoundResults(
                round=round_,
                people=_people(db, round_.id, limit=PUBLIC_TOP, offset=0, masked=True),
                schools=_groups(db, round_.id, "school"),
                districts=_groups(db, round_.id, "district"),
            )
            for round_ in info.rounds
            if round_.state == "closed"
        ],
    )


_PEOPLE_HEADERS = [
    "Vòng",
    "Hạng",
    "Họ và tên",
    "Trường",
    "Quận/huyện",
    "Điện thoại",
    "Điểm",
    "Số câu",
    "Thời gian (giây)",
    "Dự đoán",
    "Nộp bài lúc",
]
_GROUP_HEADERS = ["Vòng", "Hạng", "{}", "Số bài dự thi", "Điểm trung bình", "Điểm cao nhất"]


def export(db: Session, actor: Actor, contest_id: int) -> tuple[bytes, str]:
    """The results of every round as a workbook: people, schools, districts. Audited: it
    holds the entrants' phone numbers."""
    contest, _ = service.load_contest(db, actor, contest_id, Permission.REPORTS_READ)
    rounds = service.rounds_of(db, contest.id)
    for row in rounds:
        entries.close_expired(db, contest, row.id)
    zone = current_settings().zone
    book = Workbook()
    people = book.active
    people.title = "Cá nhân"
    people.append(xlsx_row(people, _PEOPLE_HEADERS))
    schools = book.create_sheet("Trường")
    schools.append(xlsx_row(schools, [h.format("Trường") for h in _GROUP_HEADERS]))
    districts = book.create_sheet("Quận, huyện")
    districts.append(xlsx_row(districts, [h.format("Quận/huyện") for h in _GROUP_HEADERS]))
    for row in rounds:
        for person in _people(db, row.id, limit=None, offset=0, masked=False).items:
            people.append(
                xlsx_row(
                    people,
                    [
                        row.number,
                        person.rank,
                        person.full_name,
                        person.school_name,
                        person.district_name,
                        person.phone or "",
                        person.score,
                        person.total,
                        round(person.duration_ms / 1000, 1),
                        person.tiebreak,
                        person.submitted_at.astimezone(zone).strftime("%d/%m/%Y %H:%M:%S"),
                    ],
                )
            )
        for sheet, by in ((schools, "school"), (districts, "district")):
            for group in _groups(db, row.id, by).items:
                sheet.append(
                    xlsx_row(
                        sheet,
                        [
                            row.number,
                            group.rank,
                            group.name,
                            group.entries,
                            group.average_score,
                            group.best_score,
                        ],
                    )
                )
    for sheet in (people, schools, districts):
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            sheet.column_dimensions[column[0].column_letter].width = min(50, width + 2)
    buffer = io.BytesIO()
    book.save(buffer)
    with writing(db):
        audit.record(
            db,
            actor,
            "contest.export",
            entity_type="contest",
            entity_id=contest.id,
            organization_id=contest.organization_id,
            after={"rounds": len(rounds), "format": "xlsx"},
        )
    return buffer.getvalue(), f"ket-qua-cuoc-thi-{contest.id}.xlsx"

"""Attendance marked by staff: the roster of a session's audience with each mark, one mark,
and many at once. A person has one mark a session; `insert_mark` and `mark_of` serve the
self check-in (`checkin`) too."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from app import audience
from app.audit import trail as audit
from app.authz import Actor, Permission
from app.core.base import utcnow
from app.core.errors import InvalidInput, InvalidTransition, NotFound, field_error
from app.links.models import issued_by_name
from app.orgs import service as orgs
from app.people.models import Participant
from app.study_sessions.models import Attendance, StudySession
from app.study_sessions.schemas import RosterRow
from app.study_sessions.sessions import load_session


def roster(db: Session, actor: Actor, session_id: int) -> list[RosterRow]:
    session, _ = load_session(db, actor, session_id, Permission.SESSIONS_READ)
    rows = db.exec(
        sa.select(Participant, Attendance, issued_by_name(Attendance.link_id))
        .outerjoin(
            Attendance,
            sa.and_(
                Attendance.participant_id == Participant.id, Attendance.session_id == session.id
            ),
        )
        .where(audience.includes(session))
        .order_by(Participant.sort_name, Participant.id)
    ).all()
    unit_names = orgs.unit_names_by_participant(db, session.organization_id)
    return [
        RosterRow(
            participant_id=p.id,
            full_name=p.full_name,
            staff_code=p.staff_code,
            units=unit_names.get(p.id, []),
            status=a.status if a else None,
            method=a.method if a else None,
            recorded_at=a.recorded_at if a else None,
            note=a.note if a else None,
            via_link_issued_by=link_issuer,
        )
        for p, a, link_issuer in rows
    ]


def mark_of(db: Session, session_id: int, participant_id: int) -> Attendance | None:
    """This person's mark at this session, if any."""
    return db.exec(
        sa.select(Attendance).where(
            Attendance.session_id == session_id, Attendance.participant_id == participant_id
        )
    ).scalar_one_or_none()


def insert_mark(
    db: Session, session: StudySession, participant_id: int, **values
) -> Attendance | None:
    """A first mark for this person, or None when they have one (a parallel insert included)."""
    try:
        with db.begin_nested():
            attendance = Attendance(
                session_id=session.id, participant_id=participant_id, recorded_at=utcnow(), **values
            )
            db.add(attendance)
    except sa.exc.IntegrityError:
        return None
    return attendance


def _upsert(
    db: Session,
    session: StudySession,
    participant_id: int,
    status: str,
    *,
    marked_by_id: int | None,
    note: str | None = None,
) -> tuple[Attendance | None, Attendance]:
    """Staff's mark: insert or update one; a parallel insert of the same mark becomes an update.
    A check-in by link that staff mark again no longer names the link."""
    existing = mark_of(db, session.id, participant_id)
    before = audit.snapshot(existing)
    if existing is None:
        existing = insert_mark(
            db, session, participant_id, status=status, method="marked", marked_by_id=marked_by_id
        )
        if existing is None:
            existing = mark_of(db, session.id, participant_id)
            before = audit.snapshot(existing)
    existing.status, existing.method, existing.marked_by_id = status, "marked", marked_by_id
    existing.link_id = None  # a mark by staff is no longer the link's
    existing.recorded_at = utcnow()
    if note is not None:
        existing.note = note
    return before, existing


def _markable(db: Session, actor: Actor, session_id: int) -> StudySession:
    session, _ = load_session(db, actor, session_id, Permission.SESSIONS_WRITE)
    if session.status == "cancelled":
        raise InvalidTransition("Buổi học đã hủy. / The session was cancelled.")
    return session


def mark(
    db: Session, actor: Actor, session_id: int, participant_id: int, status: str, note: str | None
) -> RosterRow:
    session = _markable(db, actor, session_id)
    if not audience.addresses(db, session, participant_id):
        raise NotFound(
            "Người này không thuộc thành phần buổi học. / Not in this session's audience."
        )
    before, attendance = _upsert(
        db, session, participant_id, status, marked_by_id=actor.user_id, note=note
    )
    audit.record(
        db,
        actor,
        "attendance.mark",
        entity_type="session",
        entity_id=session.id,
        organization_id=session.organization_id,
        before=before,
        after=audit.snapshot(attendance),
    )
    return next(r for r in roster(db, actor, session_id) if r.participant_id == participant_id)


def mark_bulk(
    db: Session, actor: Actor, session_id: int, status: str, participant_ids: list[int] | None
) -> list[RosterRow]:
    """Mark many at once: the given people, or everyone not marked yet. All or nothing."""
    session = _markable(db, actor, session_id)
    addressed = set(db.exec(audience.ids(session)).scalars())
    if participant_ids is None:
        marked = set(
            db.exec(
                sa.select(Attendance.participant_id).where(Attendance.session_id == session.id)
            ).scalars()
        )
        targets = sorted(addressed - marked)
    else:
        outside = sorted(set(participant_ids) - addressed)
        if outside:
            raise InvalidInput(
                "Có người không thuộc thành phần buổi học; chưa lưu gì. "
                "/ Some are not in the audience.",
                errors=[
                    field_error(
                        "body.participant_ids", f"not in the audience: {outside}", "not_in_audience"
                    )
                ],
            )
        targets = sorted(set(participant_ids))
    for participant_id in targets:
        _upsert(db, session, participant_id, status, marked_by_id=actor.user_id)
    audit.record(
        db,
        actor,
        "attendance.bulk",
        entity_type="session",
        entity_id=session.id,
        organization_id=session.organization_id,
        after={"status": status, "participant_ids": targets},
    )
    return roster(db, actor, session_id)

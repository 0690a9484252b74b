"""Study sessions, their roster and attendance, and self check-in with a rotating code."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import segno
import sqlalchemy as sa
from sqlmodel import Session

from app import audience
from app.audit import trail as audit
from app.auth import throttle
from app.authz import Actor, Permission, authorize, in_scope
from app.core.errors import Conflict, Forbidden, InvalidInput, NotFound, field_error
from app.links.models import issued_by_name
from app.orgs import service as orgs
from app.orgs.models import Organization
from app.people.models import Participant
from app.plans import access as plans
from app.study_sessions.models import Attendance, SessionAudienceUnit, StudySession
from app.study_sessions.schemas import (
    AttendanceCounts,
    CheckinCode,
    CheckinResult,
    RosterRow,
    SessionCreate,
    SessionPublic,
    SessionUpdate,
)

CODE_PERIOD = timedelta(seconds=20)
CHECKIN_OPENS_BEFORE = timedelta(minutes=30)
CHECKIN_CLOSES_AFTER = timedelta(minutes=15)
LATE_AFTER = timedelta(minutes=10)
# Wrong check-in codes, counted over an hour. A guess hits one of two live codes (this
# window's and the last) of an open session: 2 in 1,000,000. Ten per person an hour leave at
# most 30 guesses over the check-in window of a 90-minute session (open from 30 minutes before
# to 15 after): under 1 in 16,000 per session, each wrong code in the audit trail. A teacher
# who mistypes a few times never meets it (and staff can still mark anyone); an address holds
# a school's Wi-Fi, where a hall of staff checks in at once, hence its wider limit.
CHECKIN_FAILURES_WINDOW = timedelta(hours=1)
MAX_CHECKIN_FAILURES_PER_PERSON = 10
MAX_CHECKIN_FAILURES_PER_ADDRESS = 100
STATUS_FLOW = {"scheduled": {"held", "cancelled"}, "held": set(), "cancelled": {"scheduled"}}


class InvalidTransition(Conflict):
    code = "invalid-transition"


class CheckinRefused(InvalidInput):
    code = "checkin-refused"


class CheckinClosed(Conflict):
    code = "checkin-closed"


def _now() -> datetime:
    return datetime.now(UTC)


# Codes


def checkin_code(session: StudySession, at: datetime) -> str:
    """Six digits from the session's secret and the current 20-second window."""
    window = int(at.timestamp() // CODE_PERIOD.total_seconds())
    digest = hmac.new(
        session.checkin_secret.encode(), str(window).encode(), hashlib.sha256
    ).digest()
    return f"{int.from_bytes(digest[:4], 'big') % 1_000_000:06d}"


def _accepts(session: StudySession, code: str, at: datetime) -> bool:
    """The code of this window or the one before, so a code shown just before it rotates works."""
    return any(
        hmac.compare_digest(checkin_code(session, at - CODE_PERIOD * back), code) for back in (0, 1)
    )


def checkin_window(session: StudySession) -> tuple[datetime, datetime]:
    return session.starts_at - CHECKIN_OPENS_BEFORE, session.ends_at + CHECKIN_CLOSES_AFTER


def qr_data_uri(text: str) -> str:
    return segno.make(text, error="m").svg_data_uri(scale=6, border=2)


# Loading and listing


def load_session(
    db: Session, actor: Actor, session_id: int, permission: Permission
) -> tuple[StudySession, Organization]:
    session = db.get(StudySession, session_id)
    if session is None:
        raise NotFound("Không tìm thấy buổi học tập. / Session not found.")
    org = orgs.load_org(db, session.organization_id)
    authorize(actor, permission, org.path)
    return session, org


def _counts(db: Session, sessions: list[StudySession]) -> dict[int, AttendanceCounts]:
    """Attendance figures of several sessions in two queries."""
    result = {s.id: AttendanceCounts() for s in sessions}
    if not sessions:
        return result
    marks = db.exec(
        sa.select(Attendance.session_id, Attendance.status, sa.func.count())
        .where(Attendance.session_id.in_(list(result)))
        .group_by(Attendance.session_id, Attendance.status)
    ).all()
    for session_id, status, count in marks:
        setattr(result[session_id], status, count)
    sizes = dict(
        db.exec(audience.sizes(StudySession).where(StudySession.id.in_(list(result)))).all()
    )
    for session_id, counts in result.items():
        counts.audience = sizes.get(session_id, 0)
        counts.unmarked = max(
            0, counts.audience - counts.present - counts.late - counts.excused - counts.absent
        )
    return result


def present(db: Session, sessions: list[StudySession]) -> list[SessionPublic]:
    counts = _counts(db, sessions)
    units: dict[int, list[int]] = defaultdict(list)
    if sessions:
        for session_id, unit_id in db.exec(
            sa.select(SessionAudienceUnit.session_id, SessionAudienceUnit.unit_id).where(
                SessionAudienceUnit.session_id.in_([s.id for s in sessions])
            )
        ).all():
            units[session_id].append(unit_id)
    return [
        SessionPublic.model_validate(
            {**s.model_dump(), "counts": counts[s.id], "audience_unit_ids": units[s.id]}
        )
        for s in sessions
    ]


def list_sessions(
    db: Session,
    actor: Actor,
    *,
    plan_id: int | None,
    organization_id: int | None,
    status: str | None,
    since: datetime | None,
    until: datetime | None,
    limit: int,
    offset: int,
) -> tuple[list[SessionPublic], int]:
    query = sa.select(StudySession).join(
        Organization, Organization.id == StudySession.organization_id
    )
    conditions = [in_scope(actor, Permission.SESSIONS_READ, Organization.path)]
    if plan_id is not None:
        conditions.append(StudySession.plan_id == plan_id)
    if organization_id is not None:
        org = orgs.get_org(db, actor, organization_id, Permission.SESSIONS_READ)
        conditions.append(Organization.path.startswith(org.path, autoescape=True))
    if status:
        conditions.append(StudySession.status == status)
    if since:
        conditions.append(StudySession.ends_at >= since)
    if until:
        conditions.append(StudySession.starts_at < until)
    query = query.where(*conditions)
    total = db.exec(sa.select(sa.func.count()).select_from(query.subquery())).one()[0]
    rows = list(
        db.exec(
            query.order_by(StudySession.starts_at, StudySession.id).limit(limit).offset(offset)
        ).scalars()
    )
    return present(db, rows), total


# Writing sessions


def _set_units(db: Session, session: StudySession, unit_ids: list[int]) -> None:
    db.exec(sa.delete(SessionAudienceUnit).where(SessionAudienceUnit.session_id == session.id))
    for unit_id in unit_ids:
        db.add(SessionAudienceUnit(session_id=session.id, unit_id=unit_id))


def create_session(db: Session, actor: Actor, data: SessionCreate) -> SessionPublic:
    plan, org = plans.load_plan(db, actor, data.plan_id, Permission.SESSIONS_WRITE)
    if plan.status != "active":
        raise plans.PlanClosed(
            "Chỉ lên lịch cho kế hoạch đang thực hiện. / Sessions belong to an active plan."
        )
    unit_ids = (
        [
            u.id
            for u in orgs.units_in(
                db, org.id, data.audience_unit_ids, field="body.audience_unit_ids"
            )
        ]
        if not data.audience_all
        else []
    )
    session = StudySession(
        **data.model_dump(exclude={"audience_unit_ids"}),
        organization_id=org.id,
        checkin_secret=secrets.token_hex(32),
        created_by_id=actor.user_id,
    )
    db.add(session)
    db.flush()
    _set_units(db, session, unit_ids)
    audit.create(db, actor, "session.create", session)
    return present(db, [session])[0]


def update_session(
    db: Session, actor: Actor, session_id: int, data: SessionUpdate
) -> SessionPublic:
    session, org = load_session(db, actor, session_id, Permission.SESSIONS_WRITE)
    changes = data.model_dump(exclude_unset=True, exclude={"audience_unit_ids"})
    starts = changes.get("starts_at", session.starts_at)
    ends = changes.get("ends_at", session.ends_at)
    if ends <= starts:
        raise InvalidInput(
            "Giờ kết thúc phải sau giờ bắt đầu. / The session must end after it starts.",
            errors=[field_error("body.ends_at", "must be after starts_at")],
        )
    with audit.change(db, actor, "session.update", session):
        for key, value in changes.items():
            setattr(session, key, value)
        if data.audience_unit_ids is not None:
            chosen = db.exec(
                sa.select(SessionAudienceUnit.unit_id).where(
                    SessionAudienceUnit.session_id == session.id
                )
            ).scalars()
            units = orgs.units_in(
                db, org.id, data.audience_unit_ids, field="body.audience_unit_ids", kept=set(chosen)
            )
            _set_units(db, session, [u.id for u in units])
    return present(db, [session])[0]


def change_status(
    db: Session, actor: Actor, session_id: int, status: str, minutes: str | None
) -> SessionPublic:
    session, org = load_session(db, actor, session_id, Permission.SESSIONS_WRITE)
    if status not in STATUS_FLOW[session.status]:
        raise InvalidTransition(
            f"Không thể chuyển buổi học từ '{session.status}' sang '{status}'. "
            f"/ Cannot go from {session.status} to {status}.",
            errors=[
                field_error(
                    "body.status",
                    f"{session.status} → {status} is not allowed",
                    "invalid_transition",
                )
            ],
        )
    with audit.change(db, actor, f"session.{status}", session):
        session.status = status
        if minutes is not None:
            session.minutes = minutes
    return present(db, [session])[0]


# Roster and attendance


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


def _mark_of(db: Session, session_id: int, participant_id: int) -> Attendance | None:
    return db.exec(
        sa.select(Attendance).where(
            Attendance.session_id == session_id, Attendance.participant_id == participant_id
        )
    ).scalar_one_or_none()


def _insert(db: Session, session: StudySession, participant_id: int, **values) -> Attendance | None:
    """A first mark for this person, or None when they have one (a parallel insert included)."""
    try:
        with db.begin_nested():
            attendance = Attendance(
                session_id=session.id, participant_id=participant_id, recorded_at=_now(), **values
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
    existing = _mark_of(db, session.id, participant_id)
    before = audit.snapshot(existing)
    if existing is None:
        existing = _insert(
            db, session, participant_id, status=status, method="marked", marked_by_id=marked_by_id
        )
        if existing is None:
            existing = _mark_of(db, session.id, participant_id)
            before = audit.snapshot(existing)
    existing.status, existing.method, existing.marked_by_id = status, "marked", marked_by_id
    existing.link_id = None  # a mark by staff is no longer the link's
    existing.recorded_at = _now()
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


# Self check-in


def code_for_projector(db: Session, actor: Actor, session_id: int, base_url: str) -> CheckinCode:
    session, _ = load_session(db, actor, session_id, Permission.SESSIONS_WRITE)
    now = _now()
    opens, closes = checkin_window(session)
    code = checkin_code(session, now)
    period = int(CODE_PERIOD.total_seconds())
    url = f"{base_url.rstrip('/')}/#/checkin/{code}"
    return CheckinCode(
        session_id=session.id,
        code=code,
        period_seconds=period,
        valid_for_seconds=period - int(now.timestamp()) % period,
        checkin_url=url,
        qr_svg_data_uri=qr_data_uri(url),
        open=session.status == "scheduled" and opens <= now <= closes,
        opens_at=opens,
        closes_at=closes,
    )


def _already_marked(attendance: Attendance) -> Conflict:
    """A self check-in never changes a mark: one made by staff (whatever it says) stands."""
    if attendance.status in ("present", "late"):
        return Conflict(
            "Bạn đã điểm danh buổi này rồi. / You have already checked in.",
            errors=[field_error("body.code", "already checked in", "already_checked_in")],
        )
    return Conflict(
        "Người phụ trách đã ghi điểm danh của bạn cho buổi này; muốn sửa, hãy báo họ. "
        "/ Staff have recorded your attendance at this session; ask them to change it.",
        errors=[field_error("body.code", "attendance marked by staff", "marked_by_staff")],
    )


def _refuse_code(
    db: Session, actor: Actor, participant: Participant, method: str, address: str
) -> CheckinRefused:
    """Count and audit a wrong code (kept though the request fails), and refuse it."""
    audit.record(
        db,
        actor,
        "attendance.checkin_failed",
        entity_type="participant",
        entity_id=participant.id,
        organization_id=participant.organization_id,
        after={"method": method, "address": address},
    )
    throttle.record_failure(db, "checkin", subject=str(participant.id), address=address)
    return CheckinRefused(
        "Mã điểm danh không đúng, đã hết hạn hoặc buổi học chưa/không còn mở điểm danh. "
        "/ The code is wrong or stale, or check-in is not open.",
        errors=[
            field_error("body.code", "wrong, stale, or outside the check-in window", "stale_code")
        ],
        keep_writes=True,
    )


def check_in(
    db: Session,
    actor: Actor,
    participant: Participant,
    code: str,
    *,
    method: str,
    address: str,
) -> CheckinResult:
    """The participant checks in with the code on the projector: once, in the window, while
    the session is not yet held, if invited and not marked by staff. Wrong codes are
    throttled per person and per address (see MAX_CHECKIN_FAILURES_PER_PERSON)."""
    throttle.check(
        db,
        "checkin",
        subject=str(participant.id),
        per_subject=MAX_CHECKIN_FAILURES_PER_PERSON,
        address=address,
        per_address=MAX_CHECKIN_FAILURES_PER_ADDRESS,
        window=CHECKIN_FAILURES_WINDOW,
    )
    now = _now()
    candidates = (
        db.exec(
            sa.select(StudySession).where(
                StudySession.organization_id == participant.organization_id,
                StudySession.status != "cancelled",
                StudySession.starts_at <= now + CHECKIN_OPENS_BEFORE,
                StudySession.ends_at >= now - CHECKIN_CLOSES_AFTER,
            )
        )
        .scalars()
        .all()
    )
    session = next((s for s in candidates if _accepts(s, code, now)), None)
    if session is None:
        raise _refuse_code(db, actor, participant, method, address)
    if session.status == "held":
        raise CheckinClosed(
            "Buổi học đã được xác nhận tổ chức xong, không tự điểm danh được nữa; hãy báo người "
            "phụ trách. / The session has been closed by staff; ask them to mark you.",
            errors=[field_error("body.code", "the session is closed", "session_held")],
        )
    if not audience.addresses(db, session, participant.id):
        raise Forbidden(
            "Bạn không thuộc thành phần buổi học này. / You are not invited to this session."
        )
    existing = _mark_of(db, session.id, participant.id)
    if existing is not None:
        raise _already_marked(existing)
    status = "late" if now > session.starts_at + LATE_AFTER else "present"
    attendance = _insert(
        db,
        session,
        participant.id,
        status=status,
        method=method,
        marked_by_id=None,
        link_id=actor.link_id,
        client_address=address,
    )
    if attendance is None:  # marked by someone else a moment ago
        raise _already_marked(_mark_of(db, session.id, participant.id))
    audit.create(db, actor, "attendance.checkin", attendance, about=session)
    return CheckinResult(
        session_id=session.id,
        session_title=session.title,
        status=status,
        recorded_at=attendance.recorded_at,
    )

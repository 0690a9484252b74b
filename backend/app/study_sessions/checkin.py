"""Self check-in: the rotating code and its QR for the projector, and a participant checking
in with the code (signed in or by personal link), wrong codes throttled and audited."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

import segno
import sqlalchemy as sa
from sqlmodel import Session

from app import audience
from app.audit import trail as audit
from app.auth import throttle
from app.authz import Actor, Permission
from app.core.base import utcnow
from app.core.errors import Conflict, Forbidden, InvalidInput, field_error
from app.people.models import Participant
from app.study_sessions import attendance
from app.study_sessions.models import Attendance, StudySession
from app.study_sessions.schemas import CheckinCode, CheckinResult
from app.study_sessions.sessions import load_session

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


class CheckinRefused(InvalidInput):
    code = "checkin-refused"


class CheckinClosed(Conflict):
    code = "checkin-closed"


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
    """A QR code as an SVG data URI: the projector's check-in link, and a personal link's."""
    return segno.make(text, error="m").svg_data_uri(scale=6, border=2)


def code_for_projector(db: Session, actor: Actor, session_id: int, base_url: str) -> CheckinCode:
    session, _ = load_session(db, actor, session_id, Permission.SESSIONS_WRITE)
    now = utcnow()
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


def _already_marked(mark: Attendance) -> Conflict:
    """A self check-in never changes a mark: one made by staff (whatever it says) stands."""
    if mark.status in ("present", "late"):
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
    now = utcnow()
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
    existing = attendance.mark_of(db, session.id, participant.id)
    if existing is not None:
        raise _already_marked(existing)
    status = "late" if now > session.starts_at + LATE_AFTER else "present"
    mark = attendance.insert_mark(
        db,
        session,
        participant.id,
        status=status,
        method=method,
        marked_by_id=None,
        link_id=actor.link_id,
        client_address=address,
    )
    if mark is None:  # marked by someone else a moment ago
        raise _already_marked(attendance.mark_of(db, session.id, participant.id))
    audit.create(db, actor, "attendance.checkin", mark, about=session)
    return CheckinResult(
        session_id=session.id,
        session_title=session.title,
        status=status,
        recorded_at=mark.recorded_at,
    )

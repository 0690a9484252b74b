"""Study sessions themselves: loading one in the caller's scope, the list, creating,
editing and moving a session through its statuses (scheduled → held or cancelled), each shown
with its audience units and attendance figures. The roster is in `attendance`, self check-in in
`checkin`."""

from __future__ import annotations

import secrets
from collections import defaultdict
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from app import audience
from app.audit import trail as audit
from app.authz import Actor, Permission, authorize, in_scope
from app.core.errors import InvalidInput, InvalidTransition, NotFound, field_error
from app.orgs import service as orgs
from app.orgs.models import Organization
from app.plans import access as plans
from app.study_sessions.models import Attendance, SessionAudienceUnit, StudySession
from app.study_sessions.schemas import (
    AttendanceCounts,
    SessionCreate,
    SessionPublic,
    SessionUpdate,
)

STATUS_FLOW = {"scheduled": {"held", "cancelled"}, "held": set(), "cancelled": {"scheduled"}}


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
        db.exec(audience.sizes(StudySession, where=[StudySession.id.in_(list(result))])).all()
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

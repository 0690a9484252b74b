from __future__ import annotations

from fastapi import Query

from app.auth.deps import ClientAddress, CurrentActor
from app.authz import Permission
from app.core.db import DbSession
from app.core.inputs import IsoDateTime
from app.core.pagination import Page, Paging
from app.core.routing import ApiRouter, PublicBaseUrl
from app.people import service as people
from app.study_sessions import attendance, checkin, sessions
from app.study_sessions.schemas import (
    AttendanceBulk,
    AttendanceMark,
    CheckinCode,
    CheckinRequest,
    CheckinResult,
    RosterRow,
    SessionCreate,
    SessionPublic,
    SessionStatus,
    SessionStatusChange,
    SessionUpdate,
)

router = ApiRouter(tags=["sessions"])


@router.get("/sessions", response_model=Page[SessionPublic], summary="Study sessions I may read")
def list_sessions(
    actor: CurrentActor,
    db: DbSession,
    paging: Paging,
    plan_id: int | None = None,
    org_id: int | None = None,
    status: SessionStatus | None = None,
    since: IsoDateTime | None = Query(
        None, description="Ending at or after (ISO time with offset)"
    ),
    until: IsoDateTime | None = Query(None, description="Starting before (ISO time with offset)"),
) -> Page[SessionPublic]:
    items, total = sessions.list_sessions(
        db,
        actor,
        plan_id=plan_id,
        organization_id=org_id,
        status=status,
        since=since,
        until=until,
        limit=paging.limit,
        offset=paging.offset,
    )
    return Page(items=items, total=total, limit=paging.limit, offset=paging.offset)


@router.post("/sessions", response_model=SessionPublic, status_code=201)
def create_session(body: SessionCreate, actor: CurrentActor, db: DbSession) -> SessionPublic:
    return sessions.create_session(db, actor, body)


@router.get("/sessions/{session_id}", response_model=SessionPublic)
def get_session(session_id: int, actor: CurrentActor, db: DbSession) -> SessionPublic:
    session, _ = sessions.load_session(db, actor, session_id, Permission.SESSIONS_READ)
    return sessions.present(db, [session])[0]


@router.patch("/sessions/{session_id}", response_model=SessionPublic)
def update_session(
    session_id: int, body: SessionUpdate, actor: CurrentActor, db: DbSession
) -> SessionPublic:
    return sessions.update_session(db, actor, session_id, body)


@router.post(
    "/sessions/{session_id}/status",
    response_model=SessionPublic,
    summary="Mark held or cancelled (or reschedule a cancelled one)",
)
def change_status(
    session_id: int, body: SessionStatusChange, actor: CurrentActor, db: DbSession
) -> SessionPublic:
    return sessions.change_status(db, actor, session_id, body.status, body.minutes)


@router.get(
    "/sessions/{session_id}/attendance",
    response_model=list[RosterRow],
    summary="The roster and its marks",
)
def roster(session_id: int, actor: CurrentActor, db: DbSession) -> list[RosterRow]:
    return attendance.roster(db, actor, session_id)


@router.put("/sessions/{session_id}/attendance/{participant_id}", response_model=RosterRow)
def mark(
    session_id: int, participant_id: int, body: AttendanceMark, actor: CurrentActor, db: DbSession
) -> RosterRow:
    return attendance.mark(db, actor, session_id, participant_id, body.status, body.note)


@router.post(
    "/sessions/{session_id}/attendance/bulk",
    response_model=list[RosterRow],
    summary="Mark many: the given people, or everyone not marked yet",
)
def mark_bulk(
    session_id: int, body: AttendanceBulk, actor: CurrentActor, db: DbSession
) -> list[RosterRow]:
    return attendance.mark_bulk(db, actor, session_id, body.status, body.participant_ids)


@router.get(
    "/sessions/{session_id}/checkin-code",
    response_model=CheckinCode,
    summary="The rotating code and QR for the projector",
)
def checkin_code(
    session_id: int, actor: CurrentActor, db: DbSession, base_url: PublicBaseUrl
) -> CheckinCode:
    return checkin.code_for_projector(db, actor, session_id, base_url)


@router.post(
    "/checkin", response_model=CheckinResult, summary="Check in to a session with the code shown"
)
def check_in(
    body: CheckinRequest, actor: CurrentActor, db: DbSession, address: ClientAddress
) -> CheckinResult:
    return checkin.check_in(
        db, actor, people.own_participant(db, actor), body.code, method="checkin", address=address
    )

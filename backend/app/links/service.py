"""Personal links: a password-free page that acts for one participant only.

A link is a random token (unguessable) kept as a keyed hash, with an expiry; revoking a
person's links ends them all. Guessing is throttled by address like password logins.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlmodel import Session

from app.acknowledgements import service as acks
from app.acknowledgements.models import Acknowledgement
from app.audit import service as audit
from app.auth import throttle
from app.authz import Actor, Permission
from app.core.errors import NotFound
from app.core.security import new_token, token_digest
from app.files import service as files
from app.links.models import PersonalLink
from app.links.schemas import HomePerson, HomePlan, HomeSession, HomeTask, LinkIssued, TeacherHome
from app.orgs import service as orgs
from app.orgs.models import Organization, Unit, UnitMembership
from app.people import service as people
from app.people.models import Participant
from app.plans import service as plans
from app.plans.models import Plan, PlanAudienceUnit, PlanMaterial
from app.study_sessions import service as sessions
from app.study_sessions.models import Attendance, SessionAudienceUnit, StudySession
from app.tasks.models import Task

LINK_PREFIX = "ltp_"
MAX_BAD_LINKS_PER_ADDRESS = 30
_DEAD_LINK = (
    "Liên kết không hợp lệ, đã hết hạn hoặc đã bị thu hồi. "
    "/ This link is invalid, expired or revoked."
)


def _now() -> datetime:
    return datetime.now(UTC)


def link_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/#/l/{token}"


def participant_actor(participant: Participant, via: str) -> Actor:
    """Acts for this participant and nobody else: no role, no organisation-wide permission."""
    return Actor(label=f"{via}:{participant.staff_code}", grants=(), participant_id=participant.id)


def _issue(
    db: Session, actor: Actor, participant: Participant, valid_days: int, base_url: str
) -> LinkIssued:
    token, digest = new_token(LINK_PREFIX)
    link = PersonalLink(
        participant_id=participant.id,
        token_hash=digest,
        created_by_id=actor.user_id,
        expires_at=_now() + timedelta(days=valid_days),
    )
    db.add(link)
    db.flush()
    audit.record(
        db,
        actor,
        "link.issue",
        entity_type="participant",
        entity_id=participant.id,
        organization_id=participant.organization_id,
        after={"link_id": link.id, "expires_at": link.expires_at.isoformat()},
    )
    url = link_url(base_url, token)
    return LinkIssued(
        participant_id=participant.id,
        full_name=participant.full_name,
        url=url,
        token=token,
        expires_at=link.expires_at,
        qr_svg_data_uri=sessions.qr_data_uri(url),
    )


def issue_link(
    db: Session, actor: Actor, participant_id: int, valid_days: int, base_url: str
) -> LinkIssued:
    participant = people.load_participant(
        db, actor, participant_id, Permission.ACKNOWLEDGEMENTS_RECORD
    )
    if not participant.active:
        raise NotFound("Cán bộ đã ngừng hoạt động. / This person is inactive.")
    issued = _issue(db, actor, participant, valid_days, base_url)
    db.commit()
    return issued


def issue_for_demo(db: Session, participant: Participant, base_url: str) -> LinkIssued:
    system = Actor(label="demo", grants=())
    issued = _issue(db, system, participant, 30, base_url)
    db.commit()
    return issued


def revoke_links(db: Session, actor: Actor, participant_id: int) -> int:
    participant = people.load_participant(
        db, actor, participant_id, Permission.ACKNOWLEDGEMENTS_RECORD
    )
    result = db.exec(
        sa.update(PersonalLink)
        .where(PersonalLink.participant_id == participant.id, PersonalLink.revoked_at.is_(None))
        .values(revoked_at=_now())
    )
    audit.record(
        db,
        actor,
        "link.revoke",
        entity_type="participant",
        entity_id=participant.id,
        organization_id=participant.organization_id,
        after={"revoked": result.rowcount},
    )
    db.commit()
    return result.rowcount


def link_sheet(
    db: Session, actor: Actor, org_id: int, unit_id: int | None, valid_days: int, base_url: str
) -> list[LinkIssued]:
    """Fresh links for a unit (or everyone), to print as a sheet of personal QR codes."""
    org = orgs.get_org(db, actor, org_id, Permission.PEOPLE_MANAGE)
    query = sa.select(Participant).where(
        Participant.organization_id == org.id, Participant.active.is_(True)
    )
    if unit_id is not None:
        unit = db.get(Unit, unit_id)
        if unit is None or unit.organization_id != org.id:
            raise NotFound("Không tìm thấy tổ/bộ phận. / Unit not found.")
        query = query.where(
            Participant.id.in_(
                sa.select(UnitMembership.participant_id).where(UnitMembership.unit_id == unit_id)
            )
        )
    issued = [
        _issue(db, actor, p, valid_days, base_url)
        for p in db.exec(query.order_by(Participant.full_name)).scalars()
    ]
    db.commit()
    return issued


def resolve(db: Session, token: str, address: str) -> tuple[Participant, Actor]:
    """The participant a link acts for, or 404 (and a counted failure) for a bad link.

    Only failures are throttled: a guesser over the limit gets 429 instead of 404 and learns
    nothing more, while a real link costs no extra query.
    """
    now = _now()
    found = db.exec(
        sa.select(PersonalLink, Participant)
        .join(Participant, Participant.id == PersonalLink.participant_id)
        .where(PersonalLink.token_hash == token_digest(token))
    ).first()
    if (
        found is None
        or found[0].revoked_at is not None
        or found[0].expires_at <= now
        or not found[1].active
    ):
        throttle.check(
            db,
            "link",
            subject=None,
            address=address,
            per_subject=0,
            per_address=MAX_BAD_LINKS_PER_ADDRESS,
        )
        throttle.record_failure(db, "link", address=address)
        raise NotFound(_DEAD_LINK)
    link, participant = found
    if link.last_used_at is None or now - link.last_used_at > timedelta(minutes=1):
        link.last_used_at = now
    return participant, participant_actor(participant, "link")


# The teacher's home: the same for a personal link and for a signed-in member.


def _summary(plan: Plan) -> str:
    for section in plan.sections:
        if section.get("key") == "purpose":
            return section.get("body", "")[:1200]
    return plan.preamble[:1200]


def home(db: Session, participant: Participant) -> TeacherHome:
    org = db.get(Organization, participant.organization_id)
    unit_rows = db.exec(
        sa.select(Unit.id, Unit.name)
        .join(UnitMembership, UnitMembership.unit_id == Unit.id)
        .where(UnitMembership.participant_id == participant.id)
        .order_by(Unit.name)
    ).all()
    unit_ids = [u for u, _ in unit_rows]

    # The person's plans and sessions in one query each: addressed to all, or to a unit of theirs.
    plan_for_my_units = sa.select(PlanAudienceUnit.plan_id).where(
        PlanAudienceUnit.unit_id.in_(unit_ids)
    )
    active_plans = list(
        db.exec(
            sa.select(Plan)
            .where(
                Plan.organization_id == org.id,
                Plan.status.in_(("active", "closed")),
                sa.or_(Plan.audience_all.is_(True), Plan.id.in_(plan_for_my_units)),
            )
            .order_by(Plan.issued_on.desc(), Plan.id.desc())
        ).scalars()
    )
    mine = {
        a.plan_id: a
        for a in db.exec(
            sa.select(Acknowledgement).where(
                Acknowledgement.participant_id == participant.id,
                Acknowledgement.withdrawn_at.is_(None),
            )
        ).scalars()
    }
    current = [
        mine[plan.id]
        for plan in active_plans
        if plan.id in mine and mine[plan.id].material_major == plan.material_major
    ]
    shown = {a.plan_id: a for a in acks.present(db, current)} if current else {}
    materials = plans.materials_of(db, [plan.id for plan in active_plans])
    home_plans = []
    for plan in active_plans:
        home_plans.append(
            HomePlan(
                id=plan.id,
                symbol=plan.symbol,
                title=plan.title,
                issuer_name=org.name,
                issued_on=plan.issued_on,
                material_major=plan.material_major,
                reflection_required=plan.reflection_required,
                reflection_min_length=plan.reflection_min_length,
                summary=_summary(plan),
                materials=materials.get(plan.id, []),
                acknowledgement=shown.get(plan.id),
                closed=plan.status == "closed",
            )
        )

    now = _now()
    session_rows = db.exec(
        sa.select(StudySession, Attendance.status)
        .outerjoin(
            Attendance,
            sa.and_(
                Attendance.session_id == StudySession.id,
                Attendance.participant_id == participant.id,
            ),
        )
        .where(
            StudySession.organization_id == org.id,
            StudySession.ends_at >= now - timedelta(days=30),
            sa.or_(
                StudySession.audience_all.is_(True),
                StudySession.id.in_(
                    sa.select(SessionAudienceUnit.session_id).where(
                        SessionAudienceUnit.unit_id.in_(unit_ids)
                    )
                ),
            ),
        )
        .order_by(StudySession.starts_at)
    ).all()
    home_sessions = []
    for session, my_status in session_rows:
        opens, closes = sessions.checkin_window(session)
        home_sessions.append(
            HomeSession(
                id=session.id,
                plan_id=session.plan_id,
                kind=session.kind,
                title=session.title,
                starts_at=session.starts_at,
                ends_at=session.ends_at,
                place=session.place,
                online_url=session.online_url,
                presenter=session.presenter,
                status=session.status,
                my_status=my_status,
                checkin_open=session.status != "cancelled" and opens <= now <= closes,
            )
        )

    today = plans.today()
    unit_names = dict(unit_rows)
    task_rows = db.exec(
        sa.select(Task)
        .where(
            sa.or_(
                Task.assignee_participant_id == participant.id,
                Task.assignee_unit_id.in_(unit_ids or [-1]),
            ),
            Task.status.in_(("todo", "in_progress")),
        )
        .order_by(Task.due_on.is_(None), Task.due_on, Task.id)
    ).scalars()
    home_tasks = [
        HomeTask(
            id=t.id,
            plan_id=t.plan_id,
            title=t.title,
            due_on=t.due_on,
            status=t.status,
            overdue=t.due_on is not None and t.due_on < today,
            assigned_to_unit=unit_names.get(t.assignee_unit_id),
        )
        for t in task_rows
    ]
    return TeacherHome(
        person=HomePerson(
            id=participant.id,
            full_name=participant.full_name,
            position=participant.position,
            organization_name=org.name,
            units=[name for _, name in unit_rows],
        ),
        pending_count=sum(1 for p in home_plans if p.acknowledgement is None and not p.closed),
        plans=home_plans,
        sessions=home_sessions,
        tasks=home_tasks,
    )


def plan_for_link(db: Session, participant: Participant, plan_id: int) -> Plan:
    plan = db.get(Plan, plan_id)
    if plan is None or plan.status == "draft" or not plans.in_audience(db, plan, participant.id):
        raise NotFound("Không tìm thấy kế hoạch. / Plan not found.")
    return plan


def material_for_link(db: Session, participant: Participant, material_id: int) -> files.FileContent:
    """A file of a plan addressed to this participant; nothing else is reachable this way."""
    material = db.get(PlanMaterial, material_id)
    if material is None or material.file_id is None:
        raise NotFound("Không tìm thấy tài liệu. / Material not found.")
    plan_for_link(db, participant, material.plan_id)
    return files.open_file(db, material.file_id)


def ack_for_link(db: Session, participant: Participant, plan_id: int) -> Acknowledgement:
    plan = plan_for_link(db, participant, plan_id)
    record = acks.current_for(db, plan, participant.id)
    if record is None:
        raise NotFound("Bạn chưa xác nhận kế hoạch này. / You have not confirmed this plan yet.")
    return record

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
from app.acknowledgements.schemas import AcknowledgementPublic
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
from app.plans.models import Plan, PlanMaterial
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


def participant_actor(participant: people.Person, via: str) -> Actor:
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


_LINK_HOLDER = (
    sa.select(
        Participant.id,
        Participant.organization_id,
        Participant.full_name,
        Participant.staff_code,
        Participant.position,
        Organization.name.label("organization_name"),
    )
    .join(PersonalLink, PersonalLink.participant_id == Participant.id)
    .join(Organization, Organization.id == Participant.organization_id)
    .where(
        PersonalLink.token_hash == sa.bindparam("digest"),
        PersonalLink.revoked_at.is_(None),
        PersonalLink.expires_at > sa.bindparam("now"),
        Participant.active.is_(True),
    )
)


def resolve(db: Session, token: str, address: str) -> tuple[sa.Row, Actor]:
    """The person a link acts for (a `people.Person` row with `organization_name`), or 404
    (and a counted failure) for a bad link.

    Only failures are throttled: a guesser over the limit gets 429 instead of 404 and learns
    nothing more, while a real link costs one indexed read and writes nothing.
    """
    person = (
        db.connection()
        .execute(_LINK_HOLDER, {"digest": token_digest(token), "now": _now()})
        .first()
    )
    if person is None:
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
    return person, participant_actor(person, "link")


# The teacher's home: the same for a personal link and for a signed-in member. Every
# teacher of a school opens it within minutes of an announcement, so it is read with
# prepared plain SQL, one statement per part of the page.

_PERSON = sa.bindparam("participant_id")
_MY_UNITS = (
    sa.select(Unit.id, Unit.name)
    .join(UnitMembership, UnitMembership.unit_id == Unit.id)
    .where(UnitMembership.participant_id == _PERSON)
    .order_by(Unit.name)
)
_MY_UNIT_IDS = sa.select(UnitMembership.unit_id).where(UnitMembership.participant_id == _PERSON)
_ACK_COLUMNS = [c.label(f"ack_{c.name}") for c in Acknowledgement.__table__.c]
_MY_PLANS = (
    sa.select(
        Plan.id,
        Plan.symbol,
        Plan.title,
        Plan.issued_on,
        Plan.material_major,
        Plan.reflection_required,
        Plan.reflection_min_length,
        Plan.status,
        Plan.updated_at,
        *_ACK_COLUMNS,
    )
    .outerjoin(Acknowledgement, acks.live_confirmation(_PERSON))
    .where(
        Plan.organization_id == sa.bindparam("organization_id"),
        # Constant conditions are spelled without IN: an IN list is re-rendered per execution.
        Plan.status != "draft",
        plans.addresses(_PERSON),
    )
    .order_by(Plan.issued_on.desc(), Plan.id.desc())
)
_MY_SESSIONS = (
    sa.select(
        StudySession.id,
        StudySession.plan_id,
        StudySession.kind,
        StudySession.title,
        StudySession.starts_at,
        StudySession.ends_at,
        StudySession.place,
        StudySession.online_url,
        StudySession.presenter,
        StudySession.status,
        Attendance.status.label("my_status"),
    )
    .outerjoin(
        Attendance,
        sa.and_(Attendance.session_id == StudySession.id, Attendance.participant_id == _PERSON),
    )
    .where(
        StudySession.organization_id == sa.bindparam("organization_id"),
        StudySession.ends_at >= sa.bindparam("since"),
        sa.or_(
            StudySession.audience_all.is_(True),
            StudySession.id.in_(
                sa.select(SessionAudienceUnit.session_id).where(
                    SessionAudienceUnit.unit_id.in_(_MY_UNIT_IDS)
                )
            ),
        ),
    )
    .order_by(StudySession.starts_at)
)
_MY_OPEN_TASKS = (
    sa.select(Task.id, Task.plan_id, Task.title, Task.due_on, Task.status, Task.assignee_unit_id)
    .where(
        sa.or_(
            Task.assignee_participant_id == _PERSON,
            Task.assignee_unit_id.in_(_MY_UNIT_IDS),
        ),
        sa.or_(Task.status == "todo", Task.status == "in_progress"),
    )
    .order_by(Task.due_on.is_(None), Task.due_on, Task.id)
)


def home(db: Session, person: people.Person, organization_name: str) -> TeacherHome:
    run = db.connection().execute
    unit_rows = run(_MY_UNITS, {"participant_id": person.id}).all()
    mine = {"participant_id": person.id, "organization_id": person.organization_id}

    plan_rows = run(_MY_PLANS, mine).all()
    materials = plans.materials_of(db, [row.id for row in plan_rows])
    summaries = plans.summaries(db, [(row.id, row.updated_at) for row in plan_rows])
    home_plans = [
        HomePlan(
            id=row.id,
            symbol=row.symbol,
            title=row.title,
            issuer_name=organization_name,
            issued_on=row.issued_on,
            material_major=row.material_major,
            reflection_required=row.reflection_required,
            reflection_min_length=row.reflection_min_length,
            summary=summaries.get(row.id, ""),
            materials=materials.get(row.id, []),
            acknowledgement=_my_acknowledgement(row, person),
            closed=row.status == "closed",
        )
        for row in plan_rows
    ]

    now = _now()
    session_rows = run(_MY_SESSIONS, {**mine, "since": now - timedelta(days=30)}).all()
    home_sessions = []
    for row in session_rows:
        opens, closes = sessions.checkin_window(row)
        home_sessions.append(
            HomeSession.model_validate(
                {
                    **row._mapping,
                    "checkin_open": row.status != "cancelled" and opens <= now <= closes,
                }
            )
        )

    today = plans.today()
    unit_names = dict(unit_rows)
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
        for t in run(_MY_OPEN_TASKS, mine)
    ]
    return TeacherHome(
        person=HomePerson(
            id=person.id,
            full_name=person.full_name,
            position=person.position,
            organization_name=organization_name,
            units=[name for _, name in unit_rows],
        ),
        pending_count=sum(1 for p in home_plans if p.acknowledgement is None and not p.closed),
        plans=home_plans,
        sessions=home_sessions,
        tasks=home_tasks,
    )


def member_home(db: Session, actor: Actor) -> TeacherHome:
    """The home of a signed-in staff member: the same page as their personal link's."""
    participant = people.own_participant(db, actor)
    return home(db, participant, orgs.load_org(db, participant.organization_id).name)


def _my_acknowledgement(row: sa.Row, person: people.Person) -> AcknowledgementPublic | None:
    if row.ack_id is None:
        return None
    values = {c.name: getattr(row, f"ack_{c.name}") for c in Acknowledgement.__table__.c}
    return acks.as_public(values, person.full_name)


_PLAN_NOT_FOUND = "Không tìm thấy kế hoạch. / Plan not found."


def plan_for_link(db: Session, participant: people.Person, plan_id: int) -> Plan:
    plan = db.get(Plan, plan_id)
    if plan is None or plan.status == "draft" or not plans.in_audience(db, plan, participant.id):
        raise NotFound(_PLAN_NOT_FOUND)
    return plan


def confirm_by_link(
    db: Session,
    person: people.Person,
    actor: Actor,
    plan_id: int,
    reflection: str | None,
    address: str,
) -> tuple[AcknowledgementPublic, bool]:
    """The one tap: a plan that is not this person's is not found, as for every link read."""
    plan = acks.confirmable(db, plan_id, person.id)
    if plan is None or plan.status == "draft" or not plan.addressed:
        raise NotFound(_PLAN_NOT_FOUND)
    return acks.confirm(
        db, actor, plan, person, method="link", reflection=reflection, address=address
    )


def material_for_link(
    db: Session, participant: people.Person, material_id: int
) -> files.FileContent:
    """A file of a plan addressed to this participant; nothing else is reachable this way."""
    material = db.get(PlanMaterial, material_id)
    if material is None or material.file_id is None:
        raise NotFound("Không tìm thấy tài liệu. / Material not found.")
    plan_for_link(db, participant, material.plan_id)
    return files.open_file(db, material.file_id)


def ack_for_link(db: Session, participant: people.Person, plan_id: int) -> Acknowledgement:
    plan = plan_for_link(db, participant, plan_id)
    record = acks.current_for(db, plan, participant.id)
    if record is None:
        raise NotFound("Bạn chưa xác nhận kế hoạch này. / You have not confirmed this plan yet.")
    return record

"""Personal links: a password-free page that acts for one participant only.

A link is a random token (unguessable) kept as a keyed hash, with an expiry; revoking a
person's links ends them all. Guessing is throttled by address like password logins.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any, NoReturn

import sqlalchemy as sa
from sqlmodel import Session

from app.acknowledgements import confirmation as acks
from app.acknowledgements.models import Acknowledgement
from app.acknowledgements.schemas import AcknowledgementPublic
from app.audit import trail as audit
from app.auth import throttle
from app.auth.models import User
from app.authz import Actor, LinkUse, Permission
from app.core import revision as content_revision
from app.core.db import PreparedRead, writing
from app.core.errors import Forbidden, NotFound
from app.core.security import LINK_TOKEN_PREFIX, new_token, token_digest
from app.files import service as files
from app.links import home, revocation
from app.links.models import PersonalLink
from app.links.schemas import LinkIssued, TeacherHome
from app.orgs import service as orgs
from app.orgs.models import Organization, Unit, UnitMembership, live_membership
from app.people import service as people
from app.people.models import Participant
from app.plans.models import PlanMaterial
from app.study_sessions import checkin

MAX_BAD_LINKS_PER_ADDRESS = 30
_DEAD_LINK = (
    "Liên kết không hợp lệ, đã hết hạn hoặc đã bị thu hồi. "
    "/ This link is invalid, expired or revoked."
)


def _now() -> datetime:
    return datetime.now(UTC)


def link_url(base_url: str, token: str) -> str:
    return f"{base_url.rstrip('/')}/l/{token}"


def link_actor(holder: Any) -> Actor:
    """Acts for the link's participant and nobody else: no role, no organisation-wide
    permission; what it writes names the link and its issuer (`_LINK_HOLDER`)."""
    return Actor(
        label=f"link:{holder.staff_code}",
        grants=(),
        participant_id=holder.id,
        link=LinkUse(holder.link_id, holder.link_issued_by_id, holder.link_issued_by_name),
    )


def _issue(
    db: Session, actor: Actor, participant: Participant, valid_days: int, base_url: str
) -> LinkIssued:
    token, digest = new_token(LINK_TOKEN_PREFIX)
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
        staff_code=participant.staff_code,
        url=url,
        token=token,
        expires_at=link.expires_at,
        qr_svg_data_uri=checkin.qr_data_uri(url),
    )


def issue_link(
    db: Session, actor: Actor, participant_id: int, valid_days: int, base_url: str
) -> LinkIssued:
    participant = people.load_participant(
        db, actor, participant_id, Permission.ACKNOWLEDGEMENTS_RECORD
    )
    if not participant.active:
        raise NotFound("Cán bộ đã ngừng hoạt động. / This person is inactive.")
    return _issue(db, actor, participant, valid_days, base_url)


def issue_many(
    db: Session, actor: Actor, people: dict[int, int], valid_days: int, base_url: str
) -> dict[int, str]:
    """Fresh links for many people at once ({participant: organisation}), each audited as
    `issue_link`'s are: their addresses by participant. Two statements, whatever the number
    (the reminders' emails carry them)."""
    if not people:
        return {}
    now = _now()
    issued = {pid: new_token(LINK_TOKEN_PREFIX) for pid in people}
    rows = [
        {
            "participant_id": pid,
            "token_hash": digest,
            "created_at": now,
            "created_by_id": actor.user_id,
            "expires_at": now + timedelta(days=valid_days),
        }
        for pid, (_, digest) in issued.items()
    ]
    made = db.connection().execute(
        sa.insert(PersonalLink).returning(PersonalLink.id, PersonalLink.participant_id), rows
    )
    audit.record_many(
        db,
        actor,
        "link.issue",
        entity_type="participant",
        events=[
            (
                pid,
                people[pid],
                {"link_id": link_id, "expires_at": rows[0]["expires_at"].isoformat()},
            )
            for link_id, pid in made
        ],
    )
    return {pid: link_url(base_url, token) for pid, (token, _) in issued.items()}


def issue_for_demo(db: Session, participant: Participant, base_url: str) -> LinkIssued:
    return _issue(db, Actor(label="demo", grants=()), participant, 30, base_url)


def revoke_links(db: Session, actor: Actor, participant_id: int) -> None:
    participant = people.load_participant(
        db, actor, participant_id, Permission.ACKNOWLEDGEMENTS_RECORD
    )
    revocation.revoke_links(db, actor, [participant])


def link_sheet(
    db: Session,
    actor: Actor,
    org_id: int,
    unit_id: int | None,
    valid_days: int,
    base_url: str,
    *,
    revoke_previous: bool = False,
) -> list[LinkIssued]:
    """Fresh links for a unit (or everyone), to print as a sheet of personal QR codes.

    With `revoke_previous` the links these people already hold stop working: a sheet printed
    again after one went astray replaces it instead of adding to it.
    """
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
                sa.select(UnitMembership.participant_id).where(
                    UnitMembership.unit_id == unit_id, live_membership()
                )
            )
        )
    staff = list(db.exec(query.order_by(Participant.sort_name, Participant.id)).scalars())
    if revoke_previous and staff:
        revocation.revoke_links(db, actor, staff)
    return [_issue(db, actor, p, valid_days, base_url) for p in staff]


def _holder(*conditions: sa.ColumnElement[bool]) -> sa.Select:
    """The person a page is for, with what their home is read under (see `home.page_read`)."""
    return (
        sa.select(
            Participant.id,
            Participant.organization_id,
            Participant.full_name,
            Participant.staff_code,
            Participant.position,
            Organization.name.label("organization_name"),
            content_revision.CURRENT.label("content_revision"),
        )
        .join(Organization, Organization.id == Participant.organization_id)
        .where(*conditions)
    )


_LINK_HOLDER_QUERY = _holder(
    PersonalLink.token_hash == sa.bindparam("digest"),
    PersonalLink.revoked_at.is_(None),
    PersonalLink.expires_at > sa.bindparam("now"),
    Participant.active.is_(True),
).join(PersonalLink, PersonalLink.participant_id == Participant.id)
# The holder with the link and its issuer, for what the link writes; the home needs neither.
_LINK_HOLDER = PreparedRead(
    _LINK_HOLDER_QUERY.add_columns(
        PersonalLink.id.label("link_id"),
        PersonalLink.created_by_id.label("link_issued_by_id"),
        User.display_name.label("link_issued_by_name"),
    ).outerjoin(User, User.id == PersonalLink.created_by_id)
)
_LINK_HOME = home.page_read(_LINK_HOLDER_QUERY)
_MEMBER_HOME = home.page_read(_holder(Participant.id == sa.bindparam("participant_id")))


def resolve(db: Session, token: str, address: str) -> tuple[Any, Actor]:
    """The person a link acts for (a `people.Person` row with `organization_name` and
    `content_revision`) and the actor that names the link in what it writes, or 404 (and a
    counted failure) for a bad link."""
    person = _LINK_HOLDER.first(db, digest=token_digest(token), now=_now())
    if person is None:
        _refuse(db, address)
    return person, link_actor(person)


def _refuse(db: Session, address: str) -> NoReturn:
    """Only failures are throttled: a guesser over the limit gets 429 instead of 404 and
    learns nothing more, while a real link costs one indexed read and writes nothing.
    The failure is written even from a GET (as a writer: on SQLite a read cannot become one
    while another request writes, which answered 503 instead of 404)."""
    with writing(db):
        throttle.check(db, "link", address=address, per_address=MAX_BAD_LINKS_PER_ADDRESS)
        throttle.record_failure(db, "link", address=address)
    raise NotFound(_DEAD_LINK, keep_writes=True)


def link_home(db: Session, token: str, address: str) -> TeacherHome:
    """The personal page, in one read."""
    page = home.home(db, _LINK_HOME, digest=token_digest(token), now=_now())
    if page is None:
        _refuse(db, address)
    return page


def member_home(db: Session, actor: Actor) -> TeacherHome:
    """The home of a signed-in staff member: the same page as their personal link's."""
    participant = people.own_participant(db, actor)
    if not participant.active:
        raise Forbidden("Cán bộ đã ngừng hoạt động. / This staff member is no longer active.")
    page = home.home(db, _MEMBER_HOME, participant_id=participant.id)
    if page is None:  # removed since the line above
        raise NotFound("Không tìm thấy cán bộ. / Staff member not found.")
    return page


def confirm_by_link(
    db: Session, token: str, plan_id: int, reflection: str | None, address: str
) -> tuple[AcknowledgementPublic, bool]:
    """The one tap."""
    person, actor = resolve(db, token, address)
    return acks.confirm(
        db,
        actor,
        acks.own_plan(db, plan_id, person),
        person,
        method="link",
        reflection=reflection,
        address=address,
    )


def material_for_link(
    db: Session, participant: people.Person, material_id: int
) -> files.FileContent:
    """A file of a plan addressed to this participant; nothing else is reachable this way."""
    material = db.get(PlanMaterial, material_id)
    if material is None or material.file_id is None:
        raise NotFound("Không tìm thấy tài liệu. / Material not found.")
    acks.own_plan(db, material.plan_id, participant)
    return files.open_file(db, material.file_id)


def ack_for_link(db: Session, participant: people.Person, plan_id: int) -> Acknowledgement:
    existing_id = acks.own_plan(db, plan_id, participant).existing_id
    record = None if existing_id is None else db.get(Acknowledgement, existing_id)
    if record is None:
        raise NotFound("Bạn chưa xác nhận kế hoạch này. / You have not confirmed this plan yet.")
    return record

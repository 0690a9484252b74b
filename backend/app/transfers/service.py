"""Moving a person to another organisation, and reading her moves.

A transfer records her arrival as a new staff row there and ends her row here, at the same
moment: figures of this school as of any earlier moment still count her (and her
confirmations, which stay on the row she made them on), later ones do not, and the plans of
the new school address her from that moment (`app.audience.on_roll`). Issued reports are
stored and never recomputed, so they stay as they were. Her login follows her; her personal
links, unit memberships and roles here end.

The moment is the one of recording: a back-dated move would change what this school's past
figures say, a future one would leave her on two rolls. The decision's number and date are
kept beside it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session

from app.audit import trail as audit
from app.auth import accounts
from app.auth.models import RoleAssignment, User
from app.authz import Actor, Permission, Role, in_scope, require_somewhere
from app.core.base import utcnow
from app.core.config import current_settings
from app.core.errors import InvalidInput, field_error
from app.core.pagination import Page
from app.links import revocation
from app.orgs import service as orgs
from app.orgs.models import Organization, UnitMembership
from app.people import service as people
from app.people.models import Participant
from app.people.schemas import ParticipantPublic
from app.transfers import models
from app.transfers.models import ParticipantTransfer
from app.transfers.schemas import TransferCreate, TransferPublic

_TO_ORG = "body.to_org_id"


def transfer(
    db: Session, actor: Actor, participant_id: int, data: TransferCreate
) -> ParticipantPublic:
    """Move the person to `data.to_org_id`: for one who manages people in both organisations
    (in practice the district's admin). Her new row, as the person page shows it."""
    old = people.load_participant(db, actor, participant_id, Permission.PEOPLE_MANAGE)
    # Read her again under a lock: a move made meanwhile shows, and the second one stops here.
    db.exec(
        sa.select(Participant)
        .where(Participant.id == old.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    if not old.active:
        raise _not_movable(db, old)
    source = orgs.load_org(db, old.organization_id)
    target = _receiving(db, actor, source, data.to_org_id)
    user = people.login_of(db, old)
    if user is not None:
        accounts.authorize_account(db, actor, user)
    if data.decided_on and data.decided_on > datetime.now(current_settings().zone).date():
        raise InvalidInput(
            "Ngày quyết định không được ở tương lai. / The decision's date must not be ahead.",
            errors=[field_error("body.decided_on", "must not be after today", "future_date")],
        )
    code = data.staff_code or old.staff_code
    people.ensure_code_free(db, target.id, code)
    units = orgs.units_in(db, target.id, data.unit_ids, field="body.unit_ids")

    now = utcnow()
    new = Participant(
        organization_id=target.id,
        full_name=old.full_name,
        staff_code=code,
        position=data.position or old.position,
        email=old.email,
        phone=old.phone,
        created_at=now,
        updated_at=now,
    )
    details = {
        "decision_ref": data.decision_ref,
        "decided_on": data.decided_on.isoformat() if data.decided_on else None,
        "note": data.note,
    }
    audit.create(
        db,
        actor,
        "participant.transfer_in",
        new,
        from_participant_id=old.id,
        from_organization_id=source.id,
        unit_ids=[u.id for u in units],
        **details,
    )
    for unit in units:
        db.add(UnitMembership(unit_id=unit.id, participant_id=new.id, started_at=now))
    with audit.change(db, actor, "participant.transfer_out", old) as event:
        old.active, old.deactivated_at = False, now
        ended = orgs.end_memberships(db, UnitMembership.participant_id == old.id, now)
        event.note(
            to_participant_id=new.id,
            to_organization_id=target.id,
            memberships_ended=ended,
            **details,
        )
    db.add(
        ParticipantTransfer(
            from_participant_id=old.id,
            to_participant_id=new.id,
            from_organization_id=source.id,
            to_organization_id=target.id,
            moved_at=now,
            decision_ref=data.decision_ref,
            decided_on=data.decided_on,
            note=data.note,
            created_by_id=actor.user_id,
        )
    )
    db.flush()  # the unique link: of two moves at once past the lock, one fails here
    revocation.revoke_links(db, actor, [old])
    if user is not None:
        _move_login(db, actor, user, source, target, new)
    return people.present(db, [new])[0]


def onward(db: Session, participant_id: int) -> Any:
    """Where she went from this row (`transfers.models.onward`), else None."""
    return db.exec(models.onward(participant_id)).first()


def _not_movable(db: Session, old: Participant) -> InvalidInput:
    """The refusal for a row no longer on the staff: naming where she went, when she moved
    (a retried request learns it was done)."""
    went = onward(db, old.id)
    if went is None:
        return InvalidInput(
            "Cán bộ đã ngừng hoạt động; kích hoạt lại trước khi chuyển trường. "
            "/ This person is inactive; reactivate her before a transfer."
        )
    return InvalidInput(
        f"Cán bộ đã chuyển đến {went.name} (hồ sơ mới số {went.to_participant_id}). "
        f"/ She has already moved to {went.name} (her row {went.to_participant_id} there)."
    )


def _receiving(db: Session, actor: Actor, source: Organization, org_id: int) -> Organization:
    """The organisation she moves to: another of the same kind (a school to a school) where
    the actor manages people; a 422 on the field otherwise, whether it exists or not."""
    target = db.get(Organization, org_id)
    if target is None or not actor.can(Permission.PEOPLE_MANAGE, target.path):
        raise InvalidInput(
            "Không có đơn vị này trong phạm vi quản lý của bạn. "
            "/ No such organisation within your reach.",
            errors=[field_error(_TO_ORG, "not an organisation whose staff you manage")],
        )
    if target.id == source.id:
        raise InvalidInput(
            "Cán bộ đang thuộc đơn vị này. / She is already on its staff.",
            errors=[field_error(_TO_ORG, "the organisation she is in now", "same_organisation")],
        )
    if target.kind != source.kind:
        raise InvalidInput(
            f"Chỉ chuyển sang đơn vị cùng loại ({source.kind}). "
            f"/ She can move only to another {source.kind}.",
            errors=[field_error(_TO_ORG, f"not a {source.kind}", "kind")],
        )
    return target


def _move_login(
    db: Session,
    actor: Actor,
    user: User,
    source: Organization,
    target: Organization,
    new: Participant,
) -> None:
    """Her login now acts for her new row; her role in the school she left ends, and she is a
    member of the new one (its admin gives her more). Her sessions go on."""
    audit.record(
        db,
        actor,
        "user.update",
        entity_type="user",
        entity_id=user.id,
        organization_id=target.id,
        before={"participant_id": user.participant_id},
        after={"participant_id": new.id},
    )
    user.participant_id = new.id
    for assignment in db.exec(
        sa.select(RoleAssignment).where(
            RoleAssignment.user_id == user.id, RoleAssignment.organization_id == source.id
        )
    ).scalars():
        audit.delete(db, actor, "role.remove", assignment)
    held = db.exec(
        sa.select(RoleAssignment.id).where(
            RoleAssignment.user_id == user.id, RoleAssignment.organization_id == target.id
        )
    ).first()
    if held is None:
        audit.create(
            db,
            actor,
            "role.set",
            RoleAssignment(user_id=user.id, organization_id=target.id, role=Role.MEMBER),
        )


# Reading


# Both rows and both organisations of a move, for the reads that show it.
_OLD, _NEW = aliased(Participant), aliased(Participant)
_SOURCE, _TARGET = aliased(Organization), aliased(Organization)


def _listing() -> sa.Select:
    """SELECT of the moves with what a reader needs of both sides (no `direction`)."""
    return (
        sa.select(
            ParticipantTransfer.id,
            _NEW.full_name,
            ParticipantTransfer.from_participant_id,
            _OLD.staff_code.label("from_staff_code"),
            ParticipantTransfer.from_organization_id,
            _SOURCE.name.label("from_organization_name"),
            ParticipantTransfer.to_participant_id,
            _NEW.staff_code.label("to_staff_code"),
            ParticipantTransfer.to_organization_id,
            _TARGET.name.label("to_organization_name"),
            ParticipantTransfer.moved_at,
            ParticipantTransfer.decision_ref,
            ParticipantTransfer.decided_on,
            ParticipantTransfer.note,
            User.display_name.label("created_by_name"),
        )
        .join(_OLD, _OLD.id == ParticipantTransfer.from_participant_id)
        .join(_NEW, _NEW.id == ParticipantTransfer.to_participant_id)
        .join(_SOURCE, _SOURCE.id == ParticipantTransfer.from_organization_id)
        .join(_TARGET, _TARGET.id == ParticipantTransfer.to_organization_id)
        .outerjoin(User, User.id == ParticipantTransfer.created_by_id)
    )


def of_participant(db: Session, actor: Actor, participant_id: int) -> list[TransferPublic]:
    """The moves that brought this row of hers or ended it (at most one each), oldest first:
    who may read the person reads the school on the other side and the date."""
    person = people.load_participant(db, actor, participant_id, Permission.PEOPLE_READ)
    rows = db.exec(
        _listing()
        .where(
            sa.or_(
                ParticipantTransfer.from_participant_id == person.id,
                ParticipantTransfer.to_participant_id == person.id,
            )
        )
        .order_by(ParticipantTransfer.moved_at)
    ).all()
    return [
        TransferPublic(
            **row._asdict(), direction="in" if row.to_participant_id == person.id else "out"
        )
        for row in rows
    ]


def list_transfers(
    db: Session, actor: Actor, *, org_id: int | None, limit: int, offset: int
) -> Page[TransferPublic]:
    """Moves into or out of the organisations the caller may read people in (or of the
    subtree of `org_id`), newest first: the district clerk's register."""
    conditions = [
        sa.or_(
            in_scope(actor, Permission.PEOPLE_READ, _SOURCE.path),
            in_scope(actor, Permission.PEOPLE_READ, _TARGET.path),
        )
    ]
    if org_id is None:
        require_somewhere(actor, Permission.PEOPLE_READ)
    else:
        org = orgs.get_org(db, actor, org_id, Permission.PEOPLE_READ)
        conditions.append(
            sa.or_(
                _SOURCE.path.startswith(org.path, autoescape=True),
                _TARGET.path.startswith(org.path, autoescape=True),
            )
        )
    query = _listing().where(*conditions)
    total = db.exec(sa.select(sa.func.count()).select_from(query.subquery())).one()[0]
    rows = db.exec(
        query.order_by(ParticipantTransfer.moved_at.desc(), ParticipantTransfer.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return Page(
        items=[TransferPublic(**row._asdict()) for row in rows],
        total=total,
        limit=limit,
        offset=offset,
    )


def earlier_rows(participant_ids: list[int]) -> sa.Select:
    """SELECT of the ids (column `participant_id`) of these rows and of every row each person
    left to arrive at them, in one recursive query: a whole record, read through the row she
    is now."""
    chain = (
        sa.select(Participant.id.label("participant_id"))
        .where(Participant.id.in_(participant_ids))
        .cte("transfer_chain", recursive=True)
    )
    chain = chain.union_all(
        sa.select(ParticipantTransfer.from_participant_id).join(
            chain, ParticipantTransfer.to_participant_id == chain.c.participant_id
        )
    )
    return sa.select(chain.c.participant_id)


def left_rows(db: Session, participant_ids: list[int]) -> list[Participant]:
    """The rows these people left by a transfer to arrive at these rows (not these rows)."""
    return list(
        db.exec(
            sa.select(Participant).where(
                Participant.id.in_(earlier_rows(participant_ids)),
                Participant.id.not_in(participant_ids),
            )
        ).scalars()
    )


def moved_on() -> sa.Select:
    """SELECT of the ids of the rows people left by a transfer: each is a person who moved
    on, not one who left."""
    return sa.select(ParticipantTransfer.from_participant_id)

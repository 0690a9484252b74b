"""The outreach log of a plan: articles, videos, seminars, commendations …

Entries are archived, never deleted: out of the log and of today's figures from that moment,
still counted in figures as of an earlier day.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Session

from app.activities.models import Activity
from app.activities.schemas import KIND_LABELS, ActivityCreate, ActivityPublic, ActivityUpdate
from app.audit import trail as audit
from app.authz import Actor, Permission, authorize, in_scope
from app.core.base import utcnow
from app.core.errors import Conflict, InvalidInput, NotFound, field_error
from app.orgs import service as orgs
from app.orgs.models import Organization, Unit
from app.people.models import Participant
from app.plans import access as plans


def _check_responsible(
    db: Session, org_id: int, participant_id: int | None, unit_id: int | None
) -> None:
    if participant_id is not None:
        person = db.get(Participant, participant_id)
        if person is None or person.organization_id != org_id:
            raise InvalidInput(
                "Người phụ trách không thuộc đơn vị. "
                "/ The responsible person is not in this organisation.",
                errors=[field_error("body.responsible_participant_id", "not in this organisation")],
            )
    if unit_id is not None:
        unit = db.get(Unit, unit_id)
        if unit is None or unit.organization_id != org_id or unit.archived_at is not None:
            raise InvalidInput(
                "Tổ/bộ phận không thuộc đơn vị hoặc đã lưu trữ. "
                "/ The unit is not in this organisation, or is archived.",
                errors=[
                    field_error("body.responsible_unit_id", "not a live unit of this organisation")
                ],
            )


def present(db: Session, activities: list[Activity]) -> list[ActivityPublic]:
    person_ids = {a.responsible_participant_id for a in activities if a.responsible_participant_id}
    unit_ids = {a.responsible_unit_id for a in activities if a.responsible_unit_id}
    people = (
        dict(
            db.exec(
                sa.select(Participant.id, Participant.full_name).where(
                    Participant.id.in_(person_ids)
                )
            ).all()
        )
        if person_ids
        else {}
    )
    units = (
        dict(db.exec(sa.select(Unit.id, Unit.name).where(Unit.id.in_(unit_ids))).all())
        if unit_ids
        else {}
    )
    return [
        ActivityPublic.model_validate(
            {
                **a.model_dump(),
                "kind_label": KIND_LABELS[a.kind],
                "responsible_name": people.get(a.responsible_participant_id)
                or units.get(a.responsible_unit_id),
            }
        )
        for a in activities
    ]


def create(db: Session, actor: Actor, data: ActivityCreate) -> ActivityPublic:
    plan, org = plans.load_plan(db, actor, data.plan_id, Permission.ACTIVITIES_WRITE)
    _check_responsible(db, org.id, data.responsible_participant_id, data.responsible_unit_id)
    activity = Activity(**data.model_dump(), organization_id=org.id, created_by_id=actor.user_id)
    audit.create(db, actor, "activity.create", activity)
    return present(db, [activity])[0]


def _load(db: Session, actor: Actor, activity_id: int, permission: Permission) -> Activity:
    activity = db.get(Activity, activity_id)
    if activity is None:
        raise NotFound("Không tìm thấy hoạt động. / Activity not found.")
    authorize(actor, permission, orgs.load_org(db, activity.organization_id).path)
    return activity


def get(db: Session, actor: Actor, activity_id: int) -> ActivityPublic:
    return present(db, [_load(db, actor, activity_id, Permission.ACTIVITIES_READ)])[0]


class ActivityArchived(Conflict):
    code = "activity-archived"


def update(db: Session, actor: Actor, activity_id: int, data: ActivityUpdate) -> ActivityPublic:
    activity = _load(db, actor, activity_id, Permission.ACTIVITIES_WRITE)
    if activity.archived_at is not None:
        raise ActivityArchived(
            "Hoạt động đã lưu trữ, không sửa được. / The activity is archived and cannot change."
        )
    changes = data.model_dump(exclude_unset=True)
    person = changes.get("responsible_participant_id", activity.responsible_participant_id)
    unit = changes.get("responsible_unit_id", activity.responsible_unit_id)
    if person and unit:
        raise InvalidInput(
            "Chỉ chọn người hoặc tổ phụ trách. / Give a person or a unit, not both.",
            errors=[field_error("body.responsible_unit_id", "give a person or a unit, not both")],
        )
    _check_responsible(
        db,
        activity.organization_id,
        changes.get("responsible_participant_id"),
        changes.get("responsible_unit_id"),
    )
    with audit.change(db, actor, "activity.update", activity):
        for key, value in changes.items():
            setattr(activity, key, value)
    return present(db, [activity])[0]


def archive(db: Session, actor: Actor, activity_id: int) -> ActivityPublic:
    """Take the entry out of the log and of the figures from now on; archiving it again
    changes nothing."""
    activity = _load(db, actor, activity_id, Permission.ACTIVITIES_WRITE)
    if activity.archived_at is None:
        with audit.change(db, actor, "activity.archive", activity):
            activity.archived_at = utcnow()
    return present(db, [activity])[0]


def list_activities(
    db: Session,
    actor: Actor,
    *,
    plan_id: int | None,
    organization_id: int | None,
    kind: str | None,
    since: date | None,
    until: date | None,
    include_archived: bool,
    limit: int,
    offset: int,
) -> tuple[list[ActivityPublic], int]:
    query = sa.select(Activity).join(Organization, Organization.id == Activity.organization_id)
    conditions = [in_scope(actor, Permission.ACTIVITIES_READ, Organization.path)]
    if plan_id is not None:
        plans.load_plan(db, actor, plan_id, Permission.PLANS_READ)
        conditions.append(Activity.plan_id == plan_id)
    if organization_id is not None:
        org = orgs.get_org(db, actor, organization_id, Permission.ACTIVITIES_READ)
        conditions.append(Organization.path.startswith(org.path, autoescape=True))
    if kind:
        conditions.append(Activity.kind == kind)
    if since:
        conditions.append(Activity.happened_on >= since)
    if until:
        conditions.append(Activity.happened_on <= until)
    if not include_archived:
        conditions.append(Activity.archived_at.is_(None))
    query = query.where(*conditions)
    total = db.exec(sa.select(sa.func.count()).select_from(query.subquery())).one()[0]
    rows = list(
        db.exec(
            query.order_by(Activity.happened_on.desc(), Activity.id.desc())
            .limit(limit)
            .offset(offset)
        ).scalars()
    )
    return present(db, rows), total

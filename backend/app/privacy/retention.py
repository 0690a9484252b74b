"""How long the data of people who left is kept: an organisation's setting, else the nearest
organisation's above it, else forever; and the sweep that anonymises those past it (the
daily job and `lantoa anonymize-inactive`)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session

from app.audit import trail as audit
from app.authz import Actor, Permission
from app.orgs import service as orgs
from app.orgs.models import Organization
from app.people.models import Participant
from app.privacy.anonymize import anonymize_many
from app.privacy.models import RetentionPolicy
from app.privacy.schemas import RetentionInput, RetentionPublic
from app.transfers import service as transfers

# Who may set how long people's data is kept: those who manage the people.
MANAGE = Permission.PEOPLE_MANAGE


def _nearest(org_path: sa.ColumnElement[str]) -> sa.Select:
    """The policies of the organisation at `org_path` and its ancestors, nearest first."""
    owner = aliased(Organization)
    return (
        sa.select(RetentionPolicy.inactive_years, RetentionPolicy.organization_id)
        .join(owner, owner.id == RetentionPolicy.organization_id)
        .where(org_path.startswith(owner.path))
        .order_by(sa.func.length(owner.path).desc())
        .limit(1)
    )


def get_policy(db: Session, actor: Actor, org_id: int) -> RetentionPublic:
    org = orgs.get_org(db, actor, org_id)
    return _effective(db, org)


def set_policy(db: Session, actor: Actor, org_id: int, data: RetentionInput) -> RetentionPublic:
    org = orgs.get_org(db, actor, org_id, MANAGE)
    row = db.exec(
        sa.select(RetentionPolicy).where(RetentionPolicy.organization_id == org.id)
    ).scalar()
    if row is None:
        row = RetentionPolicy(organization_id=org.id, inactive_years=data.inactive_years)
        audit.create(db, actor, "retention_policy.create", row)
    else:
        with audit.change(db, actor, "retention_policy.update", row):
            row.inactive_years = data.inactive_years
    return _effective(db, org)


def clear_policy(db: Session, actor: Actor, org_id: int) -> RetentionPublic:
    """Drop the organisation's own setting: it follows the level above again."""
    org = orgs.get_org(db, actor, org_id, MANAGE)
    row = db.exec(
        sa.select(RetentionPolicy).where(RetentionPolicy.organization_id == org.id)
    ).scalar()
    if row is not None:
        audit.delete(db, actor, "retention_policy.delete", row)
        db.flush()
    return _effective(db, org)


def _effective(db: Session, org: Organization) -> RetentionPublic:
    found = db.exec(_nearest(sa.literal(org.path))).first()
    if found is None:
        return RetentionPublic(organization_id=org.id, inactive_years=None, source="default")
    years, owner_id = found
    return RetentionPublic(
        organization_id=org.id,
        inactive_years=years,
        source="organization" if owner_id == org.id else "inherited",
        from_organization_id=owner_id,
    )


@dataclass(frozen=True)
class Due:
    person: Participant
    years: int


def due(db: Session, now: datetime) -> list[Due]:
    """Everyone inactive for longer than the period her organisation keeps data: one query."""
    years = (
        _nearest(Organization.path)
        .with_only_columns(RetentionPolicy.inactive_years)
        .correlate(Organization)
        .scalar_subquery()
    )
    rows = db.exec(
        sa.select(Participant, years.label("years"))
        .join(Organization, Organization.id == Participant.organization_id)
        .where(
            Participant.active.is_(False),
            Participant.anonymized_at.is_(None),
            Participant.deactivated_at.is_not(None),
            # A row she left by a move: she works on elsewhere, and goes with her last row.
            Participant.id.not_in(transfers.moved_on()),
        )
        .order_by(Participant.deactivated_at, Participant.id)
    ).all()
    return [
        Due(person, n)
        for person, n in rows
        if n is not None and person.deactivated_at <= years_before(now, n)
    ]


def years_before(moment: datetime, years: int) -> datetime:
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year - years, day=28)


def sweep(db: Session, now: datetime) -> list[Due]:
    """Anonymise everyone `due` (acting for the system): a fixed number of statements for
    each distinct period, however many people. Returns whom."""
    found = due(db, now)
    by_years: dict[int, list[Participant]] = defaultdict(list)
    for d in found:
        by_years[d.years].append(d.person)
    for years, persons in sorted(by_years.items()):
        earlier = transfers.left_rows(db, [p.id for p in persons])
        anonymize_many(db, None, [*persons, *earlier], f"retention: {years} years")
    return found

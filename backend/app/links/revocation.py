"""Ending personal links: at an admin's request, for a reprinted sheet, or when the person
is deactivated. A module of its own because `app.people.service`, on which the rest of
`app.links` builds, calls it."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Session

from app.audit import trail as audit
from app.authz import Actor
from app.links.models import PersonalLink
from app.people.models import Participant


def revoke_links(db: Session, actor: Actor | None, participants: list[Participant]) -> None:
    """Revoke the live links of these people, one audit event for each who held any."""
    held = dict(
        db.exec(
            sa.select(PersonalLink.participant_id, sa.func.count())
            .where(
                PersonalLink.participant_id.in_([p.id for p in participants]),
                PersonalLink.revoked_at.is_(None),
            )
            .group_by(PersonalLink.participant_id)
        ).all()
    )
    if not held:
        return
    db.exec(
        sa.update(PersonalLink)
        .where(PersonalLink.participant_id.in_(held), PersonalLink.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC))
    )
    for participant in participants:
        if participant.id in held:
            audit.record(
                db,
                actor,
                "link.revoke",
                entity_type="participant",
                entity_id=participant.id,
                organization_id=participant.organization_id,
                after={"revoked": held[participant.id]},
            )

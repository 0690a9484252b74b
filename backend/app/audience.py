"""Who a plan or a study session addresses: the one home of that rule.

At a moment, a plan or session addresses the staff of its organisation on the roll then
(created by then, and active or deactivated after it): all of them, or those whose membership
of one of its audience units is in force then. A moment of None is now: the live rows
(active people, memberships not ended), which current readers use; reports pass their cut-off.

The rule comes in the forms its readers need, and a test holds them equal:
- `includes`: a condition on the Participant row of the enclosing query, for one plan or
  session, or correlated to the Plan / StudySession row of the enclosing query (many at once);
- `ids` (a SELECT of participant ids), `sizes` (the audience size of each of many rows),
  `members` (the (row, person) pairs of many rows),
  `includes_person` (an EXISTS for one person, for the prepared reads) and `addresses`;
- `Audience`: in Python, for the teacher's home, which keeps a school's plans and sessions
  in memory and knows the person's live units.
"""

from __future__ import annotations

from collections.abc import Sequence, Set
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Session

from app.orgs.models import UnitMembership, live_membership, membership_at
from app.people.models import Participant
from app.plans.models import Plan, PlanAudienceUnit
from app.study_sessions.models import SessionAudienceUnit, StudySession

Owner = Plan | StudySession | type[Plan] | type[StudySession]

# Where each kind of owner keeps its audience units: the table and its column naming the owner.
_CHOSEN_UNITS = {
    Plan: (PlanAudienceUnit, PlanAudienceUnit.plan_id),
    StudySession: (SessionAudienceUnit, SessionAudienceUnit.session_id),
}


def on_roll(at: datetime | None = None) -> sa.ColumnElement[bool]:
    """SQL: the Participant row is on the staff at `at` (now: active)."""
    if at is None:
        return Participant.active.is_(True)
    return sa.and_(
        Participant.created_at <= at,
        sa.or_(Participant.active.is_(True), Participant.deactivated_at > at),
    )


def includes(owner: Owner, at: datetime | None = None) -> sa.ColumnElement[bool]:
    """SQL: `owner` addresses the Participant row of the enclosing query at `at`.

    `owner` is one plan or session (its values bound), or the Plan or StudySession table,
    correlated to the enclosing query's row of it.
    """
    table = owner if isinstance(owner, type) else type(owner)
    chosen_units, owner_id = _CHOSEN_UNITS[table]
    in_a_chosen_unit = (
        sa.exists()
        .where(
            owner_id == owner.id,
            UnitMembership.unit_id == chosen_units.unit_id,
            UnitMembership.participant_id == Participant.id,
            live_membership() if at is None else membership_at(at),
        )
        # Explicit: nested in `includes_person`, automatic correlation would miss the owner
        # row two levels up and read the units of any plan or session instead of this one's.
        .correlate_except(chosen_units, UnitMembership)
    )
    on_its_staff = sa.and_(Participant.organization_id == owner.organization_id, on_roll(at))
    if table is owner:
        return sa.and_(on_its_staff, sa.or_(table.audience_all.is_(True), in_a_chosen_unit))
    return on_its_staff if owner.audience_all else sa.and_(on_its_staff, in_a_chosen_unit)


def ids(owner: Plan | StudySession, at: datetime | None = None) -> sa.Select:
    """SELECT of the ids (column `id`) of the participants the plan or session addresses."""
    return sa.select(Participant.id.label("id")).where(includes(owner, at))


def _parts(
    table: type[Plan] | type[StudySession],
    at: datetime | None,
    where: Sequence[sa.ColumnElement[bool]],
) -> tuple[sa.Select, sa.Select]:
    """The rule of `includes` in two parts that each read by an index instead of testing every
    person of the organisation against each row: the whole staff for the rows addressed to
    everyone, the members of the chosen units for the others (a person in two of them
    twice). Each SELECTs (id, participant_id)."""
    chosen_units, owner_id = _CHOSEN_UNITS[table]
    on_its_staff = sa.and_(Participant.organization_id == table.organization_id, on_roll(at))
    everyone = (
        sa.select(table.id.label("id"), Participant.id.label("participant_id"))
        .join(Participant, on_its_staff)
        .where(table.audience_all.is_(True), *where)
    )
    members = (
        sa.select(table.id.label("id"), Participant.id.label("participant_id"))
        .join(chosen_units, owner_id == table.id)
        .join(
            UnitMembership,
            sa.and_(
                UnitMembership.unit_id == chosen_units.unit_id,
                live_membership() if at is None else membership_at(at),
            ),
        )
        .join(Participant, sa.and_(Participant.id == UnitMembership.participant_id, on_its_staff))
        .where(table.audience_all.is_(False), *where)
    )
    return everyone, members


def sizes(
    table: type[Plan] | type[StudySession],
    at: datetime | None = None,
    where: Sequence[sa.ColumnElement[bool]] = (),
) -> sa.CompoundSelect:
    """SELECT of (id, size): the audience size of each row of `table` that `where` keeps; a row
    that addresses nobody is left out. (At 2,500 schools the single correlated form of
    `includes` took twice as long.)"""
    everyone, members = _parts(table, at, where)
    return sa.union_all(
        everyone.with_only_columns(
            table.id.label("id"), sa.func.count(Participant.id).label("size")
        ).group_by(table.id),
        members.with_only_columns(table.id, sa.func.count(sa.distinct(Participant.id))).group_by(
            table.id
        ),
    )


def members(
    table: type[Plan] | type[StudySession],
    at: datetime | None = None,
    where: Sequence[sa.ColumnElement[bool]] = (),
) -> sa.CompoundSelect:
    """SELECT of (id, participant_id): whom each row of `table` that `where` keeps addresses,
    each person once; for many rows and many people at once (the reminders)."""
    everyone, members = _parts(table, at, where)
    return sa.union_all(everyone, members.distinct())


def includes_person(
    owner: Owner, participant_id: sa.ColumnElement[int] | int, at: datetime | None = None
) -> sa.Exists:
    """SQL: EXISTS, true when `owner` addresses this one person at `at`."""
    return (
        sa.exists()
        .where(Participant.id == participant_id, includes(owner, at))
        .correlate_except(Participant)  # the person is this one, whatever the enclosing query
    )


def addresses(db: Session, owner: Plan | StudySession, participant_id: int) -> bool:
    """Whether the plan or session addresses this person now."""
    return db.exec(sa.select(includes_person(owner, participant_id))).scalar_one()


@dataclass(frozen=True)
class Audience:
    """The rule in Python, for a person known to be on the roll of the owner's organisation."""

    everyone: bool
    unit_ids: frozenset[int]

    def includes(self, person_unit_ids: Set[int]) -> bool:
        """`person_unit_ids`: the units whose membership of the person is in force."""
        return self.everyone or not self.unit_ids.isdisjoint(person_unit_ids)

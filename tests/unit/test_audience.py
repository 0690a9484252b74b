"""The forms of the audience rule agree (`app.audience`), on generated schools.

Each example builds two schools: people who joined and left at various times, unit
memberships live, ended and renewed, units archived, plans and sessions for all staff or for
chosen units. Every SQL form (for one plan or session, correlated over many, the sizes, the
EXISTS for one person, the prepared read of the one-tap confirmation) and the Python form
the teacher's home uses must answer what the rule says, now and at cut-offs before, on and
between the changes. The rule, as the issue states it, is written out once more below in
plain Python (`addressed`), as the oracle.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import aliased

from app import audience
from app.acknowledgements import confirmation as acks
from app.orgs.models import UnitMembership
from app.people.models import Participant
from app.plans.models import Plan, PlanAudienceUnit
from app.study_sessions.models import SessionAudienceUnit, StudySession
from tests.factories import make_org, make_participant, make_unit

NOW = datetime.now(UTC).replace(microsecond=0)
# The days things happen on (joining, leaving, memberships starting and ending, archiving).
DAYS = [NOW - timedelta(days=40 - 10 * i) for i in range(4)]
ARCHIVED_ON = 2  # archived units end their memberships on DAYS[2], as archiving does
# Now (the live rows), before everything, on days things happen, between them, after them.
MOMENTS = [
    None,
    DAYS[0] - timedelta(days=1),
    DAYS[0],
    DAYS[1] + timedelta(days=5),
    DAYS[2],
    DAYS[3] + timedelta(days=5),
]
UNITS_PER_SCHOOL = 2
# Membership histories of one person in one unit, as (start, end) indexes into DAYS.
HISTORIES = [(), ((0, None),), ((2, None),), ((0, 1),), ((0, 1), (2, None)), ((1, 3),)]
# (joined, left) indexes into DAYS; None: still on the staff.
ON_STAFF = [(0, None), (0, 1), (0, 2), (0, 3), (2, None), (2, 3)]

_codes = itertools.count()

people_strategy = st.lists(
    st.tuples(
        st.sampled_from([0, 1]),  # the school
        st.sampled_from(ON_STAFF),
        st.tuples(*[st.sampled_from(HISTORIES)] * UNITS_PER_SCHOOL),
    ),
    min_size=1,
    max_size=6,
)
owners_strategy = st.lists(
    st.tuples(
        st.sampled_from([Plan, StudySession]),
        st.sampled_from([0, 1]),  # the school
        st.booleans(),  # for all staff
        st.frozensets(st.integers(0, UNITS_PER_SCHOOL - 1)),  # its units, when not
    ),
    min_size=1,
    max_size=4,
)
archived_strategy = st.frozensets(st.integers(0, 2 * UNITS_PER_SCHOOL - 1))


@dataclass
class Person:
    id: int
    organization_id: int
    joined: datetime
    left: datetime | None
    memberships: list[tuple[int, datetime, datetime | None]]  # unit id, start, end


@dataclass
class Owner:
    row: Plan | StudySession
    unit_ids: frozenset[int]


def addressed(owner: Owner, person: Person, moment: datetime | None) -> bool:
    """The rule: the staff of the owner's organisation on the roll at the moment (created
    by then; active, or deactivated after it), all of them or the members, at the moment,
    of one of the owner's units. Now when `moment` is None."""
    at = moment or NOW
    on_roll = person.joined <= at and (person.left is None or person.left > at)
    return (
        person.organization_id == owner.row.organization_id
        and on_roll
        and (owner.row.audience_all or bool(owner.unit_ids & units_at(person, moment)))
    )


def units_at(person: Person, moment: datetime | None) -> set[int]:
    at = moment or NOW
    return {
        unit_id
        for unit_id, start, end in person.memberships
        if start <= at and (end is None or end > at)
    }


def build(db, people, owners, archived) -> tuple[list[Person], list[Owner]]:
    schools = [make_org(db, f"school-{next(_codes)}", "Trường") for _ in range(2)]
    units = [
        make_unit(db, school, f"Tổ {i}") for school in schools for i in range(UNITS_PER_SCHOOL)
    ]
    built_people = []
    for school, (joined, left), histories in people:
        row = make_participant(db, schools[school], "Người", f"P{next(_codes)}")
        row.created_at = DAYS[joined]
        row.active = left is None
        row.deactivated_at = None if left is None else DAYS[left]
        person = Person(row.id, row.organization_id, row.created_at, row.deactivated_at, [])
        for index, history in enumerate(histories):
            unit_index = school * UNITS_PER_SCHOOL + index
            for start, end in history:
                if unit_index in archived:
                    if start >= ARCHIVED_ON:
                        continue
                    end = ARCHIVED_ON if end is None else min(end, ARCHIVED_ON)
                membership = (units[unit_index].id, DAYS[start], None if end is None else DAYS[end])
                person.memberships.append(membership)
                db.add(
                    UnitMembership(
                        unit_id=membership[0],
                        participant_id=row.id,
                        started_at=membership[1],
                        ended_at=membership[2],
                    )
                )
        built_people.append(person)
    for unit_index in archived:
        units[unit_index].archived_at = DAYS[ARCHIVED_ON]
    built_owners = []
    for table, school, everyone, chosen in owners:
        org = schools[school]
        plan = Plan(
            organization_id=org.id,
            title="Kế hoạch",
            status="active",
            period_start=DAYS[0].date(),
            audience_all=everyone,
        )
        db.add(plan)
        db.flush()
        row = plan
        if table is StudySession:
            row = StudySession(
                plan_id=plan.id,
                organization_id=org.id,
                title="Buổi học",
                starts_at=NOW,
                ends_at=NOW + timedelta(hours=1),
                audience_all=everyone,
                checkin_secret="0" * 64,
            )
            db.add(row)
            db.flush()
        unit_ids = frozenset(units[school * UNITS_PER_SCHOOL + i].id for i in chosen)
        chosen_table = PlanAudienceUnit if table is Plan else SessionAudienceUnit
        owner_column = "plan_id" if table is Plan else "session_id"
        for unit_id in unit_ids:
            db.add(chosen_table(**{owner_column: row.id, "unit_id": unit_id}))
        built_owners.append(Owner(row, unit_ids))
    db.flush()
    return built_people, built_owners


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(people=people_strategy, owners=owners_strategy, archived=archived_strategy)
def test_every_form_of_the_rule_answers_alike(db, people, owners, archived):
    # Each example adds two schools of its own to the test's transaction (rolled back at the
    # end), so what earlier examples built never meets this one's plans and people.
    people, owners = build(db, people, owners, archived)
    person_ids = [p.id for p in people]
    other = aliased(Participant)
    for moment in MOMENTS:
        expected = {
            (type(o.row), o.row.id): {p.id for p in people if addressed(o, p, moment)}
            for o in owners
        }
        for owner in owners:
            key = (type(owner.row), owner.row.id)
            # One plan or session: the SELECT of ids, and the condition in a query of people.
            ids = set(db.exec(audience.ids(owner.row, moment)).scalars())
            assert ids == expected[key], (owner, moment)
        for table in (Plan, StudySession):
            rows = [o.row.id for o in owners if type(o.row) is table]
            wanted = {key[1]: found for key, found in expected.items() if key[0] is table}
            # Correlated to many rows: the pairs, the sizes, and the EXISTS for one person.
            pairs = db.exec(
                sa.select(table.id, Participant.id)
                .join(Participant, audience.includes(table, moment))
                .where(table.id.in_(rows))
            ).all()
            assert {(o, p) for o, p in pairs} == {
                (o, p) for o, found in wanted.items() for p in found
            }
            sizes = dict(db.exec(audience.sizes(table, moment, [table.id.in_(rows)])).all())
            listed = db.exec(audience.members(table, moment, [table.id.in_(rows)])).all()
            assert sorted(listed) == sorted((o, p) for o, found in wanted.items() for p in found)
            assert sizes == {o: len(found) for o, found in wanted.items() if found}
            exists = db.exec(
                sa.select(table.id, other.id, audience.includes_person(table, other.id, moment))
                .join(other, sa.true())
                .where(table.id.in_(rows), other.id.in_(person_ids))
            ).all()
            assert {(o, p) for o, p, yes in exists if yes} == {
                (o, p) for o, found in wanted.items() for p in found
            }
    for owner in owners:
        for person in people:
            now = addressed(owner, person, None)
            # For one person now: the boolean, and the one-tap confirmation's prepared read.
            assert audience.addresses(db, owner.row, person.id) is now
            if isinstance(owner.row, Plan):
                assert bool(acks.confirmable(db, owner.row.id, person.id).addressed) is now
            # In Python, as the home decides for a person on the roll of the organisation,
            # from the owner's units and the person's live ones.
            if person.organization_id == owner.row.organization_id and person.left is None:
                rule = audience.Audience(owner.row.audience_all, owner.unit_ids)
                assert rule.includes(units_at(person, None)) is now

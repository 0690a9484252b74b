"""The teacher's home: what one staff member has to do, on one phone screen.

Every teacher of a school opens it within minutes of an announcement, for a personal link
or signed in. Most of the page is the same for every teacher of the school: the plans it has
issued (with their materials and summaries) and its study sessions, each with the units it
is for. That part is built once per school and kept in memory under the content revision
(`app.core.revision`), which every commit changing it replaces, in any process; a request
reads the current revision with the link, then only the person's own rows: their
confirmations, and their units, attendance and open tasks in one statement.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from app.acknowledgements import service as acks
from app.acknowledgements.models import Acknowledgement
from app.core.db import PreparedRead
from app.links.schemas import HomePerson, HomePlan, HomeSession, HomeTask, TeacherHome
from app.orgs.models import Unit, UnitMembership
from app.people import service as people
from app.plans import service as plans
from app.plans.models import Plan, PlanAudienceUnit
from app.study_sessions import service as sessions
from app.study_sessions.models import Attendance, SessionAudienceUnit, StudySession
from app.tasks.models import Task

# Sessions stay on the home for a month after they end (to see one's attendance).
SESSIONS_SHOWN_FOR = timedelta(days=30)
_MAX_CACHED_SCHOOLS = 5000


@dataclass(frozen=True)
class _Audience:
    everyone: bool
    unit_ids: frozenset[int]

    def includes(self, person_unit_ids: set[int]) -> bool:
        """The same rule as `plans.addresses`, for a person already known to be active
        staff of the organisation."""
        return self.everyone or not self.unit_ids.isdisjoint(person_unit_ids)


@dataclass(frozen=True)
class _PublishedPlan:
    page: HomePlan  # without the person's confirmation
    audience: _Audience


@dataclass(frozen=True)
class _PublishedSession:
    page: HomeSession  # without the person's attendance; check-in closed
    audience: _Audience
    checkin_opens: datetime
    checkin_closes: datetime


@dataclass(frozen=True)
class _Published:
    revision: int
    plans: tuple[_PublishedPlan, ...]
    sessions: tuple[_PublishedSession, ...]


_published: dict[int, _Published] = {}

_ORG = sa.bindparam("organization_id")
_SINCE = sa.bindparam("since")
_PUBLISHED_PLANS = (
    sa.select(
        Plan.id,
        Plan.symbol,
        Plan.title,
        Plan.issued_on,
        Plan.material_major,
        Plan.reflection_required,
        Plan.reflection_min_length,
        Plan.status,
        Plan.audience_all,
        Plan.sections,
        Plan.preamble,
    )
    .where(Plan.organization_id == _ORG, Plan.status != "draft")
    .order_by(Plan.issued_on.desc(), Plan.id.desc())
)
_PLAN_AUDIENCES = (
    sa.select(PlanAudienceUnit.plan_id, PlanAudienceUnit.unit_id)
    .join(Plan, Plan.id == PlanAudienceUnit.plan_id)
    .where(Plan.organization_id == _ORG, Plan.status != "draft")
)
_PUBLISHED_SESSIONS = (
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
        StudySession.audience_all,
    )
    .where(StudySession.organization_id == _ORG, StudySession.ends_at >= _SINCE)
    .order_by(StudySession.starts_at)
)
_SESSION_AUDIENCES = (
    sa.select(SessionAudienceUnit.session_id, SessionAudienceUnit.unit_id)
    .join(StudySession, StudySession.id == SessionAudienceUnit.session_id)
    .where(StudySession.organization_id == _ORG, StudySession.ends_at >= _SINCE)
)


def _audiences(rows: sa.Result) -> defaultdict[int, set[int]]:
    found: defaultdict[int, set[int]] = defaultdict(set)
    for owner_id, unit_id in rows:
        found[owner_id].add(unit_id)
    return found


def _build(
    db: Session, organization_id: int, organization_name: str, revision: int, now: datetime
) -> _Published:
    run = db.connection().execute
    org = {"organization_id": organization_id}
    plan_rows = run(_PUBLISHED_PLANS, org).all()
    plan_units = _audiences(run(_PLAN_AUDIENCES, org))
    materials = plans.materials_of(db, [row.id for row in plan_rows])
    published_plans = tuple(
        _PublishedPlan(
            page=HomePlan(
                id=row.id,
                symbol=row.symbol,
                title=row.title,
                issuer_name=organization_name,
                issued_on=row.issued_on,
                material_major=row.material_major,
                reflection_required=row.reflection_required,
                reflection_min_length=row.reflection_min_length,
                summary=plans.summary_of(row.sections, row.preamble),
                materials=materials.get(row.id, []),
                acknowledgement=None,
                closed=row.status == "closed",
            ),
            audience=_Audience(row.audience_all, frozenset(plan_units[row.id])),
        )
        for row in plan_rows
    )
    window = {**org, "since": now - SESSIONS_SHOWN_FOR}
    session_units = _audiences(run(_SESSION_AUDIENCES, window))
    published_sessions = []
    for row in run(_PUBLISHED_SESSIONS, window):
        opens, closes = sessions.checkin_window(row)
        page = HomeSession.model_validate(
            {**row._mapping, "my_status": None, "checkin_open": False}
        )
        audience = _Audience(row.audience_all, frozenset(session_units[row.id]))
        published_sessions.append(_PublishedSession(page, audience, opens, closes))
    return _Published(revision, published_plans, tuple(published_sessions))


def _published_by(
    db: Session, organization_id: int, organization_name: str, revision: int, now: datetime
) -> _Published:
    """The school's published part, rebuilt when the content revision has moved on.

    Read after the revision, so a copy is never older than the revision it is kept under.
    """
    cached = _published.get(organization_id)
    if cached is not None and cached.revision == revision:
        return cached
    built = _build(db, organization_id, organization_name, revision, now)
    if len(_published) >= _MAX_CACHED_SCHOOLS:
        _published.clear()
    _published[organization_id] = built
    return built


_PERSON = sa.bindparam("participant_id")
# The person's units, attendance and open tasks come in one statement: a page load is a
# handful of small reads, and each statement costs far more in Python than in the database.
# Every branch is padded to the same columns with typed NULLs.
_OWN_COLUMNS = {
    "id": sa.Integer(),
    "plan_id": sa.Integer(),
    "unit_id": sa.Integer(),
    "title": sa.String(),
    "status": sa.String(),
    "due_on": sa.Date(),
}


def _own_rows(kind: str, **columns: sa.ColumnElement) -> sa.Select:
    return sa.select(
        sa.literal_column(f"'{kind}'", sa.String()).label("kind"),
        *(
            columns.get(name, sa.cast(sa.null(), type_)).label(name)
            for name, type_ in _OWN_COLUMNS.items()
        ),
    )


_MY_UNIT_IDS = sa.select(UnitMembership.unit_id).where(UnitMembership.participant_id == _PERSON)
_MY_ROWS = PreparedRead(
    sa.union_all(
        _own_rows("unit", id=Unit.id, title=Unit.name)
        .join(UnitMembership, UnitMembership.unit_id == Unit.id)
        .where(UnitMembership.participant_id == _PERSON),
        _own_rows("attendance", id=Attendance.session_id, status=Attendance.status)
        .join(StudySession, StudySession.id == Attendance.session_id)
        .where(Attendance.participant_id == _PERSON, StudySession.ends_at >= _SINCE),
        _own_rows(
            "task",
            id=Task.id,
            plan_id=Task.plan_id,
            unit_id=Task.assignee_unit_id,
            title=Task.title,
            status=Task.status,
            due_on=Task.due_on,
        ).where(
            sa.or_(
                Task.assignee_participant_id == _PERSON, Task.assignee_unit_id.in_(_MY_UNIT_IDS)
            ),
            sa.or_(Task.status == "todo", Task.status == "in_progress"),
        ),
    ).order_by("kind", "title")
)
_MY_CONFIRMATIONS = PreparedRead(
    sa.select(*Acknowledgement.__table__.c)
    .join(Plan, acks.live_confirmation(_PERSON))
    .where(Plan.organization_id == _ORG)
)


def home(
    db: Session, person: people.Person, organization_name: str, content_revision: int
) -> TeacherHome:
    """The home of an active staff member of `organization_name`, read under the content
    revision current at the start of the request."""
    now = datetime.now(UTC)
    published = _published_by(db, person.organization_id, organization_name, content_revision, now)
    mine = {
        "participant_id": person.id,
        "organization_id": person.organization_id,
        "since": now - SESSIONS_SHOWN_FOR,
    }
    own: defaultdict[str, list[Any]] = defaultdict(list)
    for row in _MY_ROWS.all(db, **mine):
        own[row.kind].append(row)
    unit_names = {unit.id: unit.title for unit in own["unit"]}
    unit_ids = set(unit_names)

    confirmations = {row.plan_id: row for row in _MY_CONFIRMATIONS.all(db, **mine)}
    home_plans = []
    for plan in published.plans:
        if not plan.audience.includes(unit_ids):
            continue
        confirmation = confirmations.get(plan.page.id)
        home_plans.append(
            plan.page
            if confirmation is None
            else plan.page.model_copy(
                update={"acknowledgement": acks.as_public(confirmation._asdict(), person.full_name)}
            )
        )

    attendance = {row.id: row.status for row in own["attendance"]}
    home_sessions = [
        session.page.model_copy(
            update={
                "my_status": attendance.get(session.page.id),
                "checkin_open": session.page.status != "cancelled"
                and session.checkin_opens <= now <= session.checkin_closes,
            }
        )
        for session in published.sessions
        if session.page.ends_at >= mine["since"] and session.audience.includes(unit_ids)
    ]

    today = plans.today()
    tasks = sorted(own["task"], key=lambda t: (t.due_on is None, t.due_on or today, t.id))
    home_tasks = [
        HomeTask(
            id=t.id,
            plan_id=t.plan_id,
            title=t.title,
            due_on=t.due_on,
            status=t.status,
            overdue=t.due_on is not None and t.due_on < today,
            assigned_to_unit=unit_names.get(t.unit_id),
        )
        for t in tasks
    ]
    return TeacherHome(
        person=HomePerson(
            id=person.id,
            full_name=person.full_name,
            position=person.position,
            organization_name=organization_name,
            units=list(unit_names.values()),
        ),
        pending_count=sum(1 for p in home_plans if p.acknowledgement is None and not p.closed),
        plans=home_plans,
        sessions=home_sessions,
        tasks=home_tasks,
    )

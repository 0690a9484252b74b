"""The teacher's home: what one staff member has to do, on one phone screen.

Every teacher of a school opens it within minutes of an announcement, for a personal link
or signed in. Most of the page is the same for every teacher of the school: the plans it has
issued (with their materials and summaries) and its study sessions, each with the units it
is for. That part is built once per school and kept in memory under the content revision
(`app.core.revision`), which every commit changing it replaces, in any process; a request
reads, in one statement, the person (by their link or their login) with the current
revision, and their own rows: units, attendance, open tasks and confirmations.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from app.acknowledgements import confirmation as acks
from app.acknowledgements.models import Acknowledgement
from app.acknowledgements.schemas import AcknowledgementPublic
from app.audience import Audience
from app.core.db import PreparedRead
from app.links.models import issued_by_name
from app.links.schemas import HomePerson, HomePlan, HomeSession, HomeTask, TeacherHome
from app.orgs.models import Unit, UnitMembership, live_membership
from app.people.models import Participant
from app.plans import access as plans
from app.plans.document import materials_of, summary_of
from app.plans.models import Plan, PlanAudienceUnit
from app.study_sessions import checkin
from app.study_sessions.models import Attendance, SessionAudienceUnit, StudySession
from app.tasks.models import Task
from app.tasks.presenting import OPEN_STATUSES

# Sessions stay on the home for a month after they end (to see one's attendance).
SESSIONS_SHOWN_FOR = timedelta(days=30)
_MAX_CACHED_SCHOOLS = 5000


@dataclass(frozen=True)
class _PublishedPlan:
    page: HomePlan  # without the person's confirmation
    audience: Audience


@dataclass(frozen=True)
class _PublishedSession:
    page: HomeSession  # without the person's attendance; check-in closed
    audience: Audience
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
        Plan.reflection_timing,
        Plan.reflection_due_on,
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
    materials = materials_of(db, [row.id for row in plan_rows])
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
                reflection_timing=row.reflection_timing,
                reflection_due_on=row.reflection_due_on,
                summary=summary_of(row.sections, row.preamble),
                materials=materials.get(row.id, []),
                acknowledgement=None,
                closed=row.status == "closed",
            ),
            audience=Audience(row.audience_all, frozenset(plan_units[row.id])),
        )
        for row in plan_rows
    )
    window = {**org, "since": now - SESSIONS_SHOWN_FOR}
    session_units = _audiences(run(_SESSION_AUDIENCES, window))
    published_sessions = []
    for row in run(_PUBLISHED_SESSIONS, window):
        opens, closes = checkin.checkin_window(row)
        page = HomeSession.model_validate(
            {**row._mapping, "my_status": None, "checkin_open": False}
        )
        audience = Audience(row.audience_all, frozenset(session_units[row.id]))
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


# The whole personal part of a page load is one statement: the person (with the content
# revision), their units, attendance, open tasks and live confirmations, as rows of one
# UNION ALL, each branch padded to the same columns with typed NULLs. A page load is then one
# round trip to the database, and each statement costs far more in Python than in the
# database. The column types come from the models, so the values convert as they would.
_PAGE_COLUMNS: dict[str, sa.types.TypeEngine] = {
    "id": sa.Integer(),
    "plan_id": sa.Integer(),
    "title": sa.String(),
    "status": sa.String(),
    "organization_id": sa.Integer(),
    "staff_code": Participant.__table__.c.staff_code.type,
    "position": Participant.__table__.c.position.type,
    "organization_name": sa.String(),
    "content_revision": sa.BigInteger(),
    "unit_id": sa.Integer(),
    "due_on": Task.__table__.c.due_on.type,
    **{
        name: Acknowledgement.__table__.c[name].type
        for name in (
            "material_major",
            "confirmed_at",
            "method",
            "on_behalf_reason",
            "link_id",
            "reflection",
            "reflection_submitted_at",
            "reflection_link_id",
            "grade",
            "grade_comment",
            "graded_at",
        )
    },
    "via_link_issued_by": sa.String(),
    "reflection_via_link_issued_by": sa.String(),
}


def _page_rows(kind: str, **columns: sa.ColumnElement) -> sa.Select:
    return sa.select(
        sa.literal_column(f"'{kind}'", sa.String()).label("kind"),
        *(
            columns.get(name, sa.cast(sa.null(), type_)).label(name)
            for name, type_ in _PAGE_COLUMNS.items()
        ),
    )


def page_read(holder: sa.Select) -> PreparedRead:
    """The personal part of the home of the person `holder` selects (one row, or none: with
    the columns id, organization_id, full_name, staff_code, position, organization_name and
    content_revision); its rows are told apart by `kind`.

    The branches take the person's id and organisation as scalar subqueries of the holder, so
    each database computes them once and then reads every branch by an index on the person,
    as if they were parameters (joined to the holder instead, PostgreSQL could read a plan's
    confirmations by the plan and filter the person out: a school's thousands, per page).
    """
    person = holder.cte("person")
    person_id = sa.select(person.c.id).scalar_subquery()
    return PreparedRead(
        sa.union_all(
            _page_rows(
                "person",
                **{name: person.c[name] for name in _PAGE_COLUMNS if name in person.c},
                title=person.c.full_name,
            ),
            _page_rows("unit", id=Unit.id, title=Unit.name)
            .join(UnitMembership, UnitMembership.unit_id == Unit.id)
            .where(UnitMembership.participant_id == person_id, live_membership()),
            _page_rows("attendance", id=Attendance.session_id, status=Attendance.status)
            .join(StudySession, StudySession.id == Attendance.session_id)
            .where(Attendance.participant_id == person_id, StudySession.ends_at >= _SINCE),
            *(
                # Assigned to the person, or to one of their units (never both: a constraint).
                _page_rows(
                    "task",
                    id=Task.id,
                    plan_id=Task.plan_id,
                    unit_id=Task.assignee_unit_id,
                    title=Task.title,
                    status=Task.status,
                    due_on=Task.due_on,
                )
                .select_from(assigned)
                .where(
                    assignee == person_id,
                    *live,
                    sa.or_(*(Task.status == status for status in OPEN_STATUSES)),
                )
                for assigned, assignee, live in (
                    (Task.__table__, Task.assignee_participant_id, ()),
                    (
                        sa.join(
                            UnitMembership, Task, Task.assignee_unit_id == UnitMembership.unit_id
                        ),
                        UnitMembership.participant_id,
                        (live_membership(),),
                    ),
                )
            ),
            _page_rows(
                "confirmation",
                **{
                    name: Acknowledgement.__table__.c[name]
                    for name in _PAGE_COLUMNS
                    if name in Acknowledgement.__table__.c
                },
                # Who issued the links it came through (a primary-key read each, if any).
                via_link_issued_by=issued_by_name(Acknowledgement.link_id),
                reflection_via_link_issued_by=issued_by_name(Acknowledgement.reflection_link_id),
            )
            .join(Plan, acks.live_confirmation(person_id))
            .where(Plan.organization_id == sa.select(person.c.organization_id).scalar_subquery()),
        ).order_by("kind", "title")
    )


def home(db: Session, page: PreparedRead, **holder_parameters: Any) -> TeacherHome | None:
    """The home of the active staff member `page` (from `page_read`) finds with these
    parameters, or None if it finds nobody."""
    now = datetime.now(UTC)
    since = now - SESSIONS_SHOWN_FOR
    own: defaultdict[str, list[Any]] = defaultdict(list)
    for row in page.alone(db, since=since, **holder_parameters):
        own[row.kind].append(row)
    if not own["person"]:
        return None
    person = own["person"][0]
    published = _published_by(
        db, person.organization_id, person.organization_name, person.content_revision, now
    )
    unit_names = {unit.id: unit.title for unit in own["unit"]}
    unit_ids = set(unit_names)  # her live units: what `Audience.includes` decides by

    confirmations = {row.plan_id: row for row in own["confirmation"]}
    home_plans = []
    for plan in published.plans:
        if not plan.audience.includes(unit_ids):
            continue
        confirmation = confirmations.get(plan.page.id)
        home_plans.append(
            plan.page
            if confirmation is None
            else plan.page.model_copy(
                update={"acknowledgement": _confirmation(confirmation, person)}
            )
        )

    attendance = {row.id: row.status for row in own["attendance"]}
    home_sessions = [
        session.page.model_copy(
            update={
                "my_status": attendance.get(session.page.id),
                "checkin_open": session.page.status == "scheduled"
                and session.checkin_opens <= now <= session.checkin_closes,
            }
        )
        for session in published.sessions
        if session.page.ends_at >= since and session.audience.includes(unit_ids)
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
            full_name=person.title,
            position=person.position,
            organization_name=person.organization_name,
            units=list(unit_names.values()),
        ),
        pending_count=sum(1 for p in home_plans if p.acknowledgement is None and not p.closed),
        plans=home_plans,
        sessions=home_sessions,
        tasks=home_tasks,
    )


def _confirmation(row: Any, person: Any) -> AcknowledgementPublic:
    """A live confirmation (neither withdrawn nor of an older version) from its page row."""
    values = {
        name: getattr(row, name)
        for name in AcknowledgementPublic.model_fields
        if name in _PAGE_COLUMNS
    }
    return acks.as_public(
        {**values, "participant_id": person.id, "withdrawn_at": None, "withdraw_reason": None},
        person.title,
    )

"""The roll-up of a plan by level: one row per organisation directly below the one asked about
(a province sees its districts, a district its schools), each summing its whole subtree, and
the totals; and the flat list of every organisation, one row each, for machine clients.

Both are made from the same per-organisation figures: an organisation counts the newest plan
it adopted from the issuer's (or, not having adopted it, its whole staff as the audience it
has not reached). An adopted plan's own counts are kept between readings (`rollup_cache`);
those not kept, or stale, are counted with one GROUP BY per figure over all of them at once
(`_count`, one function each below), so the number of queries does not grow with the number
of schools; the sums per level, the sorting, filtering and paging are done on those rows in
Python. The rules are those of one plan's progress (`figures`): a school's row always agrees
with its own progress page, `as_of` included, and a district's row is the sum of its schools'
rows.

The issuer itself has a row of its own staff (its plan's audience) when the plan addresses
anybody there; so has every organisation below it, adopted or not, whatever its staff.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, fields
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlmodel import Session

from app import audience
from app.acknowledgements.models import Acknowledgement
from app.activities.models import Activity
from app.authz import Actor, Permission, in_scope
from app.core.errors import NotFound
from app.core.text import text_sort_key
from app.orgs.models import Organization
from app.people.models import Participant
from app.plans import access as plans
from app.plans.models import Plan
from app.quizzes.models import QuizAttempt, QuizSettings
from app.reports import figures, rollup_cache
from app.reports.figures import Cutoff, rate
from app.reports.schemas import OrgRef, Rollup, RollupRow, RollupSort, RollupTotals
from app.study_sessions.models import Attendance, StudySession
from app.tasks.models import Task

Counts = dict[int, tuple[int, ...]]
NOT_FOUND = "Không tìm thấy đơn vị. / Organisation not found."


@dataclass(frozen=True)
class Level:
    """What the caller asks of one level: whose children, in which order, which of them."""

    org_id: int | None = None
    sort: RollupSort = "name"
    not_adopted: bool = False
    below_rate: float | None = None
    limit: int = 50
    offset: int = 0


@dataclass(slots=True)
class _Sums:
    """The counts of one organisation, or of many added up; rates are taken over the sums."""

    organizations: int = 0
    adopted: int = 0
    audience: int = 0
    confirmed: int = 0
    reflections: int = 0
    graded: int = 0
    sessions_held: int = 0
    attended: int = 0
    quizzes: int = 0
    passed: int = 0
    attendances: int = 0
    expected_attendances: int = 0
    tasks_total: int = 0
    tasks_done: int = 0
    tasks_overdue: int = 0
    outreach: int = 0
    outreach_reach: int = 0

    def add(self, other: _Sums) -> None:
        for name in _COUNTED:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def figures(self) -> dict:
        counts = {name: getattr(self, name) for name in _COUNTED}
        del counts["organizations"], counts["adopted"]
        return {
            **counts,
            "confirmed_rate": rate(self.confirmed, self.audience),
            "attended_rate": rate(self.attended, self.audience),
            "passed_rate": rate(self.passed, self.audience),
            "attendance_rate": rate(self.attendances, self.expected_attendances),
        }


_COUNTED = tuple(f.name for f in fields(_Sums))


@dataclass(frozen=True)
class _Adopted:
    id: int
    symbol: str | None
    status: str


@dataclass(frozen=True)
class _Tree:
    """The organisations of a subtree the caller may read, in tree order (rows of id,
    parent_id, name, code, path, depth), with the plan each adopted and its own figures;
    `listed` are those that have a row of their own."""

    orgs: list
    plan_of: dict[int, _Adopted]
    own: dict[int, _Sums]
    listed: list


def level(db: Session, actor: Actor, plan_id: int, as_of: date | None, ask: Level) -> Rollup:
    """The rows of the organisations directly below `ask.org_id` (the issuer by default), each
    over its subtree, and the organisation's own row if it has one; totals over all of them,
    before the filters."""
    cut = figures.cutoff(as_of)
    plan, issuer = plans.load_plan(db, actor, plan_id, Permission.REPORTS_READ)
    top = _target(db, actor, issuer, ask.org_id)
    tree = _tree(db, actor, plan, issuer, top, cut)
    prefix = len(_ids(top.path))
    group: dict[int, _Sums] = {}
    for org in tree.listed:
        ids = _ids(org.path)
        key = ids[prefix] if len(ids) > prefix else org.id
        group.setdefault(key, _Sums()).add(tree.own[org.id])
    children = Counter(org.parent_id for org in tree.orgs)
    rows = [
        _row(org, group.get(org.id, _Sums()), tree.plan_of.get(org.id), issuer, children, True)
        for org in tree.orgs
        if org.parent_id == top.id
    ]
    own = next((org for org in tree.listed if org.id == top.id), None)
    if own is not None:  # its own staff, beside its children
        mine = _row(own, tree.own[own.id], tree.plan_of.get(own.id), issuer, children, False)
        rows.insert(0, mine)
    totals = _totals([tree.own[org.id] for org in tree.listed])
    chosen = [r for r in rows if _kept(r, ask)]
    chosen.sort(key=_ORDER[ask.sort.lstrip("-")], reverse=ask.sort.startswith("-"))
    return Rollup(
        plan=figures.plan_ref(plan, issuer),
        as_of=cut.as_of,
        generated_at=datetime.now(UTC),
        organization=OrgRef(id=top.id, name=top.name, code=top.code),
        breadcrumbs=_breadcrumbs(db, issuer, top),
        rows=chosen[ask.offset : ask.offset + ask.limit],
        totals=totals,
        total=len(chosen),
        limit=ask.limit,
        offset=ask.offset,
    )


def every_organization(
    db: Session, actor: Actor, plan_id: int, as_of: date | None, *, limit: int, offset: int
) -> Rollup:
    """The flat list: every organisation of the issuer's subtree with a row, in tree order,
    each with its own figures only (a district's own staff, not its schools'); paged, with
    the totals of them all."""
    cut = figures.cutoff(as_of)
    plan, issuer = plans.load_plan(db, actor, plan_id, Permission.REPORTS_READ)
    tree = _tree(db, actor, plan, issuer, issuer, cut)
    children = Counter(org.parent_id for org in tree.orgs)
    page = tree.listed[offset : offset + limit]
    return Rollup(
        plan=figures.plan_ref(plan, issuer),
        as_of=cut.as_of,
        generated_at=datetime.now(UTC),
        organization=OrgRef(id=issuer.id, name=issuer.name, code=issuer.code),
        breadcrumbs=[OrgRef(id=issuer.id, name=issuer.name, code=issuer.code)],
        rows=[
            _row(o, tree.own[o.id], tree.plan_of.get(o.id), issuer, children, False) for o in page
        ],
        totals=_totals([tree.own[org.id] for org in tree.listed]),
        total=len(tree.listed),
        limit=limit,
        offset=offset,
    )


def _ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/")]


def _target(db: Session, actor: Actor, issuer: Organization, org_id: int | None) -> Organization:
    """The organisation whose level is asked for: the issuer or one below it that the caller
    may read; any other is not found."""
    if org_id is None or org_id == issuer.id:
        return issuer
    org = db.get(Organization, org_id)
    if (
        org is None
        or not org.path.startswith(issuer.path)
        or not actor.can(Permission.REPORTS_READ, org.path)
    ):
        raise NotFound(NOT_FOUND)
    return org


def _breadcrumbs(db: Session, issuer: Organization, top: Organization) -> list[OrgRef]:
    """From the issuer down to the organisation asked about."""
    ids = _ids(top.path)
    ids = ids[ids.index(issuer.id) :]
    found = {
        org.id: org
        for org in db.exec(
            sa.select(Organization.id, Organization.name, Organization.code).where(
                Organization.id.in_(ids)
            )
        ).all()
    }
    return [OrgRef(id=i, name=found[i].name, code=found[i].code) for i in ids]


def _tree(
    db: Session, actor: Actor, plan: Plan, issuer: Organization, top: Organization, cut: Cutoff
) -> _Tree:
    if db.get_bind().dialect.name == "postgresql":
        # For this transaction only. psycopg prepares a statement on its fifth run, and
        # PostgreSQL may then plan it once for any subtree and any day: at 2,500 schools the
        # roll-up took twice as long from its sixth call on; so each is planned for its own
        # values. And its sorts (counting distinct people per plan) spilled to disk at 4 MB:
        # with 64 MB the top of 100,000 staff took 320 ms instead of 400.
        db.exec(
            sa.select(
                sa.func.set_config("plan_cache_mode", "force_custom_plan", True),
                sa.func.set_config("work_mem", "64MB", True),
            )
        )
    # On the connection: SQLAlchemy's ORM loading of 2,500 rows costs more than their SQL.
    orgs = (
        db.connection()
        .execute(
            sa.select(
                Organization.id,
                Organization.parent_id,
                Organization.name,
                Organization.code,
                Organization.path,
                Organization.depth,
            )
            .where(
                Organization.path.startswith(top.path, autoescape=True),
                in_scope(actor, Permission.REPORTS_READ, Organization.path),
            )
            .order_by(Organization.path)
        )
        .all()
    )
    plan_of = _adopted(db, plan, top, cut)
    staff = _staff(db, [o.id for o in orgs if o.id not in plan_of], cut)
    counts = rollup_cache.counted(
        db,
        [plan_of[o.id].id for o in orgs if o.id in plan_of],
        cut,
        frozenset(_COUNTED),
        lambda plan_ids: _count(db, plan_ids, cut),
    )
    own = {
        org.id: _Sums(**counts[plan_of[org.id].id])
        if org.id in plan_of
        else _Sums(organizations=1, audience=staff.get(org.id, 0))
        for org in orgs
    }
    listed = [
        org
        for org in orgs
        if org.id != issuer.id or (org.id in plan_of and own[org.id].audience > 0)
    ]
    return _Tree(orgs=list(orgs), plan_of=plan_of, own=own, listed=listed)


def _row(
    org,
    sums: _Sums,
    adopted: _Adopted | None,
    issuer: Organization,
    children: Counter,
    subtree: bool,
) -> RollupRow:
    """An organisation's row: its subtree's sums (a level's row) or its own (its own staff)."""
    return RollupRow(
        organization_id=org.id,
        organization_name=org.name,
        organization_code=org.code,
        depth=org.depth - issuer.depth,
        plan_id=adopted.id if adopted else None,
        plan_symbol=adopted.symbol if adopted else None,
        plan_status=adopted.status if adopted else None,
        adopted=adopted is not None,
        subtree=subtree,
        organizations=sums.organizations,
        organizations_adopted=sums.adopted,
        children=children.get(org.id, 0),
        **sums.figures(),
    )


def _totals(parts: list[_Sums]) -> RollupTotals:
    """Sums over the organisations; each rate over the sums: a school of 40 weighs more than
    a school of 8."""
    total = _Sums()
    for part in parts:
        total.add(part)
    return RollupTotals(organizations=total.organizations, adopted=total.adopted, **total.figures())


def _kept(row: RollupRow, ask: Level) -> bool:
    if ask.not_adopted and row.organizations_adopted == row.organizations:
        return False
    return ask.below_rate is None or row.confirmed_rate < ask.below_rate


def _name(row: RollupRow) -> str:
    return text_sort_key(row.organization_name)


_ORDER: dict[str, Callable[[RollupRow], tuple]] = {
    "confirmed_rate": lambda r: (r.confirmed_rate, _name(r)),
    "attended_rate": lambda r: (r.attended_rate, _name(r)),
    "name": lambda r: (_name(r),),
    # Those with the most organisations that have not adopted the plan first.
    "not_adopted": lambda r: (
        -(r.organizations - r.organizations_adopted),
        r.confirmed_rate,
        _name(r),
    ),
    "tasks_overdue": lambda r: (-r.tasks_overdue, _name(r)),
}


def _adopted(db: Session, plan: Plan, top: Organization, cut: Cutoff) -> dict[int, _Adopted]:
    """The newest plan of each organisation of the subtree in the plan's adoption tree,
    issued by then (the issuer's: the plan itself)."""
    tree = (
        sa.select(Plan.id, Plan.organization_id)
        .where(Plan.id == plan.id)
        .cte("plan_tree", recursive=True)
    )
    tree = tree.union_all(
        sa.select(Plan.id, Plan.organization_id).join(tree, Plan.parent_plan_id == tree.c.id)
    )
    rows = (
        db.connection()
        .execute(
            sa.select(Plan.id, Plan.organization_id, Plan.symbol, Plan.status)
            .join(tree, tree.c.id == Plan.id)
            .join(Organization, Organization.id == Plan.organization_id)
            .where(
                Organization.path.startswith(top.path, autoescape=True),
                Plan.status != "draft",
                Plan.created_at <= cut.moment,
            )
            .order_by(Plan.organization_id, Plan.id)
        )
        .all()
    )
    return {org_id: _Adopted(i, symbol, status) for i, org_id, symbol, status in rows}


def _count(db: Session, ids: list[int], cut: Cutoff) -> dict[int, dict[str, int]]:
    """Each plan's own counts (`_Sums` by name), one GROUP BY per figure over them all."""
    plan_ids = figures.listed(db, ids)
    sizes = _audiences(db, plan_ids, cut)
    confirmations = _confirmations(db, plan_ids, cut)
    sessions_held = _sessions_held(db, plan_ids, cut)
    expected = _expected_attendances(db, plan_ids, cut)
    study = _study(db, plan_ids, cut)
    tasks = _tasks(db, plan_ids, cut)
    outreach = _outreach(db, plan_ids, cut)
    quizzes = _passed(db, plan_ids, cut)
    found = {}
    for key in ids:
        confirmed, reflected, graded = confirmations.get(key, (0, 0, 0))
        marks, attended = study.get(key, (0, 0))
        tasks_total, tasks_done, tasks_overdue = tasks.get(key, (0, 0, 0))
        count, reach = outreach.get(key, (0, 0))
        sums = _Sums(
            organizations=1,
            adopted=1,
            audience=sizes.get(key, 0),
            confirmed=confirmed,
            reflections=reflected,
            graded=graded,
            sessions_held=sessions_held.get(key, 0),
            attended=attended,
            quizzes=int(key in quizzes),
            passed=quizzes.get(key, 0),
            attendances=marks,
            expected_attendances=expected.get(key, 0),
            tasks_total=tasks_total,
            tasks_done=tasks_done,
            tasks_overdue=tasks_overdue,
            outreach=count,
            outreach_reach=reach,
        )
        # as integers: PostgreSQL sums are decimals, which JSON does not store
        found[key] = {name: int(value) for name, value in asdict(sums).items()}
    return found


def _staff(db: Session, org_ids: list[int], cut: Cutoff) -> dict[int, int]:
    """An organisation that has not adopted the plan counts its whole staff as its audience."""
    return dict(
        db.exec(
            sa.select(Participant.organization_id, sa.func.count())
            .where(Participant.organization_id.in_(org_ids), audience.on_roll(cut.moment))
            .group_by(Participant.organization_id)
        ).all()
    )


def _audiences(db: Session, plan_ids: sa.Select, cut: Cutoff) -> dict[int, int]:
    return dict(db.exec(audience.sizes(Plan, cut.moment, [Plan.id.in_(plan_ids)])).all())


def _confirmations(db: Session, plan_ids: sa.Select, cut: Cutoff) -> Counts:
    """(confirmed, reflections, graded) per plan, among the people on the roll at the cut-off."""
    return {
        plan_id: (confirmed, int(reflected or 0), int(graded or 0))
        for plan_id, confirmed, reflected, graded in db.exec(
            sa.select(
                Acknowledgement.plan_id,
                sa.func.count(sa.distinct(Acknowledgement.participant_id)),
                sa.func.sum(sa.case((figures.reflected(cut), 1), else_=0)),
                sa.func.sum(sa.case((figures.graded(cut), 1), else_=0)),
            )
            .join(Plan, Plan.id == Acknowledgement.plan_id)
            .join(Participant, Participant.id == Acknowledgement.participant_id)
            .where(
                Acknowledgement.plan_id.in_(plan_ids),
                Acknowledgement.material_major == Plan.material_major,
                *figures.live_acks(cut),
                audience.on_roll(cut.moment),
            )
            .group_by(Acknowledgement.plan_id)
        ).all()
    }


def _sessions_held(db: Session, plan_ids: sa.Select, cut: Cutoff) -> dict[int, int]:
    return dict(
        db.exec(
            sa.select(StudySession.plan_id, sa.func.count())
            .where(StudySession.plan_id.in_(plan_ids), figures.held(cut))
            .group_by(StudySession.plan_id)
        ).all()
    )


def _expected_attendances(db: Session, plan_ids: sa.Select, cut: Cutoff) -> dict[int, int]:
    """The audiences of the held sessions at the cut-off, as the plan's own session table
    counts them, added up."""
    held = audience.sizes(
        StudySession, cut.moment, [StudySession.plan_id.in_(plan_ids), figures.held(cut)]
    ).subquery()
    return dict(
        db.exec(
            sa.select(StudySession.plan_id, sa.func.sum(held.c.size))
            .join(held, held.c.id == StudySession.id)
            .group_by(StudySession.plan_id)
        ).all()
    )


def _study(db: Session, plan_ids: sa.Select, cut: Cutoff) -> Counts:
    """(marks, people) per plan: the marks at sessions held and over by the cut-off, and the
    people of the plan's audience who studied, by the rules of a plan's own progress."""
    return {
        plan_id: (int(marks or 0), people)
        for plan_id, marks, people in db.exec(
            sa.select(
                StudySession.plan_id,
                sa.func.sum(sa.case((StudySession.ends_at <= cut.moment, 1), else_=0)),
                sa.func.count(
                    sa.distinct(
                        sa.case(
                            (audience.includes(Plan, cut.moment), Attendance.participant_id),
                            else_=None,
                        )
                    )
                ),
            )
            .join(Attendance, Attendance.session_id == StudySession.id)
            .join(Plan, Plan.id == StudySession.plan_id)
            .join(Participant, Participant.id == Attendance.participant_id)
            .where(StudySession.plan_id.in_(plan_ids), *figures.studied(cut))
            .group_by(StudySession.plan_id)
        ).all()
    }


def _tasks(db: Session, plan_ids: sa.Select, cut: Cutoff) -> Counts:
    """(total, done, overdue) per plan on the cut-off day."""
    done = sa.case((figures.task_state(cut) == "done", 1), else_=0)
    overdue = sa.case((figures.task_overdue(cut), 1), else_=0)
    return {
        plan_id: (total, int(done_count or 0), int(late or 0))
        for plan_id, total, done_count, late in db.exec(
            sa.select(Task.plan_id, sa.func.count(), sa.func.sum(done), sa.func.sum(overdue))
            .where(Task.plan_id.in_(plan_ids), Task.created_at <= cut.moment)
            .group_by(Task.plan_id)
        ).all()
    }


def _outreach(db: Session, plan_ids: sa.Select, cut: Cutoff) -> Counts:
    """(activities, reach) per plan, kept as `figures.outreach` keeps them."""
    return {
        plan_id: (count, int(reach or 0))
        for plan_id, count, reach in db.exec(
            sa.select(Activity.plan_id, sa.func.count(), sa.func.sum(Activity.reach))
            .where(Activity.plan_id.in_(plan_ids), *figures.outreach_kept(cut))
            .group_by(Activity.plan_id)
        ).all()
    }


def _passed(db: Session, plan_ids: sa.Select, cut: Cutoff) -> dict[int, int]:
    """For each plan with a quiz by the cut-off, the people who passed it on the current
    material by then, among its audience then (`figures.passed`, as a plan's progress counts)."""
    attempt = sa.and_(
        QuizAttempt.plan_id == Plan.id,
        QuizAttempt.material_major == Plan.material_major,
        *figures.quiz_passed(cut),
    )
    addressed = sa.and_(
        Participant.id == QuizAttempt.participant_id, audience.includes(Plan, cut.moment)
    )
    return dict(
        db.exec(
            sa.select(QuizSettings.plan_id, sa.func.count(sa.distinct(Participant.id)))
            .join(Plan, Plan.id == QuizSettings.plan_id)
            .outerjoin(QuizAttempt, attempt)
            .outerjoin(Participant, addressed)
            .where(QuizSettings.plan_id.in_(plan_ids), figures.quiz_set_up(cut))
            .group_by(QuizSettings.plan_id)
        ).all()
    )

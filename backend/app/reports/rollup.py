"""The roll-up: one row per organisation below a plan's issuer that the caller may read, with
the figures of the newest plan it adopted from the issuer's, and the totals.

Each figure is one GROUP BY over every plan at once (one function each below), so the number
of queries does not grow with the number of schools. The rules are those of one plan's
progress (`figures`): a school's row always agrees with its own progress page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa
from sqlmodel import Session

from app import audience
from app.acknowledgements.models import Acknowledgement
from app.authz import Actor, Permission
from app.orgs import service as orgs
from app.orgs.models import Organization
from app.people.models import Participant
from app.plans import access as plans
from app.plans.models import Plan
from app.reports import figures
from app.reports.figures import Cutoff, rate
from app.reports.schemas import OutreachFigures, Rollup, RollupRow, RollupTotals
from app.study_sessions.models import Attendance, StudySession
from app.tasks.models import Task

Counts = dict[int, tuple[int, ...]]
NO_OUTREACH = OutreachFigures(total=0, reach=0, by_kind=[])


def rollup(db: Session, actor: Actor, plan_id: int, as_of: date | None) -> Rollup:
    cut = figures.cutoff(as_of)
    plan, org = plans.load_plan(db, actor, plan_id, Permission.REPORTS_READ)
    below = orgs.below(db, actor, org, Permission.REPORTS_READ)
    plan_of = _adopted(db, plan, [o.id for o in below], cut)
    plan_ids = [p.id for p in plan_of.values()]
    found = _Found(
        staff=_staff(db, [o.id for o in below if o.id not in plan_of], cut),
        audience=_audiences(db, plan_ids, cut),
        confirmations=_confirmations(db, plan_ids, cut),
        sessions_held=_sessions_held(db, plan_ids, cut),
        expected_attendances=_expected_attendances(db, plan_ids, cut),
        study=_study(db, plan_ids, cut),
        tasks=_tasks(db, plan_ids, cut),
        outreach=figures.outreach(db, plan_ids, cut),
    )
    rows = [found.row(o, o.depth - org.depth, plan_of.get(o.id)) for o in below]
    return Rollup(
        plan=figures.plan_ref(plan, org),
        as_of=cut.as_of,
        generated_at=datetime.now(UTC),
        rows=rows,
        totals=_totals(rows),
    )


def _adopted(db: Session, plan: Plan, org_ids: list[int], cut: Cutoff) -> dict[int, Plan]:
    """The newest plan of each organisation in the plan's adoption tree, issued by then."""
    tree = (
        sa.select(Plan.id, Plan.organization_id)
        .where(Plan.id == plan.id)
        .cte("plan_tree", recursive=True)
    )
    tree = tree.union_all(
        sa.select(Plan.id, Plan.organization_id).join(tree, Plan.parent_plan_id == tree.c.id)
    )
    adopted = db.exec(
        sa.select(Plan)
        .join(tree, tree.c.id == Plan.id)
        .where(
            Plan.organization_id.in_(org_ids),
            Plan.status != "draft",
            Plan.created_at <= cut.moment,
        )
        .order_by(Plan.organization_id, Plan.id)
    ).scalars()
    return {p.organization_id: p for p in adopted}


def _staff(db: Session, org_ids: list[int], cut: Cutoff) -> dict[int, int]:
    """An organisation that has not adopted the plan counts its whole staff as its audience."""
    return dict(
        db.exec(
            sa.select(Participant.organization_id, sa.func.count())
            .where(Participant.organization_id.in_(org_ids), audience.on_roll(cut.moment))
            .group_by(Participant.organization_id)
        ).all()
    )


def _audiences(db: Session, plan_ids: list[int], cut: Cutoff) -> dict[int, int]:
    return dict(db.exec(audience.sizes(Plan, cut.moment, [Plan.id.in_(plan_ids)])).all())


def _confirmations(db: Session, plan_ids: list[int], cut: Cutoff) -> Counts:
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


def _sessions_held(db: Session, plan_ids: list[int], cut: Cutoff) -> dict[int, int]:
    return dict(
        db.exec(
            sa.select(StudySession.plan_id, sa.func.count())
            .where(StudySession.plan_id.in_(plan_ids), figures.held(cut))
            .group_by(StudySession.plan_id)
        ).all()
    )


def _expected_attendances(db: Session, plan_ids: list[int], cut: Cutoff) -> dict[int, int]:
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


def _study(db: Session, plan_ids: list[int], cut: Cutoff) -> Counts:
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


def _tasks(db: Session, plan_ids: list[int], cut: Cutoff) -> Counts:
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


@dataclass(frozen=True)
class _Found:
    """Every figure of every plan, by plan id; `row` reads one organisation's out of them."""

    staff: dict[int, int]
    audience: dict[int, int]
    confirmations: Counts
    sessions_held: dict[int, int]
    expected_attendances: dict[int, int]
    study: Counts
    tasks: Counts
    outreach: dict[int, OutreachFigures]

    def row(self, org: Organization, depth: int, plan: Plan | None) -> RollupRow:
        """An organisation that has not adopted the plan has no figures but its staff."""
        key = plan.id if plan else None
        size = self.audience.get(key, 0) if plan else self.staff.get(org.id, 0)
        confirmed, reflected, graded = self.confirmations.get(key, (0, 0, 0))
        marks, attended = self.study.get(key, (0, 0))
        expected = self.expected_attendances.get(key, 0)
        tasks_total, tasks_done, tasks_overdue = self.tasks.get(key, (0, 0, 0))
        reach = self.outreach.get(key, NO_OUTREACH)
        return RollupRow(
            organization_id=org.id,
            organization_name=org.name,
            organization_code=org.code,
            depth=depth,
            plan_id=key,
            plan_symbol=plan.symbol if plan else None,
            plan_status=plan.status if plan else None,
            adopted=plan is not None,
            audience=size,
            confirmed=confirmed,
            confirmed_rate=rate(confirmed, size),
            reflections=reflected,
            graded=graded,
            sessions_held=self.sessions_held.get(key, 0),
            attended=attended,
            attended_rate=rate(attended, size),
            attendances=marks,
            expected_attendances=expected,
            attendance_rate=rate(marks, expected),
            tasks_total=tasks_total,
            tasks_done=tasks_done,
            tasks_overdue=tasks_overdue,
            outreach=reach.total,
            outreach_reach=reach.reach,
        )


def _totals(rows: list[RollupRow]) -> RollupTotals:
    """Rates over the sums: a school of 40 weighs more than a school of 8."""

    def total(field: str) -> int:
        return sum(getattr(r, field) for r in rows)

    audience_size, confirmed, attended = total("audience"), total("confirmed"), total("attended")
    attendances, expected = total("attendances"), total("expected_attendances")
    return RollupTotals(
        organizations=len(rows),
        adopted=sum(r.adopted for r in rows),
        audience=audience_size,
        confirmed=confirmed,
        confirmed_rate=rate(confirmed, audience_size),
        reflections=total("reflections"),
        graded=total("graded"),
        sessions_held=total("sessions_held"),
        attended=attended,
        attended_rate=rate(attended, audience_size),
        attendances=attendances,
        expected_attendances=expected,
        attendance_rate=rate(attendances, expected),
        tasks_total=total("tasks_total"),
        tasks_done=total("tasks_done"),
        tasks_overdue=total("tasks_overdue"),
        outreach=total("outreach"),
        outreach_reach=total("outreach_reach"),
    )

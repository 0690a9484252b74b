"""The roll-up's counts of each adopted plan, kept between requests.

Why: the top of a province counts every school's plan, each figure a GROUP BY over all their
rows (100,000 staff: some 500 ms; a million: 6 s), although between two readings only the
schools someone wrote to have changed. So each plan's counts on a day (`as_of`, or live) are
kept in `RollupFigures`, and a reading counts again only the plans whose row is missing or
no longer fresh, with the same GROUP BYs restricted to them: the number of statements stays
fixed, their work follows the number of schools that changed.

Freshness, never guessed:
- Writes: every commit that wrote to an organisation's records logs it in the same
  transaction (`app.core.changes`). A plan counts its own organisation's records and staff
  only (`app.audience`), so a row is stale once its organisation has a change with a mark at
  or above the row's `since`: the mark below which every change was visible when the counting
  began, taken before the first count, so a write committing meanwhile is never lost.
- The clock: live figures (and today's) change with no write at local midnight (tasks
  overdue, outreach of the day) and when a session marked held ends; such a row is good
  until the first of these (`valid_until`). A past day's figures depend on writes alone.
- A row whose counts are not the roll-up's now (one added or removed since) is stale.
- A transaction that has written and not committed counts live: kept rows cannot show it.

The rows are written by the reading request (an upsert: two readers at once both succeed).
On SQLite a read request's transaction cannot become a writer's once another has committed,
so it ends there and a writer's begins (`writing`), after all the counting is done: it waits
its turn among the writers, never answers "database is locked".

Kept rows are only ever a copy: deleting them all is always safe (the next reading counts
everything). The change log may be cut below a mark M only together with the kept rows whose
`since` is below M (`prune`, once a day, so the log does not grow with every write). A
PostgreSQL dump brings marks of its cluster's transaction ids, which mean nothing in another:
`lantoa restore` empties `rollup_figures`, and so must a dump restored by hand (a row whose
mark is ahead of the database's is never trusted, but one behind it could be).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from app.core import changes
from app.core.base import utcnow
from app.core.config import current_settings
from app.core.db import sqlite_write_intent, writing
from app.plans.models import Plan
from app.reports import figures
from app.reports.figures import Cutoff
from app.reports.models import RollupFigures
from app.study_sessions.models import StudySession

LIVE = "live"
Counts = dict[str, int]


def counted(
    db: Session,
    plan_ids: list[int],
    cut: Cutoff,
    names: frozenset[str],
    count: Callable[[list[int]], dict[int, Counts]],
) -> dict[int, Counts]:
    """Each plan's counts (`names`) at the cut-off: kept ones while fresh, the others counted
    by `count` (given a list of plan ids) and kept."""
    if not plan_ids or changes.pending(db):
        return count(plan_ids)
    dialect = db.get_bind().dialect.name
    day = LIVE if cut.as_of is None else cut.as_of.isoformat()
    now = changes.since(dialect)
    kept = RollupFigures
    fresh = sa.and_(
        # no change since the counting began, of the plan's organisation or of every one
        sa.func.coalesce(changes.last_change(Plan.organization_id), -1) < kept.since,
        sa.func.coalesce(changes.last_change(None), -1) < kept.since,
        kept.since <= now,  # a mark from elsewhere (a restored copy) is not trusted
        sa.or_(kept.valid_until.is_(None), kept.valid_until > cut.moment),
    )
    rows = (
        db.connection()
        .execute(
            sa.select(Plan.id, sa.case((fresh, kept.counts)).label("counts"), now.label("now"))
            .outerjoin(kept, sa.and_(kept.plan_id == Plan.id, kept.day == day))
            .where(Plan.id.in_(figures.listed(db, plan_ids)))
        )
        .all()
    )
    found: dict[int, Counts] = {}
    stale: list[int] = []
    for plan_id, counts, _ in rows:
        if counts is not None and counts.keys() == names:  # a count added since: stale
            found[plan_id] = counts
        else:
            stale.append(plan_id)
    if stale:
        fresh_counts = count(stale)
        found.update(fresh_counts)
        _keep(db, day, rows[0].now, _valid_until(db, stale, cut), fresh_counts)
    return found


def _valid_until(db: Session, plan_ids: list[int], cut: Cutoff) -> dict[int, datetime | None]:
    """When each plan's figures change with the clock alone: for figures standing at now (live
    or today's), the next local midnight or the end of a session marked held still running or
    to come, whichever is first; never for a past day's."""
    zone = current_settings().zone
    if cut.as_of is not None and cut.moment.astimezone(zone).date() != cut.as_of:
        return {}  # the end of a past day: fixed
    tomorrow = datetime.combine(cut.today + timedelta(days=1), time(), tzinfo=zone)
    ending = dict(
        db.exec(
            sa.select(StudySession.plan_id, sa.func.min(StudySession.ends_at))
            .where(
                StudySession.plan_id.in_(figures.listed(db, plan_ids)),
                StudySession.status == "held",
                StudySession.ends_at > cut.moment,
            )
            .group_by(StudySession.plan_id)
        ).all()
    )
    return {i: min(tomorrow, ending.get(i, tomorrow)) for i in plan_ids}


_UPSERTS = {
    name: (
        lambda insert: insert.on_conflict_do_update(
            index_elements=[RollupFigures.plan_id, RollupFigures.day],
            set_={
                column: getattr(insert.excluded, column)
                for column in ("counts", "since", "computed_at", "valid_until")
            },
        )
    )(dialect.insert(RollupFigures))
    for name, dialect in (("postgresql", postgresql), ("sqlite", sqlite))
}


def _keep(
    db: Session, day: str, since: int, until: dict[int, datetime | None], fresh: dict[int, Counts]
) -> None:
    """Write the rows, in the order of their keys (two readers at once never wait for each
    other in a circle); on SQLite in a writer's transaction of its own (see above)."""
    now = utcnow()
    rows = [
        {
            "plan_id": plan_id,
            "day": day,
            "counts": fresh[plan_id],
            "since": since,
            "computed_at": now,
            "valid_until": until.get(plan_id),
        }
        for plan_id in sorted(fresh)
    ]
    dialect = db.get_bind().dialect.name
    if dialect == "sqlite" and not sqlite_write_intent.get():
        with writing(db):
            db.connection().execute(_UPSERTS[dialect], rows)
    else:
        db.connection().execute(_UPSERTS[dialect], rows)


def prune(db: Session) -> tuple[int, int]:
    """Cut the change log below the current mark, with the kept rows counted before it (the
    rule above); the next readings count those plans again. A reader that counted before
    the cut and stores its rows after it must not be trusted either: an "every organisation"
    change just below the mark stays in the log and makes such rows stale.
    Returns (kept rows, changes) deleted."""
    mark = db.exec(sa.select(changes.since(db.get_bind().dialect.name))).scalar_one()
    kept = db.exec(sa.delete(RollupFigures).where(RollupFigures.since < mark)).rowcount
    cut = db.exec(
        sa.delete(changes.OrganizationChange).where(changes.OrganizationChange.mark < mark)
    ).rowcount
    db.add(changes.OrganizationChange(organization_id=None, mark=mark - 1))
    return kept, cut

"""Setting up a contest on a plan: the organiser (who may write the plan) opens it, edits it
while its rounds have not opened, and publishes its results.

A contest is open to the staff of the plan's issuer and everything below it, so only a plan
issued by an organisation with organisations under it (a district, a province, a
department) can have one. A round that has opened is frozen: its window, its number of
questions, its time limit and its tie-break question stay as the entrants found them; the
title, the rules and whether invited people may enter can change at any time.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session

from app.audit import trail as audit
from app.authz import Actor, Permission
from app.contests.models import Contest, ContestRound
from app.contests.schemas import (
    ContestInfo,
    ContestPublic,
    ContestWrite,
    RoundPublic,
    RoundWrite,
    SchoolChoice,
)
from app.core.errors import Conflict, InvalidInput, NotFound, field_error
from app.orgs.models import Organization
from app.plans.access import load_plan, writable_plan
from app.plans.models import Plan

NOT_FOUND = "Không tìm thấy cuộc thi. / Contest not found."
_FROZEN = ("opens_at", "closes_at", "question_count", "time_limit_minutes", "tiebreak_question")


def now() -> datetime:
    """The server's clock (tests move it)."""
    return datetime.now(UTC)


class ContestConflict(Conflict):
    code = "contest-conflict"


def round_state(row: ContestRound, moment: datetime) -> str:
    if moment < row.opens_at:
        return "upcoming"
    return "open" if moment < row.closes_at else "closed"


def rounds_of(db: Session, contest_id: int) -> list[ContestRound]:
    return list(
        db.exec(
            sa.select(ContestRound)
            .where(ContestRound.contest_id == contest_id)
            .order_by(ContestRound.number)
        ).scalars()
    )


def _rounds_public(rows: Iterable[ContestRound]) -> list[RoundPublic]:
    moment = now()
    return [
        RoundPublic.model_validate({**row.model_dump(), "state": round_state(row, moment)})
        for row in rows
    ]


def load_contest(
    db: Session, actor: Actor, contest_id: int, permission: Permission
) -> tuple[Contest, Plan]:
    """The contest if the caller may act on its plan with `permission`; 404 otherwise."""
    contest = db.get(Contest, contest_id)
    if contest is None:
        raise NotFound(NOT_FOUND)
    try:
        plan, _ = load_plan(db, actor, contest.plan_id, permission)
    except NotFound:
        raise NotFound(NOT_FOUND) from None
    return contest, plan


def present(db: Session, contest: Contest) -> ContestPublic:
    issuer = db.get(Organization, contest.organization_id)
    return ContestPublic.model_validate(
        {
            **contest.model_dump(),
            "organization_name": issuer.name,
            "rounds": _rounds_public(rounds_of(db, contest.id)),
        }
    )


def info(db: Session, contest: Contest, *, with_schools: bool = False) -> ContestInfo:
    """The contest as an entrant or the public sees it; `with_schools` adds the schools of
    the organiser's tree (those with no organisation under them), for the public form."""
    issuer = db.get(Organization, contest.organization_id)
    schools: list[SchoolChoice] = []
    if with_schools:
        parents = sa.select(Organization.parent_id).where(Organization.parent_id.is_not(None))
        schools = [
            SchoolChoice(id=row.id, name=row.name)
            for row in db.exec(
                sa.select(Organization.id, Organization.name)
                .where(
                    Organization.path.startswith(issuer.path, autoescape=True),
                    Organization.id.not_in(parents),
                )
                .order_by(Organization.name)
            )
        ]
    return ContestInfo(
        id=contest.id,
        title=contest.title,
        rules=contest.rules,
        organization_name=issuer.name,
        public_entries=contest.public_entries,
        published=contest.published_at is not None,
        public_token=contest.public_token,
        rounds=_rounds_public(rounds_of(db, contest.id)),
        schools=schools,
    )


def list_contests(db: Session, actor: Actor, plan_id: int) -> list[ContestPublic]:
    plan, _ = load_plan(db, actor, plan_id, Permission.REPORTS_READ)
    rows = db.exec(
        sa.select(Contest).where(Contest.plan_id == plan.id).order_by(Contest.id)
    ).scalars()
    return [present(db, row) for row in rows]


def get_contest(db: Session, actor: Actor, contest_id: int) -> ContestPublic:
    contest, _ = load_contest(db, actor, contest_id, Permission.REPORTS_READ)
    return present(db, contest)


def _picture(db: Session, contest: Contest) -> dict[str, Any]:
    return audit.snapshot(contest) | {
        "rounds": [audit.snapshot(row) for row in rounds_of(db, contest.id)]
    }


def create(db: Session, actor: Actor, plan_id: int, data: ContestWrite) -> ContestPublic:
    plan, issuer = writable_plan(db, actor, plan_id)
    has_children = db.exec(
        sa.select(sa.func.count()).where(Organization.parent_id == issuer.id)
    ).one()[0]
    if not has_children:
        raise ContestConflict(
            "Chỉ kế hoạch của đơn vị có đơn vị trực thuộc (phòng, sở) mới mở được cuộc thi. "
            "/ Only a plan of an organisation with organisations under it can open a contest."
        )
    contest = Contest(
        plan_id=plan.id,
        organization_id=issuer.id,
        title=data.title,
        rules=data.rules,
        public_entries=data.public_entries,
        public_token=secrets.token_urlsafe(16),
    )
    db.add(contest)
    db.flush()
    _write_rounds(db, contest, [], data.rounds)
    audit.record(
        db,
        actor,
        "contest.create",
        entity_type="contest",
        entity_id=contest.id,
        organization_id=contest.organization_id,
        after=_picture(db, contest),
    )
    return present(db, contest)


def update(db: Session, actor: Actor, contest_id: int, data: ContestWrite) -> ContestPublic:
    contest, _ = load_contest(db, actor, contest_id, Permission.PLANS_WRITE)
    writable_plan(db, actor, contest.plan_id)  # a closed plan's contest is read-only
    before = _picture(db, contest)
    contest.title, contest.rules = data.title, data.rules
    contest.public_entries = data.public_entries
    contest.updated_at = now()
    db.add(contest)
    _write_rounds(db, contest, rounds_of(db, contest.id), data.rounds)
    audit.record(
        db,
        actor,
        "contest.update",
        entity_type="contest",
        entity_id=contest.id,
        organization_id=contest.organization_id,
        before=before,
        after=_picture(db, contest),
    )
    return present(db, contest)


def _write_rounds(
    db: Session, contest: Contest, existing: list[ContestRound], wanted: list[RoundWrite]
) -> None:
    """Keep, change, add and remove rounds as `wanted` says; rounds that have opened must
    come back unchanged, and new or changed rounds must open later than now. Rounds are
    numbered by when they open."""
    moment = now()
    by_id = {row.id: row for row in existing}
    errors = []
    for index, round_ in enumerate(wanted):
        row = by_id.get(round_.id) if round_.id is not None else None
        if round_.id is not None and row is None:
            errors.append(
                field_error(
                    f"body.rounds.{index}.id",
                    "Vòng thi không thuộc cuộc thi này. / Not a round of this contest.",
                )
            )
        elif row is not None and row.opens_at <= moment:
            if any(getattr(row, name) != getattr(round_, name) for name in _FROZEN):
                errors.append(
                    field_error(
                        f"body.rounds.{index}",
                        "Vòng thi đã mở, không sửa được. / This round has opened and is frozen.",
                    )
                )
        elif round_.opens_at <= moment:
            errors.append(
                field_error(
                    f"body.rounds.{index}.opens_at",
                    "Giờ mở vòng thi phải ở tương lai. / A round must open in the future.",
                )
            )
    kept = {round_.id for round_ in wanted}
    for row in existing:
        if row.id not in kept and row.opens_at <= moment:
            errors.append(
                field_error(
                    "body.rounds",
                    f"Vòng {row.number} đã mở, không xoá được. "
                    f"/ Round {row.number} has opened and cannot be removed.",
                )
            )
    if errors:
        raise InvalidInput("Vòng thi không hợp lệ. / Invalid rounds.", errors=errors)
    for row in existing:
        if row.id not in kept:
            db.delete(row)
        else:
            row.number = -row.id  # out of the way of the numbers given below
            db.add(row)
    db.flush()
    for number, round_ in enumerate(sorted(wanted, key=lambda r: r.opens_at), start=1):
        row = by_id.get(round_.id) or ContestRound(contest_id=contest.id, number=number)
        for name in _FROZEN:
            setattr(row, name, getattr(round_, name))
        row.number = number
        db.add(row)
    db.flush()


def publish(db: Session, actor: Actor, contest_id: int, published: bool) -> ContestPublic:
    """Show the results on the public page, or take them down."""
    contest, _ = load_contest(db, actor, contest_id, Permission.PLANS_WRITE)
    if (contest.published_at is not None) != published:
        contest.published_at = now() if published else None
        db.add(contest)
        db.flush()
        audit.record(
            db,
            actor,
            "contest.publish" if published else "contest.unpublish",
            entity_type="contest",
            entity_id=contest.id,
            organization_id=contest.organization_id,
            after={"published_at": audit.snapshot({"at": contest.published_at})["at"]},
        )
    return present(db, contest)

"""The audit log as admins read it: a page of events, each with the names of its record and of
who did it. What writes the events is `app.audit.trail`."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from app.acknowledgements.models import Acknowledgement
from app.activities.models import Activity
from app.audit.models import AuditEvent
from app.audit.schemas import AuditEventPublic
from app.auth.models import ApiToken, RoleAssignment, User
from app.authz import Actor, Permission, authorize, in_scope
from app.orgs.models import Organization, Unit
from app.people.models import Participant
from app.plans.models import Plan
from app.reports.models import Report
from app.study_sessions.models import StudySession
from app.tasks.models import Task


def list_events(
    db: Session,
    actor: Actor,
    *,
    organization: Organization | None,
    action: str | None,
    entity_type: str | None,
    entity_id: str | None,
    actor_user_id: int | None,
    since: datetime | None,
    until: datetime | None,
    limit: int,
    offset: int,
) -> tuple[list[tuple[AuditEvent, str | None]], int]:
    """A page of events, each with its actor's display name (null for the system or a token)."""
    query = (
        sa.select(AuditEvent, User.display_name)
        .join(Organization, Organization.id == AuditEvent.organization_id)
        .outerjoin(User, User.id == AuditEvent.actor_user_id)
    )
    conditions = [in_scope(actor, Permission.AUDIT_READ, Organization.path)]
    if organization is not None:
        authorize(actor, Permission.AUDIT_READ, organization.path)
        conditions.append(Organization.path.startswith(organization.path, autoescape=True))
    if action:
        conditions.append(AuditEvent.action == action)
    if entity_type:
        conditions.append(AuditEvent.entity_type == entity_type)
    if entity_id:
        conditions.append(AuditEvent.entity_id == entity_id)
    if actor_user_id is not None:
        conditions.append(AuditEvent.actor_user_id == actor_user_id)
    if since is not None:
        conditions.append(AuditEvent.created_at >= since)
    if until is not None:
        conditions.append(AuditEvent.created_at < until)
    query = query.where(*conditions)
    total = db.exec(sa.select(sa.func.count()).select_from(query.subquery())).one()[0]
    rows = db.exec(
        query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return [(event, name) for event, name in rows], total


def _first(name: str, *_: Any) -> str:
    return name


def _plan_name(symbol: str | None, title: str) -> str:
    """An issued plan is known by its symbol (05/KH-THNBK), a draft only by its title."""
    return symbol or title


def _confirmation_name(full_name: str, plan_symbol: str | None) -> str:
    """Whose confirmation, and of which plan: one person confirms several."""
    return f"{full_name} ({plan_symbol})" if plan_symbol else full_name


@dataclass(frozen=True)
class _Naming:
    """How the log names one kind of record: the columns read beside its id (through
    `joins`), how they make the name, and the column holding the record's own organisation
    (None for a user account, which belongs to none)."""

    model: type[SQLModel]
    columns: tuple[Any, ...]
    organization_id: Any | None
    joins: tuple[tuple[type[SQLModel], Any], ...] = ()
    compose: Callable[..., str] = _first


# By the entity_type each service records.
_NAMINGS: dict[str, _Naming] = {
    "organization": _Naming(Organization, (Organization.name,), Organization.id),
    "unit": _Naming(Unit, (Unit.name,), Unit.organization_id),
    "participant": _Naming(Participant, (Participant.full_name,), Participant.organization_id),
    "user": _Naming(User, (User.display_name,), None),
    "role_assignment": _Naming(
        RoleAssignment,
        (User.display_name,),
        RoleAssignment.organization_id,
        joins=((User, User.id == RoleAssignment.user_id),),
    ),
    "api_token": _Naming(ApiToken, (ApiToken.name,), ApiToken.organization_id),
    "plan": _Naming(Plan, (Plan.symbol, Plan.title), Plan.organization_id, compose=_plan_name),
    "task": _Naming(Task, (Task.title,), Task.organization_id),
    "session": _Naming(StudySession, (StudySession.title,), StudySession.organization_id),
    "acknowledgement": _Naming(
        Acknowledgement,
        (Participant.full_name, Plan.symbol),
        Acknowledgement.organization_id,
        joins=(
            (Participant, Participant.id == Acknowledgement.participant_id),
            (Plan, Plan.id == Acknowledgement.plan_id),
        ),
        compose=_confirmation_name,
    ),
    "activity": _Naming(Activity, (Activity.title,), Activity.organization_id),
    "report": _Naming(Report, (Report.symbol,), Report.organization_id),
}


def _names_query(actor: Actor, naming: _Naming, ids: set[int]) -> sa.Select:
    query = sa.select(naming.model.id, *naming.columns).select_from(naming.model)
    for target, onclause in naming.joins:
        query = query.join(target, onclause)
    if naming.organization_id is not None:
        if naming.model is not Organization:
            query = query.join(Organization, Organization.id == naming.organization_id)
        query = query.where(in_scope(actor, Permission.AUDIT_READ, Organization.path))
    return query.where(naming.model.id.in_(ids))


# The before/after fields that hold the id of another record (or a list of ids), by the kind
# of record: the viewer shows its name where the snapshot has only the number.
_REFERENCES: dict[str, str] = {
    "organization_id": "organization",
    "parent_id": "organization",
    "unit_id": "unit",
    "unit_ids": "unit",
    "audience_unit_ids": "unit",
    "assignee_unit_id": "unit",
    "responsible_unit_id": "unit",
    "plan_id": "plan",
    "parent_plan_id": "plan",
    "participant_id": "participant",
    "participant_ids": "participant",
    "assignee_participant_id": "participant",
    "responsible_participant_id": "participant",
    "submitted_by_participant_id": "participant",
    "task_id": "task",
    "previous_task_id": "task",
    "session_id": "session",
    "user_id": "user",
    "created_by_id": "user",
    "recorded_by_id": "user",
    "graded_by_id": "user",
    "withdrawn_by_id": "user",
    "marked_by_id": "user",
    "reviewed_by_id": "user",
    "uploaded_by_id": "user",
    "submitted_by_user_id": "user",
}


def _ids(value: Any) -> list[int]:
    """The ids a field holds: one, or a list (an audience's units); nothing else is an id."""
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool)]


def _references(event: AuditEvent) -> Iterator[tuple[str, str, int]]:
    """(field, entity_type, id) for every id the event's before and after point to."""
    for picture in (event.before, event.after):
        for key, value in (picture or {}).items():
            if key in _REFERENCES:
                for ref in _ids(value):
                    yield key, _REFERENCES[key], ref


def entity_labels(
    db: Session, actor: Actor, events: Sequence[AuditEvent]
) -> dict[tuple[str, str], str]:
    """The names of the records `events` are about, and of those their before/after fields
    point to, by (entity_type, entity_id).

    One query per kind of record among the events, whatever their number. Only the ids of
    these events are looked up (the caller's audit scope already chose them), and a record is
    named only when its own organisation is in that scope too: a stray id never reveals a
    name from elsewhere. A record that is gone gets no name."""
    wanted: dict[str, set[int]] = defaultdict(set)
    for event in events:
        entity_id = event.entity_id or ""
        if event.entity_type in _NAMINGS and entity_id.isdecimal():
            wanted[event.entity_type].add(int(entity_id))
        for _, entity_type, ref in _references(event):
            wanted[entity_type].add(ref)
    labels: dict[tuple[str, str], str] = {}
    for entity_type, ids in wanted.items():
        naming = _NAMINGS[entity_type]
        for entity_id, *parts in db.exec(_names_query(actor, naming, ids)):
            labels[(entity_type, str(entity_id))] = naming.compose(*parts)
    return labels


def _value_names(
    event: AuditEvent, labels: dict[tuple[str, str], str]
) -> dict[str, dict[str, str]]:
    """The names of the ids in the event's before/after, by field and id."""
    names: dict[str, dict[str, str]] = defaultdict(dict)
    for key, entity_type, ref in _references(event):
        label = labels.get((entity_type, str(ref)))
        if label is not None:
            names[key][str(ref)] = label
    return dict(names)


def present(
    db: Session, actor: Actor, rows: Sequence[tuple[AuditEvent, str | None]]
) -> list[AuditEventPublic]:
    """A page of the log as the API shows it: each event with the names of its record and of
    who did it."""
    labels = entity_labels(db, actor, [event for event, _ in rows])
    return [
        AuditEventPublic(
            **event.model_dump(),
            entity_label=labels.get((event.entity_type, event.entity_id)),
            value_names=_value_names(event, labels),
            actor_name=actor_name,
        )
        for event, actor_name in rows
    ]

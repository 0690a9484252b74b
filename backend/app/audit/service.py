"""Audit trail: every write adds its event in the same transaction as the write itself."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from app.audit.models import AuditEvent
from app.authz import Actor, Permission, authorize, in_scope
from app.core.base import utcnow
from app.core.logging import request_id_var
from app.orgs.models import Organization

_NEVER_LOGGED = {
    "password_hash",
    "token_hash",
    "reset_code_hash",
    "search_text",
    "search_key",
    "sort_name",
}


def snapshot(record: SQLModel | Mapping[str, Any] | None) -> dict[str, Any] | None:
    """A JSON-safe picture of a record (or of the values a row was written with), without
    secrets, for before/after."""
    if record is None:
        return None
    values = record if isinstance(record, Mapping) else record.model_dump()
    return {key: _json_value(value) for key, value in values.items() if key not in _NEVER_LOGGED}


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _json_value(v) for k, v in value.items()}
    return value


_INSERT_EVENT = sa.insert(AuditEvent)


def record(
    db: Session,
    actor: Actor | None,
    action: str,
    *,
    entity_type: str,
    entity_id: int | str | None,
    organization_id: int | None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> None:
    """Write the event now, in the caller's transaction: it commits or rolls back with the
    write it describes. A plain INSERT, because every write in the app pays for it."""
    db.connection().execute(
        _INSERT_EVENT,
        {
            "created_at": utcnow(),
            "organization_id": organization_id,
            "actor_user_id": actor.user_id if actor else None,
            "actor_token_id": actor.token_id if actor else None,
            "actor_label": actor.label if actor else "system",
            "action": action,
            "entity_type": entity_type,
            "entity_id": None if entity_id is None else str(entity_id),
            "before": before,
            "after": after,
            "request_id": request_id_var.get(),
        },
    )


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
) -> tuple[list[AuditEvent], int]:
    query = sa.select(AuditEvent).join(Organization, Organization.id == AuditEvent.organization_id)
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
    ).scalars()
    return list(rows), total

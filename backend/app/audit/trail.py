"""The audit trail's foundation: every write adds its event in the same transaction as the
write itself, in one call.

    with audit.change(db, actor, "task.update", task):
        task.title = title

snapshots the task before the block and after it (flushed), and records the event under the
task, its organisation and its id; `create` and `delete` do the same for a new or removed
record. `record` writes an event as given, for writes that are not one record's change (a
login, a bulk mark, a failed attempt) and for the busiest path, the one-tap confirmation.

Imports only `app.core` and the audit model, so that every domain can use it; the audit log's
viewer, which reads every domain's records to name them, is `app.audit.service`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel

from app.audit.models import AuditEvent
from app.core import changes
from app.core.base import utcnow
from app.core.logging import request_id_var

if TYPE_CHECKING:
    from app.authz import Actor

_NEVER_LOGGED = {
    "password_hash",
    "token_hash",
    "reset_code_hash",
    "search_text",
    "search_key",
    "sort_name",
    "checkin_secret",  # seeds a session's rotating check-in code
}
# The entity types the trail has always used where a table's name differs.
_ENTITY_TYPES = {"user_account": "user", "study_session": "session"}

Picture = Callable[[Any], dict[str, Any] | None]


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
    write it describes. A plain INSERT, because every write in the app pays for it.

    A write through a personal link names the link and the account that issued it in `after`.
    Its organisation's figures are noted as changed (`app.core.changes`), unless it was a read.
    """
    if action not in changes.READS:
        changes.note(db, entity_type, organization_id)
    db.connection().execute(
        _INSERT_EVENT,
        _event(actor, action, entity_type, entity_id, organization_id, before, after),
    )


def record_many(
    db: Session,
    actor: Actor | None,
    action: str,
    *,
    entity_type: str,
    events: Sequence[tuple[int | str, int | None, dict[str, Any] | None]],
) -> None:
    """`record` for many records written together (entity id, organisation, after): one
    statement, as the write they describe was."""
    for event in events:
        changes.note(db, entity_type, event[1])
    if events:
        db.connection().execute(
            _INSERT_EVENT,
            [_event(actor, action, entity_type, *event[:2], None, event[2]) for event in events],
        )


def _event(
    actor: Actor | None,
    action: str,
    entity_type: str,
    entity_id: int | str | None,
    organization_id: int | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> dict[str, Any]:
    if actor is not None and actor.link is not None:
        after = (after or {}) | {
            "via_link_id": actor.link.id,
            "via_link_issued_by_id": actor.link.issued_by_id,
            "via_link_issued_by": actor.link.issued_by_name,
        }
    return {
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
    }


@dataclass
class Change:
    """What `change` records; the block may add fields to its after (`note`)."""

    extra: dict[str, Any] = field(default_factory=dict)

    def note(self, **fields: Any) -> None:
        self.extra.update(fields)


def _filed_under(target: SQLModel, organization_id: int | None = None) -> dict[str, Any]:
    """The event's entity: the record's kind (its table) and id, and its organisation (an
    organisation's own events are filed under it), unless `organization_id` is given."""
    table = target.__tablename__
    own = target.id if table == "organization" else getattr(target, "organization_id", None)
    return {
        "entity_type": _ENTITY_TYPES.get(table, table),
        "entity_id": target.id,
        "organization_id": own if organization_id is None else organization_id,
    }


@contextmanager
def change(
    db: Session,
    actor: Actor | None,
    action: str,
    target: SQLModel,
    *,
    about: SQLModel | None = None,
    picture: Picture = snapshot,
    **extra: Any,
) -> Iterator[Change]:
    """Record the change the block makes to `target`: its picture before, and after the
    block (flushed), with `extra` and what the block notes added to after.

    Filed under `target`, or under `about` (a task's evidence under the task), and its
    organisation. When the block raises, nothing is recorded.
    """
    before = picture(target)
    changed = Change(dict(extra))
    yield changed
    db.flush()
    after = picture(target) | changed.extra
    record(db, actor, action, **_filed_under(about or target), before=before, after=after)


def create(
    db: Session,
    actor: Actor | None,
    action: str,
    target: SQLModel,
    *,
    about: SQLModel | None = None,
    organization_id: int | None = None,
    picture: Picture = snapshot,
    **extra: Any,
) -> None:
    """Add `target` and record its creation: flushed (so it has its id), its picture as
    after, with `extra`. Filed as `change` files, in `organization_id` if given (a login
    belongs to none: the person's)."""
    db.add(target)
    db.flush()
    after = picture(target) | extra
    record(db, actor, action, **_filed_under(about or target, organization_id), after=after)


def delete(
    db: Session,
    actor: Actor | None,
    action: str,
    target: SQLModel,
    *,
    about: SQLModel | None = None,
    picture: Picture = snapshot,
) -> None:
    """Delete `target` and record it, its last picture as before. Filed as `change` files."""
    before = picture(target)
    filed = _filed_under(about or target)
    db.delete(target)
    record(db, actor, action, **filed, before=before)

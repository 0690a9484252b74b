"""Recording what is due and delivering it, exactly once per recipient, thing and day.

The log's unique keys make it so: each row is inserted unless it exists (ON CONFLICT DO
NOTHING), and only the rows this run inserted are delivered. Two runs at once, or one after
the other, deliver each reminder once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from app.audit import trail as audit
from app.core.base import utcnow
from app.reminders.delivery import Delivery, channels, deliver
from app.reminders.messages import reminder_text
from app.reminders.models import Reminder
from app.reminders.planning import Digest, Due, DueNow, plan_reminders

INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


@dataclass
class Sent:
    planned: DueNow
    reminders: int
    digests: int
    emails: list[int]  # the outbox messages queued


def send_due(db: Session, at: datetime, plan_id: int | None = None) -> Sent:
    """Record and deliver what is due at `at`; what was already sent today is skipped."""
    planned = plan_reminders(db, at, plan_id)
    things: dict[tuple, tuple[dict, Due | Digest]] = {}
    for thing in [*planned.reminders, *planned.digests]:
        row = _digest_row(thing, planned) if isinstance(thing, Digest) else _row(thing, planned)
        things.setdefault(_key(row), (row, thing))
    rows = [row for row, _ in things.values()]
    new = _insert_new(db, rows)
    emails = deliver(
        db, [_delivery(new[key], thing) for key, (_, thing) in things.items() if key in new]
    )
    digests = sum(1 for key in new if key[2].startswith("digest"))
    _audit(db, rows, new)
    return Sent(planned, len(new) - digests, digests, emails)


def _key(row: dict) -> tuple:
    return (row["participant_id"], row["user_id"], row["kind"], row["item_id"])


def _row(due: Due, planned: DueNow) -> dict:
    return {
        "organization_id": due.organization_id,
        "plan_id": due.plan_id,
        "participant_id": due.participant_id,
        "user_id": None,
        "kind": due.kind,
        "item_id": due.item_id,
        "stage": due.stage,
        "channel": channels(due.email),
        "day": planned.day,
        "status": "sent",
        "created_at": utcnow(),
    }


def _digest_row(digest: Digest, planned: DueNow) -> dict:
    return {
        "organization_id": digest.organization_id,
        "plan_id": digest.plan_id,
        # A leader's digest is keyed by the person, an admin's by the login.
        "participant_id": digest.participant_id,
        "user_id": None if digest.participant_id else digest.user_id,
        "kind": digest.kind,
        "item_id": digest.plan_id,
        "stage": "escalation",
        "channel": channels(None),
        "day": planned.day,
        "status": "sent",
        "created_at": utcnow(),
    }


def _insert_new(db: Session, rows: Sequence[dict]) -> dict[tuple, int]:
    """Insert the rows not yet in the log; the keys of those inserted, with their ids. One
    statement compiled once, its rows sent in batches (SQLAlchemy's "insertmanyvalues")."""
    if not rows:
        return {}
    insert = INSERTS[db.get_bind().dialect.name]
    statement = (
        insert(Reminder)
        .on_conflict_do_nothing()
        .returning(
            Reminder.id, Reminder.participant_id, Reminder.user_id, Reminder.kind, Reminder.item_id
        )
    )
    return {
        (participant_id, user_id, kind, item_id): rid
        for rid, participant_id, user_id, kind, item_id in db.connection().execute(
            statement, list(rows)
        )
    }


def _delivery(reminder_id: int, thing: Due | Digest) -> Delivery:
    if isinstance(thing, Digest):
        return Delivery(
            reminder_id=reminder_id,
            organization_id=thing.organization_id,
            participant_id=thing.participant_id,
            user_id=thing.user_id,
            email=None,
            title=thing.title,
            body="\n".join(thing.lines),
            link=thing.link,
        )
    title, body = reminder_text(thing)
    link = f"#/tasks/{thing.item_id}" if thing.kind == "task" else "#/me"
    return Delivery(
        reminder_id=reminder_id,
        organization_id=thing.organization_id,
        participant_id=thing.participant_id,
        user_id=thing.user_id,
        email=thing.email,
        title=title,
        body=body,
        link=link,
    )


def _audit(db: Session, rows: Sequence[dict], new: dict[tuple, int]) -> None:
    """One event per plan that sent anything: how many reminders and digests went out."""
    counts: dict[tuple[int, int], list[int]] = {}
    for row in rows:
        if _key(row) in new:
            tally = counts.setdefault((row["plan_id"], row["organization_id"]), [0, 0])
            tally[row["kind"].startswith("digest")] += 1
    for (plan_id, org_id), (reminders, digests) in counts.items():
        audit.record(
            db,
            None,
            "reminder.send",
            entity_type="plan",
            entity_id=plan_id,
            organization_id=org_id,
            after={"reminders": reminders, "digests": digests},
        )

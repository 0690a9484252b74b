"""What becomes a delivery: the events an endpoint subscribed to, from its organisation's
whole subtree (a district's endpoint hears of its schools).

Rare events (`report.issued`, `plan.adopted`) are emitted where they happen, in the same
transaction. The frequent one, `acknowledgement.created`, costs the one-tap confirmation
nothing: the scheduled run (`derive`) reads the confirmations of the last minutes and emits
them, as it works out `plan.progress` (once a day, and when a plan's confirmed rate crosses one
of an endpoint's thresholds). Each event has a key; an endpoint gets one delivery per key,
so running anything twice, or in two workers at once, emits nothing twice.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from app.acknowledgements.models import Acknowledgement
from app.authz import Actor, Grant, Permission
from app.core.config import current_settings
from app.orgs.models import Organization
from app.plans.models import Plan
from app.reports import rollup
from app.webhooks.models import WebhookDelivery, WebhookEndpoint
from app.webhooks.signing import new_message_id

EVENT_TYPES = ("acknowledgement.created", "plan.progress", "report.issued", "plan.adopted")
TEST_EVENT = "webhook.test"
# Confirmations are read again this far back on every run: a late commit is not missed, and
# the key keeps what was already emitted from being emitted twice.
ACK_LOOKBACK = timedelta(minutes=15)
DAILY_PROGRESS_HOUR = 17  # local time: the day's figures, before the office closes

_INSERTS = {
    dialect: insert(WebhookDelivery)
    .on_conflict_do_nothing(index_elements=["endpoint_id", "key"])
    .returning(WebhookDelivery.id)
    for dialect, insert in (("postgresql", postgresql.insert), ("sqlite", sqlite.insert))
}


def body(event_type: str, data: dict[str, Any], at: datetime) -> str:
    """The JSON sent: the Standard Webhooks shape, `type`, `timestamp`, `data`."""
    return json.dumps(
        {"type": event_type, "timestamp": at.isoformat(), "data": data},
        ensure_ascii=False,
        default=str,
        separators=(",", ":"),
    )


def _listening(org_path: str) -> sa.Select:
    """Active endpoints at the organisation at `org_path` or above it."""
    return (
        sa.select(WebhookEndpoint.id, WebhookEndpoint.events)
        .join(Organization, Organization.id == WebhookEndpoint.organization_id)
        .where(WebhookEndpoint.active, sa.literal(org_path).startswith(Organization.path))
    )


def _insert(db: Session, rows: Iterable[dict[str, Any]], at: datetime) -> int:
    values = [
        {**row, "message_id": new_message_id(), "status": "pending", "next_attempt_at": at}
        for row in rows
    ]
    if not values:
        return 0
    connection = db.connection()
    return len(connection.execute(_INSERTS[connection.dialect.name], values).all())


def emit(
    db: Session, org_path: str, event_type: str, key: str, data: dict[str, Any], at: datetime
) -> int:
    """A delivery for each endpoint that listens at `org_path` or above; how many are new."""
    endpoints = db.exec(_listening(org_path)).all()
    payload = body(event_type, data, at)
    return _insert(
        db,
        (
            {"endpoint_id": e.id, "key": key, "event_type": event_type, "payload": payload}
            for e in endpoints
            if event_type in e.events
        ),
        at,
    )


def derive(db: Session, now: datetime) -> int:
    """The scheduled part: recent confirmations, and plans' progress. How many are new."""
    return acknowledgements(db, now) + progress(db, now)


def acknowledgements(db: Session, now: datetime) -> int:
    """`acknowledgement.created` for the confirmations of the last ACK_LOOKBACK."""
    plan_org = sa.orm.aliased(Organization)
    endpoint_org = sa.orm.aliased(Organization)
    found = db.exec(
        sa.select(
            WebhookEndpoint.id.label("endpoint_id"),
            WebhookEndpoint.events,
            Acknowledgement.id,
            Acknowledgement.plan_id,
            Acknowledgement.participant_id,
            Acknowledgement.organization_id,
            Acknowledgement.material_major,
            Acknowledgement.confirmed_at,
            Acknowledgement.method,
            Plan.symbol,
        )
        .select_from(Acknowledgement)
        .join(Plan, Plan.id == Acknowledgement.plan_id)
        .join(plan_org, plan_org.id == Plan.organization_id)
        .join(endpoint_org, plan_org.path.startswith(endpoint_org.path))
        .join(
            WebhookEndpoint,
            (WebhookEndpoint.organization_id == endpoint_org.id) & WebhookEndpoint.active,
        )
        .where(
            Acknowledgement.confirmed_at >= now - ACK_LOOKBACK,
            Acknowledgement.confirmed_at <= now,
            Acknowledgement.confirmed_at >= WebhookEndpoint.created_at,
        )
    ).all()
    rows = []
    for r in found:
        if "acknowledgement.created" not in r.events:
            continue
        data = {
            "acknowledgement_id": r.id,
            "plan_id": r.plan_id,
            "plan_symbol": r.symbol,
            "organization_id": r.organization_id,
            "participant_id": r.participant_id,
            "material_major": r.material_major,
            "confirmed_at": r.confirmed_at,
            "method": r.method,
        }
        rows.append(
            {
                "endpoint_id": r.endpoint_id,
                "key": f"acknowledgement.created:{r.id}",
                "event_type": "acknowledgement.created",
                "payload": body("acknowledgement.created", data, now),
            }
        )
    return _insert(db, rows, now)


def progress(db: Session, now: datetime) -> int:
    """Each endpoint's organisation's active plans: the roll-up's totals, daily from
    DAILY_PROGRESS_HOUR on, and once for each threshold the confirmed rate has reached."""
    endpoints = db.exec(
        sa.select(WebhookEndpoint, Organization)
        .join(Organization, Organization.id == WebhookEndpoint.organization_id)
        .where(WebhookEndpoint.active)
    ).all()
    listening = [(e, o) for e, o in endpoints if "plan.progress" in e.events]
    if not listening:
        return 0
    plans = db.exec(
        sa.select(Plan).where(
            Plan.organization_id.in_({o.id for _, o in listening}), Plan.status == "active"
        )
    ).scalars()
    plans_of: dict[int, list[Plan]] = {}
    for plan in plans:
        plans_of.setdefault(plan.organization_id, []).append(plan)
    local = now.astimezone(current_settings().zone)
    daily = local.hour >= DAILY_PROGRESS_HOUR
    totals: dict[int, dict[str, Any]] = {}
    rows = []
    for endpoint, org in listening:
        if not daily and not endpoint.progress_thresholds:
            continue  # nothing this endpoint could be sent now: no roll-up read for it
        for plan in plans_of.get(org.id, []):
            if plan.id not in totals:
                totals[plan.id] = _figures(db, plan, org)
            figures = totals[plan.id]
            keys = [f"{local.date().isoformat()}"] if daily else []
            rate = figures["totals"]["confirmed_rate"] * 100
            keys += [f"crossed-{t}" for t in endpoint.progress_thresholds if rate >= t]
            for key in keys:
                data = {**figures, "reason": "threshold" if key.startswith("crossed") else "daily"}
                rows.append(
                    {
                        "endpoint_id": endpoint.id,
                        "key": f"plan.progress:{plan.id}:{key}",
                        "event_type": "plan.progress",
                        "payload": body("plan.progress", data, now),
                    }
                )
    return _insert(db, rows, now)


def _figures(db: Session, plan: Plan, org: Organization) -> dict[str, Any]:
    """The roll-up's plan and totals, read with the endpoint's own reach (its subtree)."""
    reader = Actor(
        label=f"webhooks:{org.id}",
        grants=(Grant(org.id, org.path, frozenset({Permission.REPORTS_READ})),),
    )
    found = rollup.level(db, reader, plan.id, None, rollup.Level(limit=1))
    return {
        "plan": found.plan.model_dump(mode="json"),
        "totals": found.totals.model_dump(mode="json"),
    }

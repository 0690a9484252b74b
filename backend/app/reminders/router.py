from __future__ import annotations

from fastapi import Query

from app.auth.deps import CurrentActor
from app.core.base import utcnow
from app.core.db import DbSession
from app.core.pagination import Page, Paging
from app.core.routing import ApiRouter
from app.reminders import listings, notifications, policy
from app.reminders.schemas import (
    DigestEntry,
    GroupMessage,
    NotificationList,
    NotificationPublic,
    PolicyInput,
    PolicyPublic,
    ReminderRow,
)

router = ApiRouter(tags=["reminders"])


@router.get("/plans/{plan_id}/reminder-policy", response_model=PolicyPublic)
def get_plan_policy(plan_id: int, actor: CurrentActor, db: DbSession) -> PolicyPublic:
    """When the plan's people are reminded: its own settings, its organisation's, or the
    built-in ones (`source` says which)."""
    return policy.plan_policy(db, actor, plan_id)


@router.put("/plans/{plan_id}/reminder-policy", response_model=PolicyPublic)
def put_plan_policy(
    plan_id: int, body: PolicyInput, actor: CurrentActor, db: DbSession
) -> PolicyPublic:
    return policy.set_plan_policy(db, actor, plan_id, body)


@router.get("/orgs/{org_id}/reminder-policy", response_model=PolicyPublic)
def get_org_policy(org_id: int, actor: CurrentActor, db: DbSession) -> PolicyPublic:
    """The organisation's default, which its plans follow unless they set their own."""
    return policy.org_policy(db, actor, org_id)


@router.put("/orgs/{org_id}/reminder-policy", response_model=PolicyPublic)
def put_org_policy(
    org_id: int, body: PolicyInput, actor: CurrentActor, db: DbSession
) -> PolicyPublic:
    return policy.set_org_policy(db, actor, org_id, body)


@router.get("/plans/{plan_id}/reminders", response_model=Page[ReminderRow])
def reminder_log(
    plan_id: int,
    actor: CurrentActor,
    db: DbSession,
    paging: Paging,
    kind: str | None = Query(None, max_length=20),
) -> Page[ReminderRow]:
    """Who was reminded or escalated, when, how, and whether the thing is done since."""
    items, total = listings.reminder_log(db, actor, plan_id, kind, paging.limit, paging.offset)
    return Page(items=items, total=total, limit=paging.limit, offset=paging.offset)


@router.get("/plans/{plan_id}/group-messages", response_model=list[GroupMessage])
def group_messages(plan_id: int, actor: CurrentActor, db: DbSession) -> list[GroupMessage]:
    """For each unit, a ready-to-copy text naming who has not confirmed (names only)."""
    return listings.group_messages(db, actor, plan_id)


@router.get("/me/digest", response_model=list[DigestEntry])
def my_digest(actor: CurrentActor, db: DbSession) -> list[DigestEntry]:
    """For a unit's leader: who in the units they lead is behind, per active plan."""
    return listings.leader_digest(db, actor, utcnow())


@router.get("/me/notifications", response_model=NotificationList)
def my_notifications(
    actor: CurrentActor,
    db: DbSession,
    limit: int = Query(30, ge=1, le=200),
    unread: bool = False,
) -> NotificationList:
    return notifications.my_notifications(db, actor, limit, unread)


@router.post("/me/notifications/read-all", status_code=204)
def mark_all_read(actor: CurrentActor, db: DbSession) -> None:
    notifications.mark_all_read(db, actor)


@router.post("/me/notifications/{notification_id}/read", response_model=NotificationPublic)
def mark_read(notification_id: int, actor: CurrentActor, db: DbSession) -> NotificationPublic:
    return notifications.mark_read(db, actor, notification_id)

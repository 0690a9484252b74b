"""The notifications under the bell: a signed-in person's own (addressed to their login or to
the staff member they are), the unread count, and marking them read. Another's: 404."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session

from app.authz import Actor
from app.core.base import utcnow
from app.core.errors import NotFound
from app.reminders.models import Notification
from app.reminders.schemas import NotificationList, NotificationPublic

NOT_FOUND = "Không tìm thấy thông báo. / Notification not found."


def _mine(actor: Actor) -> sa.ColumnElement[bool]:
    own = []
    if actor.user_id is not None:
        own.append(Notification.user_id == actor.user_id)
    if actor.participant_id is not None:
        own.append(Notification.participant_id == actor.participant_id)
    return sa.or_(*own) if own else sa.false()


def my_notifications(db: Session, actor: Actor, limit: int, unread_only: bool) -> NotificationList:
    conditions = [_mine(actor)]
    unread = db.exec(
        sa.select(sa.func.count()).where(_mine(actor), Notification.read_at.is_(None))
    ).scalar()
    if unread_only:
        conditions.append(Notification.read_at.is_(None))
    rows = db.exec(
        sa.select(Notification)
        .where(*conditions)
        .order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(limit)
    ).scalars()
    return NotificationList(
        items=[NotificationPublic.model_validate(r.model_dump()) for r in rows], unread=unread
    )


def mark_read(db: Session, actor: Actor, notification_id: int) -> NotificationPublic:
    """Reading one's own notification is no audited write: it changes nothing of the record's
    meaning, only the bell's count."""
    row = db.exec(
        sa.select(Notification).where(Notification.id == notification_id, _mine(actor))
    ).scalar()
    if row is None:
        raise NotFound(NOT_FOUND)
    if row.read_at is None:
        row.read_at = utcnow()
        db.flush()
    return NotificationPublic.model_validate(row.model_dump())


def mark_all_read(db: Session, actor: Actor) -> int:
    result = db.exec(
        sa.update(Notification)
        .where(_mine(actor), Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    return result.rowcount

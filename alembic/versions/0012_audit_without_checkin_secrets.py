"""audit trail without check-in secrets

Snapshots of study sessions in the audit trail carried `checkin_secret`, the seed of the
session's rotating check-in code, readable by anyone who reads the trail. The application no
longer writes it (`app.audit.service`); this removes it from the events already written. The
rest of each event is kept as it was. Nothing to undo: the secrets are not brought back.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 07:45:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SECRET = "checkin_secret"
_event = sa.table(
    "audit_event",
    sa.column("id", sa.Integer),
    sa.column("entity_type", sa.String),
    sa.column("before", sa.JSON),
    sa.column("after", sa.JSON),
)


def _without_secret(side: dict | None) -> dict | None:
    return {k: v for k, v in side.items() if k != SECRET} if isinstance(side, dict) else side


def upgrade() -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_event.c.id, _event.c.before, _event.c.after).where(
            _event.c.entity_type == "session"
        )
    ).all()
    changed = [
        {"event_id": i, "before": _without_secret(b), "after": _without_secret(a)}
        for i, b, a in rows
        if SECRET in (b or {}) or SECRET in (a or {})
    ]
    if changed:
        connection.execute(
            sa.update(_event)
            .where(_event.c.id == sa.bindparam("event_id"))
            .values(before=sa.bindparam("before"), after=sa.bindparam("after")),
            changed,
        )


def downgrade() -> None:
    pass

"""API tokens always expire

A token could be made without an expiry (`expires_in_days: null`) and then worked forever.
Now every token expires (at most API_TOKEN_MAX_DAYS after it is made); the tokens that had
no expiry get one a year from this migration, and `api_token.expires_at` becomes NOT NULL.
The downgrade allows nulls again but gives no token back its "never".

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 21:00:00
"""

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from alembic import op
from app.core.base import UTCDateTime

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GRACE = timedelta(days=365)
_token = sa.table("api_token", sa.column("expires_at", UTCDateTime(timezone=True)))


def upgrade() -> None:
    op.execute(
        sa.update(_token)
        .where(_token.c.expires_at.is_(None))
        .values(expires_at=datetime.now(UTC) + GRACE)
    )
    _set_nullable(False)


def downgrade() -> None:
    _set_nullable(True)


def _set_nullable(nullable: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column(
            "api_token",
            "expires_at",
            existing_type=UTCDateTime(timezone=True),
            nullable=nullable,
        )
        return
    # SQLite changes a column's nullability only by copying the table, which the audit
    # trail's references to api_token refuse while foreign keys are on. A new column takes
    # the values instead (NOT NULL needs a default to be added; every row has a value).
    op.add_column(
        "api_token",
        sa.Column(
            "expires_at_new",
            UTCDateTime(timezone=True),
            nullable=nullable,
            server_default=None if nullable else "1970-01-01 00:00:00",
        ),
    )
    op.execute("UPDATE api_token SET expires_at_new = expires_at")
    op.drop_column("api_token", "expires_at")
    op.execute("ALTER TABLE api_token RENAME COLUMN expires_at_new TO expires_at")

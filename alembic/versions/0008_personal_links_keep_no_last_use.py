"""personal links keep no last use

Opening a personal link used to write its last use, which turned a teacher's read into a
write; what a person does through the link is already recorded (method "link" on the
confirmation and the attendance, and the audit trail).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 13:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

import app.core.base
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("personal_link") as batch:
        batch.drop_column("last_used_at")


def downgrade() -> None:
    with op.batch_alter_table("personal_link") as batch:
        batch.add_column(
            sa.Column("last_used_at", app.core.base.UTCDateTime(timezone=True), nullable=True)
        )

"""live confirmation index led by the person

The unique index of live confirmations now starts with the participant: a teacher's home
reads their confirmations by it, and a plan's thousands are never scanned to find one
person's (the plan has its own index). Same columns, same uniqueness.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = sa.text("withdrawn_at IS NULL")


def _live_index(columns: list[str]) -> None:
    with op.batch_alter_table("acknowledgement") as batch_op:
        batch_op.drop_index("uq_acknowledgement_live")
        batch_op.create_index(
            "uq_acknowledgement_live",
            columns,
            unique=True,
            sqlite_where=LIVE,
            postgresql_where=LIVE,
        )


def upgrade() -> None:
    _live_index(["participant_id", "plan_id", "material_major"])


def downgrade() -> None:
    _live_index(["plan_id", "participant_id", "material_major"])

"""a plan says when its reflection is due: with the confirmation, or later by a date

plan.reflection_timing ("with_confirmation" | "later") and plan.reflection_due_on: with
"later", confirming asks for no reflection and the reflection is written afterwards, by
its own deadline. Plans made before this revision keep their behaviour ("with_confirmation",
no deadline). The downgrade drops both columns (a plan that asked for its reflection later
asks for it with the confirmation again).

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 01:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE, on SQLite too: a batch copy of `plan` would drop the table that tasks,
# sessions and confirmations point at, which SQLite refuses while foreign keys are on.
def upgrade() -> None:
    op.add_column(
        "plan",
        sa.Column(
            "reflection_timing",
            sqlmodel.sql.sqltypes.AutoString(length=20),
            nullable=False,
            server_default="with_confirmation",
        ),
    )
    op.add_column("plan", sa.Column("reflection_due_on", sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column("plan", "reflection_due_on")
    op.drop_column("plan", "reflection_timing")

"""writes through a personal link name the link

A confirmation, a reflection or a check-in made through a personal link records which link
(`acknowledgement.link_id`, `acknowledgement.reflection_link_id`, `attendance.link_id`), so
the account that issued it can be named beside what was done in the person's name. Earlier
rows made by link do not say which one; they keep NULL. (On SQLite the batch copy keeps the
partial index of live confirmations as it reflects it, condition included.)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-08 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = {
    "acknowledgement": ("link_id", "reflection_link_id"),
    "attendance": ("link_id",),
}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch_op:
            for column in columns:
                batch_op.add_column(sa.Column(column, sa.Integer(), nullable=True))
                batch_op.create_foreign_key(
                    f"fk_{table}_{column}_personal_link", "personal_link", [column], ["id"]
                )


def downgrade() -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch_op:
            for column in columns:
                batch_op.drop_constraint(f"fk_{table}_{column}_personal_link", type_="foreignkey")
                batch_op.drop_column(column)

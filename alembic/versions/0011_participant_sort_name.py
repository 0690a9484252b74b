"""staff lists in Vietnamese alphabetical order

`participant.sort_name` holds a key that orders people as Vietnamese staff lists are ordered
(given name first, the Vietnamese alphabet, tones last), the same on SQLite and PostgreSQL;
the application keeps it with the name. Existing rows get theirs here.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-03 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from alembic import op
from app.core.text import name_sort_key

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_participant = sa.table(
    "participant", sa.column("id", sa.Integer), sa.column("full_name"), sa.column("sort_name")
)


def upgrade() -> None:
    # Plain ALTER TABLE on SQLite too (3.35+): a batch copy of `participant` would be refused,
    # since the tables that point at it keep their foreign keys on.
    op.add_column(
        "participant",
        sa.Column("sort_name", sa.String(length=1250), nullable=False, server_default=""),
    )
    connection = op.get_bind()
    rows = connection.execute(sa.select(_participant.c.id, _participant.c.full_name)).all()
    if rows:
        connection.execute(
            sa.update(_participant)
            .where(_participant.c.id == sa.bindparam("row_id"))
            .values(sort_name=sa.bindparam("key")),
            [{"row_id": i, "key": name_sort_key(name)} for i, name in rows],
        )
    op.create_index(
        "ix_participant_organization_id_sort_name", "participant", ["organization_id", "sort_name"]
    )


def downgrade() -> None:
    op.drop_index("ix_participant_organization_id_sort_name", table_name="participant")
    op.drop_column("participant", "sort_name")

"""anonymisation: when a person's data was scrubbed, and how long each organisation keeps it

participant.anonymized_at (NULL: not anonymised) and retention_policy (one per organisation:
anonymise people inactive for that many years; NULL: never). The downgrade drops both; the
scrubbed data does not come back.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05 06:05:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

import app.core.base
from alembic import op

revision: str = "0022"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE, on SQLite too: a batch copy of `participant` would drop a table that
# most others point at, which SQLite refuses while foreign keys are on.
def upgrade() -> None:
    op.add_column(
        "participant",
        sa.Column("anonymized_at", app.core.base.UTCDateTime(timezone=True), nullable=True),
    )
    op.create_table(
        "retention_policy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("inactive_years", sa.Integer(), nullable=True),
        sa.Column("created_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_retention_policy_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_retention_policy")),
        sa.UniqueConstraint("organization_id", name=op.f("uq_retention_policy_organization_id")),
    )


def downgrade() -> None:
    op.drop_table("retention_policy")
    op.drop_column("participant", "anonymized_at")

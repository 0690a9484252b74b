"""the outbox: every email the app sends, once per idempotency key, and what became of it

outbound_message holds each message (to whom, subject, plain text and HTML), its key (unique:
"remind:ack:<plan>:<person>:<day>" is sent once whoever asks how often), its status (queued,
sending, sent, failed), attempts, the last error, and when a job may next take it. The
downgrade drops the table and every message in it.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 03:08:19
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import app.core.base
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "outbound_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("channel", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("idempotency_key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("to_address", sqlmodel.sql.sqltypes.AutoString(length=254), nullable=False),
        sa.Column("subject", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("body_text", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("created_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", app.core.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("next_attempt_at", app.core.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_outbound_message_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_outbound_message_participant_id_participant"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbound_message")),
        sa.UniqueConstraint("idempotency_key", name=op.f("uq_outbound_message_idempotency_key")),
    )
    with op.batch_alter_table("outbound_message", schema=None) as batch_op:
        batch_op.create_index(
            "ix_outbound_message_due", ["status", "next_attempt_at"], unique=False
        )
        batch_op.create_index(
            "ix_outbound_message_organization_created",
            ["organization_id", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_outbound_message_participant_id"), ["participant_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("outbound_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbound_message_participant_id"))
        batch_op.drop_index("ix_outbound_message_organization_created")
        batch_op.drop_index("ix_outbound_message_due")

    op.drop_table("outbound_message")

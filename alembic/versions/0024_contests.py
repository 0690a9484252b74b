"""contests: a contest on a plan, its rounds, and the entries in each round

An entry keeps a copy of the questions it drew and who entered (name, school, district);
one entry per entrant (a staff member, or a phone) per round is a unique constraint. The
downgrade drops the three tables.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-05 08:27:23.103163
"""

from collections.abc import Sequence

import sqlalchemy as sa

import app.core.base
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "contest",
        sa.Column("created_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("rules", sa.String(length=10000), nullable=False),
        sa.Column("public_entries", sa.Boolean(), nullable=False),
        sa.Column("public_token", sa.String(length=64), nullable=False),
        sa.Column("published_at", app.core.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_contest_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(["plan_id"], ["plan.id"], name=op.f("fk_contest_plan_id_plan")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contest")),
        sa.UniqueConstraint("public_token", name=op.f("uq_contest_public_token")),
    )
    with op.batch_alter_table("contest", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contest_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "contest_round",
        sa.Column("created_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("contest_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("opens_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closes_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("question_count", sa.Integer(), nullable=False),
        sa.Column("time_limit_minutes", sa.Integer(), nullable=False),
        sa.Column("tiebreak_question", sa.String(length=500), nullable=False),
        sa.ForeignKeyConstraint(
            ["contest_id"], ["contest.id"], name=op.f("fk_contest_round_contest_id_contest")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contest_round")),
        sa.UniqueConstraint(
            "contest_id", "number", name=op.f("uq_contest_round_contest_id_number")
        ),
    )
    with op.batch_alter_table("contest_round", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contest_round_contest_id"), ["contest_id"], unique=False
        )

    op.create_table(
        "contest_entry",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("entrant", sa.String(length=40), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("school_id", sa.Integer(), nullable=True),
        sa.Column("school_name", sa.String(length=200), nullable=False),
        sa.Column("district_id", sa.Integer(), nullable=True),
        sa.Column("district_name", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("started_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deadline_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", app.core.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("duration_ms", sa.Integer(), nullable=True),
        sa.Column("tiebreak", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["district_id"],
            ["organization.id"],
            name=op.f("fk_contest_entry_district_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_contest_entry_participant_id_participant"),
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["contest_round.id"], name=op.f("fk_contest_entry_round_id_contest_round")
        ),
        sa.ForeignKeyConstraint(
            ["school_id"], ["organization.id"], name=op.f("fk_contest_entry_school_id_organization")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contest_entry")),
        sa.UniqueConstraint("round_id", "entrant", name=op.f("uq_contest_entry_round_id_entrant")),
    )
    with op.batch_alter_table("contest_entry", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_contest_entry_participant_id"), ["participant_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_contest_entry_round_id"), ["round_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("contest_entry", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contest_entry_round_id"))
        batch_op.drop_index(batch_op.f("ix_contest_entry_participant_id"))

    op.drop_table("contest_entry")
    with op.batch_alter_table("contest_round", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contest_round_contest_id"))

    op.drop_table("contest_round")
    with op.batch_alter_table("contest", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contest_plan_id"))

    op.drop_table("contest")

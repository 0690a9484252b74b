"""quizzes: a plan's question bank, its quiz settings, and the attempts at it

An attempt keeps a copy of the questions it drew (options shuffled, right ones kept on the
server) and is numbered per person, plan and material major (unique). The downgrade drops
the three tables.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05 07:15:50.447085
"""

from collections.abc import Sequence

import sqlalchemy as sa

import app.core.base
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "quiz_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("material_major", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("started_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("deadline_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", app.core.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("pass_percent", sa.Integer(), nullable=False),
        sa.Column("questions", sa.JSON(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=True),
        sa.Column("passed", sa.Boolean(), nullable=True),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_quiz_attempt_participant_id_participant"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_quiz_attempt_plan_id_plan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_attempt")),
        sa.UniqueConstraint(
            "plan_id",
            "participant_id",
            "material_major",
            "number",
            name=op.f("uq_quiz_attempt_plan_id_participant_id_material_major_number"),
        ),
    )
    with op.batch_alter_table("quiz_attempt", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_quiz_attempt_participant_id"), ["participant_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_quiz_attempt_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "quiz_question",
        sa.Column("created_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=100), nullable=True),
        sa.Column("text", sa.String(length=2000), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("correct", sa.JSON(), nullable=False),
        sa.Column("explanation", sa.String(length=4000), nullable=False),
        sa.Column("added_in_major", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_quiz_question_plan_id_plan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quiz_question")),
    )
    with op.batch_alter_table("quiz_question", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quiz_question_plan_id"), ["plan_id"], unique=False)

    op.create_table(
        "quiz_settings",
        sa.Column("created_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("required", sa.Boolean(), nullable=False),
        sa.Column("question_count", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=100), nullable=True),
        sa.Column("time_limit_minutes", sa.Integer(), nullable=False),
        sa.Column("attempts_allowed", sa.Integer(), nullable=False),
        sa.Column("pass_percent", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_quiz_settings_plan_id_plan")
        ),
        sa.PrimaryKeyConstraint("plan_id", name=op.f("pk_quiz_settings")),
    )


def downgrade() -> None:

    op.drop_table("quiz_settings")
    with op.batch_alter_table("quiz_question", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quiz_question_plan_id"))

    op.drop_table("quiz_question")
    with op.batch_alter_table("quiz_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quiz_attempt_plan_id"))
        batch_op.drop_index(batch_op.f("ix_quiz_attempt_participant_id"))

    op.drop_table("quiz_attempt")

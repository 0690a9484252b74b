"""study sessions, attendance, acknowledgements, personal links

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 09:38:49.727965
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import app.core.base
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "personal_link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("expires_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", app.core.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("last_used_at", app.core.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_personal_link_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_personal_link_participant_id_participant"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_personal_link")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_personal_link_token_hash")),
    )
    with op.batch_alter_table("personal_link", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_personal_link_participant_id"), ["participant_id"], unique=False
        )

    op.create_table(
        "acknowledgement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("material_major", sa.Integer(), nullable=False),
        sa.Column("confirmed_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("method", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("on_behalf_reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("client_address", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("reflection", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=True),
        sa.Column(
            "reflection_submitted_at", app.core.base.UTCDateTime(timezone=True), nullable=True
        ),
        sa.Column("grade", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=True),
        sa.Column("grade_comment", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=True),
        sa.Column("graded_by_id", sa.Integer(), nullable=True),
        sa.Column("graded_at", app.core.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_at", app.core.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by_id", sa.Integer(), nullable=True),
        sa.Column("withdraw_reason", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["graded_by_id"],
            ["user_account.id"],
            name=op.f("fk_acknowledgement_graded_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_acknowledgement_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_acknowledgement_participant_id_participant"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_acknowledgement_plan_id_plan")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["user_account.id"],
            name=op.f("fk_acknowledgement_recorded_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["withdrawn_by_id"],
            ["user_account.id"],
            name=op.f("fk_acknowledgement_withdrawn_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_acknowledgement")),
    )
    with op.batch_alter_table("acknowledgement", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_acknowledgement_confirmed_at"), ["confirmed_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_acknowledgement_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_acknowledgement_participant_id"), ["participant_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_acknowledgement_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(
            "uq_acknowledgement_live",
            ["plan_id", "participant_id", "material_major"],
            unique=True,
            sqlite_where=sa.text("withdrawn_at IS NULL"),
            postgresql_where=sa.text("withdrawn_at IS NULL"),
        )

    op.create_table(
        "study_session",
        sa.Column("created_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("starts_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("place", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("online_url", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("presenter", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=True),
        sa.Column("audience_all", sa.Boolean(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("minutes", sqlmodel.sql.sqltypes.AutoString(length=20000), nullable=True),
        sa.Column("checkin_secret", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user_account.id"],
            name=op.f("fk_study_session_created_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_study_session_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_study_session_plan_id_plan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_study_session")),
    )
    with op.batch_alter_table("study_session", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_study_session_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_study_session_plan_id"), ["plan_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_study_session_starts_at"), ["starts_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_study_session_status"), ["status"], unique=False)

    op.create_table(
        "attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("participant_id", sa.Integer(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("method", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("marked_by_id", sa.Integer(), nullable=True),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.Column("recorded_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("client_address", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["marked_by_id"],
            ["user_account.id"],
            name=op.f("fk_attendance_marked_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["participant_id"],
            ["participant.id"],
            name=op.f("fk_attendance_participant_id_participant"),
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["study_session.id"],
            name=op.f("fk_attendance_session_id_study_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attendance")),
        sa.UniqueConstraint(
            "session_id", "participant_id", name=op.f("uq_attendance_session_id_participant_id")
        ),
    )
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_attendance_participant_id"), ["participant_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_attendance_session_id"), ["session_id"], unique=False)

    op.create_table(
        "session_audience_unit",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["study_session.id"],
            name=op.f("fk_session_audience_unit_session_id_study_session"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_session_audience_unit_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("session_id", "unit_id", name=op.f("pk_session_audience_unit")),
    )
    with op.batch_alter_table("session_audience_unit", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_session_audience_unit_unit_id"), ["unit_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("session_audience_unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_session_audience_unit_unit_id"))

    op.drop_table("session_audience_unit")
    with op.batch_alter_table("attendance", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_attendance_session_id"))
        batch_op.drop_index(batch_op.f("ix_attendance_participant_id"))

    op.drop_table("attendance")
    with op.batch_alter_table("study_session", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_study_session_status"))
        batch_op.drop_index(batch_op.f("ix_study_session_starts_at"))
        batch_op.drop_index(batch_op.f("ix_study_session_plan_id"))
        batch_op.drop_index(batch_op.f("ix_study_session_organization_id"))

    op.drop_table("study_session")
    with op.batch_alter_table("acknowledgement", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_acknowledgement_live",
            sqlite_where=sa.text("withdrawn_at IS NULL"),
            postgresql_where=sa.text("withdrawn_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_acknowledgement_plan_id"))
        batch_op.drop_index(batch_op.f("ix_acknowledgement_participant_id"))
        batch_op.drop_index(batch_op.f("ix_acknowledgement_organization_id"))
        batch_op.drop_index(batch_op.f("ix_acknowledgement_confirmed_at"))

    op.drop_table("acknowledgement")
    with op.batch_alter_table("personal_link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_personal_link_participant_id"))

    op.drop_table("personal_link")

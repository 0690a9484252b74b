"""plans, materials, files, document numbers

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 09:26:24.266572
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

import app.core.base
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "document_counter",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("doc_type", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_document_counter_organization_id_organization"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document_counter")),
        sa.UniqueConstraint(
            "organization_id",
            "doc_type",
            "year",
            name=op.f("uq_document_counter_organization_id_doc_type_year"),
        ),
    )
    op.create_table(
        "plan",
        sa.Column("created_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("parent_plan_id", sa.Integer(), nullable=True),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("doc_type", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("symbol", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=True),
        sa.Column("place_name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("resolution", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=False),
        sa.Column("preamble", sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
        sa.Column("closing", sqlmodel.sql.sqltypes.AutoString(length=5000), nullable=False),
        sa.Column("legal_basis", sa.JSON(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("audience_all", sa.Boolean(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=True),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("signer_name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("signer_title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("material_major", sa.Integer(), nullable=False),
        sa.Column("material_minor", sa.Integer(), nullable=False),
        sa.Column("reflection_required", sa.Boolean(), nullable=False),
        sa.Column("reflection_min_length", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["user_account.id"], name=op.f("fk_plan_created_by_id_user_account")
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_plan_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["parent_plan_id"], ["plan.id"], name=op.f("fk_plan_parent_plan_id_plan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan")),
        sa.UniqueConstraint(
            "organization_id",
            "doc_type",
            "year",
            "number",
            name=op.f("uq_plan_organization_id_doc_type_year_number"),
        ),
    )
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_plan_parent_plan_id"), ["parent_plan_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_plan_status"), ["status"], unique=False)

    op.create_table(
        "stored_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("original_name", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
        sa.Column("content_type", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("storage_key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("uploaded_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_stored_file_organization_id_organization"),
        ),
        sa.ForeignKeyConstraint(
            ["uploaded_by_id"],
            ["user_account.id"],
            name=op.f("fk_stored_file_uploaded_by_id_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stored_file")),
        sa.UniqueConstraint("storage_key", name=op.f("uq_stored_file_storage_key")),
    )
    with op.batch_alter_table("stored_file", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_stored_file_organization_id"), ["organization_id"], unique=False
        )

    op.create_table(
        "plan_audience_unit",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["plan.id"],
            name=op.f("fk_plan_audience_unit_plan_id_plan"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_plan_audience_unit_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("plan_id", "unit_id", name=op.f("pk_plan_audience_unit")),
    )
    with op.batch_alter_table("plan_audience_unit", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_plan_audience_unit_unit_id"), ["unit_id"], unique=False
        )

    op.create_table(
        "plan_material",
        sa.Column("created_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", app.core.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True),
        sa.Column("summary", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=True),
        sa.Column("file_id", sa.Integer(), nullable=True),
        sa.Column("added_in_major", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["file_id"], ["stored_file.id"], name=op.f("fk_plan_material_file_id_stored_file")
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_plan_material_plan_id_plan")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_material")),
    )
    with op.batch_alter_table("plan_material", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_plan_material_plan_id"), ["plan_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("plan_material", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_material_plan_id"))

    op.drop_table("plan_material")
    with op.batch_alter_table("plan_audience_unit", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_audience_unit_unit_id"))

    op.drop_table("plan_audience_unit")
    with op.batch_alter_table("stored_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_stored_file_organization_id"))

    op.drop_table("stored_file")
    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_plan_status"))
        batch_op.drop_index(batch_op.f("ix_plan_parent_plan_id"))
        batch_op.drop_index(batch_op.f("ix_plan_organization_id"))

    op.drop_table("plan")
    op.drop_table("document_counter")

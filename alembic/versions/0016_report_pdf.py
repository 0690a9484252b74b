"""an issued report keeps its PDF

report.document_pdf and document_pdf_sha256: the PDF LibreOffice renders from the report's
.docx, kept from its first download (an issued report never changes, so neither does its
PDF). Reports issued before this revision have none; their first PDF download renders it.
The downgrade drops the kept PDFs (the .docx they were rendered from stays).

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-09 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("report") as batch_op:
        batch_op.add_column(sa.Column("document_pdf", sa.LargeBinary(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "document_pdf_sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("report") as batch_op:
        batch_op.drop_column("document_pdf_sha256")
        batch_op.drop_column("document_pdf")

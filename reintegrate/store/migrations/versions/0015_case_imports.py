"""caseload files imported, by the keyed digest of their bytes

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 20:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_imports",
        sa.Column("import_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("programme_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("file_digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("import_id"),
        sa.UniqueConstraint("file_digest"),
    )


def downgrade() -> None:
    op.drop_table("case_imports")

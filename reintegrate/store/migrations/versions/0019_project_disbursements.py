"""a payment may pay a community project's tranche: the project it pays, by id

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 23:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("disbursements") as batch:
        batch.add_column(
            sa.Column("project_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch.create_index("ix_disbursements_project_id", ["project_id"])


def downgrade() -> None:
    with op.batch_alter_table("disbursements") as batch:
        batch.drop_index("ix_disbursements_project_id")
        batch.drop_column("project_id")

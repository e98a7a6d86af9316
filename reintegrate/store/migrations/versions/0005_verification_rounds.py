"""receipt verification rounds

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "verification_rounds",
        sa.Column("round_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("programme_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("round_id"),
    )
    with op.batch_alter_table("verification_rounds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_verification_rounds_programme_id"), ["programme_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("verification_rounds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_verification_rounds_programme_id"))
    op.drop_table("verification_rounds")

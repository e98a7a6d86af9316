"""idempotency keys: which request holds a key, its process, and whether its command committed

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 10:00:00.000000

Keys claimed before this migration have none of these: an unanswered one is taken over by a
retry after `ABANDONED_AFTER`, as if its process were unknown.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.add_column(
            sa.Column("claim_id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
        )
        batch.add_column(
            sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True)
        )
        batch.add_column(sa.Column("committed_seq", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("idempotency_keys") as batch:
        batch.drop_column("committed_seq")
        batch.drop_column("owner")
        batch.drop_column("claim_id")

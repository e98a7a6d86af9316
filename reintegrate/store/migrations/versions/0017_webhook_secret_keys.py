"""webhook signing secrets are sealed: the data key that seals each one, wrapped

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 23:30:00.000000

A subscription's signing secret was kept as it is, so a copy of the database could sign
events a partner would believe. New secrets are sealed under a data key of their own,
wrapped by a master key, as a person's record is. Secrets already kept stay readable and
are sealed by the next `reintegrate keys rotate` (a migration holds no keys).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("webhook_subscriptions") as table:
        table.add_column(sa.Column("secret_key", sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("webhook_subscriptions") as table:
        table.drop_column("secret_key")

"""payment batches, statement imports and statement files

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 20:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _id(name: str) -> sa.Column[str]:
    return sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False)


def upgrade() -> None:
    op.create_table(
        "payment_batches",
        _id("batch_id"),
        _id("programme_id"),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("batch_id"),
    )
    op.create_index("ix_payment_batches_programme_id", "payment_batches", ["programme_id"])
    op.create_table(
        "batch_items",
        _id("disbursement_id"),
        _id("batch_id"),
        _id("programme_id"),
        sa.PrimaryKeyConstraint("disbursement_id"),
    )
    op.create_index("ix_batch_items_batch_id", "batch_items", ["batch_id"])
    op.create_index("ix_batch_items_programme_id", "batch_items", ["programme_id"])
    op.create_table(
        "statement_imports",
        _id("import_id"),
        _id("programme_id"),
        _id("content_hash"),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("import_id"),
        sa.UniqueConstraint("content_hash"),
    )
    op.create_index("ix_statement_imports_programme_id", "statement_imports", ["programme_id"])
    op.create_table(
        "statement_files",
        _id("content_hash"),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("content_hash"),
    )


def downgrade() -> None:
    op.drop_table("statement_files")
    op.drop_index("ix_statement_imports_programme_id", "statement_imports")
    op.drop_table("statement_imports")
    op.drop_index("ix_batch_items_programme_id", "batch_items")
    op.drop_index("ix_batch_items_batch_id", "batch_items")
    op.drop_table("batch_items")
    op.drop_index("ix_payment_batches_programme_id", "payment_batches")
    op.drop_table("payment_batches")

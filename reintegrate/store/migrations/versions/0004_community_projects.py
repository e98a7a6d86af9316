"""community projects and their counted shares

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 20:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "community_projects",
        sa.Column("project_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("programme_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("office", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("body", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("project_id"),
    )
    with op.batch_alter_table("community_projects", schema=None) as batch_op:
        batch_op.create_index(
            "ix_community_projects_office_status", ["office", "status"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_community_projects_programme_id"), ["programme_id"], unique=False
        )
    op.create_table(
        "community_shares",
        sa.Column("project_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("case_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("member_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("project_id", "case_id", "member_id"),
    )
    with op.batch_alter_table("community_shares", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_community_shares_case_id"), ["case_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("community_shares", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_community_shares_case_id"))
    op.drop_table("community_shares")
    with op.batch_alter_table("community_projects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_community_projects_programme_id"))
        batch_op.drop_index("ix_community_projects_office_status")
    op.drop_table("community_projects")

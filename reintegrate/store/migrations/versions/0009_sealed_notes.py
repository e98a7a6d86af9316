"""sealed free text: notes and their owners' keys

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 07:00:00.000000

Texts already in the journal stay as they are (the journal is never edited); only texts
recorded from now on are sealed.
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "note_keys",
        sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("wrapped_key", sa.LargeBinary(), nullable=False),
        sa.Column("salt", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("owner"),
    )
    op.create_table(
        "notes",
        sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("digest", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("sealed", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("owner", "digest"),
    )


def downgrade() -> None:
    op.drop_table("notes")
    op.drop_table("note_keys")

"""the journal's entries of a type are found through an index of (type, seq)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 05:30:00.000000

The financial report reads a programme's funding from the journal (its creation and every
funding event): a handful of entries, which without an index meant reading the whole journal
(about a second of `report financial` at a million payments, more with the journal out of
the cache). Entries are appended in seq order, so each new entry's index key lands at the
end of its type's range.
"""

from __future__ import annotations

from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_journal_type_seq", "journal", ["type", "seq"])


def downgrade() -> None:
    op.drop_index("ix_journal_type_seq", table_name="journal")

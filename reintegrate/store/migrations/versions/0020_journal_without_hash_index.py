"""the journal keeps no unique index of its hashes, and on SQLite its seq is the row id

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 02:50:00.000000

An entry's hash covers its seq (`journal.chain_hash`), and seq is the key, so a second index
of the hashes, unique, added nothing but a random insert for every entry: the most costly
write of `reconcile apply` at a million payments, where every other write lands in order.
Nothing reads entries by their hash; `audit verify` recomputes each one along the chain.

On SQLite the table is written anew, in seq order, with `seq INTEGER PRIMARY KEY`: seq is
then the table's own row id, where a BIGINT key was one more index beside a hidden row id.
That copies the journal once (about a minute for 3.7 million entries). On PostgreSQL only
the constraint is dropped.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

_COLUMNS = "seq, at, actor, type, body, prev_hash, hash, office"


def _rebuilt(seq_type: str, hash_unique: bool) -> None:
    """The SQLite journal written anew, entries in seq order, with `seq_type` as its key."""
    unique = ", UNIQUE (hash)" if hash_unique else ""
    op.execute(
        "CREATE TABLE journal_rebuilt ("
        f"seq {seq_type} NOT NULL, at VARCHAR(40) NOT NULL, actor VARCHAR(64) NOT NULL, "
        "type VARCHAR(64) NOT NULL, body BLOB NOT NULL, prev_hash VARCHAR(64) NOT NULL, "
        f"hash VARCHAR(64) NOT NULL, office VARCHAR(64), PRIMARY KEY (seq){unique})"
    )
    op.execute(
        f"INSERT INTO journal_rebuilt ({_COLUMNS}) SELECT {_COLUMNS} FROM journal ORDER BY seq"
    )
    op.execute("DROP TABLE journal")
    op.execute("ALTER TABLE journal_rebuilt RENAME TO journal")
    op.execute("CREATE INDEX ix_journal_office_seq ON journal (office, seq)")


def _hash_constraint() -> str | None:
    for constraint in sa.inspect(op.get_bind()).get_unique_constraints("journal"):
        if constraint["column_names"] == ["hash"]:
            return constraint["name"]
    return None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuilt("INTEGER", hash_unique=False)
        return
    name = _hash_constraint()
    if name is not None:
        op.drop_constraint(name, "journal", type_="unique")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _rebuilt("BIGINT", hash_unique=True)
        return
    op.create_unique_constraint("journal_hash_key", "journal", ["hash"])

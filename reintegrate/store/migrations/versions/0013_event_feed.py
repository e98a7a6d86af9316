"""the journal files each entry under an office; webhook subscriptions and their outbox

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 20:00:00.000000

The event feed reads a caller's offices' events through an index of (office, seq); existing
entries are filed from the office of the resource each is about (`events.public`), a chunk at
a time. Webhook deliveries are written with their event, in the same transaction.
"""

from __future__ import annotations

from collections import defaultdict

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

from reintegrate.events import decode_event
from reintegrate.events.public import IN_AN_OFFICE, SubjectKind, subject_of

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

CHUNK = 10_000
OFFICE_OF = {
    SubjectKind.CASE: ("cases", "case_id"),
    SubjectKind.PACKAGE: ("packages", "package_id"),
    SubjectKind.DISBURSEMENT: ("disbursements", "disbursement_id"),
    SubjectKind.PLAN: ("business_plans", "plan_id"),
    SubjectKind.PROJECT: ("community_projects", "project_id"),
}
assert set(OFFICE_OF) == IN_AN_OFFICE


def upgrade() -> None:
    with op.batch_alter_table("journal") as batch:
        batch.add_column(
            sa.Column("office", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch.create_index("ix_journal_office_seq", ["office", "seq"])
    _file_entries()
    op.create_table(
        "webhook_subscriptions",
        sa.Column("subscription_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("url", sqlmodel.sql.sqltypes.AutoString(length=2000), nullable=False),
        sa.Column("types", sqlmodel.sql.sqltypes.AutoString(length=4000), nullable=False),
        sa.Column("office", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=False),
        sa.Column("secret", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("subscription_id"),
    )
    op.create_index(
        "ix_webhook_subscriptions_office", "webhook_subscriptions", ["office"], unique=False
    )
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("subscription_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("seq", sa.BigInteger(), nullable=False),
        sa.Column("state", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("due_ms", sa.BigInteger(), nullable=False),
        sa.Column("first_ms", sa.BigInteger(), nullable=True),
        sa.Column("leased_until_ms", sa.BigInteger(), nullable=True),
        sa.Column("claim", sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("delivered_ms", sa.BigInteger(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_webhook_deliveries_subscription_id",
        "webhook_deliveries",
        ["subscription_id"],
        unique=False,
    )
    op.create_index(
        "ix_webhook_deliveries_due", "webhook_deliveries", ["state", "due_ms"], unique=False
    )


def _file_entries() -> None:
    """Each entry's office, from the resource it is about, a chunk of entries at a time."""
    conn = op.get_bind()
    journal = sa.table(
        "journal", sa.column("seq", sa.BigInteger), sa.column("body", sa.LargeBinary)
    )
    set_office = sa.text("UPDATE journal SET office = :office WHERE seq = :seq")
    after = 0
    while rows := conn.execute(
        sa.select(journal.c.seq, journal.c.body)
        .where(journal.c.seq > after)
        .order_by(journal.c.seq)
        .limit(CHUNK)
    ).all():
        about: dict[SubjectKind, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        for seq, body in rows:
            subject = subject_of(decode_event(bytes(body)))
            if subject is not None and subject.kind in IN_AN_OFFICE:
                about[subject.kind][subject.id].append(seq)
        values = [
            {"office": office, "seq": seq}
            for kind, seqs in about.items()
            for key, office in _offices(conn, kind, sorted(seqs))
            for seq in seqs[key]
        ]
        if values:
            conn.execute(set_office, values)
        after = rows[-1][0]


def _offices(conn: sa.Connection, kind: SubjectKind, keys: list[str]) -> list[tuple[str, str]]:
    name, key = OFFICE_OF[kind]
    table = sa.table(name, sa.column(key, sa.String), sa.column("office", sa.String))
    found: list[tuple[str, str]] = []
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        query = sa.select(table.c[key], table.c.office).where(table.c[key].in_(chunk))
        found += [(row[0], row[1]) for row in conn.execute(query)]
    return found


def downgrade() -> None:
    op.drop_index("ix_webhook_deliveries_due", table_name="webhook_deliveries")
    op.drop_index("ix_webhook_deliveries_subscription_id", table_name="webhook_deliveries")
    op.drop_table("webhook_deliveries")
    op.drop_index("ix_webhook_subscriptions_office", table_name="webhook_subscriptions")
    op.drop_table("webhook_subscriptions")
    with op.batch_alter_table("journal") as batch:
        batch.drop_index("ix_journal_office_seq")
        batch.drop_column("office")

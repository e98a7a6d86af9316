"""receipt verification rounds carry when they were made and last written, and the offices
they were drawn from

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 21:00:00.000000

So that rounds are listed a page at a time, by programme and time through indexes, and
scoped by office in SQL. Existing rounds get their offices from their bodies (`offices`;
null: every office) and their stamps from the journal, as 0014 gave the other lists':
`created_at` the time of the first entry that names the round's `round_id`, `updated_at`
the last one.
"""

from __future__ import annotations

import datetime as dt
import json

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

CHUNK = 10_000
ROUNDS = sa.table(
    "verification_rounds",
    sa.column("round_id", sa.String),
    sa.column("every_office", sa.Boolean),
    sa.column("created_at", sa.String),
    sa.column("updated_at", sa.String),
    sa.column("body"),
)
OFFICES = sa.table("verification_round_offices", sa.column("round_id"), sa.column("office"))


def upgrade() -> None:
    op.create_table(
        "verification_round_offices",
        sa.Column("round_id", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("office", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.PrimaryKeyConstraint("round_id", "office"),
    )
    with op.batch_alter_table("verification_rounds") as batch:
        batch.add_column(sa.Column("every_office", sa.Boolean(), nullable=True))
        for column in ("created_at", "updated_at"):
            batch.add_column(
                sa.Column(column, sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True)
            )
            batch.create_index(f"ix_verification_rounds_{column}", [column])
    _fill_offices()
    with op.batch_alter_table("verification_rounds") as batch:
        batch.alter_column("every_office", existing_type=sa.Boolean(), nullable=False)
    _fill_stamps()


def _fill_offices() -> None:
    """Each round's `every_office` and office rows from its body, a chunk at a time."""
    conn = op.get_bind()
    update = (
        ROUNDS.update()
        .where(ROUNDS.c.round_id == sa.bindparam("key"))
        .values(every_office=sa.bindparam("every"))
    )
    after = ""
    while True:
        rows = conn.execute(
            sa.select(ROUNDS.c.round_id, ROUNDS.c.body)
            .where(ROUNDS.c.round_id > after)
            .order_by(ROUNDS.c.round_id)
            .limit(CHUNK)
        ).all()
        if not rows:
            return
        offices = {key: json.loads(bytes(body)).get("offices") for key, body in rows}
        conn.execute(update, [{"key": k, "every": o is None} for k, o in offices.items()])
        filed = [{"round_id": k, "office": o} for k, os in offices.items() for o in os or ()]
        if filed:
            conn.execute(OFFICES.insert(), filed)
        after = rows[-1][0]


def _fill_stamps() -> None:
    """Each round's first and last time in the journal, by the `round_id` its entries name."""
    conn = op.get_bind()
    journal = sa.table(
        "journal", sa.column("seq", sa.BigInteger), sa.column("at"), sa.column("body")
    )
    first: dict[str, str] = {}
    last: dict[str, str] = {}
    after = 0
    while True:
        rows = conn.execute(
            sa.select(journal.c.seq, journal.c.at, journal.c.body)
            .where(journal.c.seq > after)
            .order_by(journal.c.seq)
            .limit(CHUNK)
        ).all()
        if not rows:
            break
        for _, at, body in rows:
            event = json.loads(bytes(body))
            ident = event.get("round_id") if isinstance(event, dict) else None
            if isinstance(ident, str):
                first.setdefault(ident, _stamp(at))
                last[ident] = _stamp(at)
        after = rows[-1][0]
    update = (
        ROUNDS.update()
        .where(ROUNDS.c.round_id == sa.bindparam("key"))
        .values(created_at=sa.bindparam("made"), updated_at=sa.bindparam("written"))
    )
    values = [{"key": k, "made": made, "written": last[k]} for k, made in first.items()]
    for start in range(0, len(values), CHUNK):
        conn.execute(update, values[start : start + CHUNK])


def _stamp(at: str) -> str:
    """A journal time (ISO 8601, UTC) as the store stamps it (`store.sql_stamps.stamp`)."""
    found = dt.datetime.fromisoformat(at).astimezone(dt.UTC)
    return found.strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def downgrade() -> None:
    with op.batch_alter_table("verification_rounds") as batch:
        for column in ("created_at", "updated_at"):
            batch.drop_index(f"ix_verification_rounds_{column}")
            batch.drop_column(column)
        batch.drop_column("every_office")
    op.drop_table("verification_round_offices")

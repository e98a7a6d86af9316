"""listed records carry when they were made and last written; batches their channel,
packages their programme

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 20:00:00.000000

So that lists filter by `created_since` and `updated_since`, payment batches by their
channel and packages by their programme, through indexes. Existing rows get their stamps
from the journal: `created_at` the time of the first entry that names the record's id under
its key (`case_id`, `package_id`...), `updated_at` the last one; a record no entry names
keeps none (no list finds it by time). A batch's channel and a package's programme come from
their bodies.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

CHUNK = 10_000
STAMPED = {
    "cases": "case_id",
    "packages": "package_id",
    "disbursements": "disbursement_id",
    "business_plans": "plan_id",
    "community_projects": "project_id",
    "payment_batches": "batch_id",
    "statement_imports": "import_id",
}
BATCH_INDEX = "ix_payment_batches_programme_status_channel"
PACKAGE_INDEX = "ix_packages_programme_status"
FROM_BODIES = {
    ("payment_batches", "batch_id", "channel", 32): "provider",
    ("packages", "package_id", "programme_id", 64): "programme_id",
}
"""(table, key, new column, its length): the field of the body it is filled from."""


def upgrade() -> None:
    for name in STAMPED:
        with op.batch_alter_table(name) as batch:
            for column in ("created_at", "updated_at"):
                batch.add_column(
                    sa.Column(column, sqlmodel.sql.sqltypes.AutoString(length=40), nullable=True)
                )
                batch.create_index(f"ix_{name}_{column}", [column])
    for (name, key, column, length), field in FROM_BODIES.items():
        with op.batch_alter_table(name) as batch:
            batch.add_column(
                sa.Column(column, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=True)
            )
        _fill_from_bodies(name, key, column, field)
        with op.batch_alter_table(name) as batch:
            batch.alter_column(column, nullable=False)
    with op.batch_alter_table("payment_batches") as batch:
        batch.create_index(BATCH_INDEX, ["programme_id", "status", "channel"])
    with op.batch_alter_table("packages") as batch:
        batch.create_index(PACKAGE_INDEX, ["programme_id", "status"])
    _fill_stamps()


def _fill_from_bodies(name: str, key: str, column: str, field: str) -> None:
    """`column` of every row of `name` from `field` of its body, a chunk at a time."""
    conn = op.get_bind()
    table = sa.table(
        name, sa.column(key, sa.String), sa.column(column, sa.String), sa.column("body")
    )
    update = (
        table.update()
        .where(table.c[key] == sa.bindparam("key"))
        .values({column: sa.bindparam("value")})
    )
    after = ""
    while True:
        rows = conn.execute(
            sa.select(table.c[key], table.c.body)
            .where(table.c[key] > after)
            .order_by(table.c[key])
            .limit(CHUNK)
        ).all()
        if not rows:
            return
        values = [{"key": k, "value": json.loads(bytes(body))[field]} for k, body in rows]
        conn.execute(update, values)
        after = rows[-1][0]


def _fill_stamps() -> None:
    """Each record's first and last time in the journal, by the id its entries name."""
    first: dict[str, dict[str, str]] = {name: {} for name in STAMPED}
    last: dict[str, dict[str, str]] = {name: {} for name in STAMPED}
    for at, event in _entries():
        for name, key in STAMPED.items():
            value = event.get(key)
            if isinstance(value, str):
                first[name].setdefault(value, at)
                last[name][value] = at
    conn = op.get_bind()
    for name, key in STAMPED.items():
        table = sa.table(
            name, sa.column(key, sa.String), sa.column("created_at"), sa.column("updated_at")
        )
        update = (
            table.update()
            .where(table.c[key] == sa.bindparam("key"))
            .values(created_at=sa.bindparam("made"), updated_at=sa.bindparam("written"))
        )
        values = [
            {"key": ident, "made": made, "written": last[name][ident]}
            for ident, made in first[name].items()
        ]
        for start in range(0, len(values), CHUNK):
            conn.execute(update, values[start : start + CHUNK])


def _entries() -> Iterator[tuple[str, dict[str, object]]]:
    """(stamp, event) of every journal entry, in order, a chunk at a time."""
    conn = op.get_bind()
    journal = sa.table(
        "journal", sa.column("seq", sa.BigInteger), sa.column("at"), sa.column("body")
    )
    after = 0
    while True:
        rows = conn.execute(
            sa.select(journal.c.seq, journal.c.at, journal.c.body)
            .where(journal.c.seq > after)
            .order_by(journal.c.seq)
            .limit(CHUNK)
        ).all()
        if not rows:
            return
        for _, at, body in rows:
            event = json.loads(bytes(body))
            if isinstance(event, dict):
                yield _stamp(at), event
        after = rows[-1][0]


def _stamp(at: str) -> str:
    """A journal time (ISO 8601, UTC) as the store stamps it (`store.sql_stamps.stamp`)."""
    found = dt.datetime.fromisoformat(at).astimezone(dt.UTC)
    return found.strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def downgrade() -> None:
    with op.batch_alter_table("payment_batches") as batch:
        batch.drop_index(BATCH_INDEX)
        batch.drop_column("channel")
    with op.batch_alter_table("packages") as batch:
        batch.drop_index(PACKAGE_INDEX)
        batch.drop_column("programme_id")
    for name in STAMPED:
        with op.batch_alter_table(name) as batch:
            for column in ("created_at", "updated_at"):
                batch.drop_index(f"ix_{name}_{column}")
                batch.drop_column(column)

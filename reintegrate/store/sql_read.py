"""One consistent read of the SQL store: the journal exactly as stored, and the state.

The journal is read as rows, the event left as the bytes in `journal.body`, so that the hash
chain is checked over what is kept and an export writes it unchanged. The state can be read
against an expected one (`snapshot_like`): a row that holds exactly the expected record is
not decoded, which is most of the cost of reading a large store.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import msgspec
from sqlalchemy import Connection, Select, Table, bindparam, func, select

from reintegrate.journal import StoredEntry
from reintegrate.ledger import Account
from reintegrate.store.base import Snapshot
from reintegrate.store.sql_uow import ACCOUNTS, ENCODER, JOURNAL, decode

T = TypeVar("T")
ROWS_PER_FETCH = 2000
_COLUMNS = (
    JOURNAL.c.seq,
    JOURNAL.c.at,
    JOURNAL.c.actor,
    JOURNAL.c.body,
    JOURNAL.c.prev_hash,
    JOURNAL.c.hash,
)
_STORED_FROM = select(*_COLUMNS).where(JOURNAL.c.seq >= bindparam("first")).order_by(JOURNAL.c.seq)
_STORED_BETWEEN = (
    select(*_COLUMNS)
    .where(JOURNAL.c.seq >= bindparam("first"), JOURNAL.c.seq <= bindparam("last"))
    .order_by(JOURNAL.c.seq)
)
_LAST_SEQ = select(func.max(JOURNAL.c.seq))
_ACCOUNT_ROWS = select(
    ACCOUNTS.c.code,
    ACCOUNTS.c.currency,
    ACCOUNTS.c.label,
    ACCOUNTS.c.floor,
    ACCOUNTS.c.used,
    ACCOUNTS.c.balance,
)
SnapshotOn = Callable[[Connection, Snapshot | None], Snapshot]


class SqlView:
    """Reads on one connection inside one transaction (see `SqlStore.consistent_read`)."""

    def __init__(self, conn: Connection, snapshot_on: SnapshotOn) -> None:
        self.conn = conn
        self._snapshot_on = snapshot_on

    def last_seq(self) -> int:
        found = self.conn.execute(_LAST_SEQ).scalar()
        return int(found or 0)

    def stored_entries(self, first: int = 1, last: int | None = None) -> Iterator[StoredEntry]:
        if last is None:
            query, values = _STORED_FROM, {"first": first}
        else:
            query, values = _STORED_BETWEEN, {"first": first, "last": last}
        rows = self.conn.execution_options(yield_per=ROWS_PER_FETCH).execute(query, values)
        for row in rows:
            yield stored_entry_of(row)

    def snapshot(self) -> Snapshot:
        return self._snapshot_on(self.conn, None)

    def snapshot_like(self, expected: Snapshot) -> Snapshot:
        return self._snapshot_on(self.conn, expected)


def stored_entry_of(row: Any) -> StoredEntry:
    seq, at, actor, body, prev_hash, hash_ = row
    return StoredEntry(
        seq=seq,
        at=dt.datetime.fromisoformat(at),
        actor=actor,
        event=msgspec.Raw(body),
        prev_hash=prev_hash,
        hash=hash_,
    )


def read_bodies(
    conn: Connection, table: Table, key: str, type_: type[T], expected: Snapshot | None
) -> dict[str, T]:
    """The records of a table kept as one JSON body per row, by `key`. Where `expected` holds
    a record of `type_` under the same key whose canonical JSON is the row's body, that
    record is taken as it is rather than decoded again."""
    known: dict[str, Any] = _records_of_type(expected, type_)
    found: dict[str, T] = {}
    for ident, body in read_tuples(conn, select(table.c[key], table.c.body)):
        record: T | None = known.get(ident)
        if record is None or ENCODER.encode(record) != body:
            record = decode(body, type_)
        found[ident] = record
    return found


def read_accounts(
    conn: Connection, expected: Snapshot | None
) -> tuple[dict[str, Account], dict[str, int]]:
    """Ledger accounts and their balances; an account whose row has exactly the columns of
    `expected`'s account of that code is taken as it is."""
    known = expected.accounts if expected is not None else {}
    accounts: dict[str, Account] = {}
    balances: dict[str, int] = {}
    for code, currency, label, floor, used, balance in read_tuples(conn, _ACCOUNT_ROWS):
        account = known.get(code)
        same = (
            account is not None
            and account.label == label
            and account.currency == currency
            and account.floor == floor
            and ",".join(account.used) == used
        )
        if account is None or not same:
            used_codes = tuple(used.split(",")) if used else ()
            account = Account(
                code=code, currency=currency, label=label, floor=floor, used=used_codes
            )
        accounts[code] = account
        balances[code] = balance
    return accounts, balances


def _records_of_type(expected: Snapshot | None, type_: type[Any]) -> dict[str, Any]:
    """`expected`'s collection of records of `type_` (empty when it has none)."""
    if expected is None:
        return {}
    for name in Snapshot.__struct_fields__:
        collection = getattr(expected, name)
        if isinstance(collection, dict) and isinstance(
            next(iter(collection.values()), None), type_
        ):
            return collection
    return {}


def read_tuples(conn: Connection, query: Select[Any]) -> list[tuple[Any, ...]]:
    """Every row of `query` (which takes no parameter) as the driver gives it, on `conn`'s
    connection and transaction: a million accounts cost seconds more as SQLAlchemy rows."""
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(str(query.compile(dialect=conn.dialect)))
        return list(cursor.fetchall())
    finally:
        cursor.close()

"""One consistent read of the SQL store: the journal exactly as stored, and the state.

The journal is read as rows, the event left as the bytes in `journal.body`, so that the hash
chain is checked over what is kept and an export writes it unchanged. The state can be read
against an expected one (`snapshot_like`): a row that holds exactly the expected record is
not decoded, which is most of the cost of reading a large store.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
from contextlib import suppress
from typing import Any, TypeVar, cast

from sqlalchemy import Connection, Select, Table, bindparam, func, select

from reintegrate.community.projects import CommunityProject
from reintegrate.journal import StoredEntry, StoredRow, stored_of_row
from reintegrate.ledger import Account
from reintegrate.people.registry import SealedPerson, StoredPerson
from reintegrate.store.base import PackagesPage, ProgrammeRecord, Snapshot
from reintegrate.store.sql_ledger import ACCOUNTS, ENCODER, JOURNAL, POSTINGS
from reintegrate.store.sql_people import IDENTIFIERS, PERSONS
from reintegrate.store.sql_programme import (
    balances_on,
    entries_of_types_on,
    packages_pages,
    programme_on,
    projects_of,
)
from reintegrate.store.sql_sums import SumsApart, can_read_apart
from reintegrate.store.sql_uow import decode

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
_SQLITE_COLUMNS = ", ".join(column.name for column in _COLUMNS)
_SQLITE_ROWS = {
    last: f"SELECT {_SQLITE_COLUMNS} FROM {JOURNAL.name} WHERE seq >= :first"
    + (" AND seq <= :last" if last else "")
    + " ORDER BY seq"
    for last in (False, True)
}
"""The statements of `_STORED_FROM` and `_STORED_BETWEEN` for SQLite's own cursor."""
_LAST_SEQ = select(func.max(JOURNAL.c.seq))
_ACCOUNT_ROWS = select(
    ACCOUNTS.c.code,
    ACCOUNTS.c.currency,
    ACCOUNTS.c.label,
    ACCOUNTS.c.floor,
    ACCOUNTS.c.used,
    ACCOUNTS.c.balance,
)
SnapshotOn = Callable[[Connection, Snapshot | None, dict[str, int] | None], Snapshot]


class SqlView:
    """Reads on one connection inside one transaction (see `SqlStore.consistent_read`)."""

    def __init__(self, conn: Connection, snapshot_on: SnapshotOn) -> None:
        self.conn = conn
        self._snapshot_on = snapshot_on
        self._sums_apart: SumsApart | None = None

    def read_ahead(self) -> None:
        """Have a second process read the postings' sums now (`sql_sums`), for
        `snapshot_like` to take rather than read them itself, much later."""
        if self._sums_apart is None and can_read_apart(self.conn):
            with suppress(OSError):  # no second process: `snapshot_like` reads them itself
                self._sums_apart = SumsApart(self.conn, self.last_seq())

    def last_seq(self) -> int:
        found = self.conn.execute(_LAST_SEQ).scalar()
        return int(found or 0)

    def stored_entries(self, first: int = 1, last: int | None = None) -> Iterator[StoredEntry]:
        for rows in self.journal_rows(first, last):
            for row in rows:
                yield stored_of_row(row)

    def journal_rows(self, first: int = 1, last: int | None = None) -> Iterator[list[StoredRow]]:
        """The journal's rows from `first` to `last`, in seq order, a batch at a time, as the
        driver gives them: on SQLite straight from its cursor (SQLAlchemy rows cost more than
        the read itself), elsewhere streamed from a server-side cursor."""
        values = {"first": first} if last is None else {"first": first, "last": last}
        if self.conn.dialect.name == "sqlite":
            yield from _sqlite_batches(self.conn, _SQLITE_ROWS[last is not None], values)
            return
        query = _STORED_FROM if last is None else _STORED_BETWEEN
        options = {"stream_results": True, "yield_per": ROWS_PER_FETCH}
        for part in self.conn.execution_options(**options).execute(query, values).partitions():
            yield [tuple(row) for row in part]

    def stored_persons(self) -> Iterator[StoredPerson]:
        return stored_persons_on(self.conn)

    def postings_touching(
        self, accounts: Collection[str]
    ) -> list[tuple[int | None, int, str, int, str]]:
        touched = select(POSTINGS.c.seq).where(POSTINGS.c.account.in_(list(accounts)))
        query = (
            select(POSTINGS.c.id, POSTINGS.c.seq, POSTINGS.c.account, POSTINGS.c.amount)
            .add_columns(POSTINGS.c.currency)
            .where(POSTINGS.c.seq.in_(touched))
            .order_by(POSTINGS.c.seq, POSTINGS.c.id)
        )
        return [tuple(row) for row in self.conn.execute(query)]

    def programme(self, programme_id: str) -> ProgrammeRecord | None:
        return programme_on(self.conn, programme_id)

    def entries_of_types(self, types: Collection[str], last: int) -> Iterator[StoredEntry]:
        return entries_of_types_on(self.conn, types, last)

    def packages_pages(self, programme_id: str) -> Iterator[PackagesPage]:
        return packages_pages(self.conn, programme_id)

    def programme_projects(self, programme_id: str) -> Iterator[CommunityProject]:
        return projects_of(self.conn, programme_id)

    def balances_of(self, codes: Collection[str]) -> dict[str, int]:
        return balances_on(self.conn, codes)

    def snapshot(self) -> Snapshot:
        return self._snapshot_on(self.conn, None, None)

    def snapshot_like(self, expected: Snapshot) -> Snapshot:
        ahead, self._sums_apart = self._sums_apart, None
        sums = ahead.result() if ahead is not None else None
        return self._snapshot_on(self.conn, expected, sums)


def _sqlite_batches(
    conn: Connection, statement: str, values: dict[str, int]
) -> Iterator[list[StoredRow]]:
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(statement, values)
        while rows := cursor.fetchmany(ROWS_PER_FETCH):
            yield cast(list[StoredRow], rows)
    finally:
        cursor.close()


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


def stored_persons_on(conn: Connection) -> Iterator[StoredPerson]:
    digests: dict[str, list[str]] = {}
    for digest, person_id in conn.execute(select(IDENTIFIERS.c.digest, IDENTIFIERS.c.person_id)):
        digests.setdefault(person_id, []).append(digest)
    query = select(
        PERSONS.c.person_id,
        PERSONS.c.office,
        PERSONS.c.wrapped_key,
        PERSONS.c.sealed,
        PERSONS.c.proposed,
    )
    for row in conn.execute(query.order_by(PERSONS.c.person_id)):
        sealed = (
            SealedPerson(wrapped_key=row.wrapped_key, sealed=row.sealed, proposed=row.proposed)
            if row.wrapped_key is not None and row.sealed is not None
            else None
        )
        found = tuple(sorted(digests.pop(row.person_id, [])))
        yield StoredPerson(
            person_id=row.person_id, office=row.office, sealed=sealed, identifiers=found
        )
    for person_id in sorted(digests):  # digests of no stored person
        yield StoredPerson(
            person_id=person_id, office=None, sealed=None, identifiers=tuple(digests[person_id])
        )

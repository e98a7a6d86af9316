"""One consistent read of the SQL store: the journal exactly as stored, and the state.

The journal is read as rows, the event left as the bytes in `journal.body`, so that the hash
chain is checked over what is kept and an export writes it unchanged. The state is read one
kind of record at a time, a page at a time, against the records expected (`sql_stored`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from contextlib import suppress
from itertools import groupby
from typing import Any, cast

from sqlalchemy import Connection, bindparam, func, select

from reintegrate.community.projects import CommunityProject
from reintegrate.journal import StoredEntry, StoredRow, stored_of_row
from reintegrate.people.registry import SealedPerson, StoredPerson
from reintegrate.store.base import PackagesPage, ProgrammeRecord, Snapshot
from reintegrate.store.sql_ledger import JOURNAL, POSTINGS, STORED_COLUMNS
from reintegrate.store.sql_people import IDENTIFIERS, PERSONS
from reintegrate.store.sql_programme import (
    balances_on,
    entries_of_types_on,
    packages_pages,
    programme_on,
    projects_of,
)
from reintegrate.store.sql_stored import READERS, Page
from reintegrate.store.sql_sums import (
    Drift,
    DriftApart,
    can_read_apart,
    read_drift,
    read_posting_sums,
)

ROWS_PER_FETCH = 2000
_COLUMNS = STORED_COLUMNS
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


class SqlView:
    """Reads on one connection inside one transaction (see `SqlStore.consistent_read`)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._drift_apart: DriftApart | None = None

    def read_ahead(self) -> None:
        """Have a second process compare the balances with the postings now (`sql_sums`),
        for `drifted_balances` to take rather than read them itself, much later."""
        if self._drift_apart is None and can_read_apart(self.conn):
            with suppress(OSError):  # no second process: `drifted_balances` reads them itself
                self._drift_apart = DriftApart(self.conn, self.last_seq())

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

    def stored_records(self, name: str, expected: Mapping[str, Any]) -> Iterator[Page]:
        return READERS[name](self.conn, expected)

    def posting_sums(self) -> dict[str, int]:
        return read_posting_sums(self.conn)

    def drifted_balances(self) -> Drift:
        ahead, self._drift_apart = self._drift_apart, None
        drift = ahead.result() if ahead is not None else None
        return read_drift(self.conn) if drift is None else drift

    def snapshot(self) -> Snapshot:
        return snapshot_of(self)


def snapshot_of(view: SqlView) -> Snapshot:
    """Every kind of record `view` reads, whole."""
    found: dict[str, Any] = {
        name: dict(pair for page in read(view.conn, {}) for pair in page)
        for name, read in READERS.items()
    }
    found["fx_rates"] = list(found["fx_rates"].values())
    return Snapshot(**found, posting_sums=view.posting_sums())


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


def stored_persons_on(conn: Connection) -> Iterator[StoredPerson]:
    """Each stored person with the digests of their identifiers, read in order of their id
    together, then the persons only digests name: a page of rows at a time, never every
    digest at once (a million persons' digests held a hundred megabytes)."""
    streamed = conn.execution_options(stream_results=True, yield_per=PERSONS_PER_PAGE)
    rows = streamed.execute(_PERSONS_WITH_DIGESTS)
    for _, group in groupby(rows, key=lambda row: row.person_id):
        first, *more = group
        sealed = (
            SealedPerson(
                wrapped_key=first.wrapped_key, sealed=first.sealed, proposed=first.proposed
            )
            if first.wrapped_key is not None and first.sealed is not None
            else None
        )
        digests = sorted(row.digest for row in (first, *more) if row.digest is not None)
        yield StoredPerson(
            person_id=first.person_id,
            office=first.office,
            sealed=sealed,
            identifiers=tuple(digests),
        )
    orphans = streamed.execute(_DIGESTS_OF_NO_PERSON)
    for person_id, named in groupby(orphans, key=lambda row: row.person_id):
        digests = sorted(row.digest for row in named)
        yield StoredPerson(
            person_id=person_id, office=None, sealed=None, identifiers=tuple(digests)
        )


PERSONS_PER_PAGE = 1_000
_PERSONS_WITH_DIGESTS = (
    select(
        PERSONS.c.person_id,
        PERSONS.c.office,
        PERSONS.c.wrapped_key,
        PERSONS.c.sealed,
        PERSONS.c.proposed,
        IDENTIFIERS.c.digest,
    )
    .select_from(PERSONS.outerjoin(IDENTIFIERS, IDENTIFIERS.c.person_id == PERSONS.c.person_id))
    .order_by(PERSONS.c.person_id)
)
_DIGESTS_OF_NO_PERSON = (
    select(IDENTIFIERS.c.person_id, IDENTIFIERS.c.digest)
    .where(IDENTIFIERS.c.person_id.not_in(select(PERSONS.c.person_id)))
    .order_by(IDENTIFIERS.c.person_id)
)

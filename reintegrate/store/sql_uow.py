"""One SQL transaction: reads and writes of projections, ledger and journal.

Statements are SQLAlchemy Core on one connection, with no ORM identity map to pay for.
Projections are upserted (INSERT ... ON CONFLICT DO UPDATE, on SQLite and PostgreSQL alike);
an upsert waits until the unit runs any other statement, so that the upserts of many rows
made one after the other by one statement go as one executemany, and a later read in the
same unit of work still sees every row (`write_row`, `FastStatements.defer`).
Two writes wait, each for one statement of many rows: the balances a command sets, until it
reads the journal's tail or commits (`LedgerRows.write_balances`; it reads them from what
it keeps), and its entries with their postings, appended together (`append_entries`).

Nothing else changes the rows a unit of work reads while it runs (it holds the write lock,
or, for one case's payments on PostgreSQL, its case's row: `sql_one_case`): it keeps what it
has read or written (projections by key, accounts with their balance) and answers a second
read of the same row without a statement.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any, TypeVar

import msgspec
from sqlalchemy import Connection, Insert, Select, Table, Update, bindparam, select, update
from sqlalchemy.dialects import postgresql, sqlite

from reintegrate.events import EntitlementGranted
from reintegrate.grants.packages import Package
from reintegrate.journal import Entry
from reintegrate.ledger import Account
from reintegrate.money import FxRate
from reintegrate.people.keys import NO_KEYRING, Keyring
from reintegrate.store import tables as t
from reintegrate.store.base import CaseRecord, PolicyRecord, ProgrammeRecord, Scope
from reintegrate.store.expected import check_first_read
from reintegrate.store.fast_sql import FastStatements, in_lists
from reintegrate.store.sql_business import BusinessRows
from reintegrate.store.sql_committed import UNIT_OF_WORK_COMMIT, Committed
from reintegrate.store.sql_community import CommunityRows
from reintegrate.store.sql_ledger import ENCODER, LedgerRows
from reintegrate.store.sql_notes import NoteRows
from reintegrate.store.sql_one_case import CaseLock
from reintegrate.store.sql_people import PeopleRows
from reintegrate.store.sql_reconcile import ReconcileRows
from reintegrate.store.sql_records import RecordRows
from reintegrate.store.sql_stamps import Stamps
from reintegrate.store.sql_surveys import SurveyRows
from reintegrate.store.sql_verification import VerificationRows

T = TypeVar("T")
_UNKNOWN = object()

PROGRAMMES: Table = t.ProgrammeRow.__table__  # type: ignore[attr-defined]
POLICIES: Table = t.PolicyRow.__table__  # type: ignore[attr-defined]
FX_RATES: Table = t.FxRateRow.__table__  # type: ignore[attr-defined]
CASES: Table = t.CaseRow.__table__  # type: ignore[attr-defined]
MEMBERS: Table = t.MemberRow.__table__  # type: ignore[attr-defined]
GRANTS: Table = t.GrantRow.__table__  # type: ignore[attr-defined]
PACKAGES: Table = t.PackageRow.__table__  # type: ignore[attr-defined]
DISBURSEMENTS: Table = t.DisbursementRow.__table__  # type: ignore[attr-defined]


@functools.cache
def _bodies_where(table: Table, key: str) -> Select[Any]:
    """SELECT body FROM `table` WHERE `key` = :value, built once per table and key."""
    return select(table.c.body).where(table.c[key] == bindparam("value"))


@functools.cache
def _keys_and_bodies_in(table: Table, key: str, count: int) -> Select[Any]:
    """SELECT `key`, body FROM `table` WHERE `key` IN (`count` parameters k0, k1...), built
    once per table, key and count (`fast_sql.in_lists`)."""
    keys: list[Any] = [bindparam(f"k{i}") for i in range(count)]
    return select(table.c[key], table.c.body).where(table.c[key].in_(keys))


@functools.cache
def _upsert_statement(
    dialect: str, table: Table, keys: tuple[str, ...], columns: tuple[str, ...]
) -> Insert:
    """INSERT ... ON CONFLICT (`keys`) DO UPDATE of the other `columns`, built once each."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(table)
    changes = {c: statement.excluded[c] for c in columns if c not in keys}
    return statement.on_conflict_do_update(index_elements=list(keys), set_=changes)


@functools.cache
def _insert_statement(table: Table) -> Insert:
    return table.insert()


@functools.cache
def _update_statement(table: Table, key: str, columns: tuple[str, ...]) -> Update:
    """UPDATE `table` SET `columns` (parameters new_COLUMN) WHERE `key` = :row_key."""
    changes: dict[str, Any] = {column: bindparam(f"new_{column}") for column in columns}
    return update(table).where(table.c[key] == bindparam("row_key")).values(changes)


def decode(body: bytes, type_: type[T]) -> T:
    return msgspec.json.decode(body, type=type_)


class SqlUnitOfWork(
    LedgerRows,
    RecordRows,
    BusinessRows,
    CommunityRows,
    VerificationRows,
    ReconcileRows,
    PeopleRows,
    NoteRows,
    SurveyRows,
):
    def __init__(
        self,
        connection: Connection,
        committed: Committed | None = None,
        keyring: Keyring = NO_KEYRING,
        *,
        one_case: bool = False,
    ) -> None:
        """`committed`: the rows earlier units of work left, checked (`Committed.start`) by
        the store; this one adds its own to them when it commits. `one_case`: a unit of
        work of one case's payments (`sql_one_case`)."""
        self._connection = connection
        self.keyring = keyring
        self.fast = FastStatements(connection)
        """For the statements every command runs: the same connection, less overhead."""
        self.dialect = connection.dialect.name
        self._case_lock = CaseLock(connection, self.fast) if one_case else None
        self._tail_locked = not (one_case and self.dialect == "postgresql")
        """Whether the journal's tail is this unit's to append to: at once, unless it runs
        beside others (`last_entry` then locks the tail first)."""
        self._last: Entry | None = None
        self._last_loaded = False
        self._kept: dict[tuple[str, str], Any] = {}
        """Projections read or written in this unit of work, by (table, key); None: absent."""
        self._accounts: dict[str, tuple[Account, int] | None] = {}
        self._unwritten_balances: dict[str, int] = {}
        self._before_commit: list[Callable[[], None]] = []
        self._stamps = Stamps()
        self.appended_at: dt.datetime | None = None
        """The time of the last entry this unit of work appended (`sql_stamps`)."""
        self._committed = committed
        if committed is not None and committed.last is not None:
            self._last, self._last_loaded = committed.last[0], True
        self.open_records()

    @property
    def s(self) -> Connection:
        """The unit's connection, once the projections' writes waiting are sent (`write_row`):
        whatever runs on it sees them, as it does through `fast`."""
        self.fast.flush()
        return self._connection

    def read_row(self, table: Table, key: str, value: str, type_: type[T]) -> T | None:
        if (table.name, value) in self._kept:
            found: T | None = self._kept[table.name, value]
            return found
        if self._case_lock is not None:
            self._case_lock.before_reading(table, value)
        if self._committed is not None and (table.name, value) in self._committed.kept:
            found = self._committed.kept[table.name, value]
        else:
            body = self.fast.execute(_bodies_where(table, key), {"value": value})
            found = None if (raw := body.scalar_one_or_none()) is None else decode(raw, type_)
        if self._case_lock is not None:
            self._case_lock.after_reading(table, found)
        check_first_read(table.name, value, found)
        self._kept[table.name, value] = found
        return found

    def read_rows(
        self, table: Table, key: str, values: Collection[str], type_: type[T]
    ) -> dict[str, T]:
        """`read_row` of each of `values`, those not met yet read a chunk at a time; the rows
        there are, by key."""
        if self._case_lock is not None:  # each read checked against the case's lock
            each = {value: self.read_row(table, key, value, type_) for value in values}
            return {value: found for value, found in each.items() if found is not None}
        kept, name = self._kept, table.name
        missing = [v for v in values if (name, v) not in kept]
        earlier = self._committed.kept if self._committed is not None else {}
        bodies = dict(self.bodies_of(table, key, [v for v in missing if (name, v) not in earlier]))
        for value in missing:
            raw = bodies.get(value)
            found = earlier.get((name, value)) if raw is None else decode(raw, type_)
            check_first_read(name, value, found)
            kept[name, value] = found
        return {v: found for v in values if (found := kept[name, v]) is not None}

    def bodies_of(
        self, table: Table, key: str, values: Collection[str]
    ) -> Iterator[tuple[str, Any]]:
        """(key, stored body) of each row of `table` whose `key` is one of `values`, as read
        now (nothing kept), a chunk of keys per statement, in the order of the keys."""
        for params in in_lists(sorted(values)):
            query = _keys_and_bodies_in(table, key, len(params))
            yield from sorted((row[0], row[1]) for row in self.fast.execute(query, params))

    def _many(self, table: Table, key: str, value: str, type_: type[T]) -> list[T]:
        rows = self.fast.execute(_bodies_where(table, key), {"value": value})
        return [decode(body, type_) for body in rows.scalars()]

    def write_row(self, table: Table, keys: Sequence[str], **values: Any) -> None:
        """Upsert a projection's row. It waits to be sent with the rows written after it by
        the same statement, as one executemany, until the unit runs any other statement
        (`FastStatements.defer`): registering 30,000 persons is then a few statements, not
        30,000, and every read still sees every row written before it."""
        statement: Insert = _upsert_statement(self.dialect, table, tuple(keys), tuple(values))
        if self._case_lock is not None:
            self._case_lock.check_write(table)
            if self._kept.get((table.name, values[keys[0]]), False) is None:
                statement = _insert_statement(table)  # read as absent: made meanwhile, refused
            self.fast.execute(statement, values)  # at once: a refusal is this write's
        else:
            self.fast.defer(statement, values, table.name)
        self._stamps.note(table, values[keys[0]])

    def update_row(self, table: Table, key: str, value: str, **changed: Any) -> None:
        """Set the columns `changed` of the row whose `key` is `value`, a row this unit of
        work has read or written (`kept_row`), deferred as `write_row`'s upserts are. Only
        those columns: SQLite rewrites the index entries of every column an UPDATE sets,
        changed or not, and an upsert sets them all. A row not there raises `LookupError`."""
        statement = _update_statement(table, key, tuple(changed))
        params = {"row_key": value, **{f"new_{c}": v for c, v in changed.items()}}
        if self._case_lock is not None:
            self._case_lock.check_write(table)
        self.fast.defer(statement, params, table.name, one_row=True)
        self._stamps.note(table, value)

    def kept_row(self, table: Table, value: str) -> tuple[bool, Any]:
        """(True, the record) when this unit of work has read or written the row whose key
        is `value` (the record None: it is absent); (False, None) when it has not."""
        found = self._kept.get((table.name, value), _UNKNOWN)
        return (False, None) if found is _UNKNOWN else (True, found)

    def keep_row(self, table: Table, value: str, record: object) -> None:
        self._kept[table.name, value] = record

    def programme(self, programme_id: str) -> ProgrammeRecord | None:
        return self.read_row(PROGRAMMES, "programme_id", programme_id, ProgrammeRecord)

    def put_programme(self, record: ProgrammeRecord) -> None:
        body = ENCODER.encode(record)
        self.write_row(PROGRAMMES, ["programme_id"], programme_id=record.programme_id, body=body)
        self.keep_row(PROGRAMMES, record.programme_id, record)

    def policies(self, programme_id: str) -> list[PolicyRecord]:
        found = self._many(POLICIES, "programme_id", programme_id, PolicyRecord)
        return sorted(found, key=lambda p: p.effective_from)

    def put_policy(self, record: PolicyRecord) -> None:
        self.write_row(
            POLICIES,
            ["programme_id", "version"],
            programme_id=record.programme_id,
            version=record.version,
            body=ENCODER.encode(record),
        )

    def fx_rates(self, base: str, quote: str) -> list[FxRate]:
        query = select(FX_RATES.c.body).where(
            FX_RATES.c.pair.in_([f"{base}/{quote}", f"{quote}/{base}"])
        )
        return [
            decode(body, FxRate) for body in self.s.execute(query.order_by(FX_RATES.c.id)).scalars()
        ]

    def put_fx_rate(self, rate: FxRate) -> None:
        self.s.execute(
            FX_RATES.insert().values(pair=f"{rate.base}/{rate.quote}", body=ENCODER.encode(rate))
        )

    def case(self, case_id: str, scope: Scope) -> CaseRecord | None:
        found = self.read_row(CASES, "case_id", case_id, CaseRecord)
        return found if found and scope.allows(found.office) else None

    def put_case(self, record: CaseRecord) -> None:
        self.write_row(
            CASES,
            ["case_id"],
            case_id=record.case_id,
            office=record.office,
            programme_id=record.programme_id,
            body=ENCODER.encode(record),
        )
        self.keep_row(CASES, record.case_id, record)
        for member_id, person_id in record.persons:
            self.write_row(
                MEMBERS,
                ["case_id", "member_id"],
                case_id=record.case_id,
                member_id=member_id,
                person_id=person_id,
            )

    def grant(self, case_id: str) -> EntitlementGranted | None:
        return self.read_row(GRANTS, "case_id", case_id, EntitlementGranted)

    def put_grant(self, grant: EntitlementGranted) -> None:
        self.write_row(GRANTS, ["case_id"], case_id=grant.case_id, body=ENCODER.encode(grant))
        self.keep_row(GRANTS, grant.case_id, grant)

    def packages_of_case(self, case_id: str) -> list[Package]:
        return self._many(PACKAGES, "case_id", case_id, Package)

    def before_commit(self, write: Callable[[], None]) -> None:
        """Have `write` run in this transaction just before it commits: for a record that
        must commit with the command's or not at all (the answer to an Idempotency-Key)."""
        self._before_commit.append(write)

    def commit(self) -> None:
        self.write_balances()
        self._stamps.write(self.fast, self.appended_at)
        writes, self._before_commit = self._before_commit, []
        for write in writes:
            write()
        committed, self._committed = self._committed, None  # nothing after this is kept
        if committed is None:
            self.s.commit()
            return
        token = committed.committing()
        self.s.info[UNIT_OF_WORK_COMMIT] = True  # see `SqlStore._commit_elsewhere`
        self.s.commit()
        last = (self._last,) if self._last_loaded else None
        committed.absorb(token, self._kept, self._accounts, last)

"""The ledger's accounts and postings and the journal's entries in the SQL store (mixed into
the SQL unit of work): the rows every command reads and writes."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from typing import Any

import msgspec
from sqlalchemy import Insert, Select, Table, bindparam, select, update

from reintegrate.events import decode_event
from reintegrate.journal import Entry
from reintegrate.ledger import Account, Posting, Transaction
from reintegrate.store import tables as t
from reintegrate.store.fast_sql import FastStatements, in_lists
from reintegrate.store.sql_committed import Committed
from reintegrate.store.sql_one_case import CaseLock
from reintegrate.store.sql_webhooks import ANY_SUBSCRIPTION, OUTBOX, outbox_row

ENCODER = msgspec.json.Encoder(order="sorted")
"""How bodies are stored: keys sorted, so that equal records give equal bytes."""

JOURNAL: Table = t.JournalRow.__table__  # type: ignore[attr-defined]
ACCOUNTS: Table = t.AccountRow.__table__  # type: ignore[attr-defined]
POSTINGS: Table = t.PostingRow.__table__  # type: ignore[attr-defined]
STORED_COLUMNS = (
    JOURNAL.c.seq,
    JOURNAL.c.at,
    JOURNAL.c.actor,
    JOURNAL.c.body,
    JOURNAL.c.prev_hash,
    JOURNAL.c.hash,
)
"""An entry as stored, in the order of a `journal.StoredRow`."""

# The statements of every command, built once with bound parameters: building a statement
# (coercions, cache key) cost more than running it. Values come with each execution.
_OPEN_ACCOUNTS = ACCOUNTS.insert()
_SET_BALANCE = (
    update(ACCOUNTS)
    .where(ACCOUNTS.c.code == bindparam("account"))
    .values(balance=bindparam("new_balance"))
)
_LAST_ENTRY = select(*STORED_COLUMNS).order_by(JOURNAL.c.seq.desc()).limit(1)
_ADD_ENTRY = JOURNAL.insert()
JOURNAL_TAIL_LOCK = 7_310_2027
"""PostgreSQL advisory lock on the journal's tail, taken by a unit of work that runs beside
others (`sql_one_case`) to append its entries, and held until it commits."""
_LOCK_TAIL_THEN_LAST = (
    f"SELECT pg_advisory_xact_lock({JOURNAL_TAIL_LOCK}); "
    f"SELECT {', '.join(c.name for c in STORED_COLUMNS)} FROM {JOURNAL.name} "
    "ORDER BY seq DESC LIMIT 1"
)
"""The tail's lock, then the last entry as it is once the lock is held: one round trip."""


@functools.cache
def _accounts_in(count: int) -> Select[Any]:
    """SELECT the accounts whose code is one of `count` parameters k0, k1...: one statement
    per count rather than an expanding IN, so that it compiles once (`fast_sql.in_lists`)."""
    return select(ACCOUNTS).where(ACCOUNTS.c.code.in_([bindparam(f"k{i}") for i in range(count)]))


POSTINGS_PER_INSERT = 64
"""Postings per INSERT: a command's in one statement, a chunk's of a bulk command in a few
hundred, with at most 64 statements compiled."""


@functools.cache
def _add_postings(count: int) -> Insert:
    """INSERT of `count` postings as one multi-row statement, parameters a0, s0, m0, c0, a1...:
    one round trip, where an executemany of a transaction's postings took two."""
    rows: list[dict[str, Any]] = [
        {
            "seq": bindparam(f"s{i}"),
            "account": bindparam(f"a{i}"),
            "amount": bindparam(f"m{i}"),
            "currency": bindparam(f"c{i}"),
        }
        for i in range(count)
    ]
    return POSTINGS.insert().values(rows)


def account_of(row: Any) -> Account:
    return account_from(row.code, row.currency, row.label, row.floor, row.used)


def account_from(code: str, currency: str, label: str, floor: int | None, used: str) -> Account:
    """The account an `accounts` row's columns hold (`used` is its codes joined by commas)."""
    codes = tuple(used.split(",")) if used else ()
    return Account(code=code, currency=currency, label=label, floor=floor, used=codes)


def entry_of(row: Any) -> Entry:
    return Entry(
        seq=row.seq,
        at=dt.datetime.fromisoformat(row.at),
        actor=row.actor,
        event=decode_event(row.body),
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


class LedgerRows:
    """Accounts with their balances, postings and journal entries, for one unit of work.

    Nothing else changes what the unit of work has read or written here (accounts and
    balances, the last entry) while it runs (`sql_uow`), so it is kept and not read again."""

    fast: FastStatements
    _committed: Committed | None
    _accounts: dict[str, tuple[Account, int] | None]
    """Accounts read or written in this unit of work, with their balance; None: absent."""
    _unwritten_balances: dict[str, int]
    """Balances set here and not written yet (`write_balances`)."""
    _last: Entry | None
    _last_loaded: bool
    appended_at: dt.datetime | None
    """The time of the last entry appended here: the command's (`sql_stamps`)."""
    _tail_locked: bool
    _case_lock: CaseLock | None

    def _load_accounts(self, codes: Iterable[str]) -> dict[str, tuple[Account, int] | None]:
        wanted = set(codes)
        known = self._accounts  # never `wanted - known.keys()`: that walks every known key
        missing = sorted(c for c in wanted if c not in known)
        if missing and self._case_lock is not None:
            self._case_lock.check_accounts()
        if missing and self._committed is not None:
            kept = self._committed.accounts
            known.update((c, kept[c]) for c in missing if c in kept)
            missing = [c for c in missing if c not in known]
        if missing:
            found = {
                row.code: (account_of(row), row.balance)
                for codes in in_lists(missing)
                for row in self.fast.execute(_accounts_in(len(codes)), codes)
            }
            for code in missing:
                self._accounts[code] = found.get(code)
        return {code: self._accounts[code] for code in wanted}

    def accounts(self, codes: Iterable[str]) -> dict[str, Account]:
        return {c: kept[0] for c, kept in self._load_accounts(codes).items() if kept is not None}

    def balances(self, codes: Iterable[str]) -> dict[str, int]:
        wanted = list(codes)
        loaded = self._load_accounts(wanted)
        return {c: (kept[1] if (kept := loaded[c]) is not None else 0) for c in wanted}

    def apply_transaction(self, seq: int, tx: Transaction, new_balances: dict[str, int]) -> None:
        self.apply_balances(tx, new_balances)
        self.add_postings(seq, tx.postings)

    def apply_balances(self, tx: Transaction, new_balances: dict[str, int]) -> None:
        if tx.opens:
            self.fast.execute(
                _OPEN_ACCOUNTS,
                [
                    {
                        "code": a.code,
                        "currency": a.currency,
                        "label": a.label,
                        "floor": a.floor,
                        "used": ",".join(a.used),
                        "balance": 0,
                    }
                    for a in tx.opens
                ],
            )
            self._accounts.update({a.code: (a, 0) for a in tx.opens})
        known = self._accounts
        for code, balance in new_balances.items():
            kept = known[code] if code in known else self._load_accounts([code])[code]
            assert kept is not None, f"balance of an account never opened: {code}"
            self._accounts[code] = (kept[0], balance)
        self._unwritten_balances.update(new_balances)

    def write_balances(self) -> None:
        """Write the balances set since the last call, one statement for them all: before the
        journal's tail is read, and before the unit of work commits. Until then only this
        unit of work reads them, from what it keeps (no statement of it reads an account it
        keeps)."""
        if self._unwritten_balances:
            rows = [{"account": c, "new_balance": b} for c, b in self._unwritten_balances.items()]
            self.fast.execute(_SET_BALANCE, rows)
            self._unwritten_balances = {}

    def add_postings(self, seq: int, postings: Sequence[Posting]) -> None:
        self._insert_postings([(seq, p) for p in postings])

    def _insert_postings(self, postings: Sequence[tuple[int, Posting]]) -> None:
        """INSERT `postings` (seq, posting) in order, `POSTINGS_PER_INSERT` a statement."""
        for start in range(0, len(postings), POSTINGS_PER_INSERT):
            values: dict[str, Any] = {}
            part = postings[start : start + POSTINGS_PER_INSERT]
            for i, (seq, p) in enumerate(part):
                values.update(
                    {f"s{i}": seq, f"a{i}": p.account, f"m{i}": p.amount, f"c{i}": p.currency}
                )
            self.fast.execute(_add_postings(len(part)), values)

    def last_entry(self) -> Entry | None:
        self.write_balances()
        if not self._tail_locked:  # held until commit: entries are appended one unit at a time
            row = self.fast.script(_LOCK_TAIL_THEN_LAST).first()
            self._last = None if row is None else entry_of(row)
            self._tail_locked = self._last_loaded = True
        if not self._last_loaded:
            row = self.fast.execute(_LAST_ENTRY).first()
            self._last = None if row is None else entry_of(row)
            self._last_loaded = True
        return self._last

    def add_entry(self, entry: Entry) -> None:
        self.fast.execute(_ADD_ENTRY, _entry_row(entry))
        self._last, self._last_loaded = entry, True
        self.appended_at = entry.at

    def append_entries(
        self,
        entries: Sequence[tuple[Entry, Sequence[Posting]]],
        offices: Sequence[str | None] = (),
    ) -> None:
        """The postings, then the entries, each in order, in a few statements: the rows of
        one are not read by the other, and postings are numbered in the order they come.
        Each entry is filed under its office (`offices`, in the same order; none given: the
        command shows no event, `services.publishing`) and queued, in this transaction, for
        the webhook subscriptions that follow it (`sql_webhooks.OUTBOX`), when a read in this
        transaction finds any: with none, the INSERT ... SELECT run for each entry inserted
        nothing and cost 30 µs an entry (`reconcile apply` of a million payments)."""
        if not entries:
            return
        self._insert_postings([(entry.seq, p) for entry, postings in entries for p in postings])
        if offices:
            rows = [_entry_row(e, office) for (e, _), office in zip(entries, offices, strict=True)]
        else:  # nothing to file (a migration's own entries are written before the column is)
            rows = [_entry_row(entry) for entry, _ in entries]
        self.fast.execute(_ADD_ENTRY, rows if len(rows) > 1 else rows[0])
        if offices and self.fast.execute(ANY_SUBSCRIPTION).first() is not None:
            self.fast.execute(OUTBOX, [outbox_row(row) for row in rows])
        self._last, self._last_loaded = entries[-1][0], True
        self.appended_at = entries[-1][0].at


def _entry_row(entry: Entry, *office: str | None) -> dict[str, Any]:
    """The row of `entry`, filed under `office` when one is given (None: under none)."""
    return {
        **({"office": office[0]} if office else {}),
        "seq": entry.seq,
        "at": entry.at.isoformat(),
        "actor": entry.actor,
        "type": type(entry.event).__name__,
        "body": ENCODER.encode(entry.event),
        "prev_hash": entry.prev_hash,
        "hash": entry.hash,
    }

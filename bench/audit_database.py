"""Build (or find in the cache) a SQLite database whose journal holds N realistic entries.

The events come from bench/audit_journal.py, chunk by chunk. Each is appended to one hash
chain (`journal.append`) and applied with `apply_entry` to one in-memory state; after each
chunk the journal entries and ledger postings are written to SQLite through the SQL unit of
work's own `add_entry` and the postings table, and at the end the projections (`put_*`) and
accounts with their balances (`apply_transaction`). Members' personal data is not written:
the audit never reads it.

Databases are kept under the temporary directory (`reintegrate-bench/`), named by entry
count, seed and a digest of the generating code, so that a second run reuses the first's.
"""

from __future__ import annotations

import random
import sys
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import insert

from bench.audit_journal import chunk_entries, programme_entries
from bench.cache import cached_build
from reintegrate import journal
from reintegrate.people.registry import SealedPerson
from reintegrate.services.recording import apply_entry
from reintegrate.store.memory import MemoryStore, MemoryUnitOfWork
from reintegrate.store.memory_state import MemoryState
from reintegrate.store.sql import SqlStore
from reintegrate.store.sql_ledger import ACCOUNTS, ENCODER, JOURNAL, POSTINGS

SOURCES = (Path(__file__), Path(__file__).with_name("audit_journal.py"))


def cached_database(entries: int, seed: int, *, fresh: bool = False) -> Path:
    """The path of a database with `entries` journal entries, built if not cached yet."""

    def written(path: Path) -> str:
        build(path, entries, seed)
        return f"{entries} journal entries"

    return cached_build(f"audit-{entries}-seed{seed}", SOURCES, written, fresh=fresh)


def build(path: Path, wanted: int, seed: int) -> None:
    writer = JournalWriter(path)
    rng = random.Random(seed)
    base = programme_entries()
    chunk = 0
    while writer.written < wanted:
        events = base if chunk == 0 else chunk_entries(base, chunk, rng)
        writer.write(events[: wanted - writer.written])
        chunk += 1
        if chunk % 50 == 0:
            print(f"  {writer.written:>9}/{wanted} entries", file=sys.stderr, flush=True)
    writer.close()


class JournalWriter:
    """One hash chain written to a new SQLite file chunk by chunk: each chunk's events are
    appended to the chain and replayed into one in-memory state with `apply_entry`, their
    entries and postings written at once; the state's projections and accounts at the end."""

    def __init__(self, path: Path) -> None:
        self.store = SqlStore(f"sqlite:///{path}")
        self.store.create_all()
        self.replayed = MemoryStore()
        self._memory = MemoryUnitOfWork(self.replayed.state)
        self._previous: journal.Entry | None = None
        self.written = 0

    def write(self, events: Sequence[journal.Entry]) -> None:
        """Chain, replay and write `events` (their actors, times and events, re-chained)."""
        for source in events:
            self._previous = journal.append(self._previous, source.actor, source.at, source.event)
            apply_entry(self._memory, self._previous)
        self.written += len(events)
        flush(self.store, self.replayed)

    def close(self, sealed: SealedPersons | None = None) -> None:
        """Write the projections; `sealed`: the persons' sealed records and identifier
        digests, which no journal holds (they are personal data), as the commands kept them."""
        write_state(self.store, self.replayed, sealed)
        self.store.engine.dispose()
        self.store.reader.dispose()


def flush(store: SqlStore, replayed: MemoryStore) -> None:
    """Write the entries and postings kept since the last flush, and forget them. The rows
    are those of `SqlUnitOfWork.add_entry` and `apply_transaction`, inserted many at once."""
    state = replayed.state
    entries = [
        {
            "seq": e.seq,
            "at": e.at.isoformat(),
            "actor": e.actor,
            "type": type(e.event).__name__,
            "body": ENCODER.encode(e.event),
            "prev_hash": e.prev_hash,
            "hash": e.hash,
        }
        for e in state.entries
    ]
    postings = [
        {"seq": seq, "account": account, "amount": amount, "currency": currency}
        for seq, account, amount, currency in state.postings
    ]
    with store.engine.begin() as conn:
        if entries:
            conn.execute(insert(JOURNAL), entries)
        if postings:
            conn.execute(insert(POSTINGS), postings)
    state.entries.clear()
    state.postings.clear()


class SealedPersons:
    """Persons' sealed records and identifier digests by person, gathered from the stores
    the commands ran on."""

    def __init__(self) -> None:
        self.sealed: dict[str, SealedPerson] = {}
        self.identifiers: dict[str, list[str]] = {}

    def gather(self, state: MemoryState) -> None:
        self.sealed.update(state.sealed)
        for digest, person_id in state.identifiers.items():
            self.identifiers.setdefault(person_id, []).append(digest)


def write_state(
    store: SqlStore, replayed: MemoryStore, sealed: SealedPersons | None = None
) -> None:
    """Projections (through the SQL unit of work's `put_*`) and accounts with their
    balances (rows as `SqlUnitOfWork.apply_transaction` opens them), as replay left them;
    with `sealed`, the persons' records too."""
    state = replayed.state
    with store.unit_of_work() as sql:
        for person in state.persons.values():
            sql.put_person(person)
        if sealed is not None:
            for person_id, record in sealed.sealed.items():
                sql.put_sealed_person(person_id, record)
            for person_id, digests in sealed.identifiers.items():
                sql.put_identifiers(person_id, digests)
        for programme in state.programmes.values():
            sql.put_programme(programme)
        for policy in state.policies.values():
            sql.put_policy(policy)
        for rate in state.fx_rates:
            sql.put_fx_rate(rate)
        for case in state.cases.values():
            sql.put_case(case)
        for grant in state.grants.values():
            sql.put_grant(grant)
        for package in state.packages.values():
            sql.packages.put(package)
        for disbursement in state.disbursements.values():
            sql.disbursements.put(disbursement)
        sql.commit()
    accounts = [
        {
            "code": a.code,
            "currency": a.currency,
            "label": a.label,
            "floor": a.floor,
            "used": ",".join(a.used),
            "balance": state.balances[a.code],
        }
        for a in state.accounts.values()
    ]
    with store.engine.begin() as conn:
        conn.execute(insert(ACCOUNTS), accounts)

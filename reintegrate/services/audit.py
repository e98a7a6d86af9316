"""What an auditor runs: verify the hash chain, replay the journal, compare, check the ledger.

One pass over the journal as stored, inside one consistent read of the store (no write
lock): each entry's seq, link and hash are checked over the bytes kept, then the entry is
decoded and replayed into memory. On a large journal, replay keeps this process busy while
the links are checked by a second one, handed the same rows (`audit_chain`), and the store
may compare the stored balances with their postings beside it too
(`StoredView.read_ahead`). The stored state is then read one kind of record at a time, each
stored record compared with the replayed one and taking its place
(`audit_compare.adopt_stored`), and the ledger and persons are checked on what the store
holds. The report names where each check first fails: the first broken link with what was
expected and what was found, the seq at which replay stopped, and the records that differ,
the one whose last event came earliest first. That last event is found by a second replay,
only when records differ, which notes the writes of those records alone (`_last_writers`):
noting every write on the first replay held a seq for every record.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

import msgspec

from reintegrate import events as ev
from reintegrate import journal, ledger
from reintegrate.errors import DomainError
from reintegrate.notes import Note, notes_in
from reintegrate.people.audit import person_problems
from reintegrate.people.keys import Keyring, NoKeyring
from reintegrate.services.audit_chain import Chain, chain_check
from reintegrate.services.audit_compare import (
    RecordDifference,
    adopt_stored,
    differences,
    ordered,
    traced_by,
)
from reintegrate.services.notes import note_problem
from reintegrate.services.recording import apply_entry
from reintegrate.store.base import Snapshot, Store, StoredView
from reintegrate.store.replay import ReplayStore
from reintegrate.texts import Text

PROGRESS_EVERY = 1000
"""Entries between two calls of the progress callback."""
APART_FROM = 50_000
"""Journals of this many entries or more have their chain followed, and the postings' sums
read, by other processes while this one replays; starting those costs more than that work
on a shorter journal."""
MAX_DIFFERENCES = 100
"""Differing records listed in a report; `differences_total` counts them all."""
Progress = Callable[[int, int], None]
"""Called with (entries done, last seq of the journal)."""


class ReplayStop(msgspec.Struct, frozen=True, kw_only=True):
    seq: int
    """The entry that could not be replayed; nothing from it on was replayed."""
    problem: Text


class AuditReport(msgspec.Struct, frozen=True, kw_only=True):
    entries: int
    chain_break: journal.ChainBreak | None
    """The first entry whose seq, link or hash does not hold (the chain is not followed past
    it); None when the chain is intact."""
    replay_stopped: ReplayStop | None
    differences: tuple[RecordDifference, ...]
    """Where the stored state differs from the replayed journal, the earliest divergence
    first; at most MAX_DIFFERENCES of them."""
    differences_total: int
    ledger_problems: tuple[Text, ...]
    changed_postings: tuple[ledger.PostingFound, ...] = ()
    """Stored postings whose transaction no longer sums to zero: each names its row, its seq
    and what the transaction sums to (a posting changed in the database)."""
    person_problems: tuple[Text, ...] = ()
    """Stored persons' records that are not what the journal committed to (`people.audit`)."""
    note_problems: tuple[Text, ...] = ()
    """Journaled free text that is missing or does not open, though its owner's texts were
    not erased (`services.notes`)."""

    @property
    def ok(self) -> bool:
        return (
            self.chain_break is None
            and self.replay_stopped is None
            and self.differences_total == 0
            and not self.ledger_problems
            and not self.changed_postings
            and not self.person_problems
            and not self.note_problems
        )


def verify_audit(store: Store, progress: Progress | None = None) -> AuditReport:
    """Recompute the chain, rebuild ledger and projections from the journal, and compare.

    A journal that cannot be read or replayed (tampered with, or written by a defect) is
    reported where it stops, never raised.
    """
    with collector_paused():  # what it built is freed before the collector runs
        report, found, last_seq = _verify(store, progress)
        if found:  # the first replay's state is freed by now
            found = _last_writers(store, found, last_seq)
        return msgspec.structs.replace(report, differences=tuple(found[:MAX_DIFFERENCES]))


def _verify(
    store: Store, progress: Progress | None
) -> tuple[AuditReport, list[RecordDifference], int]:
    """The report, its differences left out; every difference, in the order of its kind
    and key; and the last seq of the journal as read."""
    with store.consistent_read() as view:
        last_seq = view.last_seq()
        apart = last_seq >= APART_FROM
        if apart:
            view.read_ahead()
        with chain_check(apart) as chain:
            walk = _Walk(last_seq, progress, chain)
            walk.run(view.journal_rows())
            chain_break = chain.first_break() or walk.unreadable
        state = walk.replay.finished()
        found = adopt_stored(view.stored_records, state)
        persons = _person_problems(store.keyring, state, view)
        drift = view.drifted_balances()
        drifted = sorted(drift)
        changed = ledger.unbalanced(view.postings_touching(drifted), drifted) if drifted else []
    notes = _note_problems(store, walk.notes, walk.texts_erased)
    report = AuditReport(
        entries=walk.count,
        chain_break=chain_break,
        replay_stopped=walk.stopped,
        differences=(),
        differences_total=len(found),
        ledger_problems=tuple(ledger_problems(state, drift)),
        changed_postings=tuple(changed),
        person_problems=tuple(persons),
        note_problems=tuple(notes),
    )
    return report, found, last_seq


def _last_writers(
    store: Store, found: list[RecordDifference], last_seq: int
) -> list[RecordDifference]:
    """`found`, each with the seq of the last entry that wrote its record on replay, the
    earliest first: the journal replayed again up to `last_seq`, where the audit read it,
    noting the writes of these records only."""
    with store.consistent_read() as view, chain_check(apart=False) as chain:
        walk = _Walk(last_seq, None, chain, ReplayStore(traced_by(found)))
        walk.run(view.journal_rows(1, last_seq))
        written_by = walk.replay.written_by
    return ordered(msgspec.structs.replace(d, last_seq=written_by(d.record, d.key)) for d in found)


def _person_problems(keyring: Keyring, stored: Snapshot, view: StoredView) -> list[Text]:
    if isinstance(keyring, NoKeyring):
        if count := sum(1 for _ in view.stored_persons()):
            unchecked = Text(
                "{count} persons' records not checked: no master key is configured "
                "(set REINTEGRATE_MASTER_KEY_FILE and REINTEGRATE_DIGEST_KEY_FILE)",
                count=count,
            )
            return [unchecked]
        return []
    problems: list[Text] = []
    for person in view.stored_persons():  # one at a time: sealed records are large
        problems += person_problems(keyring, stored.persons.get(person.person_id), person)
    return problems


def _note_problems(store: Store, notes: set[Note], erased: set[str]) -> list[Text]:
    kept = [n for n in notes if n.owner not in erased]
    if kept and isinstance(store.keyring, NoKeyring):
        unchecked = Text(
            "{count} notes of free text not checked: no master key is configured",
            count=len(kept),
        )
        return [unchecked]
    with store.reading() as uow:
        sealed = uow.sealed_notes(kept)
    found = (note_problem(store.keyring, n, sealed.get(n)) for n in sorted(kept))
    return [problem for problem in found if problem is not None]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off during a verification, then on again if it was. Replay
    builds millions of objects that live until the end and form no cycles; the collector's
    repeated passes over them cost a tenth of a million-entry verification, and a pass just
    after, while they are still alive, several seconds more. Reference counting frees
    everything meanwhile, and frees them all when the verification returns."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


class _Walk:
    """One pass over the stored journal: each entry handed to the chain check, and replayed."""

    def __init__(
        self,
        last_seq: int,
        progress: Progress | None,
        chain: Chain,
        replay: ReplayStore | None = None,
    ) -> None:
        self.last_seq, self.progress, self.chain = last_seq, progress, chain
        self.replay = replay or ReplayStore()
        self.count, self.last_read = 0, 0
        self.unreadable: journal.ChainBreak | None = None
        """Where the journal could not be read on, if it could not: the chain breaks there
        unless it broke before."""
        self.stopped: ReplayStop | None = None
        self.notes: set[Note] = set()
        """The notes of free text that the journal's events keep."""
        self.texts_erased: set[str] = set()
        """The owners whose free text the journal says was erased."""

    def run(self, batches: Iterator[list[journal.StoredRow]]) -> None:
        while (rows := self._next(batches)) is not None and self._entries(rows):
            pass
        if self.progress is not None:
            self.progress(self.count, self.last_seq)

    def _entries(self, rows: list[journal.StoredRow]) -> bool:
        """Check and replay the entry of each row; False where a row cannot be read."""
        self.chain.rows(rows)
        for row in rows:
            try:
                entry = journal.stored_of_row(row)
            except Exception as exc:
                self._unreadable(exc)
                return False
            self.count, self.last_read = self.count + 1, entry.seq
            self.chain.entry(entry)
            if self.stopped is None:
                self._replay(entry)
            if self.progress is not None and self.count % PROGRESS_EVERY == 0:
                self.progress(self.count, self.last_seq)
        return True

    def _next(self, batches: Iterator[list[journal.StoredRow]]) -> list[journal.StoredRow] | None:
        """The next batch of rows; None at the end, or where the journal cannot be read."""
        try:
            return next(batches)
        except StopIteration:
            return None
        except Exception as exc:
            self._unreadable(exc)
            return None

    def _replay(self, entry: journal.StoredEntry) -> None:
        try:
            decoded = journal.decoded(entry)
        except msgspec.MsgspecError as exc:
            unread = Text("the event cannot be read: {error}", error=str(exc))
            self.stopped = ReplayStop(seq=entry.seq, problem=unread)
            return
        decoded = self.replay.entered(decoded)
        self.notes.update(notes_in(decoded.event))
        if type(decoded.event) is ev.TextsErased:
            self.texts_erased.update(decoded.event.owners)
        try:
            apply_entry(self.replay.uow, decoded)
        except Exception as exc:
            detail = (
                exc.text
                if isinstance(exc, DomainError)
                else Text("the event cannot be applied ({error})", error=type(exc).__name__)
            )
            self.stopped = ReplayStop(seq=entry.seq, problem=detail)

    def _unreadable(self, exc: Exception) -> None:
        after = self.last_read
        self.unreadable = journal.ChainBreak(
            seq=after + 1,
            field="entry",
            expected="an entry that can be read",
            found=f"{type(exc).__name__}: {exc}",
        )
        if self.stopped is None:
            problem = journal.unreadable(after, type(exc).__name__)
            self.stopped = ReplayStop(seq=after + 1, problem=problem)


def compare(stored: Snapshot, replayed: Snapshot) -> list[str]:
    """Each record where the stored state and the replay differ, described in English."""
    return [str(d.describe()) for d in differences(stored, replayed)]


def ledger_problems(stored: Snapshot, drift: Mapping[str, tuple[int, int]]) -> list[Text]:
    """Balances off their postings (`drift`: code to balance and sum of postings), below
    their floor, or not summing to zero per currency."""
    return [
        *(
            Text(
                "{code}: balance {balance} but postings sum to {sum}",
                code=code,
                balance=drift[code][0],
                sum=drift[code][1],
            )
            for code in sorted(drift)
        ),
        *ledger.validate_floors(stored.balances, stored.accounts),
        *ledger.validate_zero_sum(stored.balances, stored.accounts),
    ]

"""What an auditor runs: verify the hash chain, replay the journal, compare, check the ledger.

One pass over the journal as stored, inside one consistent read of the store (no write
lock): each entry's seq, link and hash are checked over the bytes kept, then the entry is
decoded and replayed into memory. The report names where each check first fails: the first
broken link with what was expected and what was found, the seq at which replay stopped, and
the records that differ, the one whose last event came earliest first.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import msgspec

from reintegrate import journal, ledger
from reintegrate.errors import DomainError
from reintegrate.services.audit_compare import RecordDifference, differences
from reintegrate.services.recording import apply_entry
from reintegrate.store.base import Snapshot, Store
from reintegrate.store.replay import ReplayStore

PROGRESS_EVERY = 1000
"""Entries between two calls of the progress callback."""
MAX_DIFFERENCES = 100
"""Differing records listed in a report; `differences_total` counts them all."""
Progress = Callable[[int, int], None]
"""Called with (entries done, last seq of the journal)."""


class ReplayStop(msgspec.Struct, frozen=True, kw_only=True):
    seq: int
    """The entry that could not be replayed; nothing from it on was replayed."""
    problem: str


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
    ledger_problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return (
            self.chain_break is None
            and self.replay_stopped is None
            and self.differences_total == 0
            and not self.ledger_problems
        )


def verify_audit(store: Store, progress: Progress | None = None) -> AuditReport:
    """Recompute the chain, rebuild ledger and projections from the journal, and compare.

    A journal that cannot be read or replayed (tampered with, or written by a defect) is
    reported where it stops, never raised.
    """
    with collector_paused():
        return _verify(store, progress)  # what it built is freed before the collector runs


def _verify(store: Store, progress: Progress | None) -> AuditReport:
    with store.consistent_read() as view:
        walk = _Walk(view.last_seq(), progress)
        walk.run(view.stored_entries())
        replayed = walk.replay.snapshot()
        stored = view.snapshot_like(replayed)
    found = differences(stored, replayed, walk.replay.written_by)
    return AuditReport(
        entries=walk.count,
        chain_break=walk.chain_break,
        replay_stopped=walk.stopped,
        differences=tuple(found[:MAX_DIFFERENCES]),
        differences_total=len(found),
        ledger_problems=tuple(ledger_problems(stored)),
    )


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
    """One pass over the stored journal: each link checked, each entry replayed."""

    def __init__(self, last_seq: int, progress: Progress | None) -> None:
        self.last_seq, self.progress = last_seq, progress
        self.replay = ReplayStore()
        self.count, self.last_read = 0, 0
        self.chain_break: journal.ChainBreak | None = None
        self.stopped: ReplayStop | None = None
        self._next_seq, self._prev_hash = 1, journal.GENESIS

    def run(self, entries: Iterator[journal.StoredEntry]) -> None:
        while (entry := self._next(entries)) is not None:
            self.count, self.last_read = self.count + 1, entry.seq
            if self.chain_break is None:
                self._link(entry)
            if self.stopped is None:
                self._replay(entry)
            if self.progress is not None and self.count % PROGRESS_EVERY == 0:
                self.progress(self.count, self.last_seq)
        if self.progress is not None:
            self.progress(self.count, self.last_seq)

    def _next(self, entries: Iterator[journal.StoredEntry]) -> journal.StoredEntry | None:
        """The next entry; None at the end, or where a row cannot be made an entry."""
        try:
            return next(entries)
        except StopIteration:
            return None
        except Exception as exc:
            self._unreadable(exc)
            return None

    def _link(self, entry: journal.StoredEntry) -> None:
        self.chain_break = journal.check_link(
            entry.seq,
            entry.prev_hash,
            entry.hash,
            recomputed=journal.stored_hash(entry),
            expected_seq=self._next_seq,
            expected_prev=self._prev_hash,
        )
        self._next_seq, self._prev_hash = entry.seq + 1, entry.hash

    def _replay(self, entry: journal.StoredEntry) -> None:
        try:
            decoded = journal.decoded(entry)
        except msgspec.MsgspecError as exc:
            self.stopped = ReplayStop(seq=entry.seq, problem=f"the event cannot be read: {exc}")
            return
        self.replay.clock.seq = entry.seq
        try:
            apply_entry(self.replay.uow, decoded)
        except Exception as exc:
            detail = exc.message if isinstance(exc, DomainError) else f"{type(exc).__name__}"
            self.stopped = ReplayStop(seq=entry.seq, problem=detail)

    def _unreadable(self, exc: Exception) -> None:
        after = self.last_read
        problem = f"the journal entry after seq {after} cannot be read ({type(exc).__name__})"
        if self.chain_break is None:
            self.chain_break = journal.ChainBreak(
                seq=after + 1,
                field="entry",
                expected="an entry that can be read",
                found=f"{type(exc).__name__}: {exc}",
                problem=problem,
            )
        if self.stopped is None:
            self.stopped = ReplayStop(seq=after + 1, problem=problem)


def compare(stored: Snapshot, replayed: Snapshot) -> list[str]:
    """Each record where the stored state and the replay differ, described."""
    return [d.describe() for d in differences(stored, replayed)]


def ledger_problems(snapshot: Snapshot) -> list[str]:
    """Balances off their postings, below their floor, or not summing to zero per currency."""
    sums = snapshot.posting_sums
    off = [code for code, balance in snapshot.balances.items() if balance != sums.get(code, 0)]
    drift = [
        f"{code}: balance {snapshot.balances[code]} but postings sum to {sums.get(code, 0)}"
        for code in sorted(off)
    ]
    return [
        *drift,
        *ledger.validate_floors(snapshot.balances, snapshot.accounts),
        *ledger.validate_zero_sum(snapshot.balances, snapshot.accounts),
    ]

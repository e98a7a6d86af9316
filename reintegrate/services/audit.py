"""What an auditor runs: verify the hash chain, replay the journal, compare, check the ledger."""

from __future__ import annotations

from collections.abc import Callable

import msgspec

from reintegrate import journal, ledger
from reintegrate.errors import DomainError
from reintegrate.services.recording import apply_entry
from reintegrate.store.base import Snapshot, Store
from reintegrate.store.memory import MemoryStore


class AuditReport(msgspec.Struct, frozen=True, kw_only=True):
    entries: int
    chain_break: journal.ChainBreak | None
    differences: tuple[str, ...]
    """Where the stored state differs from the replayed journal, first ones first."""
    ledger_problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.chain_break is None and not self.differences and not self.ledger_problems


def verify_audit(store: Store, progress: Callable[[int], None] | None = None) -> AuditReport:
    """Recompute the chain, rebuild ledger and projections from the journal, and compare.

    A journal that cannot be read or replayed (tampered with, or written by a defect) is
    reported where it stops, never raised.
    """
    replayed = MemoryStore()
    entries, unreadable = _read(store)
    stopped = [unreadable] if unreadable else []
    with replayed.unit_of_work() as uow:
        for entry in entries:
            try:
                apply_entry(uow, entry)
            except Exception as exc:
                detail = exc.message if isinstance(exc, DomainError) else type(exc).__name__
                stopped.append(f"replay stopped at seq {entry.seq}: {detail}")
                break
            if progress is not None:
                progress(entry.seq)
        uow.commit()
    stored = store.snapshot()
    return AuditReport(
        entries=len(entries),
        chain_break=journal.verify(entries),
        differences=(*stopped, *compare(stored, replayed.snapshot())),
        ledger_problems=tuple(ledger_problems(stored)),
    )


def _read(store: Store) -> tuple[list[journal.Entry], str | None]:
    """Every entry that can be read, and where reading stopped if it did."""
    entries: list[journal.Entry] = []
    iterator = store.entries()
    while True:
        try:
            entries.append(next(iterator))
        except StopIteration:
            return entries, None
        except Exception as exc:
            last = entries[-1].seq if entries else 0
            return (
                entries,
                f"the journal entry after seq {last} cannot be read ({type(exc).__name__})",
            )


def compare(stored: Snapshot, replayed: Snapshot) -> list[str]:
    """Each place where the stored state and the replay differ."""
    differences: list[str] = []
    for field in Snapshot.__struct_fields__:
        if field == "posting_sums":
            continue
        mine, theirs = getattr(stored, field), getattr(replayed, field)
        if mine == theirs:
            continue
        if isinstance(mine, dict) and isinstance(theirs, dict):
            for key in sorted(set(mine) | set(theirs)):
                if mine.get(key) != theirs.get(key):
                    differences.append(
                        f"{field}[{key}]: stored {mine.get(key)!r}, replayed {theirs.get(key)!r}"
                    )
        else:
            differences.append(f"{field}: stored and replayed differ")
    return differences


def ledger_problems(snapshot: Snapshot) -> list[str]:
    """Balances off their postings, below their floor, or not summing to zero per currency."""
    drift = [
        f"{code}: balance {balance} but postings sum to {snapshot.posting_sums.get(code, 0)}"
        for code, balance in sorted(snapshot.balances.items())
        if balance != snapshot.posting_sums.get(code, 0)
    ]
    return [
        *drift,
        *ledger.validate_floors(snapshot.balances, snapshot.accounts),
        *ledger.validate_zero_sum(snapshot.balances, snapshot.accounts),
    ]

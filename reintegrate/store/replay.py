"""A memory store for replaying a journal once, start to end, in one unit of work.

Unlike `MemoryStore`, nothing is copied per unit of work, only the last journal entry is kept
(not every entry) and postings are summed per account as they come (not kept one by one),
so a journal of a million entries replays in the memory its final state needs. It also
notes, for every record it writes, the seq of the entry being replayed, so that a record
found different afterwards can be traced to the last event that wrote it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import msgspec

from reintegrate.journal import Entry
from reintegrate.ledger import Account, Posting, Transaction
from reintegrate.store.base import Snapshot
from reintegrate.store.memory import MemoryStore, MemoryUnitOfWork, MemoryView

LEDGER = ("accounts", "balances")
"""Collections written by `apply_transaction`, which notes its writes itself."""


class Clock:
    """The seq of the entry being replayed."""

    __slots__ = ("seq",)

    def __init__(self) -> None:
        self.seq = 0


class _NotedDict(dict[str, Any]):
    """A dict that notes, for each key set, the seq being replayed."""

    __slots__ = ("clock", "written")

    def __init__(self, clock: Clock) -> None:
        super().__init__()
        self.clock = clock
        self.written: dict[str, int] = {}

    def __setitem__(self, key: str, value: Any) -> None:
        self.written[key] = self.clock.seq
        dict.__setitem__(self, key, value)  # not super(): this runs for every record replayed


class _NotedList(list[Any]):
    """A list that notes, for each position appended, the seq being replayed."""

    def __init__(self, clock: Clock) -> None:
        super().__init__()
        self.clock = clock
        self.written: dict[str, int] = {}

    def append(self, value: Any) -> None:
        self.written[str(len(self))] = self.clock.seq
        super().append(value)


class ReplayUnitOfWork(MemoryUnitOfWork):
    """`MemoryUnitOfWork` over the replay's state, writing the ledger as it does but summing
    postings instead of keeping them, and keeping only the last entry."""

    def __init__(self, replay: ReplayStore) -> None:
        super().__init__(replay.memory.state)  # no reference back to `replay`: see there
        self._last: Entry | None = None
        self._sums = replay.posting_sums
        self._noted_accounts, self._noted_balances = (replay.noted[name] for name in LEDGER)

    def accounts(self, codes: Iterable[str]) -> dict[str, Account]:
        known = self.state.accounts
        return {c: account for c in codes if (account := known.get(c)) is not None}

    def balances(self, codes: Iterable[str]) -> dict[str, int]:
        known = self.state.balances
        return {c: known.get(c, 0) for c in codes}

    def apply_transaction(self, seq: int, tx: Transaction, new_balances: dict[str, int]) -> None:
        balances = self.state.balances
        if tx.opens:
            self._open(seq, tx.opens)
        balances.update(new_balances)
        self._noted_balances.update(dict.fromkeys(new_balances, seq))
        sums = self._sums
        for posting in tx.postings:
            sums[posting.account] = sums.get(posting.account, 0) + posting.amount

    def apply_balances(self, tx: Transaction, new_balances: dict[str, int]) -> None:
        raise TypeError("a replay applies whole entries (apply_transaction), never new commands")

    def append_entries(self, entries: Sequence[tuple[Entry, Sequence[Posting]]]) -> None:
        raise TypeError("a replay applies whole entries (apply_transaction), never new commands")

    def _open(self, seq: int, opens: tuple[Account, ...]) -> None:
        accounts, balances = self.state.accounts, self.state.balances
        for account in opens:
            if account.code not in accounts:
                accounts[account.code] = account
                balances[account.code] = 0
                self._noted_accounts[account.code] = self._noted_balances[account.code] = seq

    def last_entry(self) -> Entry | None:
        return self._last

    def add_entry(self, entry: Entry) -> None:
        self._last = entry


class ReplayStore:
    """Replay into `uow`, setting `clock.seq` to each entry's seq first; then read
    `snapshot()` and `written_by()`.

    Nothing here refers back to the store (no reference cycle), so that what a replay built
    is freed by reference counting as soon as it is dropped: left to the cycle collector,
    a million entries' state cost a pass of seconds over it when the audit ended."""

    def __init__(self) -> None:
        self.memory = MemoryStore()
        self.clock = Clock()
        self.noted: dict[str, dict[str, int]] = {name: {} for name in LEDGER}
        state = self.memory.state
        for name in Snapshot.__struct_fields__:
            current = getattr(state, name, None)
            tracked: _NotedDict | _NotedList
            if name in LEDGER:
                continue
            if isinstance(current, dict):
                tracked = _NotedDict(self.clock)
            elif isinstance(current, list):
                tracked = _NotedList(self.clock)
            else:
                continue
            setattr(state, name, tracked)
            self.noted[name] = tracked.written
        self.posting_sums: dict[str, int] = {}
        self.uow = ReplayUnitOfWork(self)

    def snapshot(self) -> Snapshot:
        replayed = MemoryView(self.memory.state).snapshot()
        return msgspec.structs.replace(replayed, posting_sums=dict(self.posting_sums))

    def written_by(self, collection: str, key: str) -> int | None:
        """The seq of the last replayed entry that wrote `collection[key]` (None: none did)."""
        return self.noted.get(collection, {}).get(key)

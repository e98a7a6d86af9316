"""A memory store for replaying a journal once, start to end, in one unit of work.

Unlike `MemoryStore`, nothing is copied per unit of work, only the last journal entry is kept
(not every entry) and postings are not kept at all (the balances they move are; the store's
postings are checked against its balances), so a journal of a million entries replays in
the memory its final state needs. It also notes, for every record it writes, the seq of the
entry being replayed, so that a record found different afterwards can be traced to the last
event that wrote it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import msgspec

from reintegrate.journal import Entry
from reintegrate.ledger import Account, Posting, Transaction
from reintegrate.store.base import Snapshot
from reintegrate.store.memory import MemoryStore, MemoryUnitOfWork

LEDGER = ("accounts", "balances")
"""Collections written by `apply_transaction`, which notes its writes itself."""
REPLAYED = tuple(name for name in Snapshot.__struct_fields__ if name != "posting_sums")
"""The collections a replay rebuilds."""


class Clock:
    """The seq of the entry being replayed; 0 when none is (a write then is noted by none)."""

    __slots__ = ("seq",)

    def __init__(self) -> None:
        self.seq = 0


class Texts:
    """One object for each text the replayed records hold, kept while the replay runs.

    Every event decoded brings its own copy of each text (an office, a programme, a
    currency, who acted...), which the record it writes keeps: a disbursement held ten
    copies of texts shared by thousands, half of a replayed state's memory."""

    __slots__ = ("kept",)

    def __init__(self) -> None:
        self.kept: dict[str, str] = {}

    def shared(self, key: str, record: Any) -> Any:
        """`record` (stored under `key`) with each text of its own fields the one kept.
        Only a new record's: a record written again is its previous one with some fields
        changed (`msgspec.structs.replace`), mostly to the acting user's id, which the entry
        brought shared (`ReplayStore.entered`); going over every field of every write cost a
        fifth of the replay."""
        if not isinstance(record, msgspec.Struct):
            return record
        kept, changes, fields = self.kept, {}, record.__struct_fields__
        for name, value in zip(fields, msgspec.structs.astuple(record), strict=True):
            if type(value) is str and value is not key:  # its key is its own text
                found = kept.setdefault(value, value)
                if found is not value:
                    changes[name] = found
        return msgspec.structs.replace(record, **changes) if changes else record


class _NotedDict(dict[str, Any]):
    """A dict that notes, for each key set, the seq being replayed, and keeps its records'
    texts shared."""

    __slots__ = ("clock", "texts", "written")

    def __init__(self, clock: Clock, texts: Texts) -> None:
        super().__init__()
        self.clock, self.texts = clock, texts
        self.written: dict[str, int] = {}

    def __setitem__(self, key: str, value: Any) -> None:
        if seq := self.clock.seq:
            self.written[key] = seq
            if key not in self:
                value = self.texts.shared(key, value)
        dict.__setitem__(self, key, value)  # not super(): this runs for every record replayed


class _NotedList(list[Any]):
    """A list that notes, for each position appended, the seq being replayed."""

    def __init__(self, clock: Clock) -> None:
        super().__init__()
        self.clock = clock
        self.written: dict[str, int] = {}

    def append(self, value: Any) -> None:
        if seq := self.clock.seq:
            self.written[str(len(self))] = seq
        super().append(value)


class ReplayUnitOfWork(MemoryUnitOfWork):
    """`MemoryUnitOfWork` over the replay's state, writing the ledger's accounts and balances
    as it does but not its postings, and keeping only the last entry."""

    def __init__(self, replay: ReplayStore) -> None:
        super().__init__(replay.memory.state)  # no reference back to `replay`: see there
        self._last: Entry | None = None
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

    def apply_balances(self, tx: Transaction, new_balances: dict[str, int]) -> None:
        raise TypeError("a replay applies whole entries (apply_transaction), never new commands")

    def append_entries(
        self,
        entries: Sequence[tuple[Entry, Sequence[Posting]]],
        offices: Sequence[str | None] = (),
    ) -> None:
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
    """Replay each entry `entered()` into `uow`; then take the state `finished()` and read
    `written_by()`.

    Nothing here refers back to the store (no reference cycle), so that what a replay built
    is freed by reference counting as soon as it is dropped: left to the cycle collector,
    a million entries' state cost a pass of seconds over it when the audit ended."""

    def __init__(self) -> None:
        self.memory = MemoryStore()
        self.clock = Clock()
        self.texts = Texts()
        self.noted: dict[str, dict[str, int]] = {name: {} for name in LEDGER}
        state = self.memory.state
        for name in REPLAYED:
            current = getattr(state, name)
            tracked: _NotedDict | _NotedList
            if name in LEDGER:
                continue
            if isinstance(current, dict):
                tracked = _NotedDict(self.clock, self.texts)
            elif isinstance(current, list):
                tracked = _NotedList(self.clock)
            else:
                continue
            setattr(state, name, tracked)
            self.noted[name] = tracked.written
        self.uow = ReplayUnitOfWork(self)

    def entered(self, entry: Entry) -> Entry:
        """`entry`, about to be replayed: the clock set to its seq, its actor's id the text
        kept (every row read brings its own copy, which the records it writes keep)."""
        self.clock.seq = entry.seq
        actor = self.texts.kept.setdefault(entry.actor, entry.actor)
        return msgspec.structs.replace(entry, actor=actor)

    def finished(self) -> Snapshot:
        """The replayed state: its own collections, not copied (copies of the largest would
        add tens of megabytes at a million records, at the audit's peak), written after this
        by no entry; its posting sums empty, as no posting was kept."""
        self.clock.seq = 0
        self.texts.kept.clear()
        state = self.memory.state
        kept = {name: getattr(state, name) for name in REPLAYED}
        return Snapshot(**kept, posting_sums={})

    def written_by(self, collection: str, key: str) -> int | None:
        """The seq of the last replayed entry that wrote `collection[key]` (None: none did)."""
        return self.noted.get(collection, {}).get(key)

    def forget_writes(self) -> None:
        """Free the seqs noted (`written_by` answers None after this): a dict as large as
        each collection, no longer needed once the differences are found."""
        for written in self.noted.values():
            written.clear()

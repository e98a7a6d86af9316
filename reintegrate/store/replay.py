"""A memory store for replaying a journal once, start to end, in one unit of work.

Unlike `MemoryStore`, nothing is copied per unit of work, only the last journal entry is kept
(not every entry) and postings are not kept at all (the balances they move are; the store's
postings are checked against its balances), so a journal of a million entries replays in
the memory its final state needs. Asked to, it also notes, for some records, the seq of the
last entry that wrote them: an audit replays again to trace the records it found different
to the last event that wrote each, rather than note every write of the first replay.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
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
    """One object for each text, date and amount the replayed records hold, kept while the
    replay runs.

    Every event decoded brings its own copy of each text (an office, a programme, a
    currency, who acted...), date and amount, which the record it writes keeps: a
    disbursement held ten copies of texts shared by thousands, half of a replayed state's
    memory."""

    __slots__ = ("kept",)

    def __init__(self) -> None:
        self.kept: dict[object, object] = {}

    def shared(self, key: str, record: Any) -> Any:
        """`record` (stored under `key`) with each text, date and amount of its own fields
        the one kept. Only a new record's: a record written again is its previous one with
        some fields changed (`msgspec.structs.replace`), mostly to the acting user's id, which
        the entry brought shared (`ReplayStore.entered`); going over every field of every
        write cost a fifth of the replay."""
        if not isinstance(record, msgspec.Struct):
            return record
        kept, changes, fields = self.kept, {}, record.__struct_fields__
        for name, value in zip(fields, msgspec.structs.astuple(record), strict=True):
            if type(value) in _SHARED and value is not key:  # its key is its own text
                found = kept.setdefault(value, value)
                if found is not value:
                    changes[name] = found
        return msgspec.structs.replace(record, **changes) if changes else record


_SHARED = frozenset({str, int, dt.date})
"""The kinds of value a replay keeps one object of (`bool` is not `int` here)."""


Traced = Mapping[str, Collection[str]]
"""The records whose writes a replay notes: keys by collection."""


class _NotedDict(dict[str, Any]):
    """A dict that notes, for each key set that is `traced`, the seq being replayed, and keeps
    its records' texts shared."""

    __slots__ = ("clock", "texts", "traced", "written")

    def __init__(self, clock: Clock, texts: Texts, traced: Collection[str]) -> None:
        super().__init__()
        self.clock, self.texts, self.traced = clock, texts, traced
        self.written: dict[str, int] = {}

    def __setitem__(self, key: str, value: Any) -> None:
        if seq := self.clock.seq:
            if key in self.traced:
                self.written[key] = seq
            if key not in self:
                value = self.texts.shared(key, value)
        dict.__setitem__(self, key, value)  # not super(): this runs for every record replayed


class _NotedList(list[Any]):
    """A list that notes, for each position appended that is `traced`, the seq being
    replayed."""

    def __init__(self, clock: Clock, traced: Collection[str]) -> None:
        super().__init__()
        self.clock, self.traced = clock, traced
        self.written: dict[str, int] = {}

    def append(self, value: Any) -> None:
        if self.traced and (seq := self.clock.seq) and (at := str(len(self))) in self.traced:
            self.written[at] = seq
        super().append(value)


class ReplayUnitOfWork(MemoryUnitOfWork):
    """`MemoryUnitOfWork` over the replay's state, writing the ledger's accounts and balances
    as it does but not its postings, and keeping only the last entry."""

    def __init__(self, replay: ReplayStore) -> None:
        super().__init__(replay.memory.state)  # no reference back to `replay`: see there
        self._last: Entry | None = None
        self._noted_accounts, self._noted_balances = (replay.noted[name] for name in LEDGER)
        self._traced_accounts, self._traced_balances = (replay.traced(name) for name in LEDGER)

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
        if traced := self._traced_balances:
            noted = self._noted_balances
            noted.update((code, seq) for code in new_balances if code in traced)

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
                if account.code in self._traced_accounts:
                    self._noted_accounts[account.code] = seq
                if account.code in self._traced_balances:
                    self._noted_balances[account.code] = seq

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

    def __init__(self, traced: Traced | None = None) -> None:
        """`traced`: the records whose last writer `written_by` will be asked for; none by
        default, as noting every write of a million entries costs memory and time."""
        self.memory = MemoryStore()
        self.clock = Clock()
        self.texts = Texts()
        self._traced: Traced = traced or {}
        self.noted: dict[str, dict[str, int]] = {name: {} for name in LEDGER}
        state = self.memory.state
        for name in REPLAYED:
            current = getattr(state, name)
            tracked: _NotedDict | _NotedList
            if name in LEDGER:
                continue
            if isinstance(current, dict):
                tracked = _NotedDict(self.clock, self.texts, self.traced(name))
            elif isinstance(current, list):
                tracked = _NotedList(self.clock, self.traced(name))
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

    def traced(self, collection: str) -> Collection[str]:
        """The keys of `collection` whose writes are noted."""
        return self._traced.get(collection, frozenset())

    def written_by(self, collection: str, key: str) -> int | None:
        """The seq of the last replayed entry that wrote `collection[key]`, if it was traced
        (None: no entry did, or it was not traced)."""
        return self.noted.get(collection, {}).get(key)

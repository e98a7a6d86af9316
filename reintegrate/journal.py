"""The append-only, hash-chained journal of domain events.

Each entry is `seq`, `at` (UTC), `actor`, `event`, `prev_hash` and
`hash = sha256(prev_hash + canonical_json({"seq", "at", "actor", "event"}))`, hex-encoded,
with `prev_hash` of the first entry being 64 zeros. Canonical JSON is msgspec's encoding with
keys sorted and no whitespace; events are tagged with their type name under "type".
`docs/journal.md` shows how to check a chain without this library.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from typing import Any

import msgspec

from reintegrate.errors import DomainError
from reintegrate.events import Event, decode_event
from reintegrate.texts import Text

GENESIS = "0" * 64


class ClockWentBack(DomainError):
    """Commands are recorded in time order, so that no date can be back-dated."""

    type = "clock-went-back"


class Entry(msgspec.Struct, frozen=True, kw_only=True):
    seq: int
    at: dt.datetime
    actor: str
    event: Event
    prev_hash: str
    hash: str


class _Body(msgspec.Struct, frozen=True, kw_only=True):
    seq: int
    at: dt.datetime
    actor: str
    event: Event


def canonical_json(value: object) -> bytes:
    return msgspec.json.encode(value, order="sorted")


def body_bytes(seq: int, at: dt.datetime, actor: str, event: Event) -> bytes:
    return canonical_json(_Body(seq=seq, at=at, actor=actor, event=event))


def chain_hash(prev_hash: str, body: bytes) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + body).hexdigest()


WAITED_AT_MOST = dt.timedelta(minutes=2)
"""How long a command may have waited for the journal after it read the clock. Commands are
journaled one at a time, in the order they reach the journal's tail, and each worker reads
the clock before: a command may find the journal's last entry a little later than its own
time, written by another worker's command that reached the tail first.
It is then journaled at that entry's time. A command further behind than this comes from a
clock set back, and is refused: time order is what keeps dates from being back-dated."""


def append(previous: Entry | None, actor: str, at: dt.datetime, event: Event) -> Entry:
    """The entry that follows `previous` (or starts the journal), at `at` or, when `previous`
    is later by no more than `WAITED_AT_MOST`, at `previous`'s time."""
    if at.tzinfo is None or at.utcoffset() != dt.timedelta(0):
        raise ValueError("journal times are UTC")
    if previous is not None and at < previous.at:
        if previous.at - at > WAITED_AT_MOST:
            raise ClockWentBack(
                Text(
                    "a command at {at} would precede the last journal entry ({last}) by more "
                    "than a command waits for the journal ({minutes} minutes): the journal's "
                    "time never goes back",
                    at=at.isoformat(),
                    last=previous.at.isoformat(),
                    minutes=WAITED_AT_MOST // dt.timedelta(minutes=1),
                ),
                field="at",
            )
        at = previous.at
    seq = previous.seq + 1 if previous else 1
    prev_hash = previous.hash if previous else GENESIS
    body = body_bytes(seq, at, actor, event)
    return Entry(
        seq=seq,
        at=at,
        actor=actor,
        event=event,
        prev_hash=prev_hash,
        hash=chain_hash(prev_hash, body),
    )


class StoredEntry(msgspec.Struct, frozen=True, kw_only=True):
    """An entry as the journal keeps it: the event still as its canonical JSON bytes.

    Encoded as JSON, this is one line of an export (`docs/audit-export.md`): the fields in
    this order, `at` as the hash covers it, `event` exactly as stored.
    """

    seq: int
    at: dt.datetime
    actor: str
    event: msgspec.Raw
    prev_hash: str
    hash: str


class _StoredBody(msgspec.Struct, frozen=True, kw_only=True):
    seq: int
    at: dt.datetime
    actor: str
    event: msgspec.Raw


def stored_hash(entry: StoredEntry) -> str:
    """The hash recomputed from the event's bytes as stored, not from a decoded copy: an
    added field or a non-canonical encoding shows as a change."""
    body = canonical_json(
        _StoredBody(seq=entry.seq, at=entry.at, actor=entry.actor, event=entry.event)
    )
    return chain_hash(entry.prev_hash, body)


StoredRow = tuple[int, str, str, bytes, str, str]
"""An entry as a store's row holds it: seq, at (ISO 8601 text), actor, the event's canonical
JSON bytes, prev_hash and hash."""


def stored_of_row(row: Sequence[Any]) -> StoredEntry:
    """The entry a stored row holds (raises ValueError where a field cannot be read)."""
    seq, at, actor, body, prev_hash, hash_ = row
    return StoredEntry(
        seq=seq,
        at=dt.datetime.fromisoformat(at),
        actor=actor,
        event=msgspec.Raw(body),
        prev_hash=prev_hash,
        hash=hash_,
    )


def row_of(entry: Entry) -> StoredRow:
    """The row a store keeps for `entry`; `stored_of_row` reads it back as `stored(entry)`."""
    body = canonical_json(entry.event)
    return (entry.seq, entry.at.isoformat(), entry.actor, body, entry.prev_hash, entry.hash)


def decoded(entry: StoredEntry) -> Entry:
    """The entry with its event decoded (raises msgspec.ValidationError or DecodeError)."""
    return Entry(
        seq=entry.seq,
        at=entry.at,
        actor=entry.actor,
        event=decode_event(entry.event),
        prev_hash=entry.prev_hash,
        hash=entry.hash,
    )


def stored(entry: Entry) -> StoredEntry:
    """The entry as the journal keeps it."""
    return StoredEntry(
        seq=entry.seq,
        at=entry.at,
        actor=entry.actor,
        event=msgspec.Raw(canonical_json(entry.event)),
        prev_hash=entry.prev_hash,
        hash=entry.hash,
    )


class ExportRangeInvalid(DomainError):
    type = "export-range-invalid"


def export_range(first: int | None, last: int | None, journal_end: int) -> tuple[int, int]:
    """The seqs an export covers: from `first` (default 1) to `last` (default the journal's
    last entry), both inside the journal, in that order."""
    if journal_end == 0:
        raise ExportRangeInvalid(Text("the journal is empty: there is nothing to export"))
    start = 1 if first is None else first
    end = journal_end if last is None else last
    if start < 1:
        raise ExportRangeInvalid(
            Text("--from must be 1 or more (got {start})", start=start), field="from"
        )
    if end < 1:
        raise ExportRangeInvalid(Text("--to must be 1 or more (got {end})", end=end), field="to")
    if start > journal_end:
        raise ExportRangeInvalid(
            Text(
                "--from {start} is beyond the end of the journal (its last seq is {last})",
                start=start,
                last=journal_end,
            ),
            field="from",
        )
    if end > journal_end:
        raise ExportRangeInvalid(
            Text(
                "--to {end} is beyond the end of the journal (its last seq is {last})",
                end=end,
                last=journal_end,
            ),
            field="to",
        )
    if start > end:
        raise ExportRangeInvalid(
            Text("--from {start} is after --to {end}", start=start, end=end), field="from"
        )
    return start, end


class ChainBreak(msgspec.Struct, frozen=True, kw_only=True):
    """The first entry whose link does not hold, and what it holds instead of what was due."""

    seq: int
    """The seq of the entry where the chain breaks, as stored."""
    field: str
    """What does not follow: `seq` (a gap or a reordering), `prev_hash` (the link to the
    entry before), `hash` (the entry's own content) or `entry` (a row that cannot be read,
    `found` naming the error first)."""
    expected: str
    found: str

    @property
    def problem(self) -> Text:
        """What does not hold, in words."""
        if self.field == "seq":
            return Text("sequence {seq}, expected {expected}", seq=self.seq, expected=self.expected)
        if self.field == "prev_hash":
            return Text("prev_hash does not match the previous entry")
        if self.field == "hash":
            return Text("hash does not match the entry's content")
        return unreadable(self.seq - 1, self.found.partition(":")[0])


def unreadable(after: int, error: str) -> Text:
    """The journal cannot be read past seq `after`: `error` names why (an exception's name)."""
    return Text(
        "the journal entry after seq {after} cannot be read ({error})", after=after, error=error
    )


def check_link(
    seq: int, prev_hash: str, kept: str, *, recomputed: str, expected_seq: int, expected_prev: str
) -> ChainBreak | None:
    """Whether the entry at `seq`, linked by `prev_hash` and hashed `kept`, follows the entry
    before it: its seq first, then its link, then its own hash (`recomputed`)."""
    if seq != expected_seq:
        return ChainBreak(
            seq=seq,
            field="seq",
            expected=str(expected_seq),
            found=str(seq),
        )
    if prev_hash != expected_prev:
        return ChainBreak(
            seq=seq,
            field="prev_hash",
            expected=expected_prev,
            found=prev_hash,
        )
    if recomputed != kept:
        return ChainBreak(
            seq=seq,
            field="hash",
            expected=recomputed,
            found=kept,
        )
    return None


def verify(
    entries: Iterable[Entry], start_hash: str = GENESIS, start_seq: int = 1
) -> ChainBreak | None:
    """The first place where the chain does not hold, or None when every link verifies."""
    expected_prev, expected_seq = start_hash, start_seq
    for entry in entries:
        recomputed = chain_hash(
            entry.prev_hash, body_bytes(entry.seq, entry.at, entry.actor, entry.event)
        )
        found = check_link(
            entry.seq,
            entry.prev_hash,
            entry.hash,
            recomputed=recomputed,
            expected_seq=expected_seq,
            expected_prev=expected_prev,
        )
        if found is not None:
            return found
        expected_prev, expected_seq = entry.hash, entry.seq + 1
    return None

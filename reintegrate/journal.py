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
from collections.abc import Iterable

import msgspec

from reintegrate.errors import DomainError
from reintegrate.events import Event

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


def append(previous: Entry | None, actor: str, at: dt.datetime, event: Event) -> Entry:
    """The entry that follows `previous` (or starts the journal)."""
    if at.tzinfo is None or at.utcoffset() != dt.timedelta(0):
        raise ValueError("journal times are UTC")
    if previous is not None and at < previous.at:
        raise ClockWentBack(
            f"a command at {at.isoformat()} would precede the last journal entry "
            f"({previous.at.isoformat()}): the journal's time never goes back",
            field="at",
        )
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


class ChainBreak(msgspec.Struct, frozen=True, kw_only=True):
    seq: int
    problem: str


def verify(
    entries: Iterable[Entry], start_hash: str = GENESIS, start_seq: int = 1
) -> ChainBreak | None:
    """The first place where the chain does not hold, or None when every link verifies."""
    expected_prev, expected_seq = start_hash, start_seq
    for entry in entries:
        if entry.seq != expected_seq:
            return ChainBreak(
                seq=entry.seq, problem=f"sequence {entry.seq}, expected {expected_seq}"
            )
        if entry.prev_hash != expected_prev:
            return ChainBreak(seq=entry.seq, problem="prev_hash does not match the previous entry")
        recomputed = chain_hash(
            entry.prev_hash, body_bytes(entry.seq, entry.at, entry.actor, entry.event)
        )
        if recomputed != entry.hash:
            return ChainBreak(seq=entry.seq, problem="hash does not match the entry's content")
        expected_prev, expected_seq = entry.hash, entry.seq + 1
    return None

"""Idempotency keys with Stripe's semantics, as pure decisions.

The same key with the same request gives back the stored response; the same key with another
request is an error (422); a key whose first request is still running is a conflict (409).
Keys belong to one caller and are kept for `KEEP_FOR`.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import re

import msgspec

from reintegrate.errors import DomainError, ValidationFailed
from reintegrate.texts import Text

KEEP_FOR = dt.timedelta(hours=24)
ABANDONED_AFTER = dt.timedelta(seconds=30)
"""How long a request may hold its key without an answer before a retry may take it over,
when nothing tells whether its process still runs: a command takes milliseconds, and a
request whose process died (`kill -9`, a power loss) never answers."""
_KEY = re.compile(r"^[\x21-\x7e]{1,255}\Z")


class Decision(enum.Enum):
    NEW = "new"
    REPLAY = "replay"
    MISMATCH = "mismatch"
    IN_FLIGHT = "in-flight"
    ABANDONED = "abandoned"
    """Its first request died before its command committed: a retry takes the key over and
    runs the command (the first one, were it still alive, could no longer commit)."""
    ANSWER_LOST = "answer-lost"
    """Its command committed, but the request died before its answer was kept: a retry is
    told so, and nothing runs again."""


class Answer(msgspec.Struct, frozen=True, kw_only=True):
    """A response as kept for replay: its status, body and the headers replayed with it."""

    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...]


class Stored(msgspec.Struct, frozen=True, kw_only=True):
    request_hash: str
    status: int | None
    """None while the first request is still running."""
    body: bytes | None
    headers: tuple[tuple[str, str], ...]
    """The response headers to replay (content-type, ETag...)."""
    created_at: dt.datetime
    """When the key was claimed (by its first request, or by the retry that took it over)."""
    claim_id: str | None = None
    """Which request holds the key: only that one may commit its command under it."""
    owner: str | None = None
    """The process that holds the key (`api.owners`), to tell at once when it is gone."""
    committed_seq: int | None = None
    """The journal's last seq when the holder's command committed; None until then."""


class IdempotencyKeyReused(DomainError):
    type = "idempotency-key-reused"


class IdempotencyKeyInFlight(DomainError):
    type = "idempotency-key-in-flight"


def check_key(key: str) -> str:
    if not _KEY.match(key):
        raise ValidationFailed(
            Text("Idempotency-Key must be 1-255 visible ASCII characters"), field="Idempotency-Key"
        )
    return key


def fingerprint(method: str, path: str, body: bytes) -> str:
    """What makes two requests the same: method, path and exact body."""
    return hashlib.sha256(f"{method} {path}\n".encode() + body).hexdigest()


def expired(created_at: dt.datetime, now: dt.datetime) -> bool:
    """Whether a key first used at `created_at` is free again at `now`."""
    return now - created_at > KEEP_FOR


def decide(
    stored: Stored | None, request_hash: str, now: dt.datetime, *, owner_gone: bool = False
) -> Decision:
    """What a request with a key gets, given what is stored under it; `owner_gone` when the
    process holding the key is known to have stopped."""
    if stored is None or expired(stored.created_at, now):
        return Decision.NEW
    if stored.request_hash != request_hash:
        return Decision.MISMATCH
    if stored.status is not None:
        return Decision.REPLAY
    if not (owner_gone or now - stored.created_at > ABANDONED_AFTER):
        return Decision.IN_FLIGHT
    return Decision.ABANDONED if stored.committed_seq is None else Decision.ANSWER_LOST


class IdempotencyKeyTakenOver(DomainError):
    """A request whose key a retry took over, after it seemed abandoned, may not commit."""

    type = "idempotency-key-taken-over"

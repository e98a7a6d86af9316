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

KEEP_FOR = dt.timedelta(hours=24)
_KEY = re.compile(r"^[\x21-\x7e]{1,255}\Z")


class Decision(enum.Enum):
    NEW = "new"
    REPLAY = "replay"
    MISMATCH = "mismatch"
    IN_FLIGHT = "in-flight"


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


class IdempotencyKeyReused(DomainError):
    type = "idempotency-key-reused"


class IdempotencyKeyInFlight(DomainError):
    type = "idempotency-key-in-flight"


def check_key(key: str) -> str:
    if not _KEY.match(key):
        raise ValidationFailed(
            "Idempotency-Key must be 1-255 visible ASCII characters", field="Idempotency-Key"
        )
    return key


def fingerprint(method: str, path: str, body: bytes) -> str:
    """What makes two requests the same: method, path and exact body."""
    return hashlib.sha256(f"{method} {path}\n".encode() + body).hexdigest()


def expired(created_at: dt.datetime, now: dt.datetime) -> bool:
    """Whether a key first used at `created_at` is free again at `now`."""
    return now - created_at > KEEP_FOR


def decide(stored: Stored | None, request_hash: str, now: dt.datetime) -> Decision:
    if stored is None or expired(stored.created_at, now):
        return Decision.NEW
    if stored.request_hash != request_hash:
        return Decision.MISMATCH
    if stored.status is None:
        return Decision.IN_FLIGHT
    return Decision.REPLAY

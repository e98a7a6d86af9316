"""Journal checkpoints: the journal's head (seq and hash) at a moment, signed, to be kept
outside the database. A later journal must still hold that entry with that hash: a
truncation, or a rewrite of anything up to it (even with every hash recomputed), shows.

The signed bytes are the canonical JSON of {"at", "hash", "seq"} (keys sorted, no
whitespace); the signature is Ed25519 (`reintegrate.adapters.signing`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import msgspec

from reintegrate.journal import Entry, canonical_json


class Checkpoint(msgspec.Struct, frozen=True, kw_only=True):
    seq: int
    hash: str
    at: dt.datetime


class SignedCheckpoint(msgspec.Struct, frozen=True, kw_only=True):
    seq: int
    hash: str
    at: dt.datetime
    signature: str
    """Ed25519 over `signed_bytes`, base64."""
    public_key: str
    """The signer's public key, base64 (raw 32 bytes): compare it with the one published."""

    def checkpoint(self) -> Checkpoint:
        return Checkpoint(seq=self.seq, hash=self.hash, at=self.at)


def signed_bytes(checkpoint: Checkpoint) -> bytes:
    return canonical_json(checkpoint)


def head(last: Entry | None, at: dt.datetime) -> Checkpoint:
    """The journal's head as a checkpoint (seq 0 and the genesis hash for an empty one)."""
    if last is None:
        return Checkpoint(seq=0, hash="0" * 64, at=at)
    return Checkpoint(seq=last.seq, hash=last.hash, at=at)


def checkpoint_problems(
    signed: SignedCheckpoint,
    trusted_key: str,
    verifies: Callable[[str, bytes, str], bool],
    last_seq: int,
    hash_at: str | None,
) -> list[str]:
    """What a journal (its last seq, and the hash of its entry at the checkpoint's seq) says
    against a checkpoint, trusting only `trusted_key`; `verifies(public_key, data,
    signature)` checks a signature."""
    if signed.public_key != trusted_key:
        return [f"the checkpoint was signed by key {signed.public_key}, not by {trusted_key}"]
    if not verifies(trusted_key, signed_bytes(signed.checkpoint()), signed.signature):
        return ["the checkpoint's signature does not verify: it was changed or forged"]
    if last_seq < signed.seq:
        return [
            f"the journal ends at seq {last_seq}, but on {signed.at.isoformat()} it had reached "
            f"seq {signed.seq}: entries were removed"
        ]
    if signed.seq and hash_at != signed.hash:
        return [
            f"the entry at seq {signed.seq} has hash {hash_at}, not {signed.hash} as on "
            f"{signed.at.isoformat()}: the journal up to it was rewritten"
        ]
    return []

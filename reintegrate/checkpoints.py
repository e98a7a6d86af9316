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
from reintegrate.texts import Text


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
) -> list[Text]:
    """What a journal (its last seq, and the hash of its entry at the checkpoint's seq) says
    against a checkpoint, trusting only `trusted_key`; `verifies(public_key, data,
    signature)` checks a signature."""
    if signed.public_key != trusted_key:
        other = Text(
            "the checkpoint was signed by key {signer}, not by {trusted}",
            signer=signed.public_key,
            trusted=trusted_key,
        )
        return [other]
    if not verifies(trusted_key, signed_bytes(signed.checkpoint()), signed.signature):
        return [Text("the checkpoint's signature does not verify: it was changed or forged")]
    if last_seq < signed.seq:
        removed = Text(
            "the journal ends at seq {last}, but on {at} it had reached seq {seq}: entries were "
            "removed",
            last=last_seq,
            at=signed.at.isoformat(),
            seq=signed.seq,
        )
        return [removed]
    if signed.seq and hash_at is None:
        missing = Text(
            "the journal has no entry at seq {seq}, which had hash {hash} on {at}: the journal "
            "up to it was rewritten",
            seq=signed.seq,
            hash=signed.hash,
            at=signed.at.isoformat(),
        )
        return [missing]
    if signed.seq and hash_at is not None and hash_at != signed.hash:
        rewritten = Text(
            "the entry at seq {seq} has hash {found}, not {hash} as on {at}: the journal up to "
            "it was rewritten",
            seq=signed.seq,
            found=hash_at,
            hash=signed.hash,
            at=signed.at.isoformat(),
        )
        return [rewritten]
    return []

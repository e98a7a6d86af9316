"""Signing the journal's head, and checking a journal against a checkpoint kept elsewhere."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from reintegrate.checkpoints import (
    SignedCheckpoint,
    checkpoint_problems,
    head,
    signed_bytes,
)
from reintegrate.store.checkpoint_records import CheckpointRecords
from reintegrate.store.sql import SqlStore
from reintegrate.texts import Text

Signer = Callable[[bytes], str]
"""Signs bytes, giving the signature in base64."""


def make_checkpoint(
    store: SqlStore, sign: Signer, public_key: str, now: dt.datetime
) -> SignedCheckpoint:
    """Sign the journal's head as it is now, keep a copy in the database, and return it."""
    with store.reading() as uow:
        checkpoint = head(uow.last_entry(), now)
    signed = SignedCheckpoint(
        seq=checkpoint.seq,
        hash=checkpoint.hash,
        at=checkpoint.at,
        signature=sign(signed_bytes(checkpoint)),
        public_key=public_key,
    )
    CheckpointRecords(store.engine).keep(signed)
    return signed


def latest_checkpoint(store: SqlStore) -> SignedCheckpoint | None:
    return CheckpointRecords(store.engine).latest()


def journal_against(
    store: SqlStore,
    signed: SignedCheckpoint,
    trusted_key: str,
    verifies: Callable[[str, bytes, str], bool],
) -> list[Text]:
    """What the stored journal says against a checkpoint signed by `trusted_key`."""
    with store.reading() as uow:
        last = uow.last_entry()
    hash_at = None
    if signed.seq:
        entries = store.entries(after=signed.seq - 1)
        at_seq = next(entries, None)
        entries.close()  # type: ignore[attr-defined]
        hash_at = at_seq.hash if at_seq is not None and at_seq.seq == signed.seq else None
    last_seq = last.seq if last is not None else 0
    return checkpoint_problems(signed, trusted_key, verifies, last_seq, hash_at)

"""Key rotation: every person's data key wrapped anew by the current master key."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from reintegrate.store.sql import SqlStore

BATCH = 500


def rotate_data_keys(store: SqlStore, done: Callable[[int], None] = lambda _: None) -> int:
    """Re-wrap every stored data key under the keyring's current master key, a batch per
    transaction (an interrupted rotation is resumed by running it again: keys wrapped by
    the new master key are simply wrapped again). Returns how many were re-wrapped."""
    count, after = 0, ""
    while True:
        with store.unit_of_work() as uow:
            batch = uow.wrapped_keys(after, BATCH)
            for person_id, wrapped in batch:
                uow.put_wrapped_key(person_id, store.keyring.rewrap(wrapped))
            uow.commit()
        if not batch:
            return count
        count += len(batch)
        after = batch[-1][0]
        done(len(batch))


def stored_wrapped_keys(store: SqlStore) -> Iterator[bytes]:
    """Every stored data key, for the start-up check that the master key file is the right
    one (an unwrap is a few microseconds: a registry of 100,000 people is checked in under a
    second)."""
    after = ""
    while True:
        with store.reading() as uow:
            batch = uow.wrapped_keys(after, BATCH)
        if not batch:
            return
        yield from (wrapped for _, wrapped in batch)
        after = batch[-1][0]

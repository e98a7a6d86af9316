"""Key rotation: every data key (each person's, each notes' owner's, each webhook secret's)
wrapped anew by the current master key."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from reintegrate.store import sql_webhooks
from reintegrate.store.sql import SqlStore
from reintegrate.store.sql_uow import SqlUnitOfWork

BATCH = 500

Page = Callable[[SqlUnitOfWork, str, int], list[tuple[str, bytes]]]
Put = Callable[[SqlUnitOfWork, str, bytes], None]


def _webhook_keys(uow: SqlUnitOfWork, after: str, limit: int) -> list[tuple[str, bytes]]:
    return sql_webhooks.secret_keys(uow.s, after, limit)


def _put_webhook_key(uow: SqlUnitOfWork, subscription_id: str, wrapped: bytes) -> None:
    sql_webhooks.put_secret_key(uow.s, subscription_id, wrapped)


KINDS: tuple[tuple[Page, Put], ...] = (
    (SqlUnitOfWork.wrapped_keys, SqlUnitOfWork.put_wrapped_key),
    (SqlUnitOfWork.note_wrapped_keys, SqlUnitOfWork.put_note_wrapped_key),
    (_webhook_keys, _put_webhook_key),
)
"""Where data keys are kept: persons' keys, the keys of the notes' owners, then the keys of
the webhook subscriptions' signing secrets."""


def rotate_data_keys(store: SqlStore, done: Callable[[int], None] = lambda _: None) -> int:
    """Re-wrap every stored data key under the keyring's current master key, a batch per
    transaction (an interrupted rotation is resumed by running it again: keys wrapped by
    the new master key are simply wrapped again). Webhook signing secrets kept plain, from
    before secrets were sealed, are sealed first. Returns how many were re-wrapped."""
    count = sql_webhooks.seal_plain_secrets(store.engine, store.keyring)
    for page, put in KINDS:
        after = ""
        while True:
            with store.unit_of_work() as uow:
                batch = page(uow, after, BATCH)
                for owner, wrapped in batch:
                    put(uow, owner, store.keyring.rewrap(wrapped))
                uow.commit()
            if not batch:
                break
            count += len(batch)
            after = batch[-1][0]
            done(len(batch))
    return count


def stored_wrapped_keys(store: SqlStore) -> Iterator[bytes]:
    """Every stored data key, for the start-up check that the master key file is the right
    one (`FileKeyring.check` opens one per master key and reads the others' headers): one
    read of each table in no order, where reading them page by page in key order cost a
    second for 220,000 persons at the start of every command."""
    with store.reading() as uow:
        yield from uow.every_wrapped_key()

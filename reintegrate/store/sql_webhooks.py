"""Webhook subscriptions and deliveries in SQL: the outbox written with each journal entry,
and the claims by which deliverers share the due deliveries.

A deliverer claims due rows by a conditional UPDATE that sets its claim and a lease: on
PostgreSQL the rows are picked `FOR UPDATE SKIP LOCKED`, so two deliverers pass each other's
rows by; on SQLite the unit of work holds the write lock (`BEGIN IMMEDIATE`). A claim whose
deliverer died lapses with its lease, and the row is claimed again: delivery is at least
once, and the receiver drops repeats by `webhook-id`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec
from sqlalchemy import (
    BigInteger,
    Connection,
    Engine,
    Table,
    and_,
    bindparam,
    delete,
    literal,
    or_,
    select,
)
from sqlalchemy import String as SqlString

from reintegrate.access import Scope
from reintegrate.people.keys import Keyring
from reintegrate.store import tables as t
from reintegrate.store import tables_webhooks as tw

SUBSCRIPTIONS: Table = tw.WebhookSubscriptionRow.__table__  # type: ignore[attr-defined]
DELIVERIES: Table = tw.WebhookDeliveryRow.__table__  # type: ignore[attr-defined]
_JOURNAL: Table = t.JournalRow.__table__  # type: ignore[attr-defined]

_S, _D = SUBSCRIPTIONS.c, DELIVERIES.c
OUTBOX = DELIVERIES.insert().from_select(
    ["subscription_id", "seq", "state", "attempts", "due_ms"],
    select(
        _S.subscription_id,
        bindparam("seq", type_=BigInteger),
        literal("pending"),
        literal(0),
        literal(0),
    ).where(
        _S.types.like(bindparam("pattern", type_=SqlString)),
        or_(_S.office.is_(None), _S.office == bindparam("office", type_=SqlString)),
    ),
)
"""One delivery of an entry for each subscription that follows its type and may see its
office (an admin's subscription, with no office, sees every event)."""


ANY_SUBSCRIPTION = select(_S.subscription_id).limit(1)
"""Whether there is any subscription, for `OUTBOX` to be run at all."""


def outbox_row(entry_row: dict[str, Any]) -> dict[str, Any]:
    """The parameters of `OUTBOX` for a journal row."""
    return {
        "seq": entry_row["seq"],
        "pattern": f"%,{entry_row['type']},%",
        "office": entry_row["office"],
    }


class Subscription(msgspec.Struct, frozen=True, kw_only=True):
    subscription_id: str
    url: str
    types: tuple[str, ...]
    office: str | None
    created_by: str
    created_at: str


class Due(msgspec.Struct, frozen=True, kw_only=True):
    """A claimed delivery, with what sending it needs."""

    id: int
    seq: int
    attempts: int
    first_ms: int | None
    url: str
    secret: bytes
    at: str
    """The entry's time, as the journal keeps it."""
    body: bytes
    """The entry's event, as the journal keeps it."""


def _subscription(row: Any) -> Subscription:
    return Subscription(
        subscription_id=row.subscription_id,
        url=row.url,
        types=tuple(t for t in row.types.split(",") if t),
        office=row.office,
        created_by=row.created_by,
        created_at=row.created_at,
    )


def _in_scope(scope: Scope) -> Any:
    offices = sorted(scope.offices) if scope.offices is not None else None
    return True if offices is None else _S.office.in_(offices)


def _secret_context(subscription_id: str) -> bytes:
    return b"webhook secret:" + subscription_id.encode()


class WebhookRows:
    """Subscriptions and deliveries, each call its own transaction on `engine`. Signing
    secrets are sealed by `keyring` (a copy of the database signs nothing)."""

    def __init__(self, engine: Engine, keyring: Keyring) -> None:
        self.engine = engine
        self.keyring = keyring
        self.on_postgres = engine.dialect.name == "postgresql"

    def add(self, subscription: Subscription, secret: bytes) -> None:
        values = msgspec.structs.asdict(subscription)
        values["types"] = "," + ",".join(subscription.types) + ","
        key, sealed = self.keyring.seal_new(_secret_context(subscription.subscription_id), secret)
        with self.engine.begin() as conn:
            conn.execute(SUBSCRIPTIONS.insert().values(**values, secret=sealed, secret_key=key))

    def _opened(self, row: dict[str, Any]) -> Due:
        key, secret = row.pop("secret_key"), row.pop("secret")
        if key is not None:
            secret = self.keyring.open(key, _secret_context(row.pop("subscription_id")), secret)
        else:
            row.pop("subscription_id")
        return Due(**row, secret=secret)

    def page(self, scope: Scope, after: str | None, limit: int) -> list[Subscription]:
        query = select(SUBSCRIPTIONS).where(_in_scope(scope)).order_by(_S.subscription_id)
        if after is not None:
            query = query.where(_S.subscription_id > after)
        with self.engine.connect() as conn:
            return [_subscription(row) for row in conn.execute(query.limit(limit))]

    def get(self, subscription_id: str, scope: Scope) -> Subscription | None:
        query = select(SUBSCRIPTIONS).where(_S.subscription_id == subscription_id, _in_scope(scope))
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return None if row is None else _subscription(row)

    def remove(self, subscription_id: str, scope: Scope) -> Subscription | None:
        """Drop the subscription and the deliveries it has not made yet; what was dropped."""
        mine = and_(_S.subscription_id == subscription_id, _in_scope(scope))
        with self.engine.begin() as conn:
            row = conn.execute(select(SUBSCRIPTIONS).where(mine)).first()
            if row is None:
                return None
            conn.execute(delete(SUBSCRIPTIONS).where(mine))
            conn.execute(
                delete(DELIVERIES).where(
                    _D.subscription_id == subscription_id, _D.state == "pending"
                )
            )
        return _subscription(row)

    def claim(self, claim: str, now_ms: int, lease_ms: int, limit: int) -> list[Due]:
        """Claim up to `limit` due deliveries, oldest first, for `lease_ms`."""
        due = (
            select(_D.id)
            .where(
                _D.state == "pending",
                _D.due_ms <= now_ms,
                or_(_D.leased_until_ms.is_(None), _D.leased_until_ms < now_ms),
            )
            .order_by(_D.id)
            .limit(limit)
        )
        if self.on_postgres:
            due = due.with_for_update(skip_locked=True)
        take = (
            DELIVERIES.update()
            .where(
                _D.id.in_(due.scalar_subquery()),
                or_(_D.leased_until_ms.is_(None), _D.leased_until_ms < now_ms),
            )
            .values(claim=claim, leased_until_ms=now_ms + lease_ms)
        )
        claimed = (
            select(
                _D.id,
                _D.seq,
                _D.attempts,
                _D.first_ms,
                _S.url,
                _S.subscription_id,
                _S.secret,
                _S.secret_key,
                _JOURNAL.c.at,
                _JOURNAL.c.body,
            )
            .join(SUBSCRIPTIONS, _S.subscription_id == _D.subscription_id)
            .join(_JOURNAL, _JOURNAL.c.seq == _D.seq)
            .where(_D.claim == claim, _D.state == "pending")
            .order_by(_D.id)
        )
        with self.engine.begin() as conn:
            conn.execute(take)
            rows = [dict(row) for row in conn.execute(claimed).mappings()]
        return [self._opened(row) for row in rows]

    def settle(self, outcomes: Sequence[dict[str, Any]], claim: str) -> None:
        """Record each attempt: its `state`, `attempts`, `due_ms`, `first_ms`, `last_status`
        and `delivered_ms`, by `row_id`; the claim is released."""
        if not outcomes:
            return
        statement = (
            DELIVERIES.update()
            .where(and_(_D.id == bindparam("row_id"), _D.claim == claim))
            .values(
                state=bindparam("state"),
                attempts=bindparam("attempts"),
                due_ms=bindparam("due_ms"),
                first_ms=bindparam("first_ms"),
                last_status=bindparam("last_status"),
                delivered_ms=bindparam("delivered_ms"),
                claim=None,
                leased_until_ms=None,
            )
        )
        with self.engine.begin() as conn:
            conn.execute(statement, list(outcomes))

    def deliveries(self, subscription_id: str) -> list[dict[str, Any]]:
        """The subscription's deliveries, for operators and tests: no response bodies."""
        query = (
            select(_D.seq, _D.state, _D.attempts, _D.last_status, _D.due_ms)
            .where(_D.subscription_id == subscription_id)
            .order_by(_D.id)
        )
        with self.engine.connect() as conn:
            return [dict(row) for row in conn.execute(query).mappings()]


def secret_keys(conn: Connection, after: str, limit: int) -> list[tuple[str, bytes]]:
    """(subscription id, wrapped data key) of sealed secrets, by id, after `after` (for the
    rotation of master keys and the start-up key check)."""
    query = (
        select(_S.subscription_id, _S.secret_key)
        .where(_S.secret_key.is_not(None), _S.subscription_id > after)
        .order_by(_S.subscription_id)
        .limit(limit)
    )
    return [(row.subscription_id, row.secret_key) for row in conn.execute(query)]


def put_secret_key(conn: Connection, subscription_id: str, wrapped_key: bytes) -> None:
    conn.execute(
        SUBSCRIPTIONS.update()
        .where(_S.subscription_id == subscription_id)
        .values(secret_key=wrapped_key)
    )


def seal_plain_secrets(engine: Engine, keyring: Keyring) -> int:
    """Seal the secrets of subscriptions made before secrets were sealed; how many."""
    with engine.begin() as conn:
        plain = list(
            conn.execute(select(_S.subscription_id, _S.secret).where(_S.secret_key.is_(None)))
        )
        for row in plain:
            key, sealed = keyring.seal_new(_secret_context(row.subscription_id), row.secret)
            conn.execute(
                SUBSCRIPTIONS.update()
                .where(_S.subscription_id == row.subscription_id, _S.secret_key.is_(None))
                .values(secret=sealed, secret_key=key)
            )
    return len(plain)

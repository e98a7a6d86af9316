"""Webhook subscriptions and their deliverer.

The deliverer claims due deliveries in the database (`store.sql_webhooks`), posts each as a
signed CloudEvent (`adapters.signing`, `adapters.cloudevents`) and records the answer's
status and the next attempt: any number of deliverers, in any number of processes, share
the work without delivering one row at once.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import msgspec

from reintegrate import webhooks as rules
from reintegrate.access import Role, Scope
from reintegrate.adapters.cloudevents import cloud_event, encoded
from reintegrate.adapters.signing import new_webhook_secret, webhook_headers
from reintegrate.adapters.webhook_http import TIMEOUT_S, Send
from reintegrate.events.public import followed_types
from reintegrate.store.sql_webhooks import Due, Subscription, WebhookRows

Clock = Callable[[], dt.datetime]
LEASE_MS = 60_000
"""How long a claim holds its deliveries beyond the time their posts may take, one after
another, each up to `webhook_http.TIMEOUT_S`: a claim lapses only when its deliverer died."""


class Created(msgspec.Struct, frozen=True, kw_only=True):
    subscription: Subscription
    secret: str
    """Shown once, at creation: the store never gives it back."""


class Round(msgspec.Struct, frozen=True, kw_only=True):
    claimed: int
    delivered: int
    retried: int
    abandoned: int


def subscribe(
    rows: WebhookRows,
    user_id: str,
    role: Role,
    scope: Scope,
    now: dt.datetime,
    *,
    url: str,
    types: tuple[str, ...],
    office: str | None,
) -> Created:
    """A new subscription of `user_id` to `types` of `office` (`webhooks.subscription_office`)."""
    followed = followed_types(",".join(types)) if types else followed_types(None)
    subscription = Subscription(
        subscription_id=f"whs_{secrets.token_hex(12)}",
        url=rules.check_url(url),
        types=tuple(sorted(followed)),
        office=rules.subscription_office(role, scope.offices or frozenset(), office),
        created_by=user_id,
        created_at=now.isoformat(),
    )
    secret = new_webhook_secret()
    rows.add(subscription, secret.encode())
    return Created(subscription=subscription, secret=secret)


def deliver_due(
    rows: WebhookRows,
    send: Send,
    clock: Clock,
    *,
    limit: int = 50,
    parallel: int = 1,
    claim: str | None = None,
) -> Round:
    """Claim up to `limit` due deliveries, post them, `parallel` at a time, and record what
    each answered, all in one transaction; what became of them. Deliveries to one receiver
    may arrive in any order: the event's id is its place in the journal."""
    mine = claim or secrets.token_hex(8)
    posts_ms = -(-limit // max(parallel, 1)) * int(TIMEOUT_S * 1000)
    due = rows.claim(mine, _ms(clock()), LEASE_MS + posts_ms, limit)
    if len(due) > 1 and parallel > 1:
        with ThreadPoolExecutor(min(parallel, len(due))) as pool:
            outcomes = list(pool.map(lambda d: _attempt(d, send, clock), due))
    else:
        outcomes = [_attempt(d, send, clock) for d in due]
    rows.settle(outcomes, mine)
    counts = dict.fromkeys(_COUNTED.values(), 0)
    for outcome in outcomes:
        counts[_COUNTED[str(outcome["state"])]] += 1
    return Round(claimed=len(due), **counts)


_COUNTED = {"delivered": "delivered", "pending": "retried", "abandoned": "abandoned"}


def _attempt(delivery: Due, send: Send, clock: Clock) -> dict[str, object]:
    body = encoded(cloud_event(delivery.seq, delivery.at, bytes(delivery.body)))
    sent_at = clock()
    secret = bytes(delivery.secret).decode()
    status = send(
        delivery.url,
        webhook_headers(secret, str(delivery.seq), int(sent_at.timestamp()), body),
        body,
    )
    now_ms = _ms(clock())
    first_ms = delivery.first_ms if delivery.first_ms is not None else _ms(sent_at)
    attempts = delivery.attempts + 1
    outcome: dict[str, object] = {
        "row_id": delivery.id,
        "attempts": attempts,
        "first_ms": first_ms,
        "last_status": status,
        "delivered_ms": None,
        "due_ms": now_ms,
    }
    if rules.delivered(status):
        return outcome | {"state": "delivered", "delivered_ms": now_ms}
    due = rules.next_due_ms(attempts, first_ms, now_ms)
    if due is None:
        return outcome | {"state": "abandoned"}
    return outcome | {"state": "pending", "due_ms": due}


def _ms(moment: dt.datetime) -> int:
    return int(moment.timestamp() * 1000)

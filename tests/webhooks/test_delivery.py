"""Webhook deliveries: written with their event, signed per Standard Webhooks, retried with
growing waits for 24 hours, claimed by one deliverer at a time."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
from sqlalchemy import select
from standardwebhooks import Webhook
from typer.testing import CliRunner

from reintegrate.access import EVERYWHERE, Role, Scope
from reintegrate.adapters.webhook_http import post
from reintegrate.cli.main import app
from reintegrate.demo.people import register_demo_household
from reintegrate.errors import DomainError
from reintegrate.services import packages as ps
from reintegrate.services import webhooks
from reintegrate.services.keys import rotate_data_keys
from reintegrate.store.sql import SqlStore
from reintegrate.store.sql_webhooks import SUBSCRIPTIONS, WebhookRows
from tests.builders import (
    ADMIN,
    APPROVER,
    OFFICE,
    SOON,
    cash,
    household,
    in_kind,
    programme,
    register,
    requested,
    submitted_package,
)
from tests.store.conftest import postgresql_database
from tests.webhooks.receiver import receiver

START = dt.datetime.now(dt.UTC).replace(microsecond=0)
"""When the module was read: a time for the records these tests make."""
PARTNER = Scope(offices=frozenset({OFFICE}))


class Clock:
    """The deliverer's clock: now when made, as receivers refuse signatures more than five
    minutes from their own (a whole suite may run longer than that after this module is
    read), then moved on by the test."""

    def __init__(self) -> None:
        self.start = self.now = dt.datetime.now(dt.UTC).replace(microsecond=0)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SqlStore]:
    """The EU programme, household c1 and package pkg-1 submitted."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path}/hooks.sqlite"
        yield from _world(url)
        return
    with postgresql_database() as url:
        yield from _world(url)


def _world(url: str) -> Iterator[SqlStore]:
    found = SqlStore(url)
    found.create_all()
    programme(found)
    register(found, household("c1"))
    submitted_package(
        found, "c1", cash("c-cash", 615_00), in_kind("c-house", 2_000_00), package_id="pkg-1"
    )
    yield found
    found.engine.dispose()
    found.reader.dispose()


def _send(url: str, headers: dict[str, str], body: bytes) -> int | None:
    return post(url, headers, body, timeout=5, allow_private=True)  # receivers on loopback


def _subscribe(rows: WebhookRows, url: str, *types: str, office: str | None = OFFICE) -> str:
    role, scope = (Role.PARTNER, PARTNER) if office == OFFICE else (Role.ADMIN, EVERYWHERE)
    made = webhooks.subscribe(
        rows, "partner-1", role, scope, START, url=url, types=types, office=office
    )
    return made.secret


def test_a_committed_event_is_delivered_once_signed_and_verifiable(store: SqlStore) -> None:
    rows, clock = WebhookRows(store.engine, store.keyring), Clock()
    with receiver() as hooks:
        secret = _subscribe(rows, hooks.url, "PackageApproved")
        ps.approve_package(store, APPROVER, SOON, "pkg-1")

        done = webhooks.deliver_due(rows, _send, clock)
        again = webhooks.deliver_due(rows, _send, clock)

    assert (done.claimed, done.delivered, again.claimed) == (1, 1, 0)
    [delivery] = hooks.received
    event = Webhook(secret).verify(delivery.body, delivery.headers)
    assert event["type"] == "PackageApproved"
    assert event["subject"] == "packages/pkg-1"
    assert event["data"]["package_id"] == "pkg-1"
    assert delivery.headers["webhook-id"] == event["id"]
    assert int(delivery.headers["webhook-timestamp"]) == int(clock.start.timestamp())


def test_a_signature_under_another_secret_does_not_verify(store: SqlStore) -> None:
    rows, clock = WebhookRows(store.engine, store.keyring), Clock()
    with receiver() as hooks:
        _subscribe(rows, hooks.url, "PackageApproved")
        other = _subscribe(rows, "http://127.0.0.1:9/elsewhere", "PackageSubmitted")
        ps.approve_package(store, APPROVER, SOON, "pkg-1")
        webhooks.deliver_due(rows, _send, clock)

    [delivery] = hooks.received
    with pytest.raises(Exception, match="signature"):
        Webhook(other).verify(delivery.body, delivery.headers)


def test_a_refused_delivery_is_tried_again_after_a_wait_that_grows(store: SqlStore) -> None:
    rows, clock = WebhookRows(store.engine, store.keyring), Clock()
    with receiver() as hooks:
        hooks.answers = [503, 500]
        _subscribe(rows, hooks.url, "PackageApproved")
        ps.approve_package(store, APPROVER, SOON, "pkg-1")

        first = webhooks.deliver_due(rows, _send, clock)
        too_soon = webhooks.deliver_due(rows, _send, clock)
        clock.now += dt.timedelta(seconds=5)
        second = webhooks.deliver_due(rows, _send, clock)
        clock.now += dt.timedelta(seconds=5)
        still_waiting = webhooks.deliver_due(rows, _send, clock)
        clock.now += dt.timedelta(seconds=5)
        third = webhooks.deliver_due(rows, _send, clock)

    assert (first.retried, too_soon.claimed, second.retried) == (1, 0, 1)
    assert (still_waiting.claimed, third.delivered) == (0, 1)
    assert len({d.headers["webhook-id"] for d in hooks.received}) == 1
    [row] = [r for s in _subscriptions(rows) for r in rows.deliveries(s)]
    assert (row["state"], row["attempts"], row["last_status"]) == ("delivered", 3, 204)


def test_a_receiver_down_for_more_than_a_day_has_its_delivery_abandoned(store: SqlStore) -> None:
    rows, clock = WebhookRows(store.engine, store.keyring), Clock()
    _subscribe(rows, "http://127.0.0.1:9/nobody-listens", "PackageApproved")
    ps.approve_package(store, APPROVER, SOON, "pkg-1")

    tries = []
    while (done := webhooks.deliver_due(rows, _send, clock)).abandoned == 0:
        tries.append(done.retried)
        clock.now += dt.timedelta(hours=1)

    [row] = [r for s in _subscriptions(rows) for r in rows.deliveries(s)]
    assert row["state"] == "abandoned"
    assert row["last_status"] is None
    assert 20 <= len(tries) <= 26


def test_a_partner_is_sent_its_own_offices_events_only(store: SqlStore) -> None:
    rows, clock = WebhookRows(store.engine, store.keyring), Clock()
    in_lagos(store, "c2")
    with receiver() as hooks:
        _subscribe(rows, hooks.url, "CaseRegistered", "PackageApproved")
        register(store, household("c3"))
        in_lagos(store, "c4")
        webhooks.deliver_due(rows, _send, clock)

    subjects = [msgspec.json.decode(d.body)["subject"] for d in hooks.received]
    assert subjects == ["cases/c3"]


def test_an_admin_subscription_without_an_office_is_sent_every_offices_events(
    store: SqlStore,
) -> None:
    rows, clock = WebhookRows(store.engine, store.keyring), Clock()
    with receiver() as hooks:
        _subscribe(rows, hooks.url, "CaseRegistered", office=None)
        register(store, household("c3"))
        in_lagos(store, "c4")
        webhooks.deliver_due(rows, _send, clock)

    subjects = sorted(msgspec.json.decode(d.body)["subject"] for d in hooks.received)
    assert subjects == ["cases/c3", "cases/c4"]


def test_a_refused_command_queues_no_delivery(store: SqlStore) -> None:
    rows = WebhookRows(store.engine, store.keyring)
    _subscribe(rows, "http://127.0.0.1:9/hooks", "DisbursementRequested", "PackageApproved")
    ps.approve_package(store, APPROVER, SOON, "pkg-1")

    with pytest.raises(DomainError):
        requested(store, "pkg-1", "c-cash", 9_000_00)

    [subscription] = _subscriptions(rows)
    assert [r["seq"] for r in rows.deliveries(subscription)] == [store_last_seq(store)]


def test_a_deleted_subscription_is_sent_nothing_more(store: SqlStore) -> None:
    rows, clock = WebhookRows(store.engine, store.keyring), Clock()
    with receiver() as hooks:
        _subscribe(rows, hooks.url, "PackageApproved")
        ps.approve_package(store, APPROVER, SOON, "pkg-1")
        [subscription] = _subscriptions(rows)
        assert rows.remove(subscription, PARTNER) is not None

        done = webhooks.deliver_due(rows, _send, clock)

    assert (done.claimed, hooks.received) == (0, [])


def test_two_deliverers_at_once_never_claim_the_same_delivery(store: SqlStore) -> None:
    rows = WebhookRows(store.engine, store.keyring)
    for n in range(3):
        _subscribe(rows, f"http://127.0.0.1:9/hooks/{n}", "CaseRegistered")
    for n in range(10):
        register(store, household(f"n{n}"))
    now_ms = int(START.timestamp() * 1000)
    claims: dict[str, set[int]] = {}

    def claim(name: str) -> None:
        claims[name] = {d.id for _ in range(10) for d in rows.claim(name, now_ms, 60_000, 2)}

    threads = [threading.Thread(target=claim, args=(f"deliverer-{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    every = [row_id for ids in claims.values() for row_id in ids]
    assert len(every) == 30, "each delivery claimed by one deliverer"
    assert len(set(every)) == 30


def test_a_claim_whose_deliverer_died_lapses_and_is_claimed_again(store: SqlStore) -> None:
    rows = WebhookRows(store.engine, store.keyring)
    _subscribe(rows, "http://127.0.0.1:9/hooks", "PackageApproved")
    ps.approve_package(store, APPROVER, SOON, "pkg-1")
    now_ms = int(START.timestamp() * 1000)

    held = rows.claim("died", now_ms, 60_000, 10)
    while_held = rows.claim("other", now_ms + 59_000, 60_000, 10)
    after = rows.claim("other", now_ms + 61_000, 60_000, 10)

    assert (len(held), while_held, [d.id for d in after]) == (1, [], [held[0].id])


def in_lagos(store: SqlStore, case_id: str) -> None:
    register_demo_household(store, ADMIN, SOON, household(case_id, office="lagos"))


def _subscriptions(rows: WebhookRows) -> list[str]:
    return [s.subscription_id for s in rows.page(EVERYWHERE, None, 100)]


def store_last_seq(store: SqlStore) -> int:
    return max(entry.seq for entry in store.entries())


def test_the_deliver_command_posts_what_is_due_and_says_what_became_of_it(
    store: SqlStore,
) -> None:
    rows = WebhookRows(store.engine, store.keyring)
    with receiver() as hooks:
        hooks.answers = [500]
        _subscribe(rows, hooks.url, "PackageSubmitted", "PackageApproved")
        ps.approve_package(store, APPROVER, SOON, "pkg-1")
        register(store, household("c3"))
        submitted_package(store, "c3", cash("c-cash", 100_00), package_id="pkg-3")

        result = CliRunner().invoke(
            app, ["webhooks", "deliver", "--once", "--allow-private-network", "-d", store.url]
        )

    assert result.exit_code == 0, result.output
    assert "delivered 1, to retry 1, abandoned 0" in result.output
    assert sorted(msgspec.json.decode(d.body)["type"] for d in hooks.received) == [
        "PackageApproved",
        "PackageSubmitted",
    ]


def test_the_deliver_command_reaches_no_loopback_receiver_unless_allowed(store: SqlStore) -> None:
    rows = WebhookRows(store.engine, store.keyring)
    with receiver() as hooks:
        _subscribe(rows, hooks.url, "PackageApproved")
        ps.approve_package(store, APPROVER, SOON, "pkg-1")

        result = CliRunner().invoke(app, ["webhooks", "deliver", "--once", "-d", store.url])

    assert result.exit_code == 0, result.output
    assert "delivered 0, to retry 1, abandoned 0" in result.output
    assert hooks.received == []


def _stored_secret(store: SqlStore) -> tuple[bytes, bytes | None]:
    with store.engine.connect() as conn:
        row = conn.execute(select(SUBSCRIPTIONS.c.secret, SUBSCRIPTIONS.c.secret_key)).one()
    return row.secret, row.secret_key


def test_a_signing_secret_is_kept_sealed_so_a_copy_of_the_database_signs_nothing(
    store: SqlStore,
) -> None:
    rows, clock = WebhookRows(store.engine, store.keyring), Clock()
    with receiver() as hooks:
        secret = _subscribe(rows, hooks.url, "PackageApproved")
        ps.approve_package(store, APPROVER, SOON, "pkg-1")
        webhooks.deliver_due(rows, _send, clock)

    kept, key = _stored_secret(store)
    assert key is not None
    assert secret.encode() not in kept
    assert secret.removeprefix("whsec_").encode() not in kept
    [delivery] = hooks.received
    assert Webhook(secret).verify(delivery.body, delivery.headers)["type"] == "PackageApproved"


def test_a_secret_kept_plain_before_sealing_still_signs_and_key_rotation_seals_it(
    store: SqlStore,
) -> None:
    rows, clock = WebhookRows(store.engine, store.keyring), Clock()
    with receiver() as hooks:
        secret = _subscribe(rows, hooks.url, "PackageApproved", "PackageSubmitted")
        with store.engine.begin() as conn:  # as a subscription made before secrets were sealed
            conn.execute(SUBSCRIPTIONS.update().values(secret=secret.encode(), secret_key=None))
        ps.approve_package(store, APPROVER, SOON, "pkg-1")
        webhooks.deliver_due(rows, _send, clock)

        rotate_data_keys(store)
        register(store, household("c3"))
        submitted_package(store, "c3", cash("c-cash", 100_00), package_id="pkg-3")
        webhooks.deliver_due(rows, _send, clock)

    kept, key = _stored_secret(store)
    assert key is not None
    assert secret.encode() not in kept
    assert [Webhook(secret).verify(d.body, d.headers)["type"] for d in hooks.received] == [
        "PackageApproved",
        "PackageSubmitted",
    ]

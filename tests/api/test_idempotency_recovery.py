"""A key whose request died with its process is not stuck: a retry runs the command if it had
not committed, or is told that it had, and a request and its retry never both have effect."""

from __future__ import annotations

import datetime as dt
import socket
from typing import Any

import msgspec
import pytest

from api.keyed import FencedStore, KeyClaim
from api.owners import this_process
from reintegrate.idempotency import ABANDONED_AFTER, IdempotencyKeyTakenOver, fingerprint
from reintegrate.services import packages as ps
from reintegrate.services.context import Actor
from reintegrate.store.api_records import ApiRecords, Holder
from tests.api.conftest import FIXED_NOW, World, call, problem_of

KEY = "payment-after-a-crash"
DEAD = Holder(claim_id="dead0001", owner=f"{socket.gethostname()}/999999/12345")
"""A process of this host that no longer runs."""
ELSEWHERE = Holder(claim_id="far00001", owner="another-host/42/777")
"""A process of another host: whether it still runs is not known here."""


def request_of(world: World) -> tuple[str, bytes]:
    """A request whose route claims its key before running (a step, not a keyed route)."""
    path = f"/disbursements/{world.approved_disbursement}/failure"
    return path, msgspec.json.encode({"reason": "account closed"})


def claimed_by(world: World, holder: Holder, at: dt.datetime, path: str, body: bytes) -> None:
    """The key as a first request left it when its process died, before any answer."""
    records = ApiRecords(world.store.engine)
    records.claim_key("finance", KEY, fingerprint("POST", path, body), at, holder=holder)


def retry(world: World, path: str, body: bytes) -> Any:
    return call(world.client, "finance", "POST", path, body, key=KEY)


def test_a_key_held_by_a_process_that_died_before_committing_is_run_by_the_retry(
    world: World,
) -> None:
    path, body = request_of(world)
    claimed_by(world, DEAD, FIXED_NOW, path, body)
    before = world.journal_length()

    answered = retry(world, path, body)

    assert answered.status_code == 200, answered.text
    assert answered.json()["status"] == "failed"
    assert world.journal_length() == before + 1
    assert retry(world, path, body).headers["idempotent-replayed"] == "true"


def test_a_key_whose_command_committed_before_its_process_died_is_never_run_again(
    world: World,
) -> None:
    path, body = request_of(world)
    claimed_by(world, DEAD, FIXED_NOW, path, body)
    with world.store.engine.begin() as conn:  # the command committed; no answer was kept
        conn.exec_driver_sql("UPDATE idempotency_keys SET committed_seq = 7 WHERE key = ?", (KEY,))
    before = world.journal_length()

    first, second = retry(world, path, body), retry(world, path, body)

    for answer in (first, second):
        assert "journal entry 7" in problem_of(answer, 409, "answer-lost")["detail"]
    assert world.journal_length() == before


def test_a_key_held_elsewhere_waits_until_it_is_clearly_abandoned(world: World) -> None:
    path, body = request_of(world)
    claimed_by(world, ELSEWHERE, FIXED_NOW - ABANDONED_AFTER + dt.timedelta(seconds=1), path, body)
    problem_of(retry(world, path, body), 409, "idempotency-key-in-flight")

    with world.store.engine.begin() as conn:  # time passes: the claim is now too old
        old = (FIXED_NOW - ABANDONED_AFTER - dt.timedelta(seconds=1)).isoformat()
        conn.exec_driver_sql("UPDATE idempotency_keys SET created_at = ? WHERE key = ?", (old, KEY))
    assert retry(world, path, body).status_code == 200


def test_a_request_whose_key_was_taken_over_cannot_commit(world: World) -> None:
    records = ApiRecords(world.store.engine)
    first = KeyClaim("finance", KEY, "h", FIXED_NOW)
    assert records.claim_key("finance", KEY, "h", FIXED_NOW, holder=first.holder()) is None
    stored = records.claim_key("finance", KEY, "h", FIXED_NOW, holder=DEAD)
    assert stored is not None
    assert records.take_over("finance", KEY, stored, DEAD, FIXED_NOW)
    before = world.journal_length()

    with pytest.raises(IdempotencyKeyTakenOver):
        ps.fail_disbursement(
            FencedStore(world.store, first),
            Actor("finance-1"),
            FIXED_NOW,
            world.approved_disbursement,
            "account closed",
            returned=False,
        )

    assert world.journal_length() == before


def test_a_key_held_by_a_process_still_running_is_in_flight_for_a_while(world: World) -> None:
    path, body = request_of(world)
    mine = Holder(claim_id="live0001", owner=this_process())
    claimed_by(world, mine, FIXED_NOW - dt.timedelta(seconds=5), path, body)

    problem_of(retry(world, path, body), 409, "idempotency-key-in-flight")

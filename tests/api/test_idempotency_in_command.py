"""An Idempotency-Key whose answer commits with the command (`api.keyed`), and answers that
are stored before they are sent (the middleware's other routes)."""

from __future__ import annotations

import asyncio
from typing import Any

import msgspec
import pytest

import api.routes_packages
from api.idempotency import idempotency_middleware
from reintegrate.access import Role, Scope
from reintegrate.idempotency import fingerprint
from reintegrate.services.users import Caller
from reintegrate.store.api_records import ApiRecords
from tests.api.conftest import FIXED_NOW, World, call, cash_request, problem_of

KEY = "pay-household-0001"


def disbursements_path(world: World) -> str:
    return f"/packages/{world.approved_package}/disbursements"


def test_a_retried_disbursement_request_gets_the_stored_answer_and_pays_nothing_more(
    world: World,
) -> None:
    path, body = disbursements_path(world), cash_request("10.00")
    first = call(world.client, "officer", "POST", path, body, key=KEY)
    after_first = world.journal_length()
    again = call(world.client, "officer", "POST", path, body, key=KEY)
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["content-type"].startswith("application/json")
    assert world.journal_length() == after_first


def test_the_answer_is_the_disbursement_as_read_afterwards(world: World) -> None:
    created = call(
        world.client, "officer", "POST", disbursements_path(world), cash_request("10.00")
    )
    read = call(
        world.client, "officer", "GET", f"/disbursements/{created.json()['disbursement_id']}"
    )
    assert created.json() == read.json()
    assert created.headers["etag"] == read.headers["etag"]


def test_another_body_under_the_same_key_is_refused_as_reused(world: World) -> None:
    path = disbursements_path(world)
    call(world.client, "officer", "POST", path, cash_request("10.00"), key=KEY)
    before = world.journal_length()
    reused = call(world.client, "officer", "POST", path, cash_request("11.00"), key=KEY)
    assert problem_of(reused, 422, "idempotency-key-reused")["field"] == "Idempotency-Key"
    assert world.journal_length() == before


def test_a_key_first_used_on_another_route_is_refused_as_reused(world: World) -> None:
    body = {"reason": "the household moved away"}
    cancelled = f"/packages/{world.draft_package}/cancellation"
    assert call(world.client, "officer", "POST", cancelled, body, key=KEY).status_code == 200
    before = world.journal_length()
    reused = call(
        world.client, "officer", "POST", disbursements_path(world), cash_request("1.00"), key=KEY
    )
    problem_of(reused, 422, "idempotency-key-reused")
    assert world.journal_length() == before


def test_a_key_still_in_flight_is_a_conflict(world: World) -> None:
    path, body = disbursements_path(world), msgspec.json.encode(cash_request("10.00"))
    records = ApiRecords(world.store.engine)
    assert records.claim_key("officer", KEY, fingerprint("POST", path, body), FIXED_NOW) is None
    before = world.journal_length()
    response = call(world.client, "officer", "POST", path, body, key=KEY)
    problem_of(response, 409, "idempotency-key-in-flight")
    assert world.journal_length() == before


def test_a_failure_before_commit_keeps_neither_the_payment_nor_the_key(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: Any) -> Any:
        raise RuntimeError("the answer could not be built")

    path, body = disbursements_path(world), cash_request("10.00")
    monkeypatch.setattr(api.routes_packages, "created_disbursement", broken)
    before = world.journal_length()
    failed = call(world.client, "officer", "POST", path, body, key=KEY)
    problem_of(failed, 500, "internal-error")
    assert world.journal_length() == before
    monkeypatch.undo()
    retried = call(world.client, "officer", "POST", path, body, key=KEY)
    assert retried.status_code == 201, retried.text
    assert "idempotent-replayed" not in retried.headers
    assert world.journal_length() == before + 1


def test_a_refusal_is_kept_and_replayed_without_running_again(world: World) -> None:
    path, body = disbursements_path(world), cash_request("9999.00")
    first = call(world.client, "officer", "POST", path, body, key=KEY)
    problem_of(first, 422, "staged-limit-exceeded")
    before = world.journal_length()
    again = call(world.client, "officer", "POST", path, body, key=KEY)
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert world.journal_length() == before


def test_an_answer_is_stored_before_it_is_sent(world: World) -> None:
    """A client that retries as soon as it has the answer must find the key completed,
    never still in flight (a route whose key the middleware claims)."""
    records = ApiRecords(world.store.engine)
    body = b'{"reason": "moved away"}'
    seen_when_sent: list[int | None] = []

    async def route(scope: Any, receive: Any, send: Any) -> None:
        await receive()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start":
            stored = records.claim_key("officer", KEY, "x" * 64, FIXED_NOW)
            seen_when_sent.append(None if stored is None else stored.status)

    messages = iter([{"type": "http.request", "body": body, "more_body": False}])

    async def receive() -> dict[str, Any]:
        return next(messages)

    caller = Caller(user_id="officer", role=Role.OFFICER, scope=Scope(offices=frozenset({"dakar"})))
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/packages/x/cancellation",
        "headers": [(b"idempotency-key", KEY.encode())],
        "user": caller,
        "app": world.client.app,
    }
    middleware: Any = idempotency_middleware(route)
    asyncio.run(middleware(scope, receive, send))
    assert seen_when_sent == [200]

"""Idempotency-Key on every POST, with Stripe's semantics, seen from a client."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import msgspec
import pytest

from api.idempotency import idempotency_middleware
from reintegrate.access import Role, Scope
from reintegrate.idempotency import KEEP_FOR, Answer, fingerprint
from reintegrate.services import programmes
from reintegrate.services.users import Caller
from reintegrate.store.api_records import ApiRecords
from tests.api.conftest import (
    FIXED_NOW,
    World,
    call,
    case_body,
    eur,
    problem_of,
)

KEY = "register-household-0001"


def cases_seen_by(world: World, user: str) -> list[str]:
    response = call(world.client, user, "GET", "/cases?limit=100")
    assert response.status_code == 200
    return [item["case_id"] for item in response.json()["items"]]


def test_a_retry_with_the_same_key_and_body_gets_the_stored_answer(world: World) -> None:
    body = case_body(world.client)
    first = call(world.client, "officer", "POST", "/cases", body, key=KEY)
    after_first = world.journal_length()
    again = call(world.client, "officer", "POST", "/cases", body, key=KEY)
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert "idempotent-replayed" not in first.headers
    assert world.journal_length() == after_first
    assert cases_seen_by(world, "officer").count(first.json()["case_id"]) == 1


def test_a_replay_carries_the_etag_of_the_stored_answer(world: World) -> None:
    body = case_body(world.client)
    first = call(world.client, "officer", "POST", "/cases", body, key=KEY)
    again = call(world.client, "officer", "POST", "/cases", body, key=KEY)
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers.get("etag") == first.headers["etag"]


def test_a_retried_refusal_gets_the_same_refusal_without_running_again(world: World) -> None:
    path = f"/packages/{world.approved_package}/disbursements"
    body = {
        "component_id": "c2",
        "amount": eur("2000.01"),
        "channel": "supplier_transfer",
        "invoice_ref": "INV-7",
    }
    first = call(world.client, "officer", "POST", path, body, key=KEY)
    again = call(world.client, "officer", "POST", path, body, key=KEY)
    problem_of(first, 422, "limit-exceeded")
    assert again.status_code == 422
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"
    assert again.headers["content-type"].startswith("application/problem+json")


def test_the_same_key_with_another_body_is_refused_as_reused(world: World) -> None:
    call(world.client, "officer", "POST", "/cases", case_body(world.client), key=KEY)
    another = case_body(world.client)
    before = world.journal_length()
    reused = call(world.client, "officer", "POST", "/cases", another, key=KEY)
    problem = problem_of(reused, 422, "idempotency-key-reused")
    assert problem["field"] == "Idempotency-Key"
    assert world.journal_length() == before


def test_the_same_key_and_body_on_another_path_is_refused_as_reused(world: World) -> None:
    body = {"reason": "the household moved away"}
    first = f"/packages/{world.draft_package}/cancellation"
    assert call(world.client, "officer", "POST", first, body, key=KEY).status_code == 200
    before = world.journal_length()
    other = f"/packages/{world.submitted_package}/cancellation"
    reused = call(world.client, "officer", "POST", other, body, key=KEY)
    problem_of(reused, 422, "idempotency-key-reused")
    assert world.journal_length() == before


def test_keys_belong_to_their_caller(world: World) -> None:
    mine = call(world.client, "officer", "POST", "/cases", case_body(world.client), key=KEY)
    theirs = call(world.client, "partner", "POST", "/cases", case_body(world.client), key=KEY)
    assert mine.status_code == theirs.status_code == 201
    assert "idempotent-replayed" not in theirs.headers
    assert theirs.json()["case_id"] != mine.json()["case_id"]


def test_a_key_whose_first_request_is_still_running_is_a_conflict(world: World) -> None:
    body = msgspec.json.encode(case_body(world.client))
    records = ApiRecords(world.store.engine)
    assert records.claim_key("officer", KEY, fingerprint("POST", "/cases", body), FIXED_NOW) is None
    before = world.journal_length()
    response = call(world.client, "officer", "POST", "/cases", body, key=KEY)
    problem = problem_of(response, 409, "idempotency-key-in-flight")
    assert problem["field"] == "Idempotency-Key"
    assert world.journal_length() == before


def test_concurrent_duplicates_register_one_case(world: World) -> None:
    body = msgspec.json.encode(case_body(world.client))
    before = world.journal_length()

    def send(_: int) -> httpx.Response:
        return call(world.client, "officer", "POST", "/cases", body, key=KEY)

    with ThreadPoolExecutor(max_workers=4) as pool:
        responses = list(pool.map(send, range(8)))
    ran = [r for r in responses if r.status_code == 201 and "idempotent-replayed" not in r.headers]
    assert len(ran) == 1
    for response in responses:
        if response.status_code == 409:
            problem_of(response, 409, "idempotency-key-in-flight")
        else:
            assert response.status_code == 201
            assert response.content == ran[0].content
    assert world.journal_length() == before + 1


def failing_once(original: Callable[..., Any]) -> Callable[..., Any]:
    calls = {"count": 0}

    def maybe_fail(*args: Any, **kwargs: Any) -> Any:
        calls["count"] += 1
        if calls["count"] == 1:
            raise RuntimeError("the database went away")
        return original(*args, **kwargs)

    return maybe_fail


def test_a_server_error_is_not_stored_so_the_same_key_runs_again(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(programmes, "register_case", failing_once(programmes.register_case))
    body = case_body(world.client)
    before = world.journal_length()
    failed = call(world.client, "officer", "POST", "/cases", body, key=KEY)
    problem = problem_of(failed, 500, "internal-error")
    assert "RuntimeError" not in problem["detail"]
    assert world.journal_length() == before
    retried = call(world.client, "officer", "POST", "/cases", body, key=KEY)
    assert retried.status_code == 201, retried.text
    assert "idempotent-replayed" not in retried.headers
    assert world.journal_length() == before + 1


def test_a_key_older_than_a_day_may_be_used_for_another_request(world: World) -> None:
    records = ApiRecords(world.store.engine)
    long_ago = FIXED_NOW - KEEP_FOR - dt.timedelta(minutes=1)
    records.claim_key("officer", KEY, fingerprint("POST", "/cases", b"{}"), long_ago)
    answer = Answer(status=201, body=b"{}", headers=(("content-type", "application/json"),))
    records.complete_key("officer", KEY, answer)
    response = call(world.client, "officer", "POST", "/cases", case_body(world.client), key=KEY)
    assert response.status_code == 201
    assert "idempotent-replayed" not in response.headers


@pytest.mark.parametrize("key", [" spaced key", "k" * 256, "clé"])
def test_a_malformed_key_is_a_bad_request_naming_the_header(world: World, key: str) -> None:
    token = world.client.tokens["officer"]
    headers = {
        b"authorization": f"Bearer {token}".encode(),
        b"idempotency-key": key.encode(),
        b"content-type": b"application/json",
    }
    body = msgspec.json.encode(case_body(world.client))
    response = world.client.post("/cases", content=body, headers=headers)
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["field"] == "Idempotency-Key"


def test_a_post_without_a_key_is_a_bad_request_naming_the_header(world: World) -> None:
    token = world.client.tokens["officer"]
    response = world.client.post(
        "/cases", json=case_body(world.client), headers={"Authorization": f"Bearer {token}"}
    )
    problem = problem_of(response, 400, "request-invalid")
    assert problem.get("field") == "Idempotency-Key"


def test_a_client_that_leaves_before_its_body_arrives_claims_no_key(world: World) -> None:
    records = ApiRecords(world.store.engine)
    sent: list[dict[str, object]] = []
    arriving: list[dict[str, object]] = [
        {"type": "http.request", "body": b'{"progr', "more_body": True},
        {"type": "http.disconnect"},
    ]
    messages = iter(arriving)

    async def receive() -> dict[str, object]:
        return next(messages)

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    async def never(scope: object, receive: object, send: object) -> None:
        raise AssertionError("the route must not run")

    caller = Caller(user_id="officer", role=Role.OFFICER, scope=Scope(offices=frozenset({"dakar"})))
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/cases",
        "headers": [(b"idempotency-key", KEY.encode())],
        "user": caller,
        "app": world.client.app,
    }
    middleware: Any = idempotency_middleware(never)
    asyncio.run(middleware(scope, receive, send))

    assert sent == []
    assert records.claim_key("officer", KEY, "x" * 64, FIXED_NOW) is None  # the key was free

"""How the client retries and reads answers, told through its exchange with the server
(`reintegrate.client.exchange`, the part without I/O both clients drive): each test hands it
the answers a server gives and reads what it sends next."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

import api.app  # noqa: F401  (imports every route, service and domain rule: all their problem types)
from api import schemas as s
from api.answers import known_types
from reintegrate.client import (
    IdempotencyKeyInFlight,
    InvalidTransition,
    LimitExceeded,
    Refused,
    Retries,
    ServerError,
)
from reintegrate.client.calls import Call, get, post
from reintegrate.client.exchange import Answer, Exchange, Send, Wait, exchange
from reintegrate.client.problem_types import BY_TYPE

PATIENT = Retries(attempts=3, first_wait=0.5, longest_wait=4.0)
APPROVAL = post("/packages/{package_id}/approval", s.DisbursementList, package_id="pkg_1")
"""A POST (its answer read as the simplest struct with a list: its body is what a test says)."""
PAGE = s.DisbursementList(items=[])


def problem(status: int, kind: str, **extra: str) -> httpx.Response:
    body = {"type": f"/problems/{kind}", "title": "t", "status": status, "detail": "d", **extra}
    return httpx.Response(status, json=body, headers={"content-type": "application/problem+json"})


def ok(**headers: str) -> httpx.Response:
    return httpx.Response(200, json={"items": []}, headers=headers)


def key_of(step: Send | Wait) -> str | None:
    assert isinstance(step, Send)
    key: str | None = step.arguments["headers"].get("Idempotency-Key")
    return key


def finish(steps: Exchange[Any], outcome: httpx.Response) -> Answer[Any]:
    with pytest.raises(StopIteration) as done:
        steps.send(outcome)
    answer: Answer[Any] = done.value.value
    return answer


def test_a_post_still_in_flight_is_sent_again_after_a_wait_with_the_same_key() -> None:
    steps = exchange(APPROVAL, {}, PATIENT)
    first = key_of(next(steps))
    wait = steps.send(problem(409, "idempotency-key-in-flight"))
    assert isinstance(wait, Wait)
    assert 0.5 <= wait.seconds <= 0.625
    assert key_of(steps.send(None)) == first
    answer = finish(steps, ok(etag='"package:pkg_1:3"', **{"idempotent-replayed": "true"}))
    assert answer == Answer(PAGE, '"package:pkg_1:3"', 200, replayed=True, idempotency_key=first)


def test_a_lost_answer_and_a_503_are_retried_with_the_same_key_and_waits_that_grow() -> None:
    steps = exchange(APPROVAL, {}, Retries(attempts=4, first_wait=0.5, longest_wait=4.0))
    first = key_of(next(steps))
    waits = []
    for outcome in (httpx.ReadTimeout("lost"), httpx.Response(503), httpx.Response(502)):
        wait = steps.send(outcome)
        assert isinstance(wait, Wait)
        waits.append(wait.seconds)
        assert key_of(steps.send(None)) == first
    assert waits == sorted(waits)
    assert waits[2] >= 2.0
    assert finish(steps, ok()).idempotency_key == first


def test_a_retry_after_of_a_few_seconds_is_waited_for() -> None:
    steps = exchange(APPROVAL, {}, PATIENT)
    next(steps)
    assert steps.send(httpx.Response(503, headers={"retry-after": "2"})) == Wait(2.0)


def test_when_every_try_is_used_the_last_problem_is_raised() -> None:
    steps = exchange(APPROVAL, {}, PATIENT)
    next(steps)
    steps.send(httpx.Response(503))
    steps.send(None)
    steps.send(problem(409, "idempotency-key-in-flight"))
    steps.send(None)
    with pytest.raises(IdempotencyKeyInFlight):
        steps.send(problem(409, "idempotency-key-in-flight"))


def test_a_connection_that_keeps_failing_raises_the_transport_error() -> None:
    steps = exchange(APPROVAL, {}, Retries(attempts=1))
    next(steps)
    with pytest.raises(httpx.ConnectError):
        steps.send(httpx.ConnectError("refused"))


def test_another_conflict_is_raised_at_once_as_its_own_type() -> None:
    steps = exchange(APPROVAL, {}, PATIENT)
    next(steps)
    with pytest.raises(InvalidTransition) as refused:
        steps.send(problem(409, "invalid-transition", field="status"))
    assert (refused.value.status, refused.value.field) == (409, "status")


def test_a_cap_refusal_carries_the_limit_its_size_what_was_used_and_what_was_asked() -> None:
    steps = exchange(APPROVAL, {}, PATIENT)
    next(steps)
    figures = {"limit": "household", "size": "3615.00", "used": "3000.00", "requested": "700.00"}
    with pytest.raises(LimitExceeded) as refused:
        steps.send(problem(422, "limit-exceeded", currency="EUR", **figures))
    said = refused.value
    assert (said.limit, said.size, said.used, said.requested) == tuple(figures.values())
    assert (said.type, said.currency) == ("limit-exceeded", "EUR")


def test_a_problem_type_the_client_does_not_know_raises_the_class_of_its_status() -> None:
    steps = exchange(APPROVAL, {}, PATIENT)
    next(steps)
    with pytest.raises(Refused) as refused:
        steps.send(problem(422, "a-rule-added-later", field="amount"))
    assert type(refused.value) is Refused
    assert (refused.value.type, refused.value.field) == ("a-rule-added-later", "amount")


def test_an_error_page_that_is_not_a_problem_raises_with_its_text() -> None:
    steps = exchange(APPROVAL, {}, Retries(attempts=1))
    next(steps)
    with pytest.raises(ServerError) as failed:
        steps.send(httpx.Response(502, text="<html>Bad Gateway</html>"))
    assert failed.value.status == 502
    assert "Bad Gateway" in failed.value.detail


def test_each_post_has_a_key_of_its_own_and_a_read_has_none() -> None:
    keys = {key_of(next(exchange(APPROVAL, {}, PATIENT))) for _ in range(3)}
    assert len(keys) == 3
    assert None not in keys
    read: Call[s.DisbursementList] = get(
        "/packages/{package_id}/disbursements", s.DisbursementList, package_id="p"
    )
    assert key_of(next(exchange(read, {"Authorization": "Bearer t"}, PATIENT))) is None


def test_ids_are_sent_as_one_path_segment_each() -> None:
    call = post("/packages/{package_id}/approval", s.DisbursementList, package_id="../cases/x")
    assert call.path == "/packages/..%2Fcases%2Fx/approval"


def test_every_problem_type_the_server_answers_has_its_class_under_its_status() -> None:
    lacking = sorted(
        (status, kind)
        for status, kind in known_types()
        if kind not in BY_TYPE or status != BY_TYPE[kind].STATUS
    )

    assert lacking == []

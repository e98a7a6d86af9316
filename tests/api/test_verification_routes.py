"""Receipt verification over HTTP: a round drawn, read, answered and followed up, with the
refusals the domain gives (their field and limit), the four eyes, and the conventions
(Idempotency-Key, ETag / If-Match) on its POSTs."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.conftest import World, call, problem_of
from tests.api.verification import DRAW, PROVIDER_CLAIM, answer_body, rounds_path


def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    found: dict[str, Any] = response.json()
    return found


def answers(world: World, round_id: str) -> str:
    return f"{rounds_path(world.programme, round_id)}/answers"


def test_a_draw_replayed_under_its_key_is_the_same_round_and_a_new_one_draws_the_same_ids(
    world: World,
) -> None:
    path = rounds_path(world.programme)
    first = ok(call(world.client, "approver", "POST", path, DRAW, key="draw-1"), 201)
    again = call(world.client, "approver", "POST", path, DRAW, key="draw-1")
    other = ok(call(world.client, "admin", "POST", path, DRAW | {"seed": 11}), 201)

    assert again.headers["idempotent-replayed"] == "true"
    assert ok(again, 201)["round_id"] == first["round_id"]
    assert first["seed"] == 11
    assert first["sample_size"] == first["population_size"]  # a small population, drawn whole
    dakar = {d["disbursement_id"] for d in first["drawn"]}
    assert dakar <= {d["disbursement_id"] for d in other["drawn"]}  # every office
    assert other["offices"] is None


def test_an_amount_above_the_paid_one_is_refused_with_the_limit(world: World) -> None:
    round_ = ok(
        call(world.client, "auditor", "GET", rounds_path(world.programme, world.open_round))
    )
    paid = round_["drawn"][0]
    above = {"amount": "100000.00", "currency": paid["paid"]["currency"]}
    body = answer_body(paid["disbursement_id"], amount=above)

    response = call(world.client, "officer", "POST", answers(world, world.open_round), body)

    problem = problem_of(response, 422, "amount-above-paid")
    assert (problem["field"], problem["limit"]) == ("amount.amount", "amount paid")
    assert (problem["size"], problem["requested"]) == (paid["paid"]["amount"], "100000.00")


def test_an_answer_for_a_disbursement_not_drawn_or_twice_is_refused(world: World) -> None:
    path = answers(world, world.open_round)
    missing = call(world.client, "officer", "POST", path, answer_body(world.paid_disbursement))
    assert problem_of(missing, 422, "not-in-sample")["field"] == "disbursement_id"

    body = answer_body(world.sampled_disbursement, amount={"amount": "1.00", "currency": "EUR"})
    shown = ok(call(world.client, "officer", "POST", path, body), 201)
    assert [f["reason"] for f in shown["follow_ups"]] == ["amount_short"]
    twice = call(world.client, "officer", "POST", path, answer_body(world.sampled_disbursement))
    assert problem_of(twice, 409, "already-answered")["field"] == "disbursement_id"


def test_a_follow_up_is_closed_by_someone_else_once_and_a_stale_etag_is_refused(
    world: World,
) -> None:
    path = rounds_path(world.programme, world.followed_round)
    before = call(world.client, "admin", "GET", path)
    second = answer_body(before.json()["drawn"][1]["disbursement_id"], "not_received")
    opened = ok(
        call(world.client, "admin", "POST", answers(world, world.followed_round), second), 201
    )
    assert [f["opened_by"] for f in opened["follow_ups"]] == ["officer", "admin"]

    own = call(world.client, "admin", "POST", f"{path}/follow-ups/fu2/closure", PROVIDER_CLAIM)
    assert problem_of(own, 403, "four-eyes")["field"] == "actor"
    closure = f"{path}/follow-ups/fu1/closure"
    stale = call(
        world.client,
        "approver",
        "POST",
        closure,
        PROVIDER_CLAIM,
        headers={"If-Match": before.headers["etag"]},
    )
    problem_of(stale, 412, "precondition-failed")
    current = {"If-Match": call(world.client, "admin", "GET", path).headers["etag"]}
    closed = ok(call(world.client, "approver", "POST", closure, PROVIDER_CLAIM, headers=current))

    first = closed["follow_ups"][0]
    assert (first["status"], first["resolution"], first["closed_by"]) == (
        "closed",
        "provider_claim",
        "approver",
    )
    assert first["shortfall"] == closed["drawn"][0]["paid"]
    assert closed["open_follow_ups"] == 1
    again = call(world.client, "finance", "POST", closure, PROVIDER_CLAIM)
    problem_of(again, 409, "invalid-transition")

"""The entitlement of a granted case shows, per person and per payment stage, the limits as
granted with what is used and left of each, in all and in cash."""

from __future__ import annotations

from typing import Any

from tests.api.conftest import World, call, case_body


def entitlement(world: World) -> dict[str, Any]:
    shown = call(world.client, "officer", "GET", f"/cases/{world.dakar_case}/entitlement")
    assert shown.status_code == 200, shown.text
    answer: dict[str, Any] = shown.json()
    return answer


def amounts(view: dict[str, Any]) -> dict[str, str | None]:
    return {k: v["amount"] if isinstance(v, dict) else v for k, v in view.items()}


def test_each_person_shows_what_approvals_use_of_their_total_and_cash_limit(
    world: World,
) -> None:
    persons = {p["member_id"]: p for p in entitlement(world)["persons"]}

    # p: 615.00 cash and 2,000.00 in kind approved; d2: 300.00 in kind
    assert amounts(persons["p"]["use"]) == {
        "total": "2615.00",
        "used": "2615.00",
        "left": "0.00",
        "cash": "615.00",
        "cash_used": "615.00",
        "cash_left": "0.00",
        "in_kind_used": "2000.00",
    }
    assert amounts(persons["d2"]["use"]) == {
        "total": "1000.00",
        "used": "300.00",
        "left": "700.00",
        "cash": "0.00",
        "cash_used": "0.00",
        "cash_left": "0.00",
        "in_kind_used": "300.00",
    }


def test_each_stage_shows_what_payments_use_of_it_in_all_and_in_cash(world: World) -> None:
    stages = entitlement(world)["stages"]

    # post-arrival: 615.00 in cash for p; three payments of 100.00 in cash are asked or paid
    assert [(s["stage"], s["amount"]["amount"], s["cash"]["amount"]) for s in stages] == [
        ("post_arrival", "615.00", "615.00"),
        ("post_return", "4000.00", "0.00"),
    ]
    assert amounts(stages[0]["use"]) == {
        "opened": True,
        "amount": "615.00",
        "used": "300.00",
        "left": "315.00",
        "cash": "615.00",
        "cash_used": "300.00",
        "cash_left": "315.00",
    }
    assert amounts(stages[1]["use"])["used"] == "0.00"
    assert amounts(stages[0]["persons"]) == {"p": "615.00", "d1": "0.00", "d2": "0.00"}
    assert amounts(stages[1]["persons_cash"]) == {"p": "615.00", "d1": "0.00", "d2": "0.00"}


def test_a_case_not_granted_yet_shows_no_use(world: World) -> None:
    new = call(world.client, "officer", "POST", "/cases", case_body(world.client, dependants=0))
    case_id = new.json()["case_id"]

    body = call(world.client, "officer", "GET", f"/cases/{case_id}/entitlement").json()

    assert body["granted"] is False
    assert [p["use"] for p in body["persons"]] == [None]
    assert {s["use"] is None for s in body["stages"]} == {True}

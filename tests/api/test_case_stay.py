"""A case records how long its household stayed in the host country, in whole months only:
from the arrival date, or as given when only the months are known."""

from __future__ import annotations

from tests.api.conftest import World, call, case_body, problem_of


def test_an_arrival_date_is_kept_as_months_of_stay_only(world: World) -> None:
    body = case_body(world.client, dependants=0) | {"arrived_in_host_on": "2025-02-20"}
    created = call(world.client, "officer", "POST", "/cases", body)
    assert created.status_code == 201, created.text
    assert created.json()["stay_months"] == 2  # to the return on 2025-05-01
    assert "arrived_in_host_on" not in created.json()
    shown = call(world.client, "officer", "GET", f"/cases/{created.json()['case_id']}").json()
    assert shown["stay_months"] == 2


def test_giving_both_the_arrival_date_and_the_months_is_refused_naming_the_field(
    world: World,
) -> None:
    body = case_body(world.client, dependants=0) | {
        "arrived_in_host_on": "2025-02-20",
        "stay_months": 4,
    }
    refused = call(world.client, "officer", "POST", "/cases", body)
    assert problem_of(refused, 422, "validation-failed")["field"] == "stay_months"


def test_a_case_without_its_stay_shows_it_as_not_recorded(world: World) -> None:
    shown = call(world.client, "officer", "GET", f"/cases/{world.dakar_case}").json()
    assert shown["stay_months"] is None

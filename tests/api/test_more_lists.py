"""The lists that came last: payments of one member's household, the receipt-verification
rounds of a programme, and providers' mappings a page at a time; each within the caller's
offices, page after page, with its refusals naming the parameter."""

from __future__ import annotations

import pytest

from tests.api.conftest import World, call, problem_of
from tests.api.reconciliation import MAPPING_BODY
from tests.api.test_list_filters import LATER, every_page, ids, items, later
from tests.api.verification import answer_body, rounds_path

__all__ = ["later"]
"""A fixture these tests use."""


def test_a_person_filter_keeps_the_payments_on_that_persons_households_packages(
    world: World,
) -> None:
    packages = ids(
        world, "officer", f"/packages?person_id={world.dakar_person}&limit=100", "package_id"
    )
    path = f"/disbursements?person_id={world.dakar_person}&limit=100"
    found = items(world, "officer", path)
    assert found
    assert {d["package_id"] for d in found} <= packages
    every = items(world, "auditor", "/disbursements?limit=100")
    assert len(found) == sum(1 for d in every if d["package_id"] in packages)
    assert items(world, "officer", f"/disbursements?person_id={world.lagos_person}") == []


def test_a_programmes_rounds_are_listed_to_whoever_sees_their_offices(world: World) -> None:
    path = rounds_path(world.programme)
    both = {world.open_round, world.followed_round}
    assert ids(world, "officer", path, "round_id") == both
    assert ids(world, "auditor", path, "round_id") == both
    assert items(world, "officer-lagos", path) == []
    assert every_page(world, "partner", path + "?", "round_id") == sorted(both)


@pytest.mark.usefixtures("later")
def test_updated_since_keeps_a_round_answered_since(world: World) -> None:
    answered = f"{rounds_path(world.programme, world.open_round)}/answers"
    body = answer_body(world.sampled_disbursement)
    assert call(world.client, "officer", "POST", answered, body).status_code == 201
    since = LATER.isoformat().replace("+00:00", "Z")
    path = f"{rounds_path(world.programme)}?updated_since={since}"
    assert ids(world, "officer", path, "round_id") == {world.open_round}
    assert items(world, "officer", f"{rounds_path(world.programme)}?created_since={since}") == []


def test_the_rounds_of_a_programme_there_is_not_are_not_found(world: World) -> None:
    response = call(world.client, "auditor", "GET", rounds_path("no-such-programme"))
    assert problem_of(response, 404, "not-found")["field"] == "programme_id"


def test_a_cursor_of_another_programmes_rounds_is_refused(world: World) -> None:
    page = call(world.client, "auditor", "GET", rounds_path(world.programme) + "?limit=1").json()
    assert page["next_cursor"] is not None
    path = f"{rounds_path(world.programme)}?created_since=2020-01-01T00:00:00Z"
    response = call(world.client, "auditor", "GET", f"{path}&cursor={page['next_cursor']}")
    assert problem_of(response, 400, "request-invalid")["field"] == "cursor"


def test_providers_mappings_are_read_a_page_at_a_time(world: World) -> None:
    for provider in ("acme-pay", "zeta-wallet"):
        body = MAPPING_BODY | {"provider": provider}
        assert call(world.client, "finance", "POST", "/provider-mappings", body).status_code == 201
    every = sorted({"acme-pay", "zeta-wallet", world.saved_provider})
    assert every_page(world, "auditor", "/provider-mappings?", "provider") == every
    first = call(world.client, "finance", "GET", "/provider-mappings").json()
    assert [m["provider"] for m in first["items"]] == every
    assert first["next_cursor"] is None


def test_a_mappings_cursor_that_is_not_one_given_out_is_refused(world: World) -> None:
    response = call(world.client, "finance", "GET", "/provider-mappings?cursor=not-a-cursor")
    assert problem_of(response, 400, "request-invalid")["field"] == "cursor"

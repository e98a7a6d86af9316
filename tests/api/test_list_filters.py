"""List routes take filters: each keeps what matches and leaves out what does not, within the
caller's offices, page after page; a filter value the resource does not have, a time that
cannot be read and a cursor of another listing are refused naming the parameter."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest

from tests.api.conftest import FIXED_NOW, World, call, problem_of

LATER = FIXED_NOW + dt.timedelta(hours=2)


def items(world: World, user: str, path: str) -> list[dict[str, Any]]:
    response = call(world.client, user, "GET", path)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["items"]
    return found


def ids(world: World, user: str, path: str, key: str) -> set[str]:
    return {item[key] for item in items(world, user, path)}


def every_page(world: World, user: str, path: str, key: str) -> list[str]:
    """The keys of every page of `path` (which has a query already), one item a page."""
    seen: list[str] = []
    cursor = None
    while True:
        query = "&limit=1" + (f"&cursor={cursor}" if cursor else "")
        response = call(world.client, user, "GET", path + query)
        assert response.status_code == 200, response.text
        page = response.json()
        seen += [item[key] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            return seen
        assert len(seen) < 100, "the cursor never ends"


@pytest.fixture
def later(world: World) -> Iterator[None]:
    """The API's clock two hours after the world was built, for what a test does next."""
    state = world.client.app.state
    state.clock = lambda: LATER
    yield
    state.clock = lambda: FIXED_NOW


def test_a_status_filter_keeps_the_payments_in_that_status_only(world: World) -> None:
    paid = items(world, "auditor", "/disbursements?status=paid&limit=100")
    assert world.paid_disbursement in {d["disbursement_id"] for d in paid}
    assert {d["status"] for d in paid} == {"paid"}
    requested = ids(
        world, "auditor", "/disbursements?status=requested&limit=100", "disbursement_id"
    )
    assert world.requested_disbursement in requested
    assert world.paid_disbursement not in requested


def test_a_channel_filter_keeps_the_payments_through_that_channel_only(world: World) -> None:
    bank = items(world, "auditor", "/disbursements?channel=bank&limit=100")
    assert bank
    assert {d["channel"] for d in bank} == {"bank"}


def test_an_officer_asking_for_another_office_gets_an_empty_page(world: World) -> None:
    assert items(world, "officer", "/disbursements?office=lagos") == []
    assert items(world, "officer", "/cases?office=lagos") == []
    assert ids(world, "auditor", "/cases?office=lagos", "case_id") == {world.lagos_case}


def test_an_officer_sees_only_the_payments_of_their_offices(world: World) -> None:
    dakar = ids(world, "partner", "/disbursements?limit=100", "disbursement_id")
    lagos = ids(world, "partner-lagos", "/disbursements?limit=100", "disbursement_id")
    assert world.paid_disbursement in dakar
    assert lagos
    assert not dakar & lagos


def test_a_person_filter_keeps_the_cases_whose_household_has_that_person(world: World) -> None:
    path = f"/cases?person_id={world.dakar_person}"
    assert ids(world, "officer", path, "case_id") == {world.dakar_case}
    assert items(world, "officer-lagos", path) == []


def test_a_person_filter_keeps_the_packages_of_that_persons_household(world: World) -> None:
    path = f"/packages?person_id={world.dakar_person}&limit=100"
    found = ids(world, "officer", path, "package_id")
    assert {world.draft_package, world.approved_package} <= found
    assert {p["case_id"] for p in items(world, "officer", path)} == {world.dakar_case}
    assert items(world, "officer", f"/packages?person_id={world.lagos_person}") == []


def test_a_status_filter_keeps_the_packages_in_that_status_only(world: World) -> None:
    drafts = items(world, "auditor", "/packages?status=draft&limit=100")
    assert world.draft_package in {p["package_id"] for p in drafts}
    assert {p["status"] for p in drafts} == {"draft"}


def test_a_programme_filter_keeps_that_programmes_records_only(world: World) -> None:
    for path, key in (
        ("/cases", "case_id"),
        ("/packages", "package_id"),
        ("/business-plans", "plan_id"),
        ("/community-projects", "project_id"),
        ("/payment-batches", "batch_id"),
        ("/statement-imports", "import_id"),
    ):
        assert ids(world, "auditor", f"{path}?programme_id={world.programme}", key), path
        assert items(world, "auditor", f"{path}?programme_id=another") == [], path


def test_plans_and_projects_are_filtered_by_status(world: World) -> None:
    drafts = items(world, "auditor", "/business-plans?status=draft&limit=100")
    assert world.draft_plan in {p["plan_id"] for p in drafts}
    assert {p["status"] for p in drafts} == {"draft"}
    active = ids(world, "auditor", "/community-projects?status=active", "project_id")
    assert world.active_project in active
    assert world.draft_project not in active


def test_batches_are_filtered_by_status_and_channel(world: World) -> None:
    exported = ids(world, "finance", "/payment-batches?status=exported", "batch_id")
    assert exported == {world.sent_batch}
    by_bank = ids(world, "finance", "/payment-batches?channel=bank", "batch_id")
    assert by_bank == {world.open_batch}


def test_batches_and_imports_are_seen_by_finance_of_every_office(world: World) -> None:
    assert ids(world, "finance", "/payment-batches", "batch_id") == {
        world.sent_batch,
        world.open_batch,
    }
    assert ids(world, "finance", "/statement-imports", "import_id") == {world.statement_import}


@pytest.mark.parametrize("path", ["/payment-batches", "/statement-imports"])
@pytest.mark.parametrize("user", ["officer", "approver", "partner"])
def test_batches_and_imports_are_not_listed_to_casework_roles(
    world: World, path: str, user: str
) -> None:
    problem_of(call(world.client, user, "GET", path), 403, "forbidden")


@pytest.mark.usefixtures("later")
def test_updated_since_keeps_what_changed_since_even_when_made_before(world: World) -> None:
    step = f"/disbursements/{world.requested_disbursement}/approval"
    assert call(world.client, "finance", "POST", step).status_code == 200
    since = quote(LATER.isoformat())
    path = f"/disbursements?updated_since={since}"
    assert ids(world, "auditor", path, "disbursement_id") == {world.requested_disbursement}
    assert items(world, "auditor", f"/disbursements?created_since={since}") == []
    made = ids(
        world,
        "auditor",
        f"/disbursements?created_since={quote(FIXED_NOW.isoformat())}",
        "disbursement_id",
    )
    assert world.requested_disbursement in made


def test_filtered_pages_follow_one_another_and_hold_each_match_once(world: World) -> None:
    whole = items(world, "auditor", "/disbursements?office=dakar&limit=100")
    paged = every_page(world, "auditor", "/disbursements?office=dakar", "disbursement_id")
    assert len(paged) == len(whole) > 1
    assert paged == [d["disbursement_id"] for d in whole]


def test_a_cursor_sent_with_other_filters_is_refused(world: World) -> None:
    first = call(world.client, "auditor", "GET", "/disbursements?status=paid&limit=1").json()
    assert first["next_cursor"] is not None
    path = f"/disbursements?status=approved&limit=1&cursor={first['next_cursor']}"
    refused = problem_of(call(world.client, "auditor", "GET", path), 400, "request-invalid")
    assert refused["field"] == "cursor"
    assert "other filters" in refused["detail"]
    unfiltered = f"/disbursements?limit=1&cursor={first['next_cursor']}"
    problem_of(call(world.client, "auditor", "GET", unfiltered), 400, "request-invalid")


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/disbursements?status=lost", "requested, approved, paid, failed, returned, reversed"),
        ("/packages?status=paid", "draft, submitted, approved, active, closed"),
        ("/payment-batches?status=sent", "open, exported, cancelled"),
        ("/business-plans?status=finished", "draft, submitted"),
        ("/community-projects?status=closed", "draft, submitted"),
    ],
)
def test_a_status_the_resource_does_not_have_is_refused_naming_those_it_has(
    world: World, path: str, allowed: str
) -> None:
    refused = problem_of(call(world.client, "auditor", "GET", path), 400, "request-invalid")
    assert refused["field"] == "status"
    assert allowed in refused["detail"]


def test_a_channel_there_is_not_is_refused_naming_the_channels(world: World) -> None:
    answer = call(world.client, "auditor", "GET", "/disbursements?channel=pigeon")
    refused = problem_of(answer, 400, "request-invalid")
    assert refused["field"] == "channel"
    assert "bank, mobile_money, cash_agent, supplier_transfer" in refused["detail"]


@pytest.mark.parametrize("value", ["yesterday", "0.5", "2025-06-01", "2025-13-01T00:00:00Z"])
def test_a_time_that_cannot_be_read_is_refused_naming_the_field(world: World, value: str) -> None:
    answer = call(world.client, "auditor", "GET", f"/cases?updated_since={value}")
    assert problem_of(answer, 400, "request-invalid")["field"] == "updated_since"


def test_a_time_without_its_offset_is_refused_rather_than_guessed(world: World) -> None:
    answer = call(world.client, "auditor", "GET", "/cases?created_since=2025-06-01T00:00:00")
    refused = problem_of(answer, 400, "request-invalid")
    assert refused["field"] == "created_since"
    assert "offset" in refused["detail"]


def test_a_filter_a_list_does_not_take_is_refused_naming_it(world: World) -> None:
    answer = call(world.client, "finance", "GET", "/statement-imports?status=open")
    refused = problem_of(answer, 400, "request-invalid")
    assert refused["field"] == "status"
    assert "this route takes created_since, cursor, limit, programme_id" in refused["detail"]

"""The API conventions of DESIGN.md, one by one: ETags, problems, money, pages, tokens, scope."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import msgspec
import pytest

from api.app import create_app
from reintegrate.access import Role
from reintegrate.services.users import add_user
from reintegrate.store.api_records import ApiRecords
from tests.api.conftest import (
    DAKAR,
    FIXED_NOW,
    LAGOS,
    ApiClient,
    World,
    call,
    case_body,
    cash_request,
    eu_policy_json,
    eur,
    in_kind,
    package_body,
    problem_of,
)


def get(world: World, user: str, path: str) -> dict[str, Any]:
    response = call(world.client, user, "GET", path)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def etag_of(world: World, path: str) -> str:
    response = call(world.client, "officer", "GET", path)
    assert response.status_code == 200
    tag = response.headers["etag"]
    assert re.fullmatch(r'"[^"]+"', tag), tag
    return tag


# ETag and If-Match


def test_a_package_and_a_case_carry_an_etag_that_changes_with_them(world: World) -> None:
    package = f"/packages/{world.draft_package}"
    case_tag = etag_of(world, f"/cases/{world.dakar_case}")
    assert case_tag == etag_of(world, f"/cases/{world.dakar_case}")
    before = etag_of(world, package)
    assert before == etag_of(world, package)
    submitted = call(world.client, "officer", "POST", f"{package}/submission")
    assert submitted.headers["etag"] == etag_of(world, package) != before


def test_a_submission_with_the_current_etag_goes_through(world: World) -> None:
    package = f"/packages/{world.draft_package}"
    current = etag_of(world, package)
    response = call(
        world.client, "officer", "POST", f"{package}/submission", headers={"If-Match": current}
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "submitted"


def test_a_submission_with_a_stale_etag_is_refused_and_changes_nothing(world: World) -> None:
    package = f"/packages/{world.draft_package}"
    seen_by_both = etag_of(world, package)
    first = call(
        world.client, "officer", "POST", f"{package}/submission", headers={"If-Match": seen_by_both}
    )
    assert first.status_code == 200
    current, before = etag_of(world, package), world.journal_length()
    late = call(
        world.client, "partner", "POST", f"{package}/submission", headers={"If-Match": seen_by_both}
    )
    problem = problem_of(late, 412, "precondition-failed")
    assert problem["field"] == "If-Match"
    assert etag_of(world, package) == current
    assert get(world, "officer", package)["submitted_by"] == "officer"
    assert world.journal_length() == before


def test_an_approval_with_an_etag_from_before_the_submission_changes_nothing(
    world: World,
) -> None:
    package = f"/packages/{world.draft_package}"
    draft_tag = etag_of(world, package)
    call(world.client, "officer", "POST", f"{package}/submission")
    before = world.journal_length()
    late = call(
        world.client, "approver", "POST", f"{package}/approval", headers={"If-Match": draft_tag}
    )
    problem_of(late, 412, "precondition-failed")
    assert get(world, "officer", package)["status"] == "submitted"
    assert world.journal_length() == before


# Four eyes, caps, money


def test_who_approved_a_payment_cannot_confirm_it(world: World) -> None:
    payment = f"/disbursements/{world.requested_disbursement}"
    assert call(world.client, "finance", "POST", f"{payment}/approval").status_code == 200
    before = world.journal_length()
    refused = call(world.client, "finance", "POST", f"{payment}/confirmation", {})
    problem = problem_of(refused, 403, "four-eyes")
    assert problem["field"] == "actor"
    assert get(world, "auditor", payment)["status"] == "approved"
    assert world.journal_length() == before


def test_who_drafted_and_submitted_a_package_cannot_approve_it(world: World) -> None:
    drafted = call(
        world.client,
        "admin",
        "POST",
        f"/cases/{world.dakar_case}/packages",
        package_body(in_kind("100.00", "d1")),
    )
    package = f"/packages/{drafted.json()['package_id']}"
    assert call(world.client, "admin", "POST", f"{package}/submission").status_code == 200
    problem_of(call(world.client, "admin", "POST", f"{package}/approval"), 403, "four-eyes")
    assert get(world, "auditor", package)["status"] == "submitted"


def test_a_payment_over_what_is_left_on_a_component_names_the_limit(world: World) -> None:
    body = {
        "component_id": "c2",
        "amount": eur("2000.01"),
        "channel": "supplier_transfer",
        "invoice_ref": "INV-2025-7",
    }
    before = world.journal_length()
    response = call(
        world.client, "officer", "POST", f"/packages/{world.approved_package}/disbursements", body
    )
    problem = problem_of(response, 422, "limit-exceeded")
    assert problem["limit"]
    assert (problem["size"], problem["used"], problem["requested"]) == (
        "2000.00",
        "0.00",
        "2000.01",
    )
    assert problem["currency"] == "EUR"
    assert world.journal_length() == before


def test_an_approval_over_a_members_entitlement_names_the_cap(world: World) -> None:
    drafted = call(
        world.client,
        "officer",
        "POST",
        f"/cases/{world.dakar_case}/packages",
        package_body(in_kind("1000.01", "d1")),
    )
    package = f"/packages/{drafted.json()['package_id']}"
    call(world.client, "officer", "POST", f"{package}/submission")
    problem = problem_of(
        call(world.client, "approver", "POST", f"{package}/approval"), 422, "limit-exceeded"
    )
    assert "d1" in problem["limit"]
    assert (problem["size"], problem["used"], problem["requested"], problem["currency"]) == (
        "1000.00",
        "0.00",
        "1000.01",
        "EUR",
    )
    assert get(world, "officer", package)["status"] == "submitted"


def money_in(value: Any) -> list[Any]:
    """Every {"amount", "currency"} object anywhere in `value`."""
    if isinstance(value, list):
        return [m for item in value for m in money_in(item)]
    if not isinstance(value, dict):
        return []
    here = [value] if set(value) == {"amount", "currency"} else []
    return here + [m for item in value.values() for m in money_in(item)]


@pytest.mark.parametrize(
    "path",
    [
        "/packages/{approved_package}",
        "/cases/{dakar_case}/entitlement",
        "/disbursements/{paid_disbursement}",
        "/programmes/{programme}",
    ],
)
def test_money_is_a_decimal_string_with_its_currency(world: World, path: str) -> None:
    shown = get(world, "auditor", path.format(**vars(world)))
    amounts = money_in(shown)
    assert amounts
    for money in amounts:
        assert money["currency"] == "EUR"
        assert isinstance(money["amount"], str)
        assert re.fullmatch(r"\d+\.\d{2}", money["amount"]), money


def test_a_package_shows_its_total_and_what_is_paid_in_euros(world: World) -> None:
    shown = get(world, "officer", f"/packages/{world.approved_package}")
    assert shown["total"] == {"amount": "2615.00", "currency": "EUR"}
    cash = shown["components"][0]
    assert (cash["amount"], cash["paid"], cash["pending"], cash["remaining"]) == (
        eur("615.00"),
        eur("100.00"),
        eur("200.00"),
        eur("315.00"),
    )


@pytest.mark.parametrize("amount", [50, 50.5, "1e3", "NaN", "Infinity", "-5.00", "", " 5.00"])
def test_an_amount_that_is_not_a_plain_decimal_string_is_a_bad_request(
    world: World, amount: object
) -> None:
    body = {**cash_request("1.00"), "amount": {"amount": amount, "currency": "EUR"}}
    path = f"/packages/{world.approved_package}/disbursements"
    problem = problem_of(call(world.client, "officer", "POST", path, body), 400, "request-invalid")
    assert problem["field"] == "amount.amount"


def test_an_amount_in_a_list_of_components_is_named_by_its_place(world: World) -> None:
    component = {**in_kind("5.00"), "amount": {"amount": 5, "currency": "EUR"}}
    path = f"/cases/{world.dakar_case}/packages"
    body = package_body(in_kind("1.00"), component)
    problem = problem_of(call(world.client, "officer", "POST", path, body), 400, "request-invalid")
    assert problem["field"] == "components[1].amount.amount"


def test_more_decimals_than_the_currency_has_is_refused_naming_the_field(world: World) -> None:
    body = cash_request("1.001")
    path = f"/packages/{world.approved_package}/disbursements"
    response = call(world.client, "officer", "POST", path, body)
    problem = problem_of(response, 422, "invalid-amount")
    assert problem["field"] == "amount.amount"


def test_an_unknown_field_is_named_in_the_problem(world: World) -> None:
    body = {**cash_request("1.00"), "surprise": True}
    path = f"/packages/{world.approved_package}/disbursements"
    problem = problem_of(call(world.client, "officer", "POST", path, body), 400, "request-invalid")
    assert problem["field"] == "surprise"


def test_a_policy_version_cannot_take_effect_before_the_day_it_is_adopted(world: World) -> None:
    back_dated = eu_policy_json(version="2024", effective_from="2024-01-01")
    path = f"/programmes/{world.programme}/policies"
    response = call(world.client, "admin", "POST", path, back_dated)
    assert 400 <= response.status_code < 500, response.text
    assert response.json()["field"] == "effective_from"
    assert get(world, "auditor", f"/programmes/{world.programme}")["policy_versions"] == ["2022"]


# Pages


def register_cases(world: World, count: int, office: str = DAKAR) -> set[str]:
    user = "officer" if office == DAKAR else "officer-lagos"
    return {
        call(world.client, user, "POST", "/cases", case_body(world.client, office)).json()[
            "case_id"
        ]
        for _ in range(count)
    }


def every_page(world: World, user: str, path: str, limit: int) -> list[list[dict[str, Any]]]:
    pages, cursor = [], None
    while True:
        query = f"?limit={limit}" + (f"&cursor={cursor}" if cursor else "")
        page = get(world, user, path + query)
        assert len(page["items"]) <= limit
        pages.append(page["items"])
        cursor = page["next_cursor"]
        if cursor is None:
            return pages
        assert len(pages) < 100, "the cursor never ends"


def test_cases_page_one_by_one_and_each_case_is_seen_once(world: World) -> None:
    every = register_cases(world, 3) | register_cases(world, 1, LAGOS)
    every |= {world.dakar_case, world.business_case, world.lagos_case}
    pages = every_page(world, "auditor", "/cases", limit=1)
    seen = [item["case_id"] for page in pages for item in page]
    assert sorted(seen) == sorted(every)
    assert len(pages) == len(every)


def test_the_last_full_page_has_no_next_cursor(world: World) -> None:
    register_cases(world, 1)
    pages = every_page(world, "officer", "/cases", limit=3)  # with the world's two dakar cases
    assert [len(p) for p in pages] == [3]


@pytest.mark.parametrize("limit", ["101", "0", "-1", "many"])
def test_a_page_size_outside_one_to_a_hundred_is_a_bad_request(world: World, limit: str) -> None:
    response = call(world.client, "officer", "GET", f"/cases?limit={limit}")
    assert problem_of(response, 400, "request-invalid")["field"] == "limit"


def test_a_cursor_this_api_did_not_give_out_is_refused(world: World) -> None:
    response = call(world.client, "auditor", "GET", "/journal?cursor=not-a-cursor")
    assert 400 <= response.status_code < 500
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["field"] == "cursor"


def test_the_journal_pages_in_order_and_its_chain_verifies_from_the_api(world: World) -> None:
    pages = every_page(world, "auditor", "/journal", limit=4)
    entries = [e for page in pages for e in page]
    assert [e["seq"] for e in entries] == list(range(1, world.journal_length() + 1))
    assert len(pages) == -(-len(entries) // 4)
    previous = "0" * 64
    for entry in entries:
        assert entry["prev_hash"] == previous
        body = {k: entry[k] for k in ("seq", "at", "actor", "event")}
        canonical = msgspec.json.encode(body, order="sorted")
        assert hashlib.sha256(previous.encode() + canonical).hexdigest() == entry["hash"]
        previous = entry["hash"]


# Tokens and scope


def test_an_expired_token_is_unauthenticated(world: World) -> None:
    records = ApiRecords(world.store.engine)
    long_ago = FIXED_NOW - dt.timedelta(days=31)
    world.client.tokens["officer-old"] = add_user(
        records, "officer-old", long_ago, role=Role.OFFICER, offices=frozenset({DAKAR}), days=30
    )
    problem_of(call(world.client, "officer-old", "GET", "/cases"), 401, "unauthenticated")


def test_a_token_issued_before_now_and_still_valid_works(world: World) -> None:
    records = ApiRecords(world.store.engine)
    world.client.tokens["officer-new"] = add_user(
        records,
        "officer-new",
        FIXED_NOW - dt.timedelta(days=29),
        role=Role.OFFICER,
        offices=frozenset({DAKAR}),
        days=30,
    )
    assert call(world.client, "officer-new", "GET", "/cases").status_code == 200


def test_a_revoked_user_is_unauthenticated(world: World) -> None:
    assert call(world.client, "officer", "GET", "/cases").status_code == 200
    ApiRecords(world.store.engine).revoke_user("officer", FIXED_NOW - dt.timedelta(minutes=1))
    problem_of(call(world.client, "officer", "GET", "/cases"), 401, "unauthenticated")


@pytest.mark.parametrize(
    "authorization", ["Bearer rt_not-a-token", "Bearer ", "Basic b2ZmaWNlcjpzZWNyZXQ=", "rt_x"]
)
def test_a_token_that_is_not_one_of_ours_is_unauthenticated(
    world: World, authorization: str
) -> None:
    response = world.client.get("/cases", headers={"Authorization": authorization})
    problem_of(response, 401, "unauthenticated")


def test_an_auditor_sees_the_cases_of_every_office(world: World) -> None:
    offices = {c["office"] for c in get(world, "auditor", "/cases")["items"]}
    assert offices == {DAKAR, LAGOS}


def test_an_officer_sees_only_the_cases_of_their_office(world: World) -> None:
    seen = [c["case_id"] for c in get(world, "officer", "/cases")["items"]]
    assert seen == sorted([world.dakar_case, world.business_case])
    assert [c["case_id"] for c in get(world, "officer-lagos", "/cases")["items"]] == [
        world.lagos_case
    ]


def test_an_officer_cannot_register_a_case_for_another_office(world: World) -> None:
    body = case_body(world.client, LAGOS)
    before = world.journal_length()
    response = call(world.client, "officer", "POST", "/cases", body)
    assert 400 <= response.status_code < 500
    assert response.json()["field"] == "office"
    assert world.journal_length() == before


# Bodies


@pytest.mark.parametrize("with_key", [True, False], ids=["with a key", "without a key"])
def test_a_body_over_the_size_limit_is_refused_as_too_large(world: World, with_key: bool) -> None:
    headers = {"Authorization": f"Bearer {world.client.tokens['officer']}"}
    if with_key:
        headers["Idempotency-Key"] = "too-large-1"
    body = b'{"padding": "' + b"x" * 1_000_001 + b'"}'
    before = world.journal_length()
    response = world.client.post(
        "/cases", content=body, headers={**headers, "Content-Type": "application/json"}
    )
    problem_of(response, 413, "request-too-large")
    assert world.journal_length() == before


# Documentation


def test_the_openapi_document_and_the_interactive_docs_are_served_without_a_token(
    world: World,
) -> None:
    document = world.client.get("/schema/openapi.json")
    assert document.status_code == 200, document.text
    schema = document.json()
    assert schema["openapi"].startswith("3.1")
    assert "/packages/{package_id}/approval" in schema["paths"]
    assert schema["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    assert world.client.get("/schema").status_code == 200


def test_concurrent_commands_on_the_real_clock_are_recorded_in_time_order(world: World) -> None:
    """Each command reads the clock only once it is its turn, so none lands before the last
    journal entry (which would be refused as going back in time)."""
    records = ApiRecords(world.store.engine)
    today = dt.datetime.now(dt.UTC)
    token = add_user(records, "finance-now", today, role=Role.FINANCE, offices=frozenset({DAKAR}))
    rate = {
        "base": "EUR",
        "quote": "GNF",
        "rate": "9350",
        "source": "BCRG",
        "valid_from": "2024-01-01",
    }
    with ApiClient(create_app(world.store), {"finance": token}) as client:

        def record_rate(_: int) -> int:
            response = call(client, "finance", "POST", "/fx-rates", rate)
            assert response.status_code == 201, response.text
            return response.status_code

        with ThreadPoolExecutor(max_workers=8) as pool:
            statuses = list(pool.map(record_rate, range(24)))

    assert statuses == [201] * 24
    times = [entry.at for entry in world.store.entries()]
    assert times == sorted(times)

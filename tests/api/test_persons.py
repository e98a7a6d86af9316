"""/persons through the API: what each role sees (derived from the classification table),
the access log, once-only registration across offices, and erasure by two people."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from structlog.testing import capture_logs

from api.schemas_people import PersonView
from reintegrate.access import Role
from reintegrate.people.classification import PERSON_FIELDS, is_personal, visible_fields
from tests.api.conftest import (
    DAKAR,
    LAGOS,
    World,
    approve,
    call,
    case_body,
    created,
    draft,
    in_kind,
    person_body,
    problem_of,
    register_person,
    submit,
    user_with,
)
from tests.api.test_every_route import ROUTES

SHOWN_PERSONAL = [f for f in PersonView.__struct_fields__ if f in PERSON_FIELDS and is_personal(f)]


def get(world: World, who: str, path: str, **headers: str) -> dict[str, Any]:
    response = call(world.client, who, "GET", path, headers=headers)
    assert response.status_code == 200, response.text
    found: dict[str, Any] = response.json()
    return found


def access_log(world: World, person_id: str) -> list[dict[str, Any]]:
    """Every entry of the access log about `person_id`, page by page."""
    items: list[dict[str, Any]] = []
    path: str | None = f"/access-log?person_id={person_id}&limit=100"
    while path is not None:
        page = get(world, "auditor", path)
        items += page["items"]
        cursor = page["next_cursor"]
        path = f"/access-log?person_id={person_id}&limit=100&cursor={cursor}" if cursor else None
    return items


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_exactly_the_fields_the_classification_table_gives_it(
    world: World, role: Role
) -> None:
    shown = get(world, user_with(role), f"/persons/{world.dakar_person}")

    visible = {f for f in SHOWN_PERSONAL if shown[f] is not None}
    expected = {f for f in SHOWN_PERSONAL if f in visible_fields(role)}
    assert visible == expected - {"birth_date"}  # the dakar principal has a birth year only
    assert set(shown["withheld"]) == set(SHOWN_PERSONAL) - visible_fields(role)


def test_a_read_showing_personal_data_is_logged_without_any_personal_value(world: World) -> None:
    path = f"/persons/{world.dakar_person}"
    get(world, "officer", path, **{"X-Purpose": "casework"})
    get(world, "auditor", path)  # sees nothing personal: not a read to log

    log = access_log(world, world.dakar_person)
    last = log[-1]
    assert (last["user_id"], last["route"], last["purpose"]) == (
        "officer",
        "/persons/{person_id}",
        "casework",
    )
    assert set(last["classes"]) == {"personal", "sensitive"}
    assert all(item["user_id"] != "auditor" for item in log)
    family = get(world, "officer", path)["family_name"]
    assert family not in str(log)


def test_a_purpose_is_a_code_not_prose(world: World) -> None:
    response = call(
        world.client,
        "officer",
        "GET",
        f"/persons/{world.dakar_person}",
        headers={"X-Purpose": "file of Awa Diallo"},
    )
    assert response.status_code == 400


def test_the_access_log_is_for_auditors_and_admins(world: World) -> None:
    problem_of(call(world.client, "officer", "GET", "/access-log"), 403, "forbidden")


def test_the_same_identifiers_in_another_office_are_refused_without_naming_the_person(
    world: World,
) -> None:
    body = person_body(DAKAR, birth_year=1980) | {"phones": ["+221 77 123 45 67"]}
    first = created(call(world.client, "officer", "POST", "/persons", body), "person_id")
    again = person_body(LAGOS, birth_year=1981, country="NG") | {"phones": ["+221771234567"]}

    elsewhere = problem_of(
        call(world.client, "officer-lagos", "POST", "/persons", again), 409, "person-exists"
    )
    assert first not in str(elsewhere)
    assert DAKAR not in str(elsewhere)
    here = person_body(DAKAR, birth_year=1981) | {"phones": ["77 123 45 67"]}
    named = problem_of(
        call(world.client, "officer", "POST", "/persons", here), 409, "person-exists"
    )
    assert first in named["detail"]


def test_a_person_in_an_open_case_cannot_join_another_case(world: World) -> None:
    case = get(world, "officer", f"/cases/{world.dakar_case}")
    body = {
        "programme_id": "eurp",
        "office": DAKAR,
        "country_of_return": "SN",
        "return_date": "2024-03-01",
        "return_type": "assisted_voluntary",
        "members": [
            {"member_id": "p", "person_id": case["members"][0]["person_id"], "role": "principal"}
        ],
    }
    refused = problem_of(
        call(world.client, "officer", "POST", "/cases", body), 409, "person-in-open-case"
    )
    assert refused["field"] == "members[0].person_id"


def test_an_erasure_is_confirmed_by_another_person_and_leaves_the_person_erased(
    world: World,
) -> None:
    person_id = register_person(world.client, DAKAR, 1990, "SN")
    path = f"/persons/{person_id}/erasure"
    asked = call(world.client, "admin", "POST", path, {"reason": "person_asked"})
    assert asked.json()["status"] == "erasure_requested"

    problem_of(call(world.client, "admin", "POST", f"{path}/confirmation"), 403, "four-eyes")
    erased = call(world.client, "approver", "POST", f"{path}/confirmation").json()

    assert erased["status"] == "erased"
    shown = get(world, "officer", f"/persons/{person_id}")
    assert all(shown[f] is None for f in SHOWN_PERSONAL)


def test_a_person_in_an_open_case_cannot_be_erased(world: World) -> None:
    path = f"/persons/{world.dakar_person}/erasure"
    refused = problem_of(
        call(world.client, "admin", "POST", path, {"reason": "person_asked"}),
        409,
        "erasure-refused",
    )
    assert world.dakar_case in refused["detail"]


def test_a_case_shows_its_members_person_as_erased_once_erased(world: World) -> None:
    body = case_body(world.client, DAKAR, dependants=0)
    case_id = created(call(world.client, "officer", "POST", "/cases", body), "case_id")
    package = approve(
        world.client, submit(world.client, draft(world.client, case_id, in_kind("10.00")))
    )
    closed = call(world.client, "approver", "POST", f"/packages/{package}/closure")
    assert closed.status_code == 200, closed.text
    person_id = body["members"][0]["person_id"]
    path = f"/persons/{person_id}/erasure"
    call(world.client, "admin", "POST", path, {"reason": "person_asked"})
    call(world.client, "approver", "POST", f"{path}/confirmation")

    case = get(world, "auditor", f"/cases/{case_id}")

    assert case["members"][0] == {
        "member_id": "p",
        "person_id": person_id,
        "role": "principal",
        "person_status": "erased",
    }


def test_an_erased_persons_values_are_in_no_log_and_no_database_file(world: World) -> None:
    marker = f"MK{uuid.uuid4().hex[:10]}"
    body = person_body(DAKAR, birth_year=1990) | {
        "given_names": f"{marker}given",
        "family_name": f"{marker}family",
        "address": f"{marker} street",
        "external_refs": [f"{marker}ref"],
    }
    with capture_logs() as logs:
        person_id = created(call(world.client, "officer", "POST", "/persons", body), "person_id")
        shown = get(world, "officer", f"/persons/{person_id}", **{"X-Purpose": "casework"})
        path = f"/persons/{person_id}/erasure"
        call(world.client, "admin", "POST", path, {"reason": "person_asked"})
        call(world.client, "approver", "POST", f"{path}/confirmation")
        log = access_log(world, person_id)

    assert shown["family_name"] == f"{marker}family"
    assert marker not in str(logs)
    assert marker not in str(log)
    database = Path(world.store.url.removeprefix("sqlite:///"))
    assert database.exists()
    for file in (database, database.with_name(database.name + "-wal")):
        assert not file.exists() or marker.encode() not in file.read_bytes(), file.name


PAYMENT_FILE = "/payment-batches/{batch_id}/export"
"""The route whose answer names the people paid, with their payout instruments."""


def test_only_roles_that_see_names_and_payout_instruments_may_export_a_payment_file() -> None:
    route = next(r for r in ROUTES if (r.method, r.path) == ("POST", PAYMENT_FILE))
    needed = {"given_names", "family_name", "payout"}
    assert route.roles
    assert all(needed <= visible_fields(role) for role in route.roles), route.roles


def test_each_person_named_in_an_exported_file_is_in_the_access_log(world: World) -> None:
    path = f"/payment-batches/{world.open_batch}/export"
    response = call(world.client, "finance", "POST", path, {"format": "csv"})
    assert response.status_code == 200

    batch = get(world, "auditor", f"/payment-batches/{world.open_batch}")
    payment = batch["items"][0]["disbursement_id"]
    case_id = get(world, "auditor", f"/disbursements/{payment}")["case_id"]
    members = get(world, "auditor", f"/cases/{case_id}")["members"]
    logged = {
        (e["user_id"], e["route"]) for m in members for e in access_log(world, m["person_id"])
    }
    assert ("finance", PAYMENT_FILE) in logged


def test_finance_sees_a_persons_name_only_once_a_payment_to_them_was_requested(
    world: World,
) -> None:
    unpaid = register_person(world.client, DAKAR, 1990, "SN")

    assert get(world, "finance", f"/persons/{unpaid}")["family_name"] is None
    assert get(world, "officer", f"/persons/{unpaid}")["family_name"] is not None
    assert get(world, "finance", f"/persons/{world.dakar_person}")["family_name"] is not None

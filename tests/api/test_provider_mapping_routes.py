"""Providers' saved CSV column mappings over HTTP: saved, replaced, listed, and read by the
statement imports that name the provider; with the refusals and their field."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.conftest import World, call, problem_of
from tests.api.reconciliation import (
    MAPPING_BODY,
    imports_path,
    saved_statement_upload,
    statement_upload,
)

FEE = b"date,reference,amount,currency,status,counterparty\n2025-06-03,,-2.00,EUR,SUCCESS,fee\n"
"""A statement the world has not imported: one fee line."""
SEMICOLONS = b"date;reference;amount;currency;status;counterparty\n2025-06-03;;-3,00;EUR;;fee\n"
"""The same provider's file once it writes semicolons and decimal commas."""


def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    found: dict[str, Any] = response.json()
    return found


def save(world: World, body: dict[str, Any], who: str = "finance") -> httpx.Response:
    return call(world.client, who, "POST", "/provider-mappings", body)


def test_saving_again_replaces_the_mapping_and_the_journal_keeps_both(world: World) -> None:
    provider = world.saved_provider
    before = world.journal_length()
    changed = MAPPING_BODY | {"delimiter": ";", "decimal_separator": ","}
    saved = ok(save(world, changed, who="admin"), 201)
    assert (saved["version"], saved["saved_by"], saved["seq"]) == (2, "admin", before + 1)
    shown = ok(call(world.client, "auditor", "GET", f"/provider-mappings/{provider}"))
    assert shown["mapping"]["delimiter"] == ";"
    assert shown == saved
    listed = ok(call(world.client, "finance", "GET", "/provider-mappings"))
    assert [m["provider"] for m in listed["items"]] == [provider]
    journal = ok(call(world.client, "auditor", "GET", "/journal?newest_first=true&limit=100"))
    kept = [e for e in journal["items"] if e["type"] == "ProviderMappingSaved"]
    assert [e["actor"] for e in kept] == ["admin", "finance"]


def test_an_import_naming_a_provider_reads_its_file_with_the_mapping_saved_last(
    world: World,
) -> None:
    save(world, MAPPING_BODY | {"delimiter": ";", "decimal_separator": ","}).raise_for_status()
    body = saved_statement_upload(SEMICOLONS, world.saved_provider)
    imported = ok(call(world.client, "finance", "POST", imports_path(world.programme), body), 201)
    assert imported["provider"] == world.saved_provider
    assert imported["totals"][0]["debits"] == {"amount": "3.00", "currency": "EUR"}


def test_an_import_naming_a_provider_with_no_saved_mapping_is_refused_and_nothing_written(
    world: World,
) -> None:
    before = world.journal_length()
    body = saved_statement_upload(FEE, "lagos-bank")
    response = call(world.client, "finance", "POST", imports_path(world.programme), body)
    problem = problem_of(response, 404, "not-found")
    assert problem["field"] == "saved_mapping"
    assert "lagos-bank" in problem["detail"]
    assert world.journal_length() == before


def test_an_import_with_a_mapping_and_a_saved_one_is_refused(world: World) -> None:
    body = statement_upload(FEE) | {"saved_mapping": world.saved_provider}
    before = world.journal_length()
    response = call(world.client, "finance", "POST", imports_path(world.programme), body)
    assert problem_of(response, 422, "validation-failed")["field"] == "saved_mapping"
    assert world.journal_length() == before


def test_a_csv_statement_with_neither_mapping_names_both(world: World) -> None:
    body = statement_upload(FEE)
    del body["mapping"]
    response = call(world.client, "finance", "POST", imports_path(world.programme), body)
    problem = problem_of(response, 422, "statement-rejected")
    assert problem["field"] == "mapping"
    assert "saved_mapping" in problem["detail"]


def test_a_mapping_is_saved_only_under_a_provider_name_that_can_name_it(world: World) -> None:
    before = world.journal_length()
    nameless = {k: v for k, v in MAPPING_BODY.items() if k != "provider"}
    for body in (nameless, MAPPING_BODY | {"provider": "Lagos Bank/EUR"}):
        problem = problem_of(save(world, body), 422, "validation-failed")
        assert problem["field"] == "provider"
    assert world.journal_length() == before


def test_a_mapping_that_cannot_be_used_is_a_bad_request(world: World) -> None:
    both = MAPPING_BODY | {"fixed_currency": "EUR"}
    problem = problem_of(save(world, both), 400, "request-invalid")
    assert "fixed_currency" in problem["detail"]


def test_a_mapping_of_a_debit_and_a_credit_column_is_saved_and_reads_its_provider_files(
    world: World,
) -> None:
    pair = MAPPING_BODY | {"amount": None, "debit_amount": "out", "credit_amount": "in"}
    saved = ok(save(world, pair), 201)
    assert (saved["mapping"]["debit_amount"], saved["mapping"]["amount"]) == ("out", None)
    data = (
        b"date,reference,out,in,currency,status,counterparty\n"
        b"2025-06-03,,2.00,,EUR,SUCCESS,fee\n2025-06-04,,0.00,,EUR,,card hold\n"
    )
    body = saved_statement_upload(data, world.saved_provider)
    imported = ok(call(world.client, "finance", "POST", imports_path(world.programme), body), 201)
    assert imported["totals"][0]["entries"] == 1
    assert imported["totals"][0]["debits"] == {"amount": "2.00", "currency": "EUR"}
    assert imported["remarks"] == [
        "1 line has an amount of zero: it moves no money and is left out (line 3)"
    ]


def test_a_mapping_naming_an_amount_column_and_a_debit_and_credit_pair_is_a_bad_request(
    world: World,
) -> None:
    both = MAPPING_BODY | {"debit_amount": "out", "credit_amount": "in"}
    problem = problem_of(save(world, both), 400, "request-invalid")
    assert "debit_amount and credit_amount, not both" in problem["detail"]

"""Reconciliation over HTTP: payments batched, exported as the provider's file, the
provider's statement imported once, every finding shown as JSON, CSV or XLSX, decisions
proposed and confirmed by a second person, and what the statement proves applied; with the
refusals the domain gives (their field), the four eyes and the roles."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from typing import Any

import httpx
import pytest
from sqlalchemy import text

from tests.api.conftest import World, call, eur, problem_of
from tests.api.reconciliation import (
    FEE_WRITE_OFF,
    MAPPING_JSON,
    batch_body,
    imports_path,
    statement_of,
    statement_upload,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    found: dict[str, Any] = response.json()
    return found


def export(world: World, batch_id: str, fmt: str = "csv", who: str = "finance") -> httpx.Response:
    response = call(
        world.client, who, "POST", f"/payment-batches/{batch_id}/export", {"format": fmt}
    )
    assert response.status_code == 200, response.text
    return response


def get(world: World, who: str, path: str) -> dict[str, Any]:
    return ok(call(world.client, who, "GET", path))


def findings(world: World, import_id: str) -> dict[str, list[dict[str, Any]]]:
    shown = get(world, "finance", f"/statement-imports/{import_id}/reconciliation")
    by_outcome: dict[str, list[dict[str, Any]]] = {}
    for finding in shown["findings"]:
        by_outcome.setdefault(finding["outcome"], []).append(finding)
    return by_outcome


def status_of(world: World, disbursement_id: str) -> str:
    found = get(world, "admin", f"/disbursements/{disbursement_id}")["status"]
    assert isinstance(found, str)
    return found


def test_a_payment_is_batched_exported_reconciled_decided_and_applied_over_http(
    world: World,
) -> None:
    batches = f"/programmes/{world.programme}/payment-batches"
    batch = ok(call(world.client, "finance", "POST", batches, batch_body()), 201)
    assert batch["count"] == 1
    assert batch["items"][0]["disbursement_id"] == world.approved_disbursement
    assert batch["items"][0]["payee"] is None  # a beneficiary is only the payment's id

    exported = export(world, batch["batch_id"])
    assert exported.headers["content-type"].startswith("text/csv")
    [row] = list(csv.DictReader(io.StringIO(exported.text)))
    person = get(world, "finance", f"/persons/{world.dakar_person}")
    wallet = next(p for p in person["payout"] if p["kind"] == "mobile_money")
    assert row == {
        "reference": world.approved_disbursement,
        "amount": "100.00",
        "currency": "EUR",
        "mobile_number": wallet["number"],
        "name": f"{person['given_names']} {person['family_name']}",
    }
    shown = get(world, "auditor", f"/payment-batches/{batch['batch_id']}")
    digest = hashlib.sha256(exported.content).hexdigest()
    assert (shown["status"], shown["exports"]) == (
        "exported",
        [{"format": "csv", "sha256": digest}],
    )

    upload = statement_upload(statement_of(exported.content))
    imported = ok(call(world.client, "finance", "POST", imports_path(world.programme), upload), 201)
    assert imported["totals"] == [
        {"currency": "EUR", "entries": 3, "credits": eur("100.00"), "debits": eur("101.50")}
    ]
    found = findings(world, imported["import_id"])
    assert [f["disbursement_id"] for f in found["returned_or_reversed"]] == [
        world.approved_disbursement
    ]
    fee = found["unknown_line"][0]["position"]

    decisions = f"/statement-imports/{imported['import_id']}/decisions"
    decided = ok(
        call(world.client, "finance", "POST", decisions, FEE_WRITE_OFF | {"position": fee}), 201
    )
    decision = decided["decisions"][0]
    assert (decision["status"], decision["proposed_by"]) == ("proposed", "finance")
    confirmation = f"{decisions}/{decision['decision_id']}/confirmation"
    confirmed = ok(call(world.client, "admin", "POST", confirmation))
    assert confirmed["decisions"][0]["confirmed_by"] == "admin"

    application = f"/statement-imports/{imported['import_id']}/application"
    applied = ok(call(world.client, "finance", "POST", application))
    assert applied["recorded"]["DisbursementFailed"] == 1
    assert status_of(world, world.approved_disbursement) == "returned"


def test_applying_the_worlds_statement_pays_what_it_proves_and_applying_again_records_nothing(
    world: World,
) -> None:
    application = f"/statement-imports/{world.statement_import}/application"
    first = ok(call(world.client, "finance", "POST", application))
    assert first == {
        "import_id": world.statement_import,
        "recorded": {"DisbursementFailed": 1, "DisbursementPaid": 2},
    }
    found = findings(world, world.statement_import)
    assert {status_of(world, f["disbursement_id"]) for f in found["matched"]} == {"paid"}
    assert status_of(world, world.missing_payment) == "approved"
    before = world.journal_length()
    again = ok(call(world.client, "admin", "POST", application))
    assert again["recorded"] == {}
    assert world.journal_length() == before


def test_exporting_again_gives_the_same_bytes_and_is_recorded_again(world: World) -> None:
    first = export(world, world.open_batch, "pain001")
    before = world.journal_length()
    again = export(world, world.open_batch, "pain001")
    assert again.content == first.content
    assert world.journal_length() == before + 1
    shown = get(world, "auditor", f"/payment-batches/{world.open_batch}")
    assert shown["exports"] == [
        {"format": "pain001", "sha256": hashlib.sha256(first.content).hexdigest()}
    ]
    assert first.headers["content-type"].startswith("application/xml")
    assert first.headers["content-disposition"] == (
        f'attachment; filename="{world.open_batch}-pain001.xml"'
    )
    assert b"<NbOfTxs>2</NbOfTxs>" in first.content
    assert b"<CtrlSum>130.00</CtrlSum>" in first.content


def test_an_exported_batch_cannot_be_cancelled(world: World) -> None:
    export(world, world.open_batch)
    path = f"/payment-batches/{world.open_batch}/cancellation"
    response = call(world.client, "finance", "POST", path, {"reason": "too late"})
    problem_of(response, 409, "invalid-transition")


def test_a_cancelled_batch_frees_its_payments_for_a_new_batch(world: World) -> None:
    path = f"/payment-batches/{world.open_batch}/cancellation"
    cancelled = ok(call(world.client, "finance", "POST", path, {"reason": "wrong provider"}))
    assert (cancelled["status"], cancelled["cancellation_reason"]) == (
        "cancelled",
        "wrong provider",
    )
    batches = f"/programmes/{world.programme}/payment-batches"
    again = ok(call(world.client, "finance", "POST", batches, batch_body("bank")), 201)
    assert (again["count"], again["total"]) == (2, eur("130.00"))
    response = call(
        world.client,
        "finance",
        "POST",
        f"/payment-batches/{world.open_batch}/export",
        {"format": "csv"},
    )
    problem_of(response, 409, "invalid-transition")


def test_a_batch_with_no_approved_payment_to_take_is_refused_naming_the_provider(
    world: World,
) -> None:
    batches = f"/programmes/{world.programme}/payment-batches"
    response = call(world.client, "finance", "POST", batches, batch_body("cash_agent"))
    assert problem_of(response, 422, "validation-failed")["field"] == "provider"


def test_a_cancellation_with_a_stale_etag_is_refused_and_changes_nothing(world: World) -> None:
    shown = call(world.client, "finance", "GET", f"/payment-batches/{world.open_batch}")
    tag = shown.headers["etag"]
    export(world, world.open_batch)
    before = world.journal_length()
    path = f"/payment-batches/{world.open_batch}/cancellation"
    response = call(
        world.client, "finance", "POST", path, {"reason": "x"}, headers={"If-Match": tag}
    )
    assert problem_of(response, 412, "precondition-failed")["field"] == "If-Match"
    assert world.journal_length() == before


def test_the_same_statement_twice_is_refused_naming_the_file(world: World) -> None:
    content = statement_of(export(world, world.sent_batch).content)
    before = world.journal_length()
    response = call(
        world.client, "finance", "POST", imports_path(world.programme), statement_upload(content)
    )
    problem = problem_of(response, 409, "statement-already-imported")
    assert problem["field"] == "file"
    assert world.journal_length() == before


def lines(*rows: str) -> bytes:
    """A statement of the demo provider with `rows` after its header."""
    return "\n".join(["date,reference,amount,currency,status,counterparty", *rows, ""]).encode()


@pytest.mark.parametrize(
    ("content", "field"),
    [
        (lines("2025-06-02,x,-1.00,EUR,SUCCESS,w", "2025-06-02,y,-1.0.0,EUR,SUCCESS,w"), "line 3"),
        (lines("2025-06-02,x,-1.001,EUR,SUCCESS,w"), "line 2"),
        (lines("2025-13-02,x,-1.00,EUR,SUCCESS,w"), "line 2"),
        (lines("2025-06-02,x,-1.00,XXX,SUCCESS,w"), "line 2"),
    ],
    ids=["amount", "decimals", "date", "currency"],
)
def test_a_malformed_statement_is_refused_naming_the_place_at_fault_and_nothing_is_written(
    world: World, content: bytes, field: str
) -> None:
    before = world.journal_length()
    response = call(
        world.client, "finance", "POST", imports_path(world.programme), statement_upload(content)
    )
    problem = problem_of(response, 422, "statement-rejected")
    assert problem["field"].startswith(field)
    assert world.journal_length() == before


def test_a_csv_statement_without_its_mapping_is_refused_naming_the_mapping(world: World) -> None:
    body = statement_upload(b"date,amount\n2025-06-02,-1.00\n")
    del body["mapping"]
    response = call(world.client, "finance", "POST", imports_path(world.programme), body)
    assert problem_of(response, 422, "statement-rejected")["field"] == "mapping"


@pytest.mark.parametrize(
    "mapping", ["{not json", '{"amount": "amount"}', MAPPING_JSON[:-1] + ', "x": 1}']
)
def test_a_mapping_that_is_no_csv_mapping_is_a_bad_request_naming_it(
    world: World, mapping: str
) -> None:
    body = statement_upload(b"date,amount\n2025-06-02,-1.00\n", mapping=mapping)
    response = call(world.client, "finance", "POST", imports_path(world.programme), body)
    assert problem_of(response, 400, "request-invalid")["field"] == "mapping"


def test_an_import_shows_its_totals_and_the_decisions_taken_on_it(world: World) -> None:
    shown = call(world.client, "auditor", "GET", f"/statement-imports/{world.statement_import}")
    imported = ok(shown)
    assert shown.headers["etag"] == f'"statement-import-{world.statement_import}-v2"'
    assert (imported["format"], imported["provider"]) == ("csv", "demo-mobile-money")
    assert [t["entries"] for t in imported["totals"]] == [7]
    assert imported["decisions"] == [
        {
            "decision_id": world.fee_decision,
            "position": imported["decisions"][0]["position"],
            "kind": "write_off",
            "reason": FEE_WRITE_OFF["reason"],
            "disbursement_id": None,
            "status": "proposed",
            "proposed_by": "finance",
            "confirmed_by": None,
        }
    ]


def test_who_proposed_a_decision_cannot_confirm_it(world: World) -> None:
    path = (
        f"/statement-imports/{world.statement_import}/decisions/{world.fee_decision}/confirmation"
    )
    before = world.journal_length()
    problem_of(call(world.client, "finance", "POST", path), 403, "four-eyes")
    assert world.journal_length() == before
    ok(call(world.client, "finance-lagos", "POST", path))  # another finance user may


def test_a_manual_match_names_the_payment_it_settles(world: World) -> None:
    path = f"/statement-imports/{world.statement_import}/decisions"
    short = findings(world, world.statement_import)["amount_differs"][0]["position"]
    body = {"position": short, "kind": "match", "reason": "the provider took a fee"}
    response = call(world.client, "finance", "POST", path, body)
    assert problem_of(response, 422, "validation-failed")["field"] == "disbursement_id"


def test_a_decision_on_a_place_the_statement_does_not_have_is_not_found(world: World) -> None:
    path = f"/statement-imports/{world.statement_import}/decisions"
    body = FEE_WRITE_OFF | {"position": "line 999"}
    assert (
        problem_of(call(world.client, "finance", "POST", path, body), 404, "not-found")["field"]
        == "position"
    )


def test_a_second_decision_on_the_same_place_is_refused(world: World) -> None:
    imported = get(world, "finance", f"/statement-imports/{world.statement_import}")
    position = imported["decisions"][0]["position"]
    path = f"/statement-imports/{world.statement_import}/decisions"
    body = FEE_WRITE_OFF | {"position": position}
    problem_of(call(world.client, "admin", "POST", path, body), 409, "invalid-transition")


@pytest.mark.parametrize(
    ("who", "method", "path"),
    [
        ("officer", "POST", "/programmes/eurp/payment-batches"),
        ("approver", "POST", "/payment-batches/{batch}/export"),
        ("auditor", "POST", "/payment-batches/{batch}/cancellation"),
        ("partner", "GET", "/payment-batches/{batch}"),
        ("approver", "GET", "/statement-imports/{imp}"),
        ("auditor", "POST", "/statement-imports/{imp}/application"),
    ],
)
def test_only_finance_and_admins_do_finance_work_and_auditors_only_read(
    world: World, who: str, method: str, path: str
) -> None:
    at = path.format(batch=world.open_batch, imp=world.statement_import)
    body = {"format": "csv"} if at.endswith("export") else {"reason": "x"}
    response = call(world.client, who, method, at, body if method == "POST" else None)
    assert who in problem_of(response, 403, "forbidden")["detail"]


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/payment-batches/bat_nothing", "batch_id"),
        ("/statement-imports/imp_nothing", "import_id"),
        ("/statement-imports/imp_nothing/reconciliation", "import_id"),
    ],
)
def test_an_unknown_batch_or_import_is_not_found(world: World, path: str, field: str) -> None:
    response = call(world.client, "auditor", "GET", path)
    assert problem_of(response, 404, "not-found")["field"] == field


def test_the_reconciliation_comes_as_csv_or_as_a_workbook(world: World) -> None:
    path = f"/statement-imports/{world.statement_import}/reconciliation"
    as_csv = call(world.client, "auditor", "GET", f"{path}?format=csv")
    assert as_csv.status_code == 200, as_csv.text
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.headers["content-disposition"].startswith("attachment;")
    rows = as_csv.text.splitlines()
    assert rows[0].startswith("outcome,position,reference,disbursement_id")
    assert len(rows) == 1 + 7
    as_xlsx = call(world.client, "finance", "GET", path, headers={"Accept": XLSX})
    assert as_xlsx.headers["content-type"] == XLSX
    with zipfile.ZipFile(io.BytesIO(as_xlsx.content)) as book:
        assert "xl/workbook.xml" in book.namelist()


def test_an_export_is_not_kept_for_replay_since_it_names_people(world: World) -> None:
    path = f"/payment-batches/{world.open_batch}/export"
    first = call(world.client, "finance", "POST", path, {"format": "csv"}, key="export-1")
    assert first.status_code == 200
    before = world.journal_length()

    again = call(world.client, "finance", "POST", path, {"format": "csv"}, key="export-1")

    assert again.headers["idempotent-replayed"] == "true"
    problem_of(again, 409, "answer-not-kept")
    assert world.journal_length() == before
    name = first.content.decode().splitlines()[1].split(",")[-1]
    with world.store.engine.connect() as conn:
        kept = b"".join(
            bytes(row[0] or b"") for row in conn.execute(text("SELECT body FROM idempotency_keys"))
        )
    assert name
    assert name.encode() not in kept

"""A community project's tranches paid as any payment is, through the API, on SQLite and on
PostgreSQL: released into the payee's bank account, approved, put in a bank batch, exported
(the file names the partner and the account), matched on the bank's statement and applied;
the project then shows the tranche paid, and one returned is left to pay again; the
financial report counts both, in agreement with the ledger, and the audit verifies."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from api.app import create_app
from reintegrate.services.audit import verify_audit
from reintegrate.store.sql import SqlStore
from tests.api.community import PARTNER, RELEASE, ProjectSteps
from tests.api.conftest import (
    DAKAR,
    FIXED_NOW,
    PROGRAMME,
    ApiClient,
    add_users,
    call,
    case_body,
    created,
    eu_policy_json,
    eur,
    programme_body,
)
from tests.api.plans import pdf, png, upload
from tests.api.reconciliation import bank_statement, batch_body, imports_path, statement_upload


class Api:
    """The API over one database, as its users call it."""

    def __init__(self, client: ApiClient) -> None:
        self.client = client

    def post(self, who: str, path: str, body: Any = None) -> Any:
        response = call(self.client, who, "POST", path, body)
        assert response.is_success, f"{path}: {response.status_code}: {response.text}"
        return (
            response.json()
            if response.headers["content-type"].startswith("application/")
            else response.content
        )

    def get(self, who: str, path: str) -> Any:
        response = call(self.client, who, "GET", path)
        assert response.is_success, f"{path}: {response.status_code}: {response.text}"
        return response.json()


@pytest.fixture
def api(database_url: str) -> Iterator[tuple[Api, SqlStore]]:
    store = SqlStore(database_url)
    store.create_all()
    tokens = add_users(store)
    with ApiClient(create_app(store, clock=lambda: FIXED_NOW), tokens) as client:
        created(call(client, "admin", "POST", "/programmes", programme_body()), "programme_id")
        policies = f"/programmes/{PROGRAMME}/policies"
        created(call(client, "admin", "POST", policies, eu_policy_json()), "version")
        yield Api(client), store
    store.engine.dispose()
    store.reader.dispose()


def two_released_tranches(api: Api) -> tuple[str, str, str]:
    """A project with its cash tranche c1 and its pump tranche k1 released and approved:
    (project, c1's payment, k1's payment)."""
    case = created(
        call(api.client, "officer", "POST", "/cases", case_body(api.client, DAKAR)), "case_id"
    )
    steps = ProjectSteps(api.post)
    project = steps.approved(steps.draft((case, "p")))
    steps.verified(project, "cleared", upload("photo", png("e2e-cleared")))
    cash = steps.released(project, "c1")
    steps.verified(
        project, "pumping", upload("photo", png("e2e-pump")), upload("receipt", pdf("e2e"), "60.00")
    )
    pump = steps.released(project, "k1")
    for payment in (cash, pump):
        api.post("approver", f"/disbursements/{payment}/approval")
    return project, cash, pump


def test_a_community_tranche_is_batched_exported_matched_and_applied_like_any_payment(
    api: tuple[Api, SqlStore],
) -> None:
    client, store = api
    project, cash, pump = two_released_tranches(client)
    shown = client.get("finance", f"/disbursements/{cash}")
    assert (shown["project_id"], shown["tranche_id"], shown["channel"]) == (project, "c1", "bank")

    batch = client.post("finance", f"/programmes/{PROGRAMME}/payment-batches", batch_body("bank"))
    assert sorted(i["disbursement_id"] for i in batch["items"]) == sorted([cash, pump])
    exported = client.post(
        "finance", f"/payment-batches/{batch['batch_id']}/export", {"format": "csv"}
    )
    assert PARTNER in exported.decode()
    assert RELEASE["payout"]["iban"] in exported.decode()

    statement = bank_statement(exported, returned={pump})
    imported = client.post("finance", imports_path(PROGRAMME), statement_upload(statement))
    applied = client.post("finance", f"/statement-imports/{imported['import_id']}/application")
    assert applied["recorded"] == {"ProjectDisbursementFailed": 1, "ProjectDisbursementPaid": 1}

    paid = client.get("officer", f"/community-projects/{project}")
    assert [(p["tranche_id"], p["status"]) for p in paid["payments"]] == [
        ("c1", "paid"),
        ("k1", "returned"),
    ]
    assert (paid["paid"], paid["pending"]) == (eur("60.00"), eur("0.00"))
    assert client.get("finance", f"/disbursements/{pump}")["status"] == "returned"
    again = client.post("finance", f"/community-projects/{project}/tranches/k1/release", RELEASE)
    assert [p["status"] for p in again["payments"]] == ["paid", "returned", "pending"]
    figures = client.get("finance", f"/programmes/{PROGRAMME}/financial-report")
    assert figures["agrees_with_ledger"]
    paid_and_returned = (figures["total"]["figures"][k]["amount"] for k in ("paid", "returned"))
    assert tuple(paid_and_returned) == ("60.00", "180.00")
    report = verify_audit(store)
    assert report.ok, report

"""Reconciliation for the API tests: request bodies, the provider's statement, and the
batches, import and decision of the world.

The lagos household's principal gets a cash package of 300.00 EUR whose payments go out by
mobile money (10.00 to 50.00 EUR, five of them) and by bank transfer (60.00 and 70.00 EUR),
each requested by the lagos officer and approved by the lagos approver. Finance batches the
mobile-money payments and exports them as CSV (the sent batch), batches the bank transfers
without exporting them (the open batch), saves the demo provider's CSV column mapping, imports
what the demo provider sends back for the sent batch with that saved mapping (one payment
returned, one paid short, one paid twice, one missing, a fee the programme never sent) and
proposes a write-off of the fee line. Finance works for the whole programme: its batches,
statements and providers' mappings belong to no office. Every person of the world is
registered with a mobile-money wallet and a bank account (`payout_body`), which the exported
files name.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
from collections.abc import Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import msgspec

from reintegrate.demo.provider import provider_statement
from reintegrate.reconcile.statements.csv_mapping import CsvMapping
from tests.api.plans import FilePart

Send = Callable[[str, str, str, Any], httpx.Response]
"""(user, method, path, body) -> the response."""
STATEMENT_DAY = dt.date(2025, 6, 2)
MOBILE_MONEY = ("10.00", "20.00", "30.00", "40.00", "50.00")
BANK = ("60.00", "70.00")
MAPPING_FILE = Path(__file__).resolve().parents[2] / "examples" / "providers" / "mobile-money.toml"
MAPPING = msgspec.toml.decode(MAPPING_FILE.read_bytes(), type=CsvMapping)
MAPPING_JSON = msgspec.json.encode(MAPPING).decode()
"""The demo provider's column mapping as the JSON text an import's `mapping` part holds."""
MAPPING_BODY: dict[str, Any] = msgspec.to_builtins(MAPPING)
"""The demo provider's column mapping as the body of POST /provider-mappings."""
MOBILE_RANGES = {"SN": "+22177", "NG": "+234803"}
"""Mobile ranges where a prefix and seven digits make a well-formed number."""
_WALLETS = itertools.count(1)
IBAN, BIC = "DE89370400440532013000", "COBADEFFXXX"


def payout_body(country: str) -> list[dict[str, str]]:
    """A person's payout instruments: a wallet (a number no other person of the process has)
    and a bank account, by IBAN and BIC, or in Nigeria by a local account number."""
    wallet = {
        "type": "mobile_money",
        "number": f"{MOBILE_RANGES[country]}{next(_WALLETS):07d}",
        "operator": "test-money",
    }
    if country == "NG":
        account = {
            "type": "bank_account",
            "bank": "Test Bank Lagos",
            "account_number": "0123456789",
        }
    else:
        account = {"type": "bank_account", "iban": IBAN, "bic": BIC}
    return [wallet, account]


FEE_WRITE_OFF = {"kind": "write_off", "reason": "the provider's fee, booked as a cost"}


def batch_body(provider: str = "mobile_money", currency: str = "EUR") -> dict[str, str]:
    return {"provider": provider, "currency": currency}


def statement_of(batch_csv: bytes) -> bytes:
    """What the demo provider sends back for an exported CSV batch."""
    return provider_statement(batch_csv, STATEMENT_DAY)


def bank_statement(
    exported: bytes, *, returned: Collection[str] = (), absent: Collection[str] = ()
) -> bytes:
    """A bank's statement of an exported CSV batch, read with the demo provider's mapping:
    every payment booked but those `absent`, and those `returned` sent back the same day."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("date", "reference", "amount", "currency", "status", "counterparty"))
    on = STATEMENT_DAY.isoformat()
    for row in csv.DictReader(io.StringIO(exported.decode())):
        ref, amount, currency = row["reference"], row["amount"], row["currency"]
        if ref in absent:
            continue
        writer.writerow((on, ref, f"-{amount}", currency, "SUCCESS", "bank"))
        if ref in returned:
            writer.writerow((on, ref, amount, currency, "RETURNED", "bank"))
    return out.getvalue().encode()


def statement_upload(content: bytes, **parts: str) -> dict[str, Any]:
    """A statement import's form: the CSV file with the demo provider's mapping."""
    return {"file": FilePart(content, "text/csv", "statement.csv"), "mapping": MAPPING_JSON} | parts


def saved_statement_upload(content: bytes, provider: str | None = None) -> dict[str, Any]:
    """A statement import's form: the CSV file read with a provider's saved mapping."""
    file = FilePart(content, "text/csv", "statement.csv")
    return {"file": file, "saved_mapping": provider or MAPPING.provider}


def imports_path(programme: str) -> str:
    return f"/programmes/{programme}/statement-imports"


@dataclass(frozen=True)
class ReconciliationIds:
    sent_batch: str
    """The five mobile-money payments, exported as CSV."""
    open_batch: str
    """The two bank transfers, not exported."""
    statement_import: str
    """The provider's statement of the sent batch."""
    fee_decision: str
    """A write-off of the statement's fee line proposed by finance, not confirmed."""
    missing_payment: str
    """The sent payment the statement does not show: open, no decision on it."""
    saved_provider: str
    """The demo provider, whose mapping is saved (once) and read the statement."""


def _ok(response: httpx.Response) -> Any:
    assert response.is_success, f"{response.request.url}: {response.status_code}: {response.text}"
    return response.json() if response.headers["content-type"].startswith("application/") else None


def build_reconciliation(send: Send, programme: str, lagos_case: str) -> ReconciliationIds:
    def post(who: str, path: str, body: Any = None) -> Any:
        return _ok(send(who, "POST", path, body))

    cash = {"member_id": "p", "form": "cash", "category": "business"}
    components = [cash | {"amount": {"amount": "300.00", "currency": "EUR"}}]
    body = {"budget_line": "individual", "components": components}
    package = post("officer-lagos", f"/cases/{lagos_case}/packages", body)["package_id"]
    post("officer-lagos", f"/packages/{package}/submission")
    post("approver-lagos", f"/packages/{package}/approval")
    channels = [("mobile_money", a) for a in MOBILE_MONEY] + [("bank", a) for a in BANK]
    for channel, amount in channels:
        request = {
            "component_id": "c1",
            "amount": {"amount": amount, "currency": "EUR"},
            "channel": channel,
        }
        payment = post("officer-lagos", f"/packages/{package}/disbursements", request)
        post("approver-lagos", f"/disbursements/{payment['disbursement_id']}/approval")
    batches = f"/programmes/{programme}/payment-batches"
    sent = post("finance", batches, batch_body())["batch_id"]
    exported = send("finance", "POST", f"/payment-batches/{sent}/export", {"format": "csv"})
    _ok(exported)
    opened = post("finance", batches, batch_body("bank"))["batch_id"]
    saved = post("finance", "/provider-mappings", MAPPING_BODY)["provider"]
    upload = saved_statement_upload(statement_of(exported.content), saved)
    imported = post("finance", imports_path(programme), upload)["import_id"]
    found = _ok(send("finance", "GET", f"/statement-imports/{imported}/reconciliation", None))
    open_ = {f["outcome"]: f for f in found["findings"]}
    fee = open_["unknown_line"]["position"]
    decided = post(
        "finance", f"/statement-imports/{imported}/decisions", FEE_WRITE_OFF | {"position": fee}
    )
    return ReconciliationIds(
        sent_batch=sent,
        open_batch=opened,
        statement_import=imported,
        fee_decision=decided["decisions"][0]["decision_id"],
        missing_payment=open_["missing"]["disbursement_id"],
        saved_provider=saved,
    )

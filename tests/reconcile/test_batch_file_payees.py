"""The exported batch files name who is paid with the instrument their provider pays to:
pain.001.001.09 valid against the official schema, the mobile-money CSV with number, name,
amount and reference; a person without the instrument refuses the whole export, and every
export is journaled with who made it and the file's hash."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from xml.etree import ElementTree as ET

import msgspec
import pytest
import xmlschema

from reintegrate import events as ev
from reintegrate.adapters.batch_files import PAIN_001
from reintegrate.errors import ValidationFailed
from reintegrate.grants.disbursements import Channel
from reintegrate.people.records import BankAccount, CashPickup, MobileMoney, PayoutInstrument
from reintegrate.reconcile.batches.batch import BatchStatus
from reintegrate.reconcile.batches.payees import PayoutInstrumentMissing
from reintegrate.services import packages as ps
from reintegrate.services import people
from reintegrate.services import reconciliation as rs
from reintegrate.services.audit import verify_audit
from reintegrate.store.base import Store
from reintegrate.store.memory import MemoryStore
from tests import builders as b
from tests.people.builders import CHECKS, marked_person, new_marker

XSD = Path(__file__).resolve().parent / "fixtures" / "pain.001.001.09.xsd"
NS = {"p": PAIN_001}
IBAN_DE, BIC_DE = "DE89370400440532013000", "COBADEFFXXX"
IBAN_FR = "FR1420041010050500013M02606"
DEBTOR_IBAN, DEBTOR_BIC = "BE68539007547034", "GEBABEBB"


@pytest.fixture(scope="module")
def schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(XSD))


@pytest.fixture
def store() -> Store:
    s = MemoryStore()
    b.programme(s)
    return s


SERIALS = 9_000_000
"""Added to a person's serial: their phone numbers are then none a demo person has."""


def person(store: Store, case_id: str, serial: int, *payout: PayoutInstrument) -> str:
    """A person registered with `payout` as the principal of `case_id` (the case's member
    reference is their external reference); their full name."""
    data = msgspec.structs.replace(
        marked_person(new_marker(), SERIALS + serial),
        payout=payout,
        external_refs=(f"person-{case_id}-p",),
    )
    people.register_person(store, CHECKS, b.OFFICER, b.SOON, office=b.OFFICE, data=data)
    b.register(store, b.household(case_id, dependants=0))
    return f"{data.given_names} {data.family_name}"


def paid(store: Store, case_id: str, channel: Channel, amount: int = 10000) -> str:
    """An approved cash payment of `amount` to the case's principal by `channel`."""
    b.approved_package(store, case_id, b.cash("c1", 61500), package_id=f"pkg-{case_id}")
    d = b.requested(store, f"pkg-{case_id}", "c1", amount, channel=channel)
    return ps.approve_disbursement(store, b.FINANCE, b.SOON, d.disbursement_id).disbursement_id


def batch(store: Store, channel: Channel, batch_id: str) -> None:
    rs.make_batch(
        store,
        b.FINANCE,
        b.SOON,
        programme_id=b.PROGRAMME,
        provider=channel,
        currency="EUR",
        batch_id=batch_id,
    )


def exports(store: Store, batch_id: str) -> list[tuple[str, ev.PaymentBatchExported]]:
    return [
        (e.actor, e.event)
        for e in store.entries()
        if isinstance(e.event, ev.PaymentBatchExported) and e.event.batch_id == batch_id
    ]


def transfers(content: bytes) -> dict[str, ET.Element]:
    root = ET.fromstring(content)
    return {
        t.findtext("p:PmtId/p:EndToEndId", namespaces=NS) or "": t
        for t in root.iterfind(".//p:CdtTrfTxInf", NS)
    }


def test_a_bank_batch_to_people_is_a_valid_pain001_naming_each_account(
    store: Store, schema: xmlschema.XMLSchema
) -> None:
    full = person(store, "case-a", 1, BankAccount(iban=IBAN_DE, bic=BIC_DE))
    no_bic = person(
        store,
        "case-b",
        2,
        MobileMoney(number="+221780000002", operator="m"),
        BankAccount(iban=IBAN_FR),
    )
    local = person(
        store, "case-c", 3, BankAccount(bank="Banque Locale", account_number="0012345678")
    )
    ids = [paid(store, c, Channel.BANK) for c in ("case-a", "case-b", "case-c")]
    batch(store, Channel.BANK, "bat-bank")

    _, content = rs.export_batch(
        store,
        b.FINANCE,
        b.SOON,
        "bat-bank",
        fmt="pain001",
        debtor="EU Reintegration Programme",
        debtor_iban="be68 5390 0754 7034",
        debtor_bic=DEBTOR_BIC,
    )

    schema.validate(io.BytesIO(content))
    found = transfers(content)
    a, bb, c = (found[i] for i in ids)
    assert a.findtext("p:Cdtr/p:Nm", namespaces=NS) == full
    assert a.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) == IBAN_DE
    assert a.findtext("p:CdtrAgt/p:FinInstnId/p:BICFI", namespaces=NS) == BIC_DE
    assert bb.findtext("p:Cdtr/p:Nm", namespaces=NS) == no_bic
    assert bb.findtext("p:CdtrAcct/p:Id/p:IBAN", namespaces=NS) == IBAN_FR
    assert bb.find("p:CdtrAgt", NS) is None
    assert c.findtext("p:Cdtr/p:Nm", namespaces=NS) == local
    assert c.findtext("p:CdtrAcct/p:Id/p:Othr/p:Id", namespaces=NS) == "0012345678"
    assert c.findtext("p:CdtrAgt/p:FinInstnId/p:Nm", namespaces=NS) == "Banque Locale"
    info = ET.fromstring(content).find(".//p:PmtInf", NS)
    assert info is not None
    assert info.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=NS) == DEBTOR_IBAN
    assert info.findtext("p:DbtrAgt/p:FinInstnId/p:BICFI", namespaces=NS) == DEBTOR_BIC


def test_without_the_debtors_account_the_file_says_not_provided_and_stays_valid(
    store: Store, schema: xmlschema.XMLSchema
) -> None:
    person(store, "case-a", 1, BankAccount(iban=IBAN_DE, bic=BIC_DE))
    paid(store, "case-a", Channel.BANK)
    batch(store, Channel.BANK, "bat-bank")
    _, content = rs.export_batch(store, b.FINANCE, b.SOON, "bat-bank", fmt="pain001")
    schema.validate(io.BytesIO(content))
    info = ET.fromstring(content).find(".//p:PmtInf", NS)
    assert info is not None
    assert info.findtext("p:Dbtr/p:Nm", namespaces=NS) == b.PROGRAMME
    assert info.findtext("p:DbtrAcct/p:Id/p:Othr/p:Id", namespaces=NS) == "NOTPROVIDED"
    assert info.findtext("p:DbtrAgt/p:FinInstnId/p:Othr/p:Id", namespaces=NS) == "NOTPROVIDED"


def test_a_supplier_transfer_keeps_the_supplier_and_the_invoice_and_is_valid(
    store: Store, schema: xmlschema.XMLSchema
) -> None:
    b.register(store, b.household("case-s", dependants=0))
    b.approved_package(store, "case-s", b.in_kind("k1", 50000), package_id="pkg-s")
    d = b.requested(
        store, "pkg-s", "k1", 50000, channel=Channel.SUPPLIER_TRANSFER, invoice_ref="INV-7"
    )
    ps.approve_disbursement(store, b.FINANCE, b.SOON, d.disbursement_id)
    batch(store, Channel.SUPPLIER_TRANSFER, "bat-sup")

    _, content = rs.export_batch(store, b.FINANCE, b.SOON, "bat-sup", fmt="pain001")

    schema.validate(io.BytesIO(content))
    transfer = transfers(content)[d.disbursement_id]
    assert transfer.findtext("p:Cdtr/p:Nm", namespaces=NS) == "supplier-1"
    assert transfer.findtext("p:RmtInf/p:Ustrd", namespaces=NS) == "INV-7"
    _, as_csv = rs.export_batch(store, b.FINANCE, b.SOON, "bat-sup", fmt="csv")
    assert as_csv.decode().splitlines() == [
        "reference,amount,currency,payee,invoice_ref",
        f"{d.disbursement_id},500.00,EUR,supplier-1,INV-7",
    ]


def test_the_mobile_money_csv_holds_number_name_amount_and_reference(store: Store) -> None:
    name = person(store, "case-a", 1, MobileMoney(number="+221 78 000 00 01", operator="m"))
    d = paid(store, "case-a", Channel.MOBILE_MONEY, 1234)
    batch(store, Channel.MOBILE_MONEY, "bat-mm")

    _, content = rs.export_batch(store, b.FINANCE, b.SOON, "bat-mm", fmt="csv")

    assert list(csv.DictReader(io.StringIO(content.decode()))) == [
        {
            "reference": d,
            "amount": "12.34",
            "currency": "EUR",
            "mobile_number": "+221780000001",
            "name": name,
        }
    ]


def test_a_cash_agent_gets_the_name_and_the_id_document_to_hand_cash_against(
    store: Store,
) -> None:
    name = person(store, "case-a", 7, CashPickup(document=0))
    d = paid(store, "case-a", Channel.CASH_AGENT, 2000)
    batch(store, Channel.CASH_AGENT, "bat-cash")
    _, content = rs.export_batch(store, b.FINANCE, b.SOON, "bat-cash", fmt="csv")
    [row] = list(csv.DictReader(io.StringIO(content.decode())))
    assert (row["reference"], row["name"], row["document_type"]) == (d, name, "passport")
    assert row["document_number"].endswith("9000007")
    assert row["mobile_number"] == "+221779000007"  # the contact phone: no wallet


def test_a_person_without_a_wallet_refuses_the_export_whole_and_nothing_is_journaled(
    store: Store,
) -> None:
    person(store, "case-a", 1, MobileMoney(number="+221780000001", operator="m"))
    person(store, "case-b", 2, BankAccount(iban=IBAN_DE, bic=BIC_DE))
    paid(store, "case-a", Channel.MOBILE_MONEY)
    missing = paid(store, "case-b", Channel.MOBILE_MONEY)
    batch(store, Channel.MOBILE_MONEY, "bat-mm")
    before = len(list(store.entries()))

    with pytest.raises(PayoutInstrumentMissing) as refused:
        rs.export_batch(store, b.FINANCE, b.SOON, "bat-mm", fmt="csv")

    assert refused.value.type == "payout-instrument-missing"
    assert refused.value.field == f"items.{missing}"
    assert refused.value.details["needs"] == "mobile_money"
    assert len(list(store.entries())) == before
    with store.unit_of_work() as uow:
        assert rs.load_batch(uow, "bat-mm").status is BatchStatus.OPEN


def test_every_export_is_journaled_with_who_which_batch_and_the_same_hash(store: Store) -> None:
    person(store, "case-a", 1, MobileMoney(number="+221780000001", operator="m"))
    paid(store, "case-a", Channel.MOBILE_MONEY)
    batch(store, Channel.MOBILE_MONEY, "bat-mm")

    _, first = rs.export_batch(store, b.FINANCE, b.SOON, "bat-mm", fmt="csv")
    shown, again = rs.export_batch(store, b.TREASURER, b.SOON, "bat-mm", fmt="csv")

    assert again == first
    journaled = exports(store, "bat-mm")
    assert [actor for actor, _ in journaled] == [b.FINANCE.user_id, b.TREASURER.user_id]
    assert {e.file_hash for _, e in journaled} == {shown.exported[0][1]}
    assert shown.exported == (("csv", journaled[0][1].file_hash),)
    assert verify_audit(store).ok


def test_pain001_is_for_bank_accounts_and_a_debtor_iban_is_checked(store: Store) -> None:
    person(store, "case-a", 1, MobileMoney(number="+221780000001", operator="m"))
    paid(store, "case-a", Channel.MOBILE_MONEY)
    batch(store, Channel.MOBILE_MONEY, "bat-mm")
    with pytest.raises(ValidationFailed) as refused:
        rs.export_batch(store, b.FINANCE, b.SOON, "bat-mm", fmt="pain001")
    assert refused.value.field == "format"
    with pytest.raises(ValidationFailed) as wrong:
        rs.export_batch(
            store, b.FINANCE, b.SOON, "bat-mm", fmt="csv", debtor_iban="DE00370400440532013000"
        )
    assert wrong.value.field == "debtor_iban"
    assert exports(store, "bat-mm") == []

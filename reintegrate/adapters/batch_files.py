"""The files a batch is exported as: CSV for mobile money and cash agents, ISO 20022
pain.001 (customer credit transfer initiation, version 09) for banks.

Each carries what the provider needs to pay, and no more: the pseudonymous payment reference,
the amount and the currency, and who is paid. A person is named with the payout instrument
their payment goes to (`payees.Payee`, opened from their record at export): in the CSV their
mobile number and name for mobile money, their name and ID document for a cash agent, their
name and account for a bank; in pain.001 their name as creditor, their IBAN (or local account
number) as the creditor's account and their bank's BIC where known. A supplier is named as
the batch names it, with the invoice. pain.001 also names the paying organisation's account
and bank, where given. A file is built from the batch and its payees alone (its date is the
batch's), so exporting a batch twice gives the same bytes and the same hash.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Mapping, Sequence
from xml.etree import ElementTree as ET

import msgspec

from reintegrate import events as ev
from reintegrate.errors import ValidationFailed
from reintegrate.grants.disbursements import CHANNEL_WORDS, Channel
from reintegrate.money import format_minor
from reintegrate.notes import plain
from reintegrate.reconcile.batches.batch import PaymentBatch
from reintegrate.reconcile.batches.payees import (
    INSTRUMENT_OF,
    INSTRUMENT_WORDS,
    Payee,
    PayoutInstrumentMissing,
)
from reintegrate.texts import Text

PAIN_001 = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"
FORMATS = ("csv", "pain001")
BANK_FILE_CHANNELS = (Channel.BANK, Channel.SUPPLIER_TRANSFER)
"""The channels a pain.001 file can pay: it moves money between bank accounts."""
NOT_PROVIDED = "NOTPROVIDED"
"""pain.001's identifier of the debtor's account or bank when the export does not give it."""
MAX_NAME = 140
"""pain.001's longest name (Max140Text)."""
PERSON_COLUMNS = {
    Channel.MOBILE_MONEY: ("mobile_number", "name"),
    Channel.CASH_AGENT: (
        "name",
        "document_type",
        "document_number",
        "document_country",
        "mobile_number",
    ),
    Channel.BANK: ("name", "iban", "bic", "bank", "account_number"),
}
"""The CSV's columns naming a person paid by each channel, after reference, amount, currency."""
SUPPLIER_COLUMNS = ("payee", "invoice_ref")
_IBAN = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}")
_BIC = re.compile(r"[A-Z0-9]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?")


class Debtor(msgspec.Struct, frozen=True, kw_only=True):
    """The paying organisation, as pain.001 names it: its name, its account's IBAN and its
    bank's BIC (empty when not given)."""

    name: str
    iban: str = ""
    bic: str = ""


def debtor(name: str, iban: str | None = None, bic: str | None = None) -> Debtor:
    """The debtor with its IBAN and BIC in normal form (no spaces, upper case), checked."""
    iban = _compact(iban)
    bic = _compact(bic)
    if iban and not (_IBAN.fullmatch(iban) and _iban_checksum(iban) == 1):
        raise ValidationFailed(Text("debtor_iban is not a valid IBAN"), field="debtor_iban")
    if bic and not _BIC.fullmatch(bic):
        raise ValidationFailed(Text("debtor_bic is not a valid BIC"), field="debtor_bic")
    return Debtor(name=name, iban=iban, bic=bic)


def _compact(value: str | None) -> str:
    return re.sub(r"\s+", "", value or "").upper()


def _iban_checksum(iban: str) -> int:
    """ISO 13616: the IBAN with its first four characters moved to the end, letters as
    numbers (A = 10 ... Z = 35), modulo 97; 1 for a valid IBAN."""
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97


def check_format(batch: PaymentBatch, fmt: str) -> None:
    """`fmt` is a format this batch is exported as (a pain.001 pays bank accounts only)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown batch file format {fmt!r} (one of {', '.join(FORMATS)})")
    if fmt == "pain001" and batch.provider not in BANK_FILE_CHANNELS:
        raise ValidationFailed(
            Text(
                "batch {batch} pays by {channel}: pain.001 is for bank and supplier transfers; "
                "export it as csv",
                batch=batch.batch_id,
                channel=CHANNEL_WORDS[batch.provider],
            ),
            field="format",
        )


def file_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _payee(item: ev.BatchItem, payees: Mapping[str, Payee], channel: Channel) -> Payee:
    """The person `item` pays; a file is never made without them."""
    found = payees.get(item.disbursement_id)
    if found is None:
        needs = INSTRUMENT_OF[channel]
        raise PayoutInstrumentMissing(
            Text(
                "payment {payment} goes to a person with no {instrument} on record",
                payment=item.disbursement_id,
                instrument=INSTRUMENT_WORDS[needs],
            ),
            field=f"items.{item.disbursement_id}",
            details={"disbursement_ids": [item.disbursement_id], "needs": needs},
        )
    return found


def batch_csv(batch: PaymentBatch, payees: Mapping[str, Payee]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    supplier = batch.provider is Channel.SUPPLIER_TRANSFER
    columns = SUPPLIER_COLUMNS if supplier else PERSON_COLUMNS[batch.provider]
    writer.writerow(["reference", "amount", "currency", *columns])
    for item in batch.items:
        row = [item.reference, format_minor(item.amount, batch.currency), batch.currency]
        writer.writerow([*row, *_party(batch, item, payees, columns)])
    return out.getvalue().encode()


def _party(
    batch: PaymentBatch, item: ev.BatchItem, payees: Mapping[str, Payee], columns: Sequence[str]
) -> list[str]:
    if item.payee:
        return [plain(item.payee), plain(item.invoice_ref)]
    payee = _payee(item, payees, batch.provider)
    return [str(getattr(payee, column)) for column in columns]


def batch_pain001(batch: PaymentBatch, debtor: Debtor, payees: Mapping[str, Payee]) -> bytes:
    """A pain.001.001.09 document: one payment information block, one transfer per payment."""
    ET.register_namespace("", PAIN_001)
    root = ET.Element(_q("Document"))
    initiation = ET.SubElement(root, _q("CstmrCdtTrfInitn"))
    total = format_minor(batch.total, batch.currency)
    header = ET.SubElement(initiation, _q("GrpHdr"))
    _text(header, "MsgId", batch.batch_id)
    _text(header, "CreDtTm", f"{batch.created_on.isoformat()}T00:00:00")
    _text(header, "NbOfTxs", str(batch.count))
    _text(header, "CtrlSum", total)
    _text(ET.SubElement(header, _q("InitgPty")), "Nm", debtor.name[:MAX_NAME])
    info = ET.SubElement(initiation, _q("PmtInf"))
    _text(info, "PmtInfId", batch.batch_id)
    _text(info, "PmtMtd", "TRF")
    _text(info, "NbOfTxs", str(batch.count))
    _text(info, "CtrlSum", total)
    _text(ET.SubElement(info, _q("ReqdExctnDt")), "Dt", batch.created_on.isoformat())
    _debtor(info, debtor)
    for item in batch.items:
        _transfer(ET.SubElement(info, _q("CdtTrfTxInf")), batch, item, payees)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document


def _debtor(info: ET.Element, debtor: Debtor) -> None:
    """Dbtr, DbtrAcct and DbtrAgt, which pain.001 requires: the account and the bank are
    NOTPROVIDED when the export does not give them (the bank takes its customer's own)."""
    _text(ET.SubElement(info, _q("Dbtr")), "Nm", debtor.name[:MAX_NAME])
    account = ET.SubElement(ET.SubElement(info, _q("DbtrAcct")), _q("Id"))
    if debtor.iban:
        _text(account, "IBAN", debtor.iban)
    else:
        _text(ET.SubElement(account, _q("Othr")), "Id", NOT_PROVIDED)
    bank = ET.SubElement(ET.SubElement(info, _q("DbtrAgt")), _q("FinInstnId"))
    if debtor.bic:
        _text(bank, "BICFI", debtor.bic)
    else:
        _text(ET.SubElement(bank, _q("Othr")), "Id", NOT_PROVIDED)


def _transfer(
    transfer: ET.Element, batch: PaymentBatch, item: ev.BatchItem, payees: Mapping[str, Payee]
) -> None:
    _text(ET.SubElement(transfer, _q("PmtId")), "EndToEndId", item.reference)
    amount = ET.SubElement(ET.SubElement(transfer, _q("Amt")), _q("InstdAmt"))
    amount.set("Ccy", batch.currency)
    amount.text = format_minor(item.amount, batch.currency)
    if item.payee:
        _text(ET.SubElement(transfer, _q("Cdtr")), "Nm", plain(item.payee)[:MAX_NAME])
    else:
        _creditor(transfer, _payee(item, payees, batch.provider))
    if item.invoice_ref:
        _text(ET.SubElement(transfer, _q("RmtInf")), "Ustrd", plain(item.invoice_ref))


def _creditor(transfer: ET.Element, payee: Payee) -> None:
    """CdtrAgt (the bank's BIC and name, where known), Cdtr and CdtrAcct, in the schema's
    order."""
    if payee.bic or payee.bank:
        bank = ET.SubElement(ET.SubElement(transfer, _q("CdtrAgt")), _q("FinInstnId"))
        if payee.bic:
            _text(bank, "BICFI", payee.bic)
        if payee.bank:
            _text(bank, "Nm", payee.bank[:MAX_NAME])
    _text(ET.SubElement(transfer, _q("Cdtr")), "Nm", payee.name[:MAX_NAME])
    if payee.iban or payee.account_number:
        account = ET.SubElement(ET.SubElement(transfer, _q("CdtrAcct")), _q("Id"))
        if payee.iban:
            _text(account, "IBAN", payee.iban)
        else:
            _text(ET.SubElement(account, _q("Othr")), "Id", payee.account_number)


def _q(tag: str) -> str:
    return f"{{{PAIN_001}}}{tag}"


def _text(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, _q(tag)).text = value


def render(batch: PaymentBatch, fmt: str, debtor: Debtor, payees: Mapping[str, Payee]) -> bytes:
    """The batch's file in `fmt`; `payees` names each person paid, by disbursement id."""
    check_format(batch, fmt)
    if fmt == "csv":
        return batch_csv(batch, payees)
    return batch_pain001(batch, debtor, payees)

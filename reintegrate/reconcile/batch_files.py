"""The files a batch is exported as: CSV for mobile money and cash agents, ISO 20022
pain.001 (customer credit transfer initiation, version 09) for banks.

Both carry only what the provider needs: the pseudonymous payment reference, the amount and
the currency, and for transfers to suppliers the supplier and the invoice. A file is built
from the batch alone (its date is the batch's), so exporting a batch twice gives the same
bytes and the same hash.
"""

from __future__ import annotations

import csv
import hashlib
import io
from xml.etree import ElementTree as ET

from reintegrate.money import format_minor
from reintegrate.reconcile.batches import PaymentBatch

PAIN_001 = "urn:iso:std:iso:20022:tech:xsd:pain.001.001.09"
FORMATS = ("csv", "pain001")


def file_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def batch_csv(batch: PaymentBatch) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    supplier = any(i.payee for i in batch.items)
    header = ["reference", "amount", "currency"]
    writer.writerow([*header, "payee", "invoice_ref"] if supplier else header)
    for item in batch.items:
        row = [item.reference, format_minor(item.amount, batch.currency), batch.currency]
        writer.writerow([*row, item.payee, item.invoice_ref] if supplier else row)
    return out.getvalue().encode()


def batch_pain001(batch: PaymentBatch, debtor: str) -> bytes:
    """A pain.001.001.09 document: one payment information block, one transfer per payment."""
    ET.register_namespace("", PAIN_001)
    root = ET.Element(_q("Document"))
    initiation = ET.SubElement(root, _q("CstmrCdtTrfInitn"))
    total = format_minor(batch.total, batch.currency)
    header = ET.SubElement(initiation, _q("GrpHdr"))
    _text(header, _q("MsgId"), batch.batch_id)
    _text(header, _q("CreDtTm"), f"{batch.created_on.isoformat()}T00:00:00")
    _text(header, _q("NbOfTxs"), str(batch.count))
    _text(header, _q("CtrlSum"), total)
    _text(ET.SubElement(header, _q("InitgPty")), _q("Nm"), debtor)
    info = ET.SubElement(initiation, _q("PmtInf"))
    _text(info, _q("PmtInfId"), batch.batch_id)
    _text(info, _q("PmtMtd"), "TRF")
    _text(info, _q("NbOfTxs"), str(batch.count))
    _text(info, _q("CtrlSum"), total)
    _text(ET.SubElement(info, _q("ReqdExctnDt")), _q("Dt"), batch.created_on.isoformat())
    _text(ET.SubElement(info, _q("Dbtr")), _q("Nm"), debtor)
    for item in batch.items:
        transfer = ET.SubElement(info, _q("CdtTrfTxInf"))
        _text(ET.SubElement(transfer, _q("PmtId")), _q("EndToEndId"), item.reference)
        amount = ET.SubElement(ET.SubElement(transfer, _q("Amt")), _q("InstdAmt"))
        amount.set("Ccy", batch.currency)
        amount.text = format_minor(item.amount, batch.currency)
        _text(ET.SubElement(transfer, _q("Cdtr")), _q("Nm"), item.payee or item.reference)
        if item.invoice_ref:
            _text(ET.SubElement(transfer, _q("RmtInf")), _q("Ustrd"), item.invoice_ref)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document


def _q(tag: str) -> str:
    return f"{{{PAIN_001}}}{tag}"


def _text(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, tag).text = value


def render(batch: PaymentBatch, fmt: str, debtor: str) -> bytes:
    if fmt == "csv":
        return batch_csv(batch)
    if fmt == "pain001":
        return batch_pain001(batch, debtor)
    raise ValueError(f"unknown batch file format {fmt!r} (one of {', '.join(FORMATS)})")

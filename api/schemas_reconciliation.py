"""Request and response bodies of reconciliation: payment batches, statement imports, the
decisions taken on what matching left open, what applying recorded, and providers' saved CSV
column mappings (whose request body is the mapping itself, `CsvMapping`).

Amounts are money objects in the batch's or the statement's currency. A batch shows who is
paid only for transfers to suppliers (the supplier and the invoice); a beneficiary is only
ever the payment's random id. Only the exported file names the people paid, with their payout
instrument, for the provider.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Annotated

import msgspec
from litestar.datastructures import UploadFile

from api.schemas import CurrencyCode, Id, In, Label, MoneyOut, Out, Reason
from reintegrate.events import DecisionKind
from reintegrate.grants.disbursements import Channel
from reintegrate.reconcile.batches.batch import BatchStatus
from reintegrate.reconcile.statements.csv_mapping import CsvMapping

MAX_MAPPING = 8_000
"""Characters of a CSV column mapping sent as JSON text."""
MappingText = Annotated[str, msgspec.Meta(min_length=2, max_length=MAX_MAPPING)]
Iban = Annotated[
    str, msgspec.Meta(min_length=5, max_length=42, examples=["DE89370400440532013000"])
]
Bic = Annotated[str, msgspec.Meta(min_length=8, max_length=11, examples=["COBADEFFXXX"])]
Position = Annotated[
    str, msgspec.Meta(min_length=1, max_length=100, examples=["line 4", "Stmt[1]/Ntry[3]"])
]


class BatchFileFormat(enum.StrEnum):
    CSV = "csv"
    """reference, amount, currency, then who is paid: mobile_number, name (mobile money);
    name, document_type, document_number, document_country, mobile_number (cash agent); name,
    iban, bic, bank, account_number (bank); payee, invoice_ref (transfers to suppliers)."""
    PAIN001 = "pain001"
    """ISO 20022 pain.001.001.09, customer credit transfer initiation (bank and supplier
    transfers only): each creditor's name, account and bank where known."""


class StatementFormat(enum.StrEnum):
    CSV = "csv"
    MT940 = "mt940"
    CAMT053 = "camt053"


class BatchCreate(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    provider: Channel
    currency: CurrencyCode


class ExportIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    format: BatchFileFormat
    debtor: Label | None = None
    """pain.001's debtor name; the programme's id when absent."""
    debtor_iban: Iban | None = None
    """pain.001's debtor account (DbtrAcct); NOTPROVIDED when absent."""
    debtor_bic: Bic | None = None
    """pain.001's debtor bank (DbtrAgt); NOTPROVIDED when absent."""


Encoding = Annotated[
    str, msgspec.Meta(min_length=2, max_length=20, pattern=r"^[A-Za-z][A-Za-z0-9_.:-]*$")
]


class StatementUpload(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """multipart/form-data: the statement file, its format when it is not to be detected,
    and for a CSV either the provider's column mapping as JSON text (see
    examples/providers/mobile-money.toml for its fields) or the name of a provider whose
    mapping is saved (`saved_mapping`, see /provider-mappings)."""

    file: UploadFile
    format: StatementFormat | msgspec.UnsetType = msgspec.UNSET
    mapping: MappingText | msgspec.UnsetType = msgspec.UNSET
    """(A form has no null: a field left out is unset.)"""
    saved_mapping: Id | msgspec.UnsetType = msgspec.UNSET
    """Read a CSV with the mapping saved for this provider name (instead of `mapping`)."""
    provider: Channel | msgspec.UnsetType = msgspec.UNSET
    """Match the statement against this provider's batches only (default: every one)."""
    encoding: Encoding | msgspec.UnsetType = msgspec.UNSET
    """An MT940 file's encoding (`cp1252`, `latin-1`...), when it is not UTF-8; a file that
    is not UTF-8 is otherwise read as Windows-1252, and the import says so."""
    accept_discrepancy: bool = False
    """Import statements whose closing balance is not their opening balance plus their
    entries; the import then records each discrepancy as a difference to explain."""


class DecisionIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    position: Position
    """The statement line ("line 4", "Stmt[1]/Ntry[3]"), or a missing payment's id."""
    kind: DecisionKind
    reason: Reason
    disbursement_id: Id | None = None
    """For a match: the payment the line settles (or brings back)."""


class BatchItemView(Out, frozen=True, kw_only=True):
    disbursement_id: str
    reference: str
    """The reference sent to the provider: the payment's own random id."""
    amount: MoneyOut
    payee: str | None
    """Transfers to suppliers only: the supplier paid."""
    invoice_ref: str | None


class ExportView(Out, frozen=True, kw_only=True):
    format: str
    sha256: str


class PaymentBatchView(Out, frozen=True, kw_only=True):
    batch_id: str
    programme_id: str
    provider: Channel
    currency: str
    count: int
    total: MoneyOut
    status: BatchStatus
    exports: list[ExportView]
    """The first export of each format, with its file's SHA-256."""
    items: list[BatchItemView]
    created_on: dt.date
    created_by: str
    exported_on: dt.date | None
    cancellation_reason: str | None
    version: int


class PaymentBatchPage(Out, frozen=True, kw_only=True):
    items: list[PaymentBatchView]
    next_cursor: str | None


class StatementTotalView(Out, frozen=True, kw_only=True):
    currency: str
    entries: int
    credits: MoneyOut
    debits: MoneyOut


class DecisionView(Out, frozen=True, kw_only=True):
    decision_id: str
    position: str
    kind: DecisionKind
    reason: str
    disbursement_id: str | None
    status: str
    """proposed or confirmed."""
    proposed_by: str
    confirmed_by: str | None


class DiscrepancyView(Out, frozen=True, kw_only=True):
    statement: int
    """The statement's place in the file, from 1."""
    account: str | None
    amount: MoneyOut
    """The closing balance less the opening balance plus credits minus debits."""


class StatementImportView(Out, frozen=True, kw_only=True):
    import_id: str
    programme_id: str
    sha256: str
    format: str
    totals: list[StatementTotalView]
    """Per currency: lines, money in and money out."""
    provider: str | None
    """The provider named by a CSV file's column mapping."""
    imported_on: dt.date
    imported_by: str
    decisions: list[DecisionView]
    version: int
    encoding: str | None
    """An MT940 file's encoding, when one was given at import."""
    discrepancies: list[DiscrepancyView]
    """Statements imported although their balances do not reconcile with their entries."""
    remarks: list[str]
    """What was odd in the file and how it was read anyway (an encoding guessed, entries
    without a status read as booked, header lines skipped...)."""


class StatementImportPage(Out, frozen=True, kw_only=True):
    items: list[StatementImportView]
    next_cursor: str | None


class ProviderMappingView(Out, frozen=True, kw_only=True):
    provider: str
    mapping: CsvMapping
    saved_by: str
    saved_at: dt.datetime
    version: int
    """How many times the provider's mapping was saved; the journal keeps every version."""
    seq: int
    """The journal entry that saved this version."""


class ProviderMappingList(Out, frozen=True, kw_only=True):
    items: list[ProviderMappingView]
    """By provider name."""
    next_cursor: str | None = None
    """The `cursor` of the next page; None on the last."""


class ApplicationView(Out, frozen=True, kw_only=True):
    import_id: str
    recorded: dict[str, int]
    """Events recorded, by type (DisbursementPaid, DisbursementReturned...); empty when the
    statement proves nothing new."""

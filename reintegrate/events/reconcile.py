"""Events of payment batches sent to providers and of statements received from them.

A batch's content (which payments, how many, how much) is fixed when it is made and recorded
here, so its totals can never change; exporting it records the exported file's hash.
Importing a statement records its content hash and what it holds; the statement file is kept
apart, by hash, like evidence files. What a statement proves about a payment is recorded
through the ordinary disbursement events (paid, failed, returned, reversed). A provider's CSV
column mapping is saved under the provider's name and read for every file it sends.
"""

from __future__ import annotations

import datetime as dt
import enum

import msgspec

from reintegrate.events.core import _Event
from reintegrate.notes import Note, Text


class BatchItem(msgspec.Struct, frozen=True, kw_only=True, array_like=True):
    disbursement_id: str
    reference: str
    """The pseudonymous payment reference the provider is asked to echo back."""
    amount: int
    payee: str | Note
    """For transfers to suppliers only: who is paid (empty for beneficiaries)."""
    invoice_ref: str | Note = ""

    def __post_init__(self) -> None:
        """The reference is the payment's own id today (`payment_reference`): one object
        for both when it is, rather than a copy of it in every item decoded (a batch of a
        million payments held 66 MB of such copies)."""
        if self.reference == self.disbursement_id and self.reference is not self.disbursement_id:
            msgspec.structs.force_setattr(self, "reference", self.disbursement_id)


class PaymentBatchCreated(_Event, frozen=True):
    batch_id: str
    programme_id: str
    provider: str
    currency: str
    items: tuple[BatchItem, ...]
    count: int
    total: int
    on: dt.date


class PaymentBatchExported(_Event, frozen=True):
    batch_id: str
    format: str
    file_hash: str
    on: dt.date


class PaymentBatchCancelled(_Event, frozen=True):
    batch_id: str
    reason: Text


class StatementTotal(msgspec.Struct, frozen=True, kw_only=True, array_like=True):
    currency: str
    entries: int
    credits: int
    debits: int


class StatementDiscrepancy(msgspec.Struct, frozen=True, kw_only=True):
    """A statement of the file whose closing balance is not its opening balance plus its
    entries, imported as it is: a difference to explain."""

    statement: int
    """The statement's place in the file, from 1."""
    account: str | None
    currency: str
    amount: int
    """The closing balance less the opening balance plus credits minus debits."""


class StatementImported(_Event, frozen=True):
    import_id: str
    programme_id: str
    content_hash: str
    format: str
    totals: tuple[StatementTotal, ...]
    on: dt.date
    mapping: str | None = None
    """For a CSV file: the provider's column mapping it was read with (JSON)."""
    provider: str | None = None
    """The provider (channel) whose batches the statement answers; None: every exported
    batch of the programme."""
    encoding: str | None = None
    """For an MT940 file: the encoding it was read in, when one was given."""
    discrepancies: tuple[StatementDiscrepancy, ...] = ()
    """Statements imported although their balances do not reconcile with their entries."""
    remarks: tuple[str, ...] = ()
    """What was odd in the file and how it was read anyway (never personal data: encodings,
    line numbers, element names and counts)."""


class ProviderMappingSaved(_Event, frozen=True):
    """A provider's CSV column mapping, saved under the provider's name for the files it
    sends; saving again replaces it (the journal keeps every version)."""

    provider: str
    mapping: str
    """The mapping as JSON (`CsvMapping`), as statement imports record it."""


class DecisionKind(enum.StrEnum):
    MATCH = "match"
    """The line pays (or brings back) this payment although matching could not tell."""
    WRITE_OFF = "write_off"
    """The difference is accepted as it is, for the stated reason."""


class ReconciliationDecisionProposed(_Event, frozen=True):
    """A person's decision on one statement line or payment that matching left open."""

    import_id: str
    decision_id: str
    position: str
    """The statement line's position ("line 12", "Stmt[1]/Ntry[3]"), or the payment's id for
    a payment absent from the statement."""
    kind: DecisionKind
    reason: Text
    disbursement_id: str | None = None


class ReconciliationDecisionConfirmed(_Event, frozen=True):
    """A second person confirms a decision; only then does applying act on it."""

    import_id: str
    decision_id: str

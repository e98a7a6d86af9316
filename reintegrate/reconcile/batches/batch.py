"""Payment batches to providers: approved payments grouped by provider and currency.

A batch declares how many payments it holds and their total when it is made; nothing can
change them afterwards (there is no command to add or remove a payment). A payment is in at
most one batch that is not cancelled. Only a batch not exported yet may be cancelled, which
frees its payments for another batch. Exporting checks every payment is still approved, and
every export is recorded with who made it and the exported file's hash. The batch itself
holds only the pseudonymous payment reference, the amount and, for transfers to suppliers,
who is paid and the invoice; the people paid are named only in the exported file
(`batch_files`, `payees`).
"""

from __future__ import annotations

import datetime as dt
import enum

import msgspec

from reintegrate import events as ev
from reintegrate.errors import InvalidTransition, ValidationFailed
from reintegrate.grants.disbursements import (
    CHANNEL_WORDS,
    Channel,
    Disbursement,
    DisbursementStatus,
)
from reintegrate.ids import check_id
from reintegrate.notes import Text as FreeText
from reintegrate.reasons import stated_reason
from reintegrate.texts import Text

MAX_BATCH = 100_000
"""Payments per batch; more are left for the next batch (providers cap their files too)."""


class BatchStatus(enum.StrEnum):
    OPEN = "open"
    EXPORTED = "exported"
    CANCELLED = "cancelled"


BATCH_STATUS_WORDS: dict[BatchStatus, Text] = {
    BatchStatus.OPEN: Text("open"),
    BatchStatus.EXPORTED: Text("exported"),
    BatchStatus.CANCELLED: Text("cancelled"),
}
"""A batch's status as a sentence says it: "batch b-1 is {status}"."""


class PaymentBatch(msgspec.Struct, frozen=True, kw_only=True):
    batch_id: str
    programme_id: str
    provider: Channel
    currency: str
    items: tuple[ev.BatchItem, ...]
    count: int
    total: int
    created_on: dt.date
    created_by: str
    status: BatchStatus = BatchStatus.OPEN
    exported: tuple[tuple[str, str], ...] = ()
    """(format, file hash) of each distinct file exported, first export first (the journal
    holds every export, with who made it)."""
    exported_on: dt.date | None = None
    reason: FreeText | None = None
    version: int = 1


def payment_reference(d: Disbursement) -> str:
    """The reference sent to the provider: the payment's own random id, which names no one."""
    return d.disbursement_id


def make_batch(
    batch_id: str,
    *,
    programme_id: str,
    provider: Channel,
    currency: str,
    approved: list[Disbursement],
    batched: set[str],
    today: dt.date,
) -> ev.PaymentBatchCreated:
    """A batch of the programme's approved payments by `provider` in `currency` that are in
    no batch yet (`batched`), by payment id."""
    check_id(batch_id, "batch_id")
    chosen = sorted(
        (
            d
            for d in approved
            if d.programme_id == programme_id
            and d.status is DisbursementStatus.APPROVED
            and d.channel is provider
            and d.currency == currency
            and d.disbursement_id not in batched
        ),
        key=lambda d: d.disbursement_id,
    )
    if not chosen:
        raise ValidationFailed(
            Text(
                "programme {programme_id} has no approved payment by {channel} in {currency} "
                "that is in no batch yet",
                programme_id=programme_id,
                channel=CHANNEL_WORDS[provider],
                currency=currency,
            ),
            field="provider",
        )
    if len(chosen) > MAX_BATCH:
        chosen = chosen[:MAX_BATCH]
    items = tuple(
        ev.BatchItem(
            disbursement_id=d.disbursement_id,
            reference=payment_reference(d),
            amount=d.amount,
            payee=d.payee if provider is Channel.SUPPLIER_TRANSFER else "",
            invoice_ref=(d.invoice_ref or "") if provider is Channel.SUPPLIER_TRANSFER else "",
        )
        for d in chosen
    )
    return ev.PaymentBatchCreated(
        batch_id=batch_id,
        programme_id=programme_id,
        provider=provider.value,
        currency=currency,
        items=items,
        count=len(items),
        total=sum(i.amount for i in items),
        on=today,
    )


def check_exportable(batch: PaymentBatch, statuses: dict[str, DisbursementStatus]) -> None:
    """A batch is exported while it is not cancelled and every payment in it is approved."""
    if batch.status is BatchStatus.CANCELLED:
        raise InvalidTransition(
            Text(
                "batch {batch_id} is {status}",
                batch_id=batch.batch_id,
                status=BATCH_STATUS_WORDS[batch.status],
            ),
            field="status",
        )
    moved = sorted(
        i.disbursement_id
        for i in batch.items
        if statuses.get(i.disbursement_id) is not DisbursementStatus.APPROVED
    )
    if moved:
        raise InvalidTransition(
            Text(
                "{count} payment(s) of batch {batch_id} are no longer approved (first: {first}); "
                "cancel the batch and make a new one",
                count=len(moved),
                batch_id=batch.batch_id,
                first=moved[0],
            ),
            field="items",
            details={"disbursement_ids": moved[:20]},
        )


def export_event(
    batch: PaymentBatch, fmt: str, file_hash: str, today: dt.date
) -> ev.PaymentBatchExported:
    return ev.PaymentBatchExported(
        batch_id=batch.batch_id, format=fmt, file_hash=file_hash, on=today
    )


def cancel_batch(batch: PaymentBatch, reason: str) -> ev.PaymentBatchCancelled:
    if batch.status is not BatchStatus.OPEN:
        raise InvalidTransition(
            Text(
                "batch {batch_id} is {status}; only a batch not exported yet can be cancelled",
                batch_id=batch.batch_id,
                status=BATCH_STATUS_WORDS[batch.status],
            ),
            field="status",
        )
    return ev.PaymentBatchCancelled(batch_id=batch.batch_id, reason=stated_reason(reason))


def evolve_batch(batch: PaymentBatch | None, event: ev.Event, actor: str) -> PaymentBatch | None:
    match event:
        case ev.PaymentBatchCreated():
            return PaymentBatch(
                batch_id=event.batch_id,
                programme_id=event.programme_id,
                provider=Channel(event.provider),
                currency=event.currency,
                items=event.items,
                count=event.count,
                total=event.total,
                created_on=event.on,
                created_by=actor,
            )
        case ev.PaymentBatchExported() if batch is not None:
            file = (event.format, event.file_hash)
            if file in batch.exported:
                return batch  # the same file again: journaled, nothing changes
            return msgspec.structs.replace(
                batch,
                status=BatchStatus.EXPORTED,
                exported=(*batch.exported, file),
                exported_on=batch.exported_on or event.on,
                version=batch.version + 1,
            )
        case ev.PaymentBatchCancelled() if batch is not None:
            return msgspec.structs.replace(
                batch, status=BatchStatus.CANCELLED, reason=event.reason, version=batch.version + 1
            )
    return batch

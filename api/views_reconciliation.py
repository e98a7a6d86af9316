"""Payment batches, statement imports and providers' saved mappings as the API shows them."""

from __future__ import annotations

import msgspec

from api import schemas_reconciliation as sr
from api.views import money
from reintegrate.events import StatementDiscrepancy
from reintegrate.notes import plain, plain_or_none
from reintegrate.reconcile.batches.batch import PaymentBatch
from reintegrate.reconcile.statements.csv_mapping import CsvMapping
from reintegrate.reconcile.statements.imports import Decision, StatementImport
from reintegrate.reconcile.statements.provider_mappings import ProviderMapping


def batch_view(batch: PaymentBatch) -> sr.PaymentBatchView:
    c = batch.currency
    return sr.PaymentBatchView(
        batch_id=batch.batch_id,
        programme_id=batch.programme_id,
        provider=batch.provider,
        currency=c,
        count=batch.count,
        total=money(batch.total, c),
        status=batch.status,
        exports=[sr.ExportView(format=f, sha256=h) for f, h in batch.exported],
        items=[
            sr.BatchItemView(
                disbursement_id=i.disbursement_id,
                reference=i.reference,
                amount=money(i.amount, c),
                payee=plain(i.payee) or None,
                invoice_ref=plain(i.invoice_ref) or None,
            )
            for i in batch.items
        ],
        created_on=batch.created_on,
        created_by=batch.created_by,
        exported_on=batch.exported_on,
        cancellation_reason=plain_or_none(batch.reason),
        version=batch.version,
    )


def discrepancy_view(d: StatementDiscrepancy) -> sr.DiscrepancyView:
    return sr.DiscrepancyView(
        statement=d.statement, account=d.account, amount=money(d.amount, d.currency)
    )


def import_view(imported: StatementImport) -> sr.StatementImportView:
    provider = None
    if imported.mapping is not None:
        provider = msgspec.json.decode(imported.mapping, type=CsvMapping).provider
    return sr.StatementImportView(
        import_id=imported.import_id,
        programme_id=imported.programme_id,
        sha256=imported.content_hash,
        format=imported.format,
        totals=[
            sr.StatementTotalView(
                currency=t.currency,
                entries=t.entries,
                credits=money(t.credits, t.currency),
                debits=money(t.debits, t.currency),
            )
            for t in imported.totals
        ],
        provider=provider,
        imported_on=imported.imported_on,
        imported_by=imported.imported_by,
        decisions=[_decision_view(d) for d in imported.decisions],
        version=imported.version,
        encoding=imported.encoding,
        discrepancies=[discrepancy_view(d) for d in imported.discrepancies],
        remarks=list(imported.remarks),
    )


def mapping_view(saved: ProviderMapping) -> sr.ProviderMappingView:
    return sr.ProviderMappingView(
        provider=saved.provider,
        mapping=saved.csv_mapping(),
        saved_by=saved.saved_by,
        saved_at=saved.saved_at,
        version=saved.version,
        seq=saved.seq,
    )


def _decision_view(d: Decision) -> sr.DecisionView:
    return sr.DecisionView(
        decision_id=d.decision_id,
        position=d.position,
        kind=d.kind,
        reason=plain(d.reason),
        disbursement_id=d.disbursement_id,
        status="proposed" if d.confirmed_by is None else "confirmed",
        proposed_by=d.proposed_by,
        confirmed_by=d.confirmed_by,
    )

"""Payment batches, statement imports, their reconciliation, and providers' saved CSV
column mappings."""

from __future__ import annotations

from typing import TYPE_CHECKING

import msgspec

from api import schemas as s
from api import schemas_reconciliation as sr
from reintegrate.client.calls import (
    Call,
    Download,
    IfMatch,
    Spreadsheet,
    Upload,
    get,
    post,
    upload,
)
from reintegrate.client.operations import operation, paged
from reintegrate.grants.disbursements import Channel
from reintegrate.reconcile.statements.csv_mapping import CsvMapping

if TYPE_CHECKING:
    from api.routes_reconciliation import ReconciliationDocument

BATCH = "/payment-batches/{batch_id}"
IMPORT = "/statement-imports/{import_id}"


class PaymentBatchOperations:
    @operation
    def make_batch(programme_id: str, body: sr.BatchCreate) -> Call[sr.PaymentBatchView]:
        path = "/programmes/{programme_id}/payment-batches"
        return post(path, sr.PaymentBatchView, body, programme_id=programme_id)

    @operation
    def get_batch(batch_id: str) -> Call[sr.PaymentBatchView]:
        return get(BATCH, sr.PaymentBatchView, batch_id=batch_id)

    @operation
    def export_batch(
        batch_id: str, body: sr.ExportIn, *, if_match: IfMatch = None
    ) -> Call[Download]:
        """The provider's file (it names the people paid: keep it as safely as they are)."""
        return post(f"{BATCH}/export", Download, body, tag=if_match, batch_id=batch_id)

    @operation
    def cancel_payment_batch(
        batch_id: str, body: s.ReasonIn, *, if_match: IfMatch = None
    ) -> Call[sr.PaymentBatchView]:
        path = f"{BATCH}/cancellation"
        return post(path, sr.PaymentBatchView, body, tag=if_match, batch_id=batch_id)


class StatementOperations:
    @operation
    def import_statement(
        programme_id: str,
        file: Upload,
        *,
        format: sr.StatementFormat | None = None,
        mapping: CsvMapping | None = None,
        saved_mapping: str | None = None,
        provider: Channel | None = None,
        encoding: str | None = None,
        accept_discrepancy: bool = False,
    ) -> Call[sr.StatementImportView]:
        """A statement file, read whole or refused; a CSV with its provider's `mapping`, or
        the name of a provider whose mapping is saved (`saved_mapping`)."""
        form = {
            "format": None if format is None else format.value,
            "mapping": None if mapping is None else msgspec.json.encode(mapping).decode(),
            "saved_mapping": saved_mapping,
            "provider": None if provider is None else provider.value,
            "encoding": encoding,
            "accept_discrepancy": accept_discrepancy,
        }
        path = "/programmes/{programme_id}/statement-imports"
        answer = sr.StatementImportView
        return upload(path, answer, {"file": file}, form, programme_id=programme_id)

    @operation
    def get_import(import_id: str) -> Call[sr.StatementImportView]:
        return get(IMPORT, sr.StatementImportView, import_id=import_id)

    @operation
    def get_reconciliation(
        import_id: str, *, window_days: int | None = None
    ) -> Call[ReconciliationDocument]:
        """Every line and every payment sent, each in exactly one class, with the totals."""
        from api.routes_reconciliation import ReconciliationDocument  # noqa: PLC0415 (a route's)

        path = f"{IMPORT}/reconciliation"
        answer = ReconciliationDocument
        return get(path, answer, import_id=import_id, window_days=window_days, format="json")

    @operation
    def get_reconciliation_file(
        import_id: str,
        format: Spreadsheet,
        *,
        window_days: int | None = None,
    ) -> Call[Download]:
        """The same findings as a CSV or XLSX file."""
        path = f"{IMPORT}/reconciliation"
        return get(path, Download, import_id=import_id, window_days=window_days, format=format)

    @operation
    def propose_decision(
        import_id: str, body: sr.DecisionIn, *, if_match: IfMatch = None
    ) -> Call[sr.StatementImportView]:
        path = f"{IMPORT}/decisions"
        return post(path, sr.StatementImportView, body, tag=if_match, import_id=import_id)

    @operation
    def confirm_decision(
        import_id: str, decision_id: str, *, if_match: IfMatch = None
    ) -> Call[sr.StatementImportView]:
        path = IMPORT + "/decisions/{decision_id}/confirmation"
        named = {"import_id": import_id, "decision_id": decision_id}
        return post(path, sr.StatementImportView, tag=if_match, **named)

    @operation
    def apply_reconciliation(
        import_id: str, *, if_match: IfMatch = None
    ) -> Call[sr.ApplicationView]:
        path = f"{IMPORT}/application"
        return post(path, sr.ApplicationView, tag=if_match, import_id=import_id)

    @operation
    def save_mapping(body: CsvMapping) -> Call[sr.ProviderMappingView]:
        return post("/provider-mappings", sr.ProviderMappingView, body)

    @operation
    def get_mapping(provider: str) -> Call[sr.ProviderMappingView]:
        return get("/provider-mappings/{provider}", sr.ProviderMappingView, provider=provider)

    @paged(sr.ProviderMappingView)
    def list_mappings(
        *, limit: int | None = None, cursor: str | None = None
    ) -> Call[sr.ProviderMappingList]:
        return get("/provider-mappings", sr.ProviderMappingList, limit=limit, cursor=cursor)

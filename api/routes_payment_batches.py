"""/programmes/{programme_id}/payment-batches and /payment-batches/{batch_id}: the
programme's approved payments grouped by provider and currency, exported as the provider's
file, or cancelled before that.

Exporting is a POST, not a GET of the file: it opens the records of the people paid (their
payout instruments go into the file), records who exported which batch with the file's
SHA-256 in the journal, and closes the batch to cancellation, which a safe method must never
do. Exporting again answers the same bytes and is recorded again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from litestar import Controller, Request, Response, get, post
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, OpenAPIType, Operation, Schema
from litestar.params import JSONBody

from api import schemas as s
from api import schemas_reconciliation as sr
from api.context import (
    Cursor,
    IdempotencyKey,
    IfMatch,
    Limit,
    PathId,
    actor,
    checked_step,
    etag,
    now,
    queries,
    reader,
    serialized,
    step,
    store,
)
from api.keyed import PERSONAL_ANSWER
from api.listing import (
    BatchStatusFilter,
    ChannelFilter,
    CreatedSince,
    ProgrammeFilter,
    UpdatedSince,
    after,
    filters,
    next_cursor,
)
from api.problems import CREATE_PROBLEMS, READ_PROBLEMS, STEP_PROBLEMS
from api.routes_reports import CSV
from api.security import allow
from api.views_reconciliation import batch_view
from reintegrate.access import EXPORTS_PAYMENT_FILES, FINANCE_READERS
from reintegrate.access import FINANCE_STEPS as FINANCE
from reintegrate.reconcile.batches.batch import BatchStatus, PaymentBatch
from reintegrate.services import reconciliation as rs
from reintegrate.services.notes import read_opened
from reintegrate.services.users import Caller

"""Make, export and cancel batches; import statements; decide, confirm and apply."""
XML = "application/xml"
FILE_TYPES = {sr.BatchFileFormat.CSV: (CSV, "csv"), sr.BatchFileFormat.PAIN001: (XML, "xml")}
"""Media type and file name extension of each export format."""
T = TypeVar("T")


@dataclass
class BatchFileOperation(Operation):
    """The export's OpenAPI operation: its 200 answer is the file, CSV or pain.001 XML."""

    def __post_init__(self) -> None:
        ok = (self.responses or {}).get("200")
        if isinstance(ok, OpenAPIResponse):
            ok.content = {
                media: OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING))
                for media, _ in FILE_TYPES.values()
            }


def batch_answer(
    request: Request[Any, Any, Any], batch: PaymentBatch, status: int = 200
) -> Response[sr.PaymentBatchView]:
    tag = etag("payment-batch", batch.batch_id, batch.version)
    return Response(
        batch_view(read_opened(store(request), batch)), status_code=status, headers={"ETag": tag}
    )


def _read(request: Request[Caller, Any, Any], batch_id: str) -> PaymentBatch:
    """The batch as last committed (a read transaction: no write lock)."""
    with store(request).reading() as uow:
        return rs.load_batch(uow, batch_id)


def _checked(
    request: Request[Caller, Any, Any],
    batch_id: str,
    if_match: str | None,
    command: Callable[[], T],
) -> T:
    """Run a step on the batch with If-Match checked against its current ETag."""

    def current() -> str:
        seen = _read(request, batch_id)
        return etag("payment-batch", seen.batch_id, seen.version)

    return checked_step(request, if_match, current, command)


class ProgrammePaymentBatchController(Controller):
    path = "/programmes"
    tags = ("reconciliation",)

    @post(
        "/{programme_id:str}/payment-batches",
        guards=[allow(*FINANCE)],
        sync_to_thread=True,
        status_code=201,
        responses=CREATE_PROBLEMS,
    )
    def make_batch(
        self,
        request: Request[Caller, Any, Any],
        programme_id: PathId,
        data: JSONBody[sr.BatchCreate],
        idempotency_key: IdempotencyKey,
    ) -> Response[sr.PaymentBatchView]:
        """Batch the programme's approved payments by `provider` in `currency` that are in no
        batch yet (cancelled batches excepted), at most 100,000; the batch's count and total
        are declared now and never change."""
        with serialized(request):
            batch = rs.make_batch(
                store(request),
                actor(request),
                now(request),
                programme_id=programme_id,
                provider=data.provider,
                currency=data.currency,
            )
        return batch_answer(request, batch, 201)


class PaymentBatchController(Controller):
    path = "/payment-batches"
    tags = ("reconciliation",)

    @get("/", guards=[allow(*FINANCE_READERS)], sync_to_thread=True, responses=READ_PROBLEMS)
    def list_batches(
        self,
        request: Request[Caller, Any, Any],
        *,
        cursor: Cursor,
        status: BatchStatusFilter,
        programme_id: ProgrammeFilter,
        channel: ChannelFilter,
        created_since: CreatedSince,
        updated_since: UpdatedSince,
        limit: Limit = 50,
    ) -> sr.PaymentBatchPage:
        """Payment batches of every programme (they belong to no office), by id, narrowed by
        the filters given: `channel` is the batch's provider."""
        given = filters(
            status=(BatchStatus, status),
            programme_id=programme_id,
            channel=channel,
            created_since=created_since,
            updated_since=updated_since,
        )
        found = queries(request).batches.page(
            actor(request).scope, after(cursor, given), limit + 1, given
        )
        return sr.PaymentBatchPage(
            items=[batch_view(b) for b in read_opened(store(request), found[:limit])],
            next_cursor=next_cursor(found, limit, given, lambda b: b.batch_id),
        )

    @get(
        "/{batch_id:str}",
        guards=[allow(*FINANCE_READERS)],
        sync_to_thread=True,
        responses=READ_PROBLEMS,
    )
    def get_batch(
        self, request: Request[Caller, Any, Any], batch_id: PathId
    ) -> Response[sr.PaymentBatchView]:
        """One payment batch: provider, currency, count, total and its payments, with its ETag."""
        return batch_answer(request, _read(request, batch_id))

    @post(
        "/{batch_id:str}/export",
        guards=[allow(*EXPORTS_PAYMENT_FILES)],
        sync_to_thread=True,
        status_code=200,
        responses=STEP_PROBLEMS,
        operation_class=BatchFileOperation,
        opt={PERSONAL_ANSWER: True},
    )
    def export_batch(
        self,
        request: Request[Caller, Any, Any],
        batch_id: PathId,
        data: JSONBody[sr.ExportIn],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[bytes]:
        """The provider's file: `csv` (reference, amount, currency, then the person paid and
        their payout instrument, or the supplier and invoice_ref) or `pain001` (ISO 20022
        pain.001.001.09: creditor name, IBAN or account number, BIC where known; the debtor's
        account and bank from `debtor_iban` and `debtor_bic`). Every export is recorded with
        the file's SHA-256; every export of the same records gives the same bytes. A batch
        whose payments are no longer all approved, or that is cancelled, is not exported; nor
        is one paying a person who lacks the instrument its channel needs (422
        `payout-instrument-missing`, `field` naming the payment)."""
        _, content = _checked(
            request,
            batch_id,
            if_match,
            lambda: rs.export_batch(
                store(request),
                actor(request),
                now(request),
                batch_id,
                fmt=data.format.value,
                debtor=data.debtor or "",
                debtor_iban=data.debtor_iban,
                debtor_bic=data.debtor_bic,
                reader=reader(request),
            ),
        )
        media_type, extension = FILE_TYPES[data.format]
        name = f"{batch_id}-{data.format.value}.{extension}"
        headers = {"Content-Disposition": f'attachment; filename="{name}"'}
        return Response(content, media_type=media_type, headers=headers)

    @step("/{batch_id:str}/cancellation", *FINANCE)
    def cancel(
        self,
        request: Request[Caller, Any, Any],
        batch_id: PathId,
        data: JSONBody[s.ReasonIn],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[sr.PaymentBatchView]:
        """Cancel a batch never exported: its payments may go into another batch."""
        batch = _checked(
            request,
            batch_id,
            if_match,
            lambda: rs.cancel_batch(
                store(request), actor(request), now(request), batch_id, reason=data.reason
            ),
        )
        return batch_answer(request, batch)

"""/statement-imports/{import_id}/...: a provider's statement matched against the payments
the programme sent, every finding explained, as JSON, CSV or XLSX; the decisions people take
on what matching left open, confirmed by a second person; and applying what the statement
proves as ordinary disbursement events.

The format is `?format=` when given, else the best match of the `Accept` header, else JSON.
Findings name payments by their random ids and amounts only: no person, case or payee.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar, cast

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.enums import MediaType
from litestar.params import JSONBody, QueryParameter

from api import schemas_reconciliation as sr
from api.context import IdempotencyKey, IfMatch, PathId, actor, checked_step, etag, now, step, store
from api.problems import READ_PROBLEMS, STEP_PROBLEMS
from api.routes_reports import (
    MEDIA_TYPES,
    FinancialReportFormat,
    FormatQuery,
    ReportOperation,
    negotiated,
)
from api.routes_statement_imports import import_answer, read_import
from api.security import allow
from api.views_reconciliation import discrepancy_view
from reintegrate.access import FINANCE_READERS
from reintegrate.access import FINANCE_STEPS as FINANCE
from reintegrate.adapters import reconciliation_report as report
from reintegrate.money import format_minor
from reintegrate.reconcile.matching.match import DEFAULT_WINDOW_DAYS
from reintegrate.reconcile.matching.outcomes import CurrencyTotals, Outcome
from reintegrate.services import reconciliation as rs
from reintegrate.services.users import Caller

T = TypeVar("T")

WindowQuery = Annotated[
    int,
    QueryParameter(
        name="window_days",
        ge=0,
        le=60,
        description="days either side of a line's date for lines matched by amount",
    ),
]


class TotalsView(msgspec.Struct, frozen=True, kw_only=True):
    """Money out per class in one currency (credits count negative), decimal strings."""

    currency: str
    statement: str
    matched: str
    amount_differs: str
    returned_or_reversed: str
    duplicate_payment: str
    unknown_line: str
    missing: str
    difference: str


class ReconciliationDocument(msgspec.Struct, frozen=True, kw_only=True):
    import_id: str
    programme_id: str
    format: str
    content_hash: str
    window_days: int
    counts: dict[str, int]
    totals: list[TotalsView]
    discrepancies: list[sr.DiscrepancyView]
    """Statements imported although their balances do not reconcile with their entries:
    differences to explain beside the findings."""
    findings: list[report.FindingRow]


def _totals(t: CurrencyTotals) -> TotalsView:
    c = t.currency
    fields = ("statement", *(o.value for o in Outcome), "difference")
    return TotalsView(currency=c, **{f: format_minor(getattr(t, f), c) for f in fields})


class ReconciliationController(Controller):
    path = "/statement-imports"
    tags = ("reconciliation",)

    @get(
        "/{import_id:str}/reconciliation",
        guards=[allow(*FINANCE_READERS)],
        sync_to_thread=True,
        responses=READ_PROBLEMS,
        operation_class=ReportOperation,
    )
    def get_reconciliation(
        self,
        request: Request[Caller, Any, Any],
        import_id: PathId,
        format: FormatQuery = None,
        window_days: WindowQuery = DEFAULT_WINDOW_DAYS,
    ) -> Response[ReconciliationDocument]:
        """Every statement line and every payment sent, in exactly one class (matched,
        amount_differs, returned_or_reversed, duplicate_payment, unknown_line, missing), each
        with its explanation and any decision taken on it, and the totals per currency."""
        chosen = format or negotiated(request)
        imported, rec = rs.reconcile(store(request), import_id, window_days=window_days)
        decisions = {d.position: d for d in imported.decisions}
        headers = {"Vary": "Accept"}
        if chosen is FinancialReportFormat.JSON:
            body = ReconciliationDocument(
                import_id=import_id,
                programme_id=imported.programme_id,
                format=imported.format,
                content_hash=imported.content_hash,
                window_days=window_days,
                counts={o.value: len(rec.of(o)) for o in Outcome},
                totals=[_totals(t) for t in rec.totals],
                discrepancies=[discrepancy_view(d) for d in imported.discrepancies],
                findings=list(report.rows(rec, decisions)),
            )
            return Response(body, media_type=MediaType.JSON, headers=headers)
        rows = report.rows(rec, decisions)
        content = (
            report.as_csv(rows)
            if chosen is FinancialReportFormat.CSV
            else report.as_xlsx(rec, rows, imported.decisions)
        )
        name = f"{import_id}-reconciliation.{chosen.value}"
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
        answer = Response(content, media_type=MEDIA_TYPES[chosen], headers=headers)
        return cast("Response[ReconciliationDocument]", answer)

    @post(
        "/{import_id:str}/decisions",
        guards=[allow(*FINANCE)],
        sync_to_thread=True,
        status_code=201,
        responses=STEP_PROBLEMS,
    )
    def propose_decision(
        self,
        request: Request[Caller, Any, Any],
        import_id: PathId,
        data: JSONBody[sr.DecisionIn],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[sr.StatementImportView]:
        """Decide, with a reason, on a finding matching left open (anything but `matched`),
        named by its `position`: a `match` says the line pays (or brings back) the payment
        `disbursement_id`; a `write_off` accepts the difference. Nothing acts on it until a
        second person confirms it."""
        found = _checked(
            request,
            import_id,
            if_match,
            lambda: rs.propose_decision(
                store(request),
                actor(request),
                now(request),
                import_id,
                position=data.position,
                kind=data.kind,
                reason=data.reason,
                disbursement_id=data.disbursement_id,
            ),
        )
        return import_answer(request, found, 201)

    @step("/{import_id:str}/decisions/{decision_id:str}/confirmation", *FINANCE)
    def confirm_decision(
        self,
        request: Request[Caller, Any, Any],
        import_id: PathId,
        decision_id: PathId,
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[sr.StatementImportView]:
        """Confirm a decision; whoever proposed it cannot (403 `four-eyes`)."""
        found = _checked(
            request,
            import_id,
            if_match,
            lambda: rs.confirm_decision(
                store(request), actor(request), now(request), import_id, decision_id
            ),
        )
        return import_answer(request, found)

    @step("/{import_id:str}/application", *FINANCE)
    def apply_reconciliation(
        self,
        request: Request[Caller, Any, Any],
        import_id: PathId,
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> sr.ApplicationView:
        """Record what the statement proves: matched (or confirmed matched) payments still
        approved are paid, payments that came back are returned or reversed, payments the
        provider failed are failed. It is recorded a chunk of findings per transaction:
        applying again records nothing more, and an apply that was interrupted goes on where
        it stopped (retry it under a new Idempotency-Key: the first one answers
        `answer-lost` once a chunk committed). Whoever requested or approved a payment it
        would confirm cannot apply (403 `four-eyes`, nothing written)."""
        recorded = _checked(
            request,
            import_id,
            if_match,
            lambda: rs.apply_reconciliation(
                store(request), actor(request), now(request), import_id
            ),
        )
        return sr.ApplicationView(import_id=import_id, recorded=recorded)


def _checked(
    request: Request[Caller, Any, Any],
    import_id: str,
    if_match: str | None,
    command: Callable[[], T],
) -> T:
    """Run a step on the import with If-Match checked against its current ETag."""

    def current() -> str:
        seen = read_import(request, import_id)
        return etag("statement-import", seen.import_id, seen.version)

    return checked_step(request, if_match, current, command)

"""/programmes/{programme_id}/financial-report: the programme's money as JSON, CSV or XLSX.

The format is `?format=` when given, else the best match of the `Accept` header, else JSON.
The report holds aggregates only (no person, case or payee) and is checked against the
ledger when it is read: `agrees_with_ledger` and `differences` say how that went.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Annotated, Any, cast

from litestar import Controller, Request, Response, get
from litestar.enums import MediaType
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, OpenAPIType, Operation, Schema
from litestar.params import QueryParameter

from api.context import PathId, actor, store
from api.problems import READ_PROBLEMS
from api.security import allow
from reintegrate.access import FINANCE_READERS
from reintegrate.adapters.financial_report_files import (
    FinancialReportDocument,
    document,
    to_csv,
    to_xlsx,
)
from reintegrate.services.reports import financial_report
from reintegrate.services.users import Caller

"""Who answers for a programme's money. Officers, approvers and partners see each budget
line's available and committed amounts on GET /programmes/{programme_id}."""
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class FinancialReportFormat(enum.StrEnum):
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


MEDIA_TYPES = {
    FinancialReportFormat.JSON: MediaType.JSON.value,
    FinancialReportFormat.CSV: CSV,
    FinancialReportFormat.XLSX: XLSX,
}
FormatQuery = Annotated[
    FinancialReportFormat | None,
    QueryParameter(
        name="format",
        required=False,
        description="json, csv or xlsx; without it the Accept header chooses (JSON by default)",
    ),
]


@dataclass
class ReportOperation(Operation):
    """The report's OpenAPI operation: its 200 answer is JSON, CSV or an XLSX workbook."""

    def __post_init__(self) -> None:
        ok = (self.responses or {}).get("200")
        if isinstance(ok, OpenAPIResponse) and ok.content is not None:
            ok.content[CSV] = OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING))
            ok.content[XLSX] = OpenAPIMediaType(
                schema=Schema(type=OpenAPIType.STRING, content_media_type=XLSX)
            )


class FinancialReportController(Controller):
    path = "/programmes"
    tags = ("reports",)

    @get(
        "/{programme_id:str}/financial-report",
        guards=[allow(*FINANCE_READERS)],
        sync_to_thread=True,
        responses=READ_PROBLEMS,
        operation_class=ReportOperation,
    )
    def financial_report(
        self,
        request: Request[Caller, Any, Any],
        programme_id: PathId,
        format: FormatQuery = None,
    ) -> Response[FinancialReportDocument]:
        """Funds, committed, paid, pending, failed, returned, reversed, remaining and
        available per budget line, by form, country of return, dimension and currency,
        checked against the ledger. A caller who works for some offices gets their figures;
        funds and available are the whole line's."""
        chosen = format or negotiated(request)
        report = financial_report(store(request), actor(request), programme_id)
        headers = {"Vary": "Accept"}
        if chosen is FinancialReportFormat.JSON:
            return Response(document(report), media_type=MediaType.JSON, headers=headers)
        content = (
            to_csv(report).encode() if chosen is FinancialReportFormat.CSV else to_xlsx(report)
        )
        name = f"{programme_id}-financial-report.{chosen.value}"
        headers["Content-Disposition"] = f'attachment; filename="{name}"'
        # The OpenAPI document states the CSV and XLSX answers (ReportOperation).
        answer = Response(content, media_type=MEDIA_TYPES[chosen], headers=headers)
        return cast("Response[FinancialReportDocument]", answer)


def negotiated(request: Request[Caller, Any, Any]) -> FinancialReportFormat:
    offered = {media: fmt for fmt, media in MEDIA_TYPES.items()}
    best = request.accept.best_match(list(offered), default=MEDIA_TYPES[FinancialReportFormat.JSON])
    return offered[best]

"""/programmes/{programme_id}/case-imports: a caseload file checked whole and, when asked
and nothing is wrong, every household of it registered at once (docs/case-imports.md).

The answer is JSON, or with `?format=csv` (or `Accept: text/csv`) the errors alone as a CSV
file to download: `row,column,message`, one error a line.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Annotated, Any, cast

from litestar import Controller, Request, Response, post
from litestar.enums import MediaType, RequestEncodingType
from litestar.openapi.spec import OpenAPIMediaType, OpenAPIResponse, OpenAPIType, Operation, Schema
from litestar.params import Body, QueryParameter

from api.context import IdempotencyKey, PathId, actor, now, serialized, store
from api.problems import UPLOAD_PROBLEMS, language_of
from api.schemas_case_imports import CaseImportView, CaseloadUpload, RowErrorView
from api.security import allow
from reintegrate.access import IMPORTS_CASELOAD
from reintegrate.adapters.caseload_files import MAX_FILE_BYTES, errors_csv
from reintegrate.adapters.identifiers import LibraryIdentifierChecks
from reintegrate.adapters.translation import in_language, writer
from reintegrate.services.case_imports import ImportReport, import_caseload
from reintegrate.services.users import Caller

CSV = "text/csv"
CHECKS = LibraryIdentifierChecks()
CASELOAD_BODY_LIMIT = MAX_FILE_BYTES + 64 * 1024
"""A caseload file of `MAX_FILE_BYTES` plus room for the multipart framing."""


class ImportFormat(enum.StrEnum):
    JSON = "json"
    CSV = "csv"


DryRun = Annotated[
    bool,
    QueryParameter(
        name="dry_run",
        required=False,
        description="true (the default): check the file and write nothing; false: import it "
        "when nothing is wrong",
    ),
]
FormatQuery = Annotated[
    ImportFormat | None,
    QueryParameter(
        name="format",
        required=False,
        description="json, or csv for the errors alone; without it the Accept header chooses "
        "(JSON by default)",
    ),
]


@dataclass
class CaseImportOperation(Operation):
    """The import's OpenAPI operation: 200 (checked, nothing registered) or 201 (every
    household registered), each as JSON or as the errors in CSV."""

    def __post_init__(self) -> None:
        responses = self.responses if self.responses is not None else {}
        checked = responses.get("200")
        if isinstance(checked, OpenAPIResponse) and checked.content is not None:
            checked.content[CSV] = OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING))
            responses["201"] = OpenAPIResponse(
                description="Every household of the file registered", content=checked.content
            )


class CaseImportController(Controller):
    path = "/programmes"
    tags = ("cases",)

    @post(
        "/{programme_id:str}/case-imports",
        guards=[allow(*IMPORTS_CASELOAD)],
        sync_to_thread=True,
        status_code=200,
        responses=UPLOAD_PROBLEMS,
        request_max_body_size=CASELOAD_BODY_LIMIT,
        operation_class=CaseImportOperation,
    )
    def import_cases(
        self,
        request: Request[Caller, Any, Any],
        programme_id: PathId,
        data: Annotated[CaseloadUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
        *,
        idempotency_key: IdempotencyKey,
        dry_run: DryRun = True,
        format: FormatQuery = None,
    ) -> Response[CaseImportView]:
        """Check a caseload file (CSV or XLSX, one row per person, a household's rows
        together) for the programme: every row by the person registry's and the cases' own
        rules, identifiers once only in the file and in the registry. Every error is listed
        with its row and column (never the cell's value). With `dry_run=false` and no error,
        every household is registered at once (201): its persons, then its case, for the
        caller's offices only; any error imports nothing (200, `imported` false). The same
        file again imports nothing new (`already_imported`, 200)."""
        content = data.file.file.read()
        with serialized(request):
            report = import_caseload(
                store(request),
                CHECKS,
                actor(request),
                now(request),
                programme_id=programme_id,
                content=content,
                dry_run=dry_run,
            )
        status = 201 if report.imported else 200
        language = language_of(request)
        said = {"Content-Language": language} if report.errors else {}
        vary = {"Vary": "Accept, Accept-Language", **said}
        if (format or _negotiated(request)) is ImportFormat.CSV:
            name = f"{programme_id}-case-import-errors.csv"
            headers = {**vary, "Content-Disposition": f'attachment; filename="{name}"'}
            # The OpenAPI document states the CSV answer (CaseImportOperation).
            written = errors_csv(report.errors, writer(language))
            answer = Response(written, media_type=CSV, status_code=status, headers=headers)
            return cast("Response[CaseImportView]", answer)
        return Response(
            _view(report, language), media_type=MediaType.JSON, status_code=status, headers=vary
        )


def _negotiated(request: Request[Caller, Any, Any]) -> ImportFormat:
    best = request.accept.best_match([MediaType.JSON.value, CSV], default=MediaType.JSON.value)
    return ImportFormat.CSV if best == CSV else ImportFormat.JSON


def _view(report: ImportReport, language: str) -> CaseImportView:
    """The report, its errors' messages in `language`."""
    return CaseImportView(
        dry_run=report.dry_run,
        imported=report.imported,
        already_imported=report.already_imported,
        import_id=report.import_id,
        households=report.households,
        persons=report.persons,
        errors=[
            RowErrorView(row=e.row, column=e.column, message=in_language(e.message, language))
            for e in report.errors
        ],
    )

"""/programmes/{programme_id}/statement-imports and /statement-imports/{import_id}: a
provider's statement file uploaded once (multipart/form-data), read whole or refused with the
place at fault, and shown with the decisions taken on it.

A statement may be large (a bank's month, a provider's year): its upload's body may have up
to `STATEMENT_BODY_LIMIT` bytes, 50 MiB plus room for the other parts of the form.
"""

from __future__ import annotations

from typing import Annotated, Any, TypeVar

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.enums import RequestEncodingType
from litestar.params import Body

from api import schemas_reconciliation as sr
from api.context import (
    Cursor,
    IdempotencyKey,
    Limit,
    PathId,
    RequestInvalid,
    actor,
    etag,
    now,
    queries,
    serialized,
    store,
)
from api.listing import CreatedSince, ProgrammeFilter, UpdatedSince, after, filters, next_cursor
from api.problems import READ_PROBLEMS, UPLOAD_PROBLEMS
from api.security import allow
from api.views_reconciliation import import_view
from reintegrate.access import FINANCE_READERS
from reintegrate.access import FINANCE_STEPS as FINANCE
from reintegrate.reconcile.statements.csv_mapping import CsvMapping
from reintegrate.reconcile.statements.imports import StatementImport
from reintegrate.services import reconciliation as rs
from reintegrate.services.notes import read_opened
from reintegrate.services.users import Caller
from reintegrate.texts import Text

T = TypeVar("T")
STATEMENT_BODY_LIMIT = 50 * 1024 * 1024 + 64 * 1024
"""A statement file of 50 MiB plus room for the other parts of the multipart body."""


def import_answer(
    request: Request[Any, Any, Any], imported: StatementImport, status: int = 200
) -> Response[sr.StatementImportView]:
    tag = etag("statement-import", imported.import_id, imported.version)
    return Response(
        import_view(read_opened(store(request), imported)),
        status_code=status,
        headers={"ETag": tag},
    )


def read_import(request: Request[Caller, Any, Any], import_id: str) -> StatementImport:
    """The import as last committed (a read transaction: no write lock)."""
    with store(request).reading() as uow:
        return rs.load_import(uow, import_id)


def _mapping(data: sr.StatementUpload) -> CsvMapping | None:
    """The CSV column mapping sent as JSON text, or None."""
    if isinstance(data.mapping, msgspec.UnsetType):
        return None
    try:
        return msgspec.json.decode(data.mapping, type=CsvMapping)
    except msgspec.DecodeError as error:
        said = Text("not a CSV column mapping: {reason}", reason=str(error))
        raise RequestInvalid(said, field="mapping") from error


def _given(value: T | msgspec.UnsetType) -> T | None:
    """A form field's value, None when it was left out."""
    return None if isinstance(value, msgspec.UnsetType) else value


class ProgrammeStatementImportController(Controller):
    path = "/programmes"
    tags = ("reconciliation",)

    @post(
        "/{programme_id:str}/statement-imports",
        guards=[allow(*FINANCE)],
        sync_to_thread=True,
        status_code=201,
        responses=UPLOAD_PROBLEMS,
        request_max_body_size=STATEMENT_BODY_LIMIT,
    )
    def import_statement(
        self,
        request: Request[Caller, Any, Any],
        programme_id: PathId,
        data: Annotated[sr.StatementUpload, Body(media_type=RequestEncodingType.MULTI_PART)],
        idempotency_key: IdempotencyKey,
    ) -> Response[sr.StatementImportView]:
        """Import a provider's statement: CSV (with the provider's column `mapping`, JSON
        text, or `saved_mapping`, the name of a provider whose mapping is saved), MT940 or
        camt.053 (.02 to .10); the `format` is detected when not given. The
        file is read whole or refused (422 `statement-rejected`, `field` the line or element
        at fault) and kept by its SHA-256; the same file twice is refused (409
        `statement-already-imported`). A statement whose balances do not reconcile with its
        entries is refused (422 `statement-does-not-reconcile`, naming each and by how much)
        unless `accept_discrepancy` is true; the import then lists the `discrepancies`."""
        mapping = _mapping(data)
        content = data.file.file.read()
        fmt = None if isinstance(data.format, msgspec.UnsetType) else data.format.value
        with serialized(request):
            imported = rs.import_statement(
                store(request),
                actor(request),
                now(request),
                programme_id=programme_id,
                content=content,
                fmt=fmt,
                mapping=mapping,
                provider=_given(data.provider),
                saved_mapping=_given(data.saved_mapping),
                encoding=_given(data.encoding),
                accept_discrepancy=data.accept_discrepancy,
            )
        return import_answer(request, imported, 201)


class StatementImportController(Controller):
    path = "/statement-imports"
    tags = ("reconciliation",)

    @get("/", guards=[allow(*FINANCE_READERS)], sync_to_thread=True, responses=READ_PROBLEMS)
    def list_imports(
        self,
        request: Request[Caller, Any, Any],
        *,
        cursor: Cursor,
        programme_id: ProgrammeFilter,
        created_since: CreatedSince,
        updated_since: UpdatedSince,
        limit: Limit = 50,
    ) -> sr.StatementImportPage:
        """Statement imports of every programme (they belong to no office), by id, narrowed
        by the filters given: `updated_since` finds those decided on since."""
        given = filters(
            programme_id=programme_id, created_since=created_since, updated_since=updated_since
        )
        found = queries(request).imports.page(
            actor(request).scope, after(cursor, given), limit + 1, given
        )
        return sr.StatementImportPage(
            items=[import_view(i) for i in read_opened(store(request), found[:limit])],
            next_cursor=next_cursor(found, limit, given, lambda i: i.import_id),
        )

    @get(
        "/{import_id:str}",
        guards=[allow(*FINANCE_READERS)],
        sync_to_thread=True,
        responses=READ_PROBLEMS,
    )
    def get_import(
        self, request: Request[Caller, Any, Any], import_id: PathId
    ) -> Response[sr.StatementImportView]:
        """The import: its file's hash and format, totals per currency, and every decision
        taken on what matching left open (GET .../reconciliation shows the findings)."""
        return import_answer(request, read_import(request, import_id))

"""/provider-mappings: providers' CSV column mappings, saved under the provider's name and
read by statement imports that name it (`saved_mapping`).

A mapping describes how a provider writes its files: it holds no personal data and belongs
to no programme and no office. Saving is a POST of the mapping itself (this API has no PUT):
saving again replaces it, and the journal keeps every version.
"""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.params import JSONBody

from api import schemas_reconciliation as sr
from api.context import (
    Cursor,
    IdempotencyKey,
    Limit,
    PathId,
    actor,
    now,
    queries,
    serialized,
    store,
)
from api.listing import after, next_cursor
from api.problems import CREATE_PROBLEMS, READ_PROBLEMS
from api.security import allow
from api.views_reconciliation import mapping_view
from reintegrate.access import FINANCE_READERS
from reintegrate.access import FINANCE_STEPS as FINANCE
from reintegrate.reconcile.statements.csv_mapping import CsvMapping
from reintegrate.services import provider_mappings as pms
from reintegrate.services.users import Caller
from reintegrate.store.listing import NO_FILTERS

MAPPING_BODY_LIMIT = 32 * 1024
"""Bytes of a mapping's body: a mapping sent as a statement import's part has at most 8,000
characters (`schemas_reconciliation.MAX_MAPPING`)."""


class ProviderMappingController(Controller):
    path = "/provider-mappings"
    tags = ("reconciliation",)

    @post(
        "/",
        guards=[allow(*FINANCE)],
        sync_to_thread=True,
        status_code=201,
        responses=CREATE_PROBLEMS,
        request_max_body_size=MAPPING_BODY_LIMIT,
    )
    def save_mapping(
        self,
        request: Request[Caller, Any, Any],
        data: JSONBody[CsvMapping],
        idempotency_key: IdempotencyKey,
    ) -> sr.ProviderMappingView:
        """Save a CSV column mapping (the fields of examples/providers/mobile-money.toml)
        under the `provider` it names, which is 1-64 of A-Z a-z 0-9 _ . - (422
        `validation-failed`, `field` `provider`, otherwise); saving again replaces it."""
        with serialized(request):
            saved = pms.save_provider_mapping(store(request), actor(request), now(request), data)
        return mapping_view(saved)

    @get("/", guards=[allow(*FINANCE_READERS)], sync_to_thread=True, responses=READ_PROBLEMS)
    def list_mappings(
        self, request: Request[Caller, Any, Any], *, cursor: Cursor, limit: Limit = 50
    ) -> sr.ProviderMappingList:
        """Providers' saved mappings, by provider name, a page at a time: a request without
        `cursor` reads the first page, and `next_cursor` the next."""
        found = queries(request).mappings.page(
            actor(request).scope, after(cursor, NO_FILTERS), limit + 1
        )
        return sr.ProviderMappingList(
            items=[mapping_view(m) for m in found[:limit]],
            next_cursor=next_cursor(found, limit, NO_FILTERS, lambda m: m.provider),
        )

    @get(
        "/{provider:str}",
        guards=[allow(*FINANCE_READERS)],
        sync_to_thread=True,
        responses=READ_PROBLEMS,
    )
    def get_mapping(
        self, request: Request[Caller, Any, Any], provider: PathId
    ) -> sr.ProviderMappingView:
        """The provider's mapping as last saved, with who saved it, when, and how often."""
        with store(request).reading() as uow:
            return mapping_view(pms.load_mapping(uow, provider))

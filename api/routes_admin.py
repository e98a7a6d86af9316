"""/programmes, their policies, /fx-rates and /journal."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Request, Response, get, post
from litestar.params import Body, JSONBody, QueryParameter

from api import schemas as s
from api import views
from api.context import (
    Cursor,
    IdempotencyKey,
    Limit,
    PathId,
    actor,
    decode_number_cursor,
    encode_cursor,
    now,
    queries,
    serialized,
    store,
)
from api.problems import CREATE_PROBLEMS, LIST_PROBLEMS, READ_PROBLEMS
from api.security import EVERY_ROLE, allow
from reintegrate.access import Role
from reintegrate.errors import ValidationFailed
from reintegrate.grants.postings import budget_codes
from reintegrate.money import FxRate
from reintegrate.policy import Policy, load_policy
from reintegrate.services import programmes as prog
from reintegrate.services.context import existing_programme
from reintegrate.services.users import Caller
from reintegrate.texts import Text

NewestFirst = Annotated[bool, QueryParameter(name="newest_first", required=False)]
PolicyBody = Annotated[
    Policy,
    Body(description="A policy document as JSON: see docs/policies.md; validated field by field."),
]


def _programme_view(request: Request[Caller, Any, Any], programme_id: str) -> s.ProgrammeView:
    with store(request).reading() as uow:
        programme = existing_programme(uow.programme(programme_id), programme_id)
        versions = [p.version for p in uow.policies(programme_id)]
    codes = [code for line in programme.budget_lines for code in budget_codes(programme_id, line)]
    return views.programme_view(programme, queries(request).balances(codes), versions)


class ProgrammeController(Controller):
    path = "/programmes"
    tags = ("programmes",)

    @post(
        "/",
        guards=[allow(Role.ADMIN)],
        sync_to_thread=True,
        status_code=201,
        responses=CREATE_PROBLEMS,
    )
    def create_programme(
        self,
        request: Request[Caller, Any, Any],
        data: JSONBody[s.ProgrammeCreate],
        idempotency_key: IdempotencyKey,
    ) -> s.ProgrammeView:
        """Create a programme with its currency and budget lines (each line's funds in the
        ledger)."""
        lines = [
            prog.BudgetLineSpec(code=b.code, label=b.label, amount=b.amount)
            for b in data.budget_lines
        ]
        with serialized(request):
            prog.create_programme(
                store(request),
                actor(request),
                now(request),
                programme_id=data.programme_id,
                name=data.name,
                currency=data.currency,
                budget_lines=lines,
            )
        return _programme_view(request, data.programme_id)

    @get("/", guards=[allow(*EVERY_ROLE)], sync_to_thread=True, responses=LIST_PROBLEMS)
    def list_programmes(self, request: Request[Caller, Any, Any]) -> s.ProgrammeList:
        """Every programme: its currency and budget lines."""
        return s.ProgrammeList(
            items=[_programme_view(request, p.programme_id) for p in queries(request).programmes()]
        )

    @get(
        "/{programme_id:str}",
        guards=[allow(*EVERY_ROLE)],
        sync_to_thread=True,
        responses=READ_PROBLEMS,
    )
    def get_programme(
        self, request: Request[Caller, Any, Any], programme_id: PathId
    ) -> s.ProgrammeView:
        """One programme, with its budget lines."""
        return _programme_view(request, programme_id)

    @post(
        "/{programme_id:str}/policies",
        guards=[allow(Role.ADMIN)],
        sync_to_thread=True,
        status_code=201,
        responses=CREATE_PROBLEMS,
    )
    def adopt_policy(
        self,
        request: Request[Caller, Any, Any],
        programme_id: PathId,
        data: PolicyBody,
        idempotency_key: IdempotencyKey,
    ) -> s.AdoptedPolicyView:
        """Adopt a new policy version: it takes effect after every earlier version and not
        before today (the first version of a programme may start in the past)."""
        policy = load_policy(msgspec.json.encode(data), "json")  # every rule, every field
        if policy.programme != programme_id:
            said = Text(
                "the policy is for programme {policy}, not {programme}",
                policy=policy.programme,
                programme=programme_id,
            )
            raise ValidationFailed(said, field="programme")
        with serialized(request):
            prog.adopt_policy(store(request), actor(request), now(request), policy)
        return s.AdoptedPolicyView(
            programme_id=programme_id, version=policy.version, effective_from=policy.effective_from
        )


class FxRateController(Controller):
    path = "/fx-rates"
    tags = ("fx-rates",)

    @post(
        "/",
        guards=[allow(Role.ADMIN, Role.FINANCE)],
        sync_to_thread=True,
        status_code=201,
        responses=CREATE_PROBLEMS,
    )
    def record_fx_rate(
        self,
        request: Request[Caller, Any, Any],
        data: JSONBody[s.FxRateCreate],
        idempotency_key: IdempotencyKey,
    ) -> s.FxRateView:
        """Record a rate: `rate` units of `quote` buy one `base`, from `valid_from` on."""
        rate = FxRate(
            base=data.base,
            quote=data.quote,
            rate=data.rate,
            source=data.source,
            valid_from=data.valid_from,
        )
        with serialized(request):
            prog.record_fx_rate(store(request), actor(request), now(request), rate)
        return views.rate_view(rate)

    @get("/", guards=[allow(*EVERY_ROLE)], sync_to_thread=True, responses=LIST_PROBLEMS)
    def list_fx_rates(self, request: Request[Caller, Any, Any]) -> s.FxRateList:
        """The exchange rates recorded, each with its source and the day it is valid from."""
        return s.FxRateList(items=[views.rate_view(r) for r in queries(request).fx_rates()])


class JournalController(Controller):
    path = "/journal"
    tags = ("audit",)

    @get(
        "/", guards=[allow(Role.AUDITOR, Role.ADMIN)], sync_to_thread=True, responses=READ_PROBLEMS
    )
    def read_journal(
        self,
        request: Request[Caller, Any, Any],
        cursor: Cursor,
        limit: Limit = 50,
        newest_first: NewestFirst = False,
    ) -> s.JournalPage:
        """Journal entries with their hashes, oldest first unless `newest_first`; page on with
        `next_cursor` (keep the same `newest_first`)."""
        seq = decode_number_cursor(cursor)
        found = queries(request).journal(seq, limit + 1, newest_first=newest_first)
        page = found[:limit]
        more = len(found) > limit
        return s.JournalPage(
            items=[views.entry_view(e) for e in page],
            next_cursor=encode_cursor(str(page[-1].seq)) if more else None,
        )


class HealthController(Controller):
    path = "/health"
    tags = ("health",)

    @get("/", sync_to_thread=False, exclude_from_auth=True, security=[{}])
    def health(self) -> Response[dict[str, str]]:
        """Whether the server answers and reaches its database."""
        return Response({"status": "ok"})

"""/disbursements: a disbursement's steps as sub-resources (POST .../approval...); they are
requested under their package (`api.routes_packages`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import Controller, Request, Response, get
from litestar.params import JSONBody

from api import schemas as s
from api import views
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
    step,
    store,
)
from api.keyed import json_answer
from api.listing import (
    ChannelFilter,
    CreatedSince,
    DisbursementStatusFilter,
    OfficeFilter,
    PersonFilter,
    ProgrammeFilter,
    UpdatedSince,
    after,
    filters,
    next_cursor,
)
from api.problems import READ_PROBLEMS
from api.security import EVERY_ROLE, allow
from reintegrate.access import Role
from reintegrate.grants.disbursements import Disbursement, DisbursementStatus
from reintegrate.idempotency import Answer
from reintegrate.services import packages as ps
from reintegrate.services.notes import opened, read_opened
from reintegrate.services.users import Caller
from reintegrate.store.base import EVERYWHERE
from reintegrate.store.sql_uow import SqlUnitOfWork

PAYERS = (Role.ADMIN, Role.FINANCE)


def disbursement_answer(
    request: Request[Caller, Any, Any], d: Disbursement, status: int = 200
) -> Response[s.DisbursementView]:
    """`d` as a command left it (or as read), in its programme's currency."""
    programme = queries(request).programme(d.programme_id)
    assert programme is not None
    tag = etag("disbursement", d.disbursement_id, d.version)
    return Response(
        views.disbursement_view(read_opened(store(request), d), programme.currency),
        status_code=status,
        headers={"ETag": tag},
    )


def created_disbursement(uow: SqlUnitOfWork, disbursement_id: str) -> Answer:
    """The answer to a disbursement request, built in its unit of work before it commits."""
    d = uow.disbursements.get(disbursement_id, EVERYWHERE)
    assert d is not None, "the command has just recorded it"
    programme = uow.programme(d.programme_id)
    assert programme is not None
    tag = etag("disbursement", d.disbursement_id, d.version)
    return json_answer(201, views.disbursement_view(opened(uow, d), programme.currency), tag)


def disbursement_response(
    request: Request[Caller, Any, Any], disbursement_id: str, status: int = 200
) -> Response[s.DisbursementView]:
    """The disbursement as last committed, read on the reader."""
    d = ps.load_disbursement(queries(request).disbursements, disbursement_id, actor(request))
    return disbursement_answer(request, d, status)


def _views(
    request: Request[Caller, Any, Any], found: list[Disbursement]
) -> list[s.DisbursementView]:
    """Each of `found` as shown, in its programme's currency (each programme read once)."""
    currencies: dict[str, str] = {}
    for d in found:
        if d.programme_id not in currencies:
            programme = queries(request).programme(d.programme_id)
            assert programme is not None
            currencies[d.programme_id] = programme.currency
    return [views.disbursement_view(d, currencies[d.programme_id]) for d in found]


def _disbursement_step(
    request: Request[Caller, Any, Any],
    disbursement_id: str,
    if_match: str | None,
    command: Callable[[], Disbursement],
) -> Response[s.DisbursementView]:
    """Run a step on the disbursement (If-Match checked); answer what it left."""

    def current() -> str:
        seen = ps.load_disbursement(queries(request).disbursements, disbursement_id, actor(request))
        return etag("disbursement", seen.disbursement_id, seen.version)

    return disbursement_answer(request, checked_step(request, if_match, current, command))


class DisbursementController(Controller):
    path = "/disbursements"
    tags = ("disbursements",)

    @get("/", guards=[allow(*EVERY_ROLE)], sync_to_thread=True, responses=READ_PROBLEMS)
    def find_disbursements(
        self,
        request: Request[Caller, Any, Any],
        *,
        cursor: Cursor,
        status: DisbursementStatusFilter,
        office: OfficeFilter,
        programme_id: ProgrammeFilter,
        channel: ChannelFilter,
        person_id: PersonFilter,
        created_since: CreatedSince,
        updated_since: UpdatedSince,
        limit: Limit = 50,
    ) -> s.DisbursementPage:
        """The payments of the caller's offices (every office for auditors and admins), by
        id, narrowed by the filters given: `person_id` keeps the payments on the packages of
        the cases whose household has that person."""
        given = filters(
            status=(DisbursementStatus, status),
            office=office,
            programme_id=programme_id,
            channel=channel,
            person_id=person_id,
            created_since=created_since,
            updated_since=updated_since,
        )
        found = queries(request).disbursements.page(
            actor(request).scope, after(cursor, given), limit + 1, given
        )
        return s.DisbursementPage(
            items=_views(request, read_opened(store(request), found[:limit])),
            next_cursor=next_cursor(found, limit, given, lambda d: d.disbursement_id),
        )

    @get(
        "/{disbursement_id:str}",
        guards=[allow(*EVERY_ROLE)],
        sync_to_thread=True,
        responses=READ_PROBLEMS,
    )
    def get_disbursement(
        self, request: Request[Caller, Any, Any], disbursement_id: PathId
    ) -> Response[s.DisbursementView]:
        """One disbursement: amount, currency, channel, status and who requested, approved and
        confirmed it, with its ETag."""
        return disbursement_response(request, disbursement_id)

    @step("/{disbursement_id:str}/approval", *PAYERS, Role.APPROVER)
    def approve(
        self,
        request: Request[Caller, Any, Any],
        disbursement_id: PathId,
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[s.DisbursementView]:
        """Approve a requested disbursement for payment; whoever requested it cannot approve it
        (four eyes)."""
        return _disbursement_step(
            request,
            disbursement_id,
            if_match,
            lambda: ps.approve_disbursement(
                store(request), actor(request), now(request), disbursement_id
            ),
        )

    @step("/{disbursement_id:str}/confirmation", *PAYERS)
    def confirm_disbursement(
        self,
        request: Request[Caller, Any, Any],
        disbursement_id: PathId,
        data: JSONBody[s.ConfirmationIn],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[s.DisbursementView]:
        """Confirm as paid; whoever approved the payment cannot confirm it."""
        return _disbursement_step(
            request,
            disbursement_id,
            if_match,
            lambda: ps.confirm_disbursement(
                store(request), actor(request), now(request), disbursement_id, data.provider_ref
            ),
        )

    @step("/{disbursement_id:str}/failure", *PAYERS)
    def fail(
        self,
        request: Request[Caller, Any, Any],
        disbursement_id: PathId,
        data: JSONBody[s.FailureIn],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[s.DisbursementView]:
        """Not delivered (or `returned` by the provider); the amount is owed again."""
        return _disbursement_step(
            request,
            disbursement_id,
            if_match,
            lambda: ps.fail_disbursement(
                store(request),
                actor(request),
                now(request),
                disbursement_id,
                data.reason,
                returned=data.returned,
            ),
        )

    @step("/{disbursement_id:str}/reversal", *PAYERS)
    def reverse_disbursement(
        self,
        request: Request[Caller, Any, Any],
        disbursement_id: PathId,
        data: JSONBody[s.ReasonIn],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[s.DisbursementView]:
        """Undo a confirmed payment with a new event; the amount is owed again."""
        return _disbursement_step(
            request,
            disbursement_id,
            if_match,
            lambda: ps.reverse_disbursement(
                store(request), actor(request), now(request), disbursement_id, data.reason
            ),
        )

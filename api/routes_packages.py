"""/packages: lifecycle steps as sub-resources (POST .../approval...), and the disbursements
requested under a package (their own steps: `api.routes_disbursements`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import Controller, Request, Response, get, post
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
from api.keyed import IN_COMMAND, keyed_command
from api.listing import (
    CreatedSince,
    OfficeFilter,
    PackageStatusFilter,
    PersonFilter,
    ProgrammeFilter,
    UpdatedSince,
    after,
    filters,
    next_cursor,
)
from api.problems import CREATE_PROBLEMS, READ_PROBLEMS
from api.routes_disbursements import created_disbursement
from api.security import APPROVERS, CASEWORK, EVERY_ROLE, allow
from reintegrate.access import Role
from reintegrate.grants.packages import Package, PackageStatus
from reintegrate.money import parse_amount
from reintegrate.services import packages as ps
from reintegrate.services.context import new_id
from reintegrate.services.notes import read_opened
from reintegrate.services.users import Caller


def package_answer(
    request: Request[Caller, Any, Any], pkg: Package, status: int = 200
) -> Response[s.PackageView]:
    """`pkg` as a command left it (or as read), with its components' balances as committed.

    Built from the record in hand: a command's answer needs no second transaction."""
    balances = queries(request).balances(views.component_parts(pkg))
    tag = etag("package", pkg.package_id, pkg.version)
    return Response(
        views.package_view(read_opened(store(request), pkg), balances),
        status_code=status,
        headers={"ETag": tag},
    )


def package_response(
    request: Request[Caller, Any, Any], package_id: str, status: int = 200
) -> Response[s.PackageView]:
    """The package as last committed, read on the reader: a read takes no write lock."""
    pkg = ps.load_package(queries(request).packages, package_id, actor(request))
    return package_answer(request, pkg, status)


def _package_step(
    request: Request[Caller, Any, Any],
    package_id: str,
    if_match: str | None,
    command: Callable[[], Package],
) -> Response[s.PackageView]:
    """Run a step on the package (If-Match checked); answer the package it left."""

    def current() -> str:
        seen = ps.load_package(queries(request).packages, package_id, actor(request))
        return etag("package", seen.package_id, seen.version)

    return package_answer(request, checked_step(request, if_match, current, command))


class PackageController(Controller):
    path = "/packages"
    tags = ("packages",)

    @get("/", guards=[allow(*EVERY_ROLE)], sync_to_thread=True, responses=READ_PROBLEMS)
    def find_packages(
        self,
        request: Request[Caller, Any, Any],
        *,
        cursor: Cursor,
        status: PackageStatusFilter,
        office: OfficeFilter,
        programme_id: ProgrammeFilter,
        person_id: PersonFilter,
        created_since: CreatedSince,
        updated_since: UpdatedSince,
        limit: Limit = 50,
    ) -> s.PackagePage:
        """The packages of the caller's offices (every office for auditors and admins), by
        id, narrowed by the filters given: `person_id` keeps the packages of the cases whose
        household has that person."""
        given = filters(
            status=(PackageStatus, status),
            office=office,
            programme_id=programme_id,
            person_id=person_id,
            created_since=created_since,
            updated_since=updated_since,
        )
        found = queries(request).packages.page(
            actor(request).scope, after(cursor, given), limit + 1, given
        )
        page = read_opened(store(request), found[:limit])
        balances = queries(request).balances(c for p in page for c in views.component_parts(p))
        return s.PackagePage(
            items=[views.package_view(p, balances) for p in page],
            next_cursor=next_cursor(found, limit, given, lambda p: p.package_id),
        )

    @get(
        "/{package_id:str}",
        guards=[allow(*EVERY_ROLE)],
        sync_to_thread=True,
        responses=READ_PROBLEMS,
    )
    def get_package(
        self, request: Request[Caller, Any, Any], package_id: PathId
    ) -> Response[s.PackageView]:
        """One package: its components, status and what was paid, with its ETag."""
        return package_response(request, package_id)

    @step("/{package_id:str}/submission", *CASEWORK)
    def submit(
        self,
        request: Request[Caller, Any, Any],
        package_id: PathId,
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[s.PackageView]:
        """Submit a drafted package for approval; its drafter or another caseworker may."""
        return _package_step(
            request,
            package_id,
            if_match,
            lambda: ps.submit_package(store(request), actor(request), now(request), package_id),
        )

    @step("/{package_id:str}/approval", *APPROVERS)
    def approve(
        self,
        request: Request[Caller, Any, Any],
        package_id: PathId,
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[s.PackageView]:
        """Approve: draws on every cap and the budget line at once; the drafter cannot approve."""
        return _package_step(
            request,
            package_id,
            if_match,
            lambda: ps.approve_package(store(request), actor(request), now(request), package_id),
        )

    @step("/{package_id:str}/rejection", *APPROVERS)
    def reject(
        self,
        request: Request[Caller, Any, Any],
        package_id: PathId,
        data: JSONBody[s.ReasonIn],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[s.PackageView]:
        """Reject a submitted package, with a reason; it holds nothing of the budget line or the
        caps."""
        return _package_step(
            request,
            package_id,
            if_match,
            lambda: ps.reject_package(
                store(request), actor(request), now(request), package_id, data.reason
            ),
        )

    @step("/{package_id:str}/cancellation", *CASEWORK, Role.APPROVER)
    def cancel(
        self,
        request: Request[Caller, Any, Any],
        package_id: PathId,
        data: JSONBody[s.ReasonIn],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[s.PackageView]:
        """Cancel; what was approved and not paid goes back to the caps and the budget line."""
        return _package_step(
            request,
            package_id,
            if_match,
            lambda: ps.cancel_package(
                store(request), actor(request), now(request), package_id, data.reason
            ),
        )

    @step("/{package_id:str}/closure", *APPROVERS)
    def close_package(
        self,
        request: Request[Caller, Any, Any],
        package_id: PathId,
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[s.PackageView]:
        """Close an active package: what was never paid goes back to its budget line and to the
        household's caps."""
        return _package_step(
            request,
            package_id,
            if_match,
            lambda: ps.close_package(store(request), actor(request), now(request), package_id),
        )

    @post(
        "/{package_id:str}/disbursements",
        guards=[allow(*CASEWORK, Role.FINANCE)],
        sync_to_thread=True,
        status_code=201,
        responses=CREATE_PROBLEMS,
        opt={IN_COMMAND: True},
    )
    def request_disbursement(
        self,
        request: Request[Caller, Any, Any],
        package_id: PathId,
        data: JSONBody[s.DisbursementCreate],
        idempotency_key: IdempotencyKey,
    ) -> Response[s.DisbursementView]:
        """Ask to pay part of a component, in the programme's or a local currency.

        The busiest command: its Idempotency-Key is claimed and answered in its own
        transaction (`api.keyed`)."""
        amount = parse_amount(data.amount.amount, data.amount.currency, field="amount.amount")
        disbursement_id = new_id("dsb")
        return keyed_command(
            request,
            lambda keyed: ps.request_disbursement(
                keyed,
                actor(request),
                now(request),
                package_id=package_id,
                component_id=data.component_id,
                amount=amount,
                currency=data.amount.currency,
                channel=data.channel,
                invoice_ref=data.invoice_ref,
                disbursement_id=disbursement_id,
            ),
            lambda uow: created_disbursement(uow, disbursement_id),
        )

    @get(
        "/{package_id:str}/disbursements",
        guards=[allow(*EVERY_ROLE)],
        sync_to_thread=True,
        responses=READ_PROBLEMS,
    )
    def list_disbursements(
        self, request: Request[Caller, Any, Any], package_id: PathId
    ) -> s.DisbursementList:
        """The disbursements requested on a package, oldest first."""
        pkg = ps.load_package(queries(request).packages, package_id, actor(request))
        found = queries(request).disbursements_of_package(package_id, actor(request).scope)
        return s.DisbursementList(
            items=[
                views.disbursement_view(d, pkg.currency) for d in read_opened(store(request), found)
            ]
        )

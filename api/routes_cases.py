"""/cases: register households, read them and their explained entitlement."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody, QueryParameter

from api import schemas as s
from api import views
from api.context import (
    Cursor,
    IdempotencyKey,
    Limit,
    PathId,
    actor,
    etag,
    now,
    queries,
    serialized,
    store,
)
from api.listing import (
    CreatedSince,
    OfficeFilter,
    PersonFilter,
    ProgrammeFilter,
    UpdatedSince,
    after,
    filters,
    next_cursor,
)
from api.problems import CREATE_PROBLEMS, READ_PROBLEMS, language_of
from api.routes_packages import package_answer
from api.security import CASEWORK, EVERY_ROLE, allow
from reintegrate import events as ev
from reintegrate.cases import Case, Member, stay_months
from reintegrate.kinds import DEFAULT_DIMENSION
from reintegrate.money import parse_amount
from reintegrate.services import packages as ps
from reintegrate.services import programmes as prog
from reintegrate.services.notes import read_opened
from reintegrate.services.users import Caller

AsOf = Annotated[dt.date | None, QueryParameter(name="as_of", required=False)]


def _case_response(
    request: Request[Caller, Any, Any], case_id: str, status: int = 200
) -> Response[s.CaseView]:
    with store(request).reading() as uow:
        record = prog.case_record(uow, case_id, actor(request))
        statuses = prog.member_statuses(uow, [record])
    return Response(
        views.case_view(record, statuses),
        status_code=status,
        headers={"ETag": etag("case", case_id, record.version)},
    )


class CaseController(Controller):
    path = "/cases"
    tags = ("cases",)

    @post(
        "/",
        guards=[allow(*CASEWORK)],
        sync_to_thread=True,
        status_code=201,
        responses=CREATE_PROBLEMS,
    )
    def register_case(
        self,
        request: Request[Caller, Any, Any],
        data: JSONBody[s.CaseCreate],
        idempotency_key: IdempotencyKey,
    ) -> Response[s.CaseView]:
        """Register a returning household. The case id is chosen by the server."""
        case_id = f"case_{uuid.uuid4().hex[:16]}"
        case = Case(
            case_id=case_id,
            programme_id=data.programme_id,
            office=data.office,
            country_of_return=data.country_of_return,
            return_date=data.return_date,
            return_type=data.return_type,
            members=tuple(
                Member(member_id=m.member_id, person_id=m.person_id, role=m.role)
                for m in data.members
            ),
            stay_months=stay_months(data.arrived_in_host_on, data.stay_months, data.return_date),
        )
        with serialized(request):
            prog.register_case(store(request), actor(request), now(request), case)
        return _case_response(request, case_id, 201)

    @get("/", guards=[allow(*EVERY_ROLE)], sync_to_thread=True, responses=READ_PROBLEMS)
    def list_cases(
        self,
        request: Request[Caller, Any, Any],
        *,
        cursor: Cursor,
        office: OfficeFilter,
        programme_id: ProgrammeFilter,
        person_id: PersonFilter,
        created_since: CreatedSince,
        updated_since: UpdatedSince,
        limit: Limit = 50,
    ) -> s.CasePage:
        """The cases of the caller's offices (every office for auditors and admins), by id,
        narrowed by the filters given."""
        given = filters(
            office=office,
            programme_id=programme_id,
            person_id=person_id,
            created_since=created_since,
            updated_since=updated_since,
        )
        scope = actor(request).scope
        found = queries(request).cases(scope, after(cursor, given), limit + 1, given)
        page = found[:limit]
        with store(request).reading() as uow:
            statuses = prog.member_statuses(uow, page)
        items = [views.case_view(r, statuses) for r in page]
        return s.CasePage(
            items=items, next_cursor=next_cursor(found, limit, given, lambda c: c.case_id)
        )

    @get(
        "/{case_id:str}", guards=[allow(*EVERY_ROLE)], sync_to_thread=True, responses=READ_PROBLEMS
    )
    def get_case(self, request: Request[Caller, Any, Any], case_id: PathId) -> Response[s.CaseView]:
        """One case: its office, country of return, return date and members (person ids and roles,
        never names), with its ETag."""
        return _case_response(request, case_id)

    @get(
        "/{case_id:str}/entitlement",
        guards=[allow(*EVERY_ROLE)],
        sync_to_thread=True,
        responses=READ_PROBLEMS,
    )
    def get_entitlement(
        self, request: Request[Caller, Any, Any], case_id: PathId, as_of: AsOf = None
    ) -> Response[s.EntitlementView]:
        """The explained entitlement: every line and why, every cap with what is used and left;
        its labels and reasons in the caller's language (`Accept-Language`)."""
        day = as_of or now(request).date()
        shown = prog.case_entitlement(store(request), actor(request), case_id, day)
        language = language_of(request)
        return Response(
            views.entitlement_view(case_id, shown, language),
            headers={"Content-Language": language, "Vary": "Accept-Language"},
        )

    @post(
        "/{case_id:str}/packages",
        guards=[allow(*CASEWORK)],
        sync_to_thread=True,
        status_code=201,
        responses=CREATE_PROBLEMS,
    )
    def draft_package(
        self,
        request: Request[Caller, Any, Any],
        case_id: PathId,
        data: JSONBody[s.PackageCreate],
        idempotency_key: IdempotencyKey,
    ) -> Response[s.PackageView]:
        """Draft a package of cash and in-kind components for members of the case."""
        components = tuple(
            ev.ComponentSpec(
                component_id=f"c{i + 1}",
                member_id=c.member_id,
                form=c.form,
                category=c.category,
                dimension=c.dimension or DEFAULT_DIMENSION[c.category],
                amount=parse_amount(
                    c.amount.amount, c.amount.currency, field=f"components[{i}].amount"
                ),
                supplier=c.supplier,
                description=c.description,
            )
            for i, c in enumerate(data.components)
        )
        with serialized(request):
            pkg = ps.draft_package(
                store(request),
                actor(request),
                now(request),
                case_id=case_id,
                budget_line=data.budget_line,
                components=components,
            )
        return package_answer(request, pkg, 201)

    @get(
        "/{case_id:str}/packages",
        guards=[allow(*EVERY_ROLE)],
        sync_to_thread=True,
        responses=READ_PROBLEMS,
    )
    def list_packages(self, request: Request[Caller, Any, Any], case_id: PathId) -> s.PackageList:
        """The packages of a case, oldest first."""
        with store(request).reading() as uow:
            prog.case_record(uow, case_id, actor(request))
        found = queries(request).packages_of_case(case_id, actor(request).scope)
        balances = queries(request).balances(
            code for pkg in found for code in views.component_parts(pkg)
        )
        return s.PackageList(
            items=[views.package_view(p, balances) for p in read_opened(store(request), found)]
        )

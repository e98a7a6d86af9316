"""/business-plans: draft, read and list plans, and their lifecycle steps as sub-resources
(POST .../submission, /assessment, /approval, /activation, /completion, /failure,
/abandonment). Tranches, visits and owners: routes_business_milestones; milestones and evidence:
routes_tranches."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from litestar import Controller, Request, Response, get, post
from litestar.params import JSONBody

from api import schemas as s
from api import schemas_business as sb
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
    serialized,
    step,
    store,
)
from api.listing import (
    CreatedSince,
    OfficeFilter,
    PlanStatusFilter,
    ProgrammeFilter,
    UpdatedSince,
    after,
    filters,
    next_cursor,
)
from api.problems import CREATE_PROBLEMS, READ_PROBLEMS
from api.routes_tranches import milestone_specs, money_sum, tranche_in
from api.security import APPROVERS, CASEWORK, EVERY_ROLE, allow
from api.views_business import plan_view
from reintegrate import events as ev
from reintegrate.business import plans as bp
from reintegrate.business.drafting import PlanContent
from reintegrate.business.plans import BusinessPlan, PlanStatus
from reintegrate.services import business as bs
from reintegrate.services.notes import read_opened
from reintegrate.services.users import Caller
from reintegrate.store.queries_business import PlanQueries


def plan_queries(request: Request[Any, Any, Any]) -> PlanQueries:
    found: PlanQueries = request.app.state.plan_queries
    return found


def plan_answer(
    request: Request[Any, Any, Any], plan: BusinessPlan, status: int = 200
) -> Response[sb.BusinessPlanView]:
    """`plan` as a command left it (or as read), with its ETag."""
    tag = etag("business-plan", plan.plan_id, plan.version)
    return Response(
        plan_view(read_opened(store(request), plan)), status_code=status, headers={"ETag": tag}
    )


def plan_step(
    request: Request[Caller, Any, Any],
    plan_id: str,
    if_match: str | None,
    command: Callable[[], BusinessPlan],
    status: int = 200,
) -> Response[sb.BusinessPlanView]:
    """Run a step on the plan (If-Match checked); answer the plan it left."""

    def current() -> str:
        seen = bs.load_plan(plan_queries(request).plans, plan_id, actor(request))
        return etag("business-plan", seen.plan_id, seen.version)

    return plan_answer(request, checked_step(request, if_match, current, command), status)


def _end(
    request: Request[Caller, Any, Any],
    plan_id: str,
    if_match: str | None,
    end: ev.PlanEnd,
    reason: str,
) -> Response[sb.BusinessPlanView]:
    """Complete, fail or abandon: each owner's package is closed and what was never paid goes
    back to the owner's caps and the budget line."""
    return plan_step(
        request,
        plan_id,
        if_match,
        lambda: bs.end_plan(
            store(request), actor(request), now(request), plan_id, end=end, reason=reason
        ),
    )


def plan_content(data: sb.PlanCreate) -> PlanContent:
    """The request as the domain's plan content (amounts in minor units of their currency)."""
    items = []
    for n, i in enumerate(data.items):
        cost = money_sum(i.amount, f"items[{n}].amount.amount")
        items.append(
            ev.BudgetItem(
                item=i.item,
                form=i.form,
                amount=cost.amount,
                currency=cost.currency,
                programme_amount=0,  # booked by the service at today's rate
                supplier=i.supplier,
            )
        )
    return PlanContent(
        sector=data.sector,
        activity=data.activity,
        country=data.country,
        area=data.area,
        start_date=data.start_date,
        items=tuple(items),
        monthly_revenue=money_sum(data.monthly_revenue, "monthly_revenue.amount"),
        monthly_costs=money_sum(data.monthly_costs, "monthly_costs.amount"),
        own_contribution=money_sum(data.own_contribution, "own_contribution.amount"),
        risks=tuple(data.risks),
        milestones=milestone_specs(data.milestones),
        tranches=tuple(tranche_in(n, t) for n, t in enumerate(data.tranches)),
    )


class BusinessPlanController(Controller):
    path = "/business-plans"
    tags = ("business plans",)

    @post(
        "/",
        guards=[allow(*CASEWORK)],
        sync_to_thread=True,
        status_code=201,
        responses=CREATE_PROBLEMS,
    )
    def draft_plan(
        self,
        request: Request[Caller, Any, Any],
        data: JSONBody[sb.PlanCreate],
        idempotency_key: IdempotencyKey,
    ) -> Response[sb.BusinessPlanView]:
        """Draft a plan for one owner or a group of owners (members of cases of the caller's
        offices); the grant's parts, each owner's allotment and the tranches are computed here
        exactly. The plan id is chosen by the server."""
        owners = tuple(
            ev.Owner(case_id=o.case_id, member_id=o.member_id, parts=o.parts) for o in data.owners
        )
        content = plan_content(data)
        with serialized(request):
            plan = bs.draft_plan(
                store(request),
                actor(request),
                now(request),
                owners=owners,
                budget_line=data.budget_line,
                content=content,
            )
        return plan_answer(request, plan, 201)

    @get("/", guards=[allow(*EVERY_ROLE)], sync_to_thread=True, responses=READ_PROBLEMS)
    def list_plans(
        self,
        request: Request[Caller, Any, Any],
        *,
        cursor: Cursor,
        status: PlanStatusFilter,
        office: OfficeFilter,
        programme_id: ProgrammeFilter,
        created_since: CreatedSince,
        updated_since: UpdatedSince,
        limit: Limit = 50,
    ) -> sb.BusinessPlanPage:
        """The plans of the caller's offices (every office for auditors and admins), by id,
        narrowed by the filters given."""
        given = filters(
            status=(PlanStatus, status),
            office=office,
            programme_id=programme_id,
            created_since=created_since,
            updated_since=updated_since,
        )
        found = plan_queries(request).plans.page(
            actor(request).scope, after(cursor, given), limit + 1, given
        )
        return sb.BusinessPlanPage(
            items=[plan_view(p) for p in read_opened(store(request), found[:limit])],
            next_cursor=next_cursor(found, limit, given, lambda p: p.plan_id),
        )

    @get(
        "/{plan_id:str}", guards=[allow(*EVERY_ROLE)], sync_to_thread=True, responses=READ_PROBLEMS
    )
    def get_plan(
        self, request: Request[Caller, Any, Any], plan_id: PathId
    ) -> Response[sb.BusinessPlanView]:
        """One business plan: owners, budget, milestones, tranches and what was paid, with
        its ETag."""
        return plan_answer(
            request, bs.load_plan(plan_queries(request).plans, plan_id, actor(request))
        )

    @step("/{plan_id:str}/submission", *CASEWORK)
    def submit(
        self,
        request: Request[Caller, Any, Any],
        plan_id: PathId,
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[sb.BusinessPlanView]:
        """Submit: each owner's package is drafted and submitted with the plan."""
        return plan_step(
            request,
            plan_id,
            if_match,
            lambda: bs.submit_plan(store(request), actor(request), now(request), plan_id),
        )

    @step("/{plan_id:str}/assessment", *APPROVERS)
    def assess_business_plan(
        self,
        request: Request[Caller, Any, Any],
        plan_id: PathId,
        data: JSONBody[sb.AssessmentIn],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[sb.BusinessPlanView]:
        """Score every criterion of the policy; whoever drafted or submitted it cannot."""
        return plan_step(
            request,
            plan_id,
            if_match,
            lambda: bs.assess_plan(
                store(request),
                actor(request),
                now(request),
                plan_id,
                scores=bp.scores_by_criterion([(x.criterion, x.score) for x in data.scores]),
                reasons=data.reasons,
            ),
        )

    @step("/{plan_id:str}/approval", *APPROVERS)
    def approve(
        self,
        request: Request[Caller, Any, Any],
        plan_id: PathId,
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[sb.BusinessPlanView]:
        """Approve a plan that passed its assessment: every owner's package is approved with
        it, drawing on that owner's caps and the budget line at once."""
        return plan_step(
            request,
            plan_id,
            if_match,
            lambda: bs.approve_plan(store(request), actor(request), now(request), plan_id),
        )

    @step("/{plan_id:str}/activation", *APPROVERS)
    def activate_business_plan(
        self,
        request: Request[Caller, Any, Any],
        plan_id: PathId,
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[sb.BusinessPlanView]:
        """Start an approved business plan: its first tranches may then be released as their
        milestones are verified."""
        return plan_step(
            request,
            plan_id,
            if_match,
            lambda: bs.activate_plan(store(request), actor(request), now(request), plan_id),
        )

    @step("/{plan_id:str}/completion", *APPROVERS)
    def complete(
        self,
        request: Request[Caller, Any, Any],
        plan_id: PathId,
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[sb.BusinessPlanView]:
        """Complete a plan whose every tranche is released; its packages are closed."""
        return _end(request, plan_id, if_match, ev.PlanEnd.COMPLETED, "")

    @step("/{plan_id:str}/failure", *APPROVERS)
    def fail(
        self,
        request: Request[Caller, Any, Any],
        plan_id: PathId,
        data: JSONBody[s.ReasonIn],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[sb.BusinessPlanView]:
        """Mark failed, after a monitoring visit found the business closed; what was never
        paid goes back to the owners' caps and the budget line."""
        return _end(request, plan_id, if_match, ev.PlanEnd.FAILED, data.reason)

    @step("/{plan_id:str}/abandonment", *APPROVERS)
    def abandon(
        self,
        request: Request[Caller, Any, Any],
        plan_id: PathId,
        data: JSONBody[s.ReasonIn],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[sb.BusinessPlanView]:
        """Abandon at any point before the end; what was never paid goes back."""
        return _end(request, plan_id, if_match, ev.PlanEnd.ABANDONED, data.reason)

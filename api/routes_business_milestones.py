"""/business-plans/{plan_id}/...: tranche releases, monitoring visits and owners leaving (the
milestones' evidence and verification: `api.routes_tranches`, as for every grant).

A released tranche becomes one ordinary disbursement per owner still owed something, to be
approved and confirmed through /disbursements/{disbursement_id} like any other payment.
"""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, Response, post
from litestar.params import JSONBody, PathParameter

from api import schemas_business as sb
from api.context import IdempotencyKey, IfMatch, PathId, actor, now, step, store
from api.problems import STEP_PROBLEMS
from api.routes_business import plan_step
from api.routes_tranches import PAYERS, GrantRoutes, milestone_routes
from api.security import APPROVERS, CASEWORK, allow
from reintegrate import events as ev
from reintegrate.business.plans import MAX_OWNERS
from reintegrate.money import parse_amount
from reintegrate.services import business as bs
from reintegrate.services import business_milestones as bm
from reintegrate.services.users import Caller

OwnerNumber = Annotated[
    int,
    PathParameter(ge=0, le=MAX_OWNERS - 1, description="the owner's position in the plan (0...)"),
]


class BusinessPlanMilestoneController(Controller):
    path = "/business-plans"
    tags = ("business plans",)

    @step("/{plan_id:str}/tranches/{tranche_id:str}/release", *PAYERS)
    def release_tranche(
        self,
        request: Request[Caller, Any, Any],
        *,
        plan_id: PathId,
        tranche_id: PathId,
        data: JSONBody[sb.ReleaseIn],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[sb.BusinessPlanView]:
        """Release a tranche whose milestone is verified, once receipts justify enough of
        what was already released: one disbursement per owner, split by what each is owed."""
        return plan_step(
            request,
            plan_id,
            if_match,
            lambda: bm.release_tranche(
                store(request),
                actor(request),
                now(request),
                plan_id,
                tranche_id,
                channel=data.channel,
                invoice_ref=data.invoice_ref,
            ),
        )

    @step("/{plan_id:str}/tranches/{tranche_id:str}/parts/{owner:int}/repayment", *PAYERS)
    def repay_tranche_part(
        self,
        request: Request[Caller, Any, Any],
        *,
        plan_id: PathId,
        tranche_id: PathId,
        owner: OwnerNumber,
        data: JSONBody[sb.ReleaseIn],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[sb.BusinessPlanView]:
        """Pay again an owner's part of a released tranche whose payment failed, came back
        or was reversed (a new disbursement; the tranche stays released)."""
        return plan_step(
            request,
            plan_id,
            if_match,
            lambda: bm.repay_tranche_part(
                store(request),
                actor(request),
                now(request),
                plan_id,
                tranche_id,
                owner=owner,
                channel=data.channel,
                invoice_ref=data.invoice_ref,
            ),
        )

    @post(
        "/{plan_id:str}/visits",
        guards=[allow(*CASEWORK)],
        sync_to_thread=True,
        status_code=201,
        responses=STEP_PROBLEMS,
    )
    def record_visit(
        self,
        request: Request[Caller, Any, Any],
        plan_id: PathId,
        data: JSONBody[sb.VisitIn],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[sb.BusinessPlanView]:
        """Record a monitoring visit to an approved or active plan's business."""
        revenue = None
        if data.revenue is not None:
            money = data.revenue
            minor = parse_amount(money.amount, money.currency, field="revenue.amount")
            revenue = ev.Sum(amount=minor, currency=money.currency)
        return plan_step(
            request,
            plan_id,
            if_match,
            lambda: bm.record_visit(
                store(request),
                actor(request),
                now(request),
                plan_id,
                on=data.on,
                status=data.status,
                revenue=revenue,
                jobs_created=data.jobs_created,
                notes=data.notes,
            ),
            201,
        )

    @step("/{plan_id:str}/owners/{owner:int}/departure", *APPROVERS)
    def owner_leaves(
        self,
        request: Request[Caller, Any, Any],
        *,
        plan_id: PathId,
        owner: OwnerNumber,
        data: JSONBody[sb.DepartureIn],
        idempotency_key: IdempotencyKey,
        if_match: IfMatch = None,
    ) -> Response[sb.BusinessPlanView]:
        """An owner leaves a group business: what they were still owed goes to the other
        owners (`reallocate`) or back to their own caps, exact to the minor unit."""
        return plan_step(
            request,
            plan_id,
            if_match,
            lambda: bm.owner_leaves(
                store(request),
                actor(request),
                now(request),
                plan_id,
                owner=owner,
                reallocate=data.reallocate,
                reason=data.reason,
            ),
        )


def plan_id_of(plan_id: PathId) -> str:
    """The grant the milestone routes act on: the plan in their path."""
    return plan_id


BusinessPlanEvidenceController = milestone_routes(
    GrantRoutes(
        path="/business-plans",
        tag="business plans",
        id_param="plan_id",
        grant_id=plan_id_of,
        grants=bs.PLANS,
        run=plan_step,
        view=sb.BusinessPlanView,
    )
)

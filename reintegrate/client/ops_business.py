"""Business plans: drafting, the lifecycle, owners, visits, milestones and tranches."""

from __future__ import annotations

from api import schemas as s
from api import schemas_business as sb
from reintegrate.client.calls import Call, IfMatch, Upload, get, post
from reintegrate.client.grants import Grant
from reintegrate.client.operations import operation
from reintegrate.events import EvidenceKind

View = sb.BusinessPlanView
PLAN = Grant("/business-plans/{plan_id}", View)
step = PLAN.step


class BusinessPlanOperations:
    @operation
    def draft_plan(body: sb.PlanCreate) -> Call[View]:
        return post("/business-plans", View, body)

    @operation
    def get_plan(plan_id: str) -> Call[View]:
        return get(PLAN.path, View, plan_id=plan_id)

    @operation
    def submit_business_plan(plan_id: str, *, if_match: IfMatch = None) -> Call[View]:
        return step("submission", tag=if_match, plan_id=plan_id)

    @operation
    def assess_business_plan(
        plan_id: str, body: sb.AssessmentIn, *, if_match: IfMatch = None
    ) -> Call[View]:
        return step("assessment", body, if_match, plan_id=plan_id)

    @operation
    def approve_business_plan(plan_id: str, *, if_match: IfMatch = None) -> Call[View]:
        return step("approval", tag=if_match, plan_id=plan_id)

    @operation
    def activate_business_plan(plan_id: str, *, if_match: IfMatch = None) -> Call[View]:
        return step("activation", tag=if_match, plan_id=plan_id)

    @operation
    def complete_business_plan(plan_id: str, *, if_match: IfMatch = None) -> Call[View]:
        return step("completion", tag=if_match, plan_id=plan_id)

    @operation
    def fail_business_plan(
        plan_id: str, body: s.ReasonIn, *, if_match: IfMatch = None
    ) -> Call[View]:
        return step("failure", body, if_match, plan_id=plan_id)

    @operation
    def abandon_business_plan(
        plan_id: str, body: s.ReasonIn, *, if_match: IfMatch = None
    ) -> Call[View]:
        return step("abandonment", body, if_match, plan_id=plan_id)

    @operation
    def owner_leaves(
        plan_id: str, owner: int, body: sb.DepartureIn, *, if_match: IfMatch = None
    ) -> Call[View]:
        """`owner`: the owner's position in the plan, from 0."""
        return step("owners/{owner}/departure", body, if_match, plan_id=plan_id, owner=owner)

    @operation
    def record_visit(plan_id: str, body: sb.VisitIn, *, if_match: IfMatch = None) -> Call[View]:
        return step("visits", body, if_match, plan_id=plan_id)


class BusinessPlanTrancheOperations:
    @operation
    def submit_business_plan_evidence(
        plan_id: str,
        milestone_id: str,
        file: Upload,
        kind: EvidenceKind,
        *,
        amount: str | None = None,
        currency: str | None = None,
        if_match: IfMatch = None,
    ) -> Call[View]:
        """Evidence of a milestone: a PDF, JPEG or PNG `file`, its `kind`, and for a receipt
        or an invoice the `amount` it proves with its `currency`."""
        named = {"plan_id": plan_id, "milestone_id": milestone_id}
        return PLAN.evidence(file, kind, amount, currency, if_match, **named)

    @operation
    def verify_business_plan_milestone(
        plan_id: str, milestone_id: str, *, if_match: IfMatch = None
    ) -> Call[View]:
        action = "milestones/{milestone_id}/verification"
        return step(action, tag=if_match, plan_id=plan_id, milestone_id=milestone_id)

    @operation
    def reject_business_plan_evidence(
        plan_id: str, milestone_id: str, body: s.ReasonIn, *, if_match: IfMatch = None
    ) -> Call[View]:
        action = "milestones/{milestone_id}/rejection"
        return step(action, body, if_match, plan_id=plan_id, milestone_id=milestone_id)

    @operation
    def release_business_plan_tranche(
        plan_id: str, tranche_id: str, body: sb.ReleaseIn, *, if_match: IfMatch = None
    ) -> Call[View]:
        action = "tranches/{tranche_id}/release"
        return step(action, body, if_match, plan_id=plan_id, tranche_id=tranche_id)

    @operation
    def repay_tranche_part(
        plan_id: str, tranche_id: str, owner: int, body: sb.ReleaseIn, *, if_match: IfMatch = None
    ) -> Call[View]:
        action = "tranches/{tranche_id}/parts/{owner}/repayment"
        named = {"plan_id": plan_id, "tranche_id": tranche_id, "owner": owner}
        return step(action, body, if_match, **named)

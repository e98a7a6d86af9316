"""Business plans to response bodies. Formatting only: no rule is decided here, and evidence
is shown by its hash, media type and size, never its content."""

from __future__ import annotations

from api import schemas_business as sb
from api.views import money
from api.views_tranches import component_view, item_view, milestone_view
from reintegrate.business.plans import Assessment, BusinessPlan, OwnerState, Visit
from reintegrate.notes import plain, plain_or_none
from reintegrate.tranches.release import Tranche


def plan_view(plan: BusinessPlan) -> sb.BusinessPlanView:
    c = plan.currency
    return sb.BusinessPlanView(
        plan_id=plan.plan_id,
        programme_id=plan.programme_id,
        office=plan.office,
        budget_line=plan.budget_line,
        status=plan.status,
        sector=plan.sector,
        activity=plain(plan.activity),
        country=plan.country,
        area=plain(plan.area),
        start_date=plan.start_date,
        grant=money(plan.grant, c),
        owners=[_owner(plan, n, o) for n, o in enumerate(plan.owners)],
        items=[item_view(i, c) for i in plan.items],
        components=[component_view(p, c) for p in plan.components],
        monthly_revenue=money(plan.monthly_revenue.amount, plan.monthly_revenue.currency),
        monthly_costs=money(plan.monthly_costs.amount, plan.monthly_costs.currency),
        own_contribution=money(plan.own_contribution.amount, plan.own_contribution.currency),
        risks=[plain(r) for r in plan.risks],
        milestones=[milestone_view(m, c) for m in plan.milestones],
        tranches=[_tranche(t, c) for t in plan.tranches],
        assessment=_assessment(plan.assessment) if plan.assessment else None,
        visits=[_visit(v) for v in plan.visits],
        drafted_by=plan.drafted_by,
        submitted_by=plan.submitted_by,
        approved_by=plan.approved_by,
        approved_on=plan.approved_on,
        activated_on=plan.activated_on,
        end_reason=plain_or_none(plan.end_reason),
        version=plan.version,
    )


def _owner(plan: BusinessPlan, n: int, o: OwnerState) -> sb.OwnerView:
    c = plan.currency
    return sb.OwnerView(
        owner=n,
        case_id=o.case_id,
        member_id=o.member_id,
        parts=o.parts,
        package_id=o.package_id,
        shares=[
            sb.ShareView(
                component_id=p.component_id,
                allotted=money(o.allotted.get(p.component_id, 0), c),
                still_owed=money(o.still_owed(p.component_id), c),
            )
            for p in plan.components
        ],
        left=o.left,
    )


def _tranche(t: Tranche, c: str) -> sb.TrancheView:
    return sb.TrancheView(
        tranche_id=t.tranche_id,
        component_id=t.component_id,
        amount=money(t.amount, c),
        released_on=t.released_on,
        parts=[
            sb.TranchePartView(
                owner=p.owner,
                package_id=p.package_id,
                disbursement_id=p.disbursement_id,
                amount=money(p.amount, c),
            )
            for p in t.parts
        ],
    )


def _assessment(a: Assessment) -> sb.AssessmentView:
    return sb.AssessmentView(
        scores=[sb.ScoreView(criterion=s.criterion, score=s.score) for s in a.scores],
        weighted=a.weighted,
        pass_mark=a.pass_mark,
        passed=a.passed,
        reasons=plain(a.reasons),
        assessed_by=a.assessed_by,
    )


def _visit(v: Visit) -> sb.VisitView:
    return sb.VisitView(
        visit_id=v.visit_id,
        on=v.on,
        status=v.status,
        revenue=None if v.revenue is None else money(v.revenue.amount, v.revenue.currency),
        jobs_created=v.jobs_created,
        notes=plain(v.notes),
        visited_by=v.visited_by,
    )

"""A business plan's state after each of its events (the projection replay rebuilds)."""

from __future__ import annotations

import msgspec

from reintegrate import events as ev
from reintegrate.business.plans import Assessment, BusinessPlan, OwnerState, PlanStatus, Visit
from reintegrate.tranches.milestones import evolve_milestones, milestones_of
from reintegrate.tranches.release import tranches_of

PlanEvent = (
    ev.BusinessPlanDrafted
    | ev.BusinessPlanSubmitted
    | ev.BusinessPlanAssessed
    | ev.BusinessPlanApproved
    | ev.BusinessPlanActivated
    | ev.MilestoneEvent
    | ev.TrancheReleased
    | ev.TranchePartRepaid
    | ev.VisitRecorded
    | ev.OwnerLeft
    | ev.BusinessPlanEnded
)


def drafted(event: ev.BusinessPlanDrafted, actor: str) -> BusinessPlan:
    owners = tuple(
        OwnerState(
            case_id=o.case_id,
            member_id=o.member_id,
            parts=o.parts,
            allotted={a.component_id: a.amount for a in event.allotments if a.owner == n},
        )
        for n, o in enumerate(event.owners)
    )
    return BusinessPlan(
        plan_id=event.plan_id,
        programme_id=event.programme_id,
        office=event.office,
        budget_line=event.budget_line,
        currency=event.currency,
        owners=owners,
        sector=event.sector,
        activity=event.activity,
        country=event.country,
        area=event.area,
        start_date=event.start_date,
        items=event.items,
        components=event.components,
        monthly_revenue=event.monthly_revenue,
        monthly_costs=event.monthly_costs,
        own_contribution=event.own_contribution,
        risks=event.risks,
        milestones=milestones_of(event.milestones),
        tranches=tranches_of(event.tranches),
        status=PlanStatus.DRAFT,
        drafted_by=actor,
    )


def evolve_plan(plan: BusinessPlan, event: PlanEvent, actor: str) -> BusinessPlan:
    """The plan after `event` (which concerns it)."""
    match event:
        case ev.BusinessPlanDrafted():
            return drafted(event, actor)
        case ev.BusinessPlanSubmitted():
            owners = tuple(
                msgspec.structs.replace(o, package_id=p)
                for o, p in zip(plan.owners, event.packages, strict=True)
            )
            return _next(plan, status=PlanStatus.SUBMITTED, submitted_by=actor, owners=owners)
        case ev.BusinessPlanAssessed():
            assessment = Assessment(
                scores=event.scores,
                weighted=event.weighted,
                pass_mark=event.pass_mark,
                passed=event.passed,
                reasons=event.reasons,
                assessed_by=actor,
            )
            return _next(plan, status=PlanStatus.ASSESSED, assessment=assessment)
        case ev.BusinessPlanApproved():
            return _next(plan, status=PlanStatus.APPROVED, approved_by=actor, approved_on=event.on)
        case ev.BusinessPlanActivated():
            return _next(plan, status=PlanStatus.ACTIVE, activated_on=event.on)
        case (
            ev.GrantEvidenceSubmitted() | ev.GrantMilestoneVerified() | ev.GrantMilestoneRejected()
        ):
            return _next(plan, milestones=evolve_milestones(plan.milestones, event, actor))
        case ev.TrancheReleased():
            return _released(plan, event)
        case ev.TranchePartRepaid():
            return _repaid(plan, event)
        case ev.VisitRecorded():
            visit = Visit(
                visit_id=event.visit_id,
                on=event.on,
                status=event.status,
                revenue=event.revenue,
                jobs_created=event.jobs_created,
                notes=event.notes,
                visited_by=actor,
            )
            return _next(plan, visits=(*plan.visits, visit))
        case ev.OwnerLeft():
            return _owner_left(plan, event)
        case ev.BusinessPlanEnded():
            return _next(plan, status=PlanStatus(event.end.value), end_reason=event.reason)


def _released(plan: BusinessPlan, event: ev.TrancheReleased) -> BusinessPlan:
    tranche = plan.tranche(event.tranche_id)
    owners = list(plan.owners)
    for part in event.parts:
        o = owners[part.owner]
        tranched = dict(o.tranched)
        tranched[tranche.component_id] = tranched.get(tranche.component_id, 0) + part.amount
        owners[part.owner] = msgspec.structs.replace(o, tranched=tranched)
    tranches = tuple(
        msgspec.structs.replace(t, released_on=event.on, parts=event.parts)
        if t.tranche_id == event.tranche_id
        else t
        for t in plan.tranches
    )
    return _next(plan, owners=tuple(owners), tranches=tranches)


def _repaid(plan: BusinessPlan, event: ev.TranchePartRepaid) -> BusinessPlan:
    def part(p: ev.TranchePart) -> ev.TranchePart:
        if p.owner != event.owner:
            return p
        return msgspec.structs.replace(p, disbursement_id=event.disbursement_id)

    tranches = tuple(
        msgspec.structs.replace(t, parts=tuple(part(p) for p in t.parts))
        if t.tranche_id == event.tranche_id
        else t
        for t in plan.tranches
    )
    return _next(plan, tranches=tranches)


def _owner_left(plan: BusinessPlan, event: ev.OwnerLeft) -> BusinessPlan:
    owners = tuple(
        msgspec.structs.replace(
            o,
            allotted={a.component_id: a.amount for a in event.allotments if a.owner == n},
            left=o.left or n == event.owner,
        )
        for n, o in enumerate(plan.owners)
    )
    amounts = {t.tranche_id: t.amount for t in event.tranches}
    tranches = tuple(
        msgspec.structs.replace(t, amount=amounts[t.tranche_id]) for t in plan.tranches
    )
    return _next(plan, owners=owners, tranches=tranches)


def _next(plan: BusinessPlan, **changes: object) -> BusinessPlan:
    return msgspec.structs.replace(plan, version=plan.version + 1, **changes)

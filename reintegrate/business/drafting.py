"""Drafting and submitting a business plan: every rule a plan's content must meet."""

from __future__ import annotations

import datetime as dt

import msgspec

from reintegrate import events as ev
from reintegrate.business.plans import (
    MAX_OWNERS,
    BusinessPlan,
    PlanStatus,
    allot,
    require,
)
from reintegrate.cases import Case
from reintegrate.countries import is_country_code
from reintegrate.errors import ValidationFailed
from reintegrate.grants import packages as pk
from reintegrate.ids import check_id
from reintegrate.kinds import Category, Dimension
from reintegrate.texts import Text
from reintegrate.tranches.drafting import (
    TrancheIn,
    check_items,
    check_milestones,
    grant_components,
    resolve_tranches,
    tranche_amounts,
)

MAX_PLAN_ID = 56
"""Shorter than other ids: an owner's package is named `{plan_id}-{n}`."""
MAX_PARTS = 1000


class PlanContent(msgspec.Struct, frozen=True, kw_only=True):
    """What a plan says, as drafted; amounts of `items` already booked in the programme
    currency."""

    sector: str
    activity: str
    country: str
    area: str
    start_date: dt.date
    items: tuple[ev.BudgetItem, ...]
    monthly_revenue: ev.Sum
    monthly_costs: ev.Sum
    own_contribution: ev.Sum
    risks: tuple[str, ...]
    milestones: tuple[ev.MilestoneSpec, ...]
    tranches: tuple[TrancheIn, ...]


def first_owner(owners: tuple[ev.Owner, ...]) -> ev.Owner:
    """The owner whose case gives the plan its programme and office."""
    if not owners:
        raise ValidationFailed(Text("a plan has at least one owner"), field="owners")
    return owners[0]


def draft_plan(
    plan_id: str,
    *,
    cases: dict[str, Case],
    owners: tuple[ev.Owner, ...],
    budget_line: str,
    budget_lines: set[str],
    currency: str,
    content: PlanContent,
) -> ev.BusinessPlanDrafted:
    check_id(plan_id, "plan_id")
    if len(plan_id) > MAX_PLAN_ID:
        raise ValidationFailed(
            Text("a plan id has at most {most} characters", most=MAX_PLAN_ID), field="plan_id"
        )
    first = _check_owners(owners, cases)
    if budget_line not in budget_lines:
        raise ValidationFailed(
            Text(
                "programme {programme_id} has no budget line '{budget_line}'",
                programme_id=first.programme_id,
                budget_line=budget_line,
            ),
            field="budget_line",
        )
    if not is_country_code(content.country):
        raise ValidationFailed(
            Text("'{country}' is not an ISO 3166-1 alpha-2 country code", country=content.country),
            field="country",
        )
    check_items(content.items)
    components = grant_components(content.items)
    allotments = allot(components, [o.parts for o in owners])
    for n in range(len(owners)):
        if not any(a.amount for a in allotments if a.owner == n):
            raise ValidationFailed(
                Text(
                    "owner {owner} would receive nothing of this grant; give them fewer owners' "
                    "parts or a larger grant",
                    owner=n,
                ),
                field=f"owners[{n}].parts",
            )
    for n, t in enumerate(content.tranches):
        if t.currency is not None and t.currency != currency:
            raise ValidationFailed(
                Text(
                    "tranches are paid in {currency}, the programme's currency, not {given}",
                    currency=currency,
                    given=t.currency,
                ),
                field=f"tranches[{n}].amount",
            )
    tranches = resolve_tranches(components, content.tranches)
    tranche_amounts(components, tranches)
    check_milestones(content.milestones, tranches, content.start_date)
    return ev.BusinessPlanDrafted(
        plan_id=plan_id,
        programme_id=first.programme_id,
        office=first.office,
        budget_line=budget_line,
        currency=currency,
        owners=owners,
        components=components,
        allotments=allotments,
        tranches=tranches,
        **{k: v for k, v in msgspec.structs.asdict(content).items() if k != "tranches"},
    )


def _check_owners(owners: tuple[ev.Owner, ...], cases: dict[str, Case]) -> Case:
    if not 1 <= len(owners) <= MAX_OWNERS:
        raise ValidationFailed(
            Text("a plan has 1 to {most} owners", most=MAX_OWNERS), field="owners"
        )
    seen: set[tuple[str, str]] = set()
    first = cases[owners[0].case_id]
    for n, o in enumerate(owners):
        case = cases[o.case_id]
        if case.programme_id != first.programme_id:
            raise ValidationFailed(
                Text("every owner's case belongs to the same programme"),
                field=f"owners[{n}].case_id",
            )
        if case.member(o.member_id) is None:
            raise ValidationFailed(
                Text(
                    "case {case_id} has no member '{member_id}'",
                    case_id=o.case_id,
                    member_id=o.member_id,
                ),
                field=f"owners[{n}].member_id",
            )
        if (o.case_id, o.member_id) in seen:
            raise ValidationFailed(Text("an owner is named twice"), field=f"owners[{n}]")
        seen.add((o.case_id, o.member_id))
        if not 1 <= o.parts <= MAX_PARTS:
            raise ValidationFailed(
                Text("an owner has 1 to {most} parts", most=MAX_PARTS),
                field=f"owners[{n}].parts",
            )
    return first


def owner_package_id(plan_id: str, owner: int) -> str:
    return f"{plan_id}-{owner + 1}"


def submit_plan(plan: BusinessPlan, cases: dict[str, Case]) -> list[ev.Event]:
    """Submit; each owner's package is drafted and submitted with it, carrying their share."""
    require(plan, (PlanStatus.DRAFT,), Text("submit"))
    events: list[ev.Event] = []
    package_ids = []
    for n, owner in enumerate(plan.owners):
        package_id = owner_package_id(plan.plan_id, n)
        drafted = pk.draft_package(
            package_id,
            cases[owner.case_id],
            budget_line=plan.budget_line,
            currency=plan.currency,
            components=_owner_components(plan, n),
            budget_lines={plan.budget_line},
        )
        events += [
            msgspec.structs.replace(drafted, plan_id=plan.plan_id),
            ev.PackageSubmitted(package_id=package_id),
        ]
        package_ids.append(package_id)
    return [*events, ev.BusinessPlanSubmitted(plan_id=plan.plan_id, packages=tuple(package_ids))]


def _owner_components(plan: BusinessPlan, n: int) -> tuple[ev.ComponentSpec, ...]:
    owner = plan.owners[n]
    return tuple(
        ev.ComponentSpec(
            component_id=c.component_id,
            member_id=owner.member_id,
            form=c.form,
            category=Category.BUSINESS,
            dimension=Dimension.ECONOMIC,
            amount=owner.allotted[c.component_id],
            supplier=c.supplier,
            description=f"business plan {plan.plan_id}",
        )
        for c in plan.components
        if owner.allotted.get(c.component_id, 0) > 0
    )

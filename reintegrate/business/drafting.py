"""Drafting and submitting a business plan: every rule a plan's content must meet."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import msgspec

from reintegrate import events as ev
from reintegrate.business.plans import (
    MAX_OWNERS,
    BusinessPlan,
    PlanStatus,
    allot,
    grant_components,
    require,
    tranche_amounts,
    tranches_from_shares,
)
from reintegrate.cases import Case
from reintegrate.countries import is_country_code
from reintegrate.errors import ValidationFailed
from reintegrate.grants import packages as pk
from reintegrate.ids import check_id
from reintegrate.kinds import Category, Dimension, Form
from reintegrate.notes import blank

MAX_PLAN_ID = 56
"""Shorter than other ids: an owner's package is named `{plan_id}-{n}`."""
MAX_ITEMS = 100
MAX_PARTS = 1000


class TrancheIn(msgspec.Struct, frozen=True, kw_only=True):
    """A tranche as asked: an amount (minor units) or a share of its grant part."""

    tranche_id: str
    component_id: str
    amount: int | None = None
    share: Decimal | None = None
    currency: str | None = None
    """The currency of `amount`, when the request names one: it is the programme's."""


def resolve_tranches(
    components: tuple[ev.PlanComponent, ...], wanted: tuple[TrancheIn, ...]
) -> tuple[ev.TrancheSpec, ...]:
    """Tranche amounts; the tranches of a part are all amounts or all shares (adding up to 1),
    and shares become amounts that add up to the part exactly."""
    amounts: dict[int, int] = {}
    for n, t in enumerate(wanted):
        if t.amount is not None and t.share is not None:
            raise ValidationFailed(
                "a tranche gives an amount or a share, not both", field=f"tranches[{n}]"
            )
    for c in components:
        mine = [(n, t) for n, t in enumerate(wanted) if t.component_id == c.component_id]
        by_share = [t.share is not None for _, t in mine]
        if any(by_share) and not all(by_share):
            raise ValidationFailed(
                f"the tranches of '{c.component_id}' give either amounts or shares, not both",
                field="tranches",
            )
        if mine and all(by_share):
            shares = [t.share for _, t in mine if t.share is not None]
            split = tranches_from_shares(c.amount, shares)
            amounts.update({n: a for (n, _), a in zip(mine, split, strict=True)})
    result = []
    for n, t in enumerate(wanted):
        amount = amounts.get(n, t.amount)
        if amount is None:
            raise ValidationFailed("a tranche gives an amount or a share", field=f"tranches[{n}]")
        result.append(
            ev.TrancheSpec(tranche_id=t.tranche_id, component_id=t.component_id, amount=amount)
        )
    return tuple(result)


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
        raise ValidationFailed("a plan has at least one owner", field="owners")
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
        raise ValidationFailed(f"a plan id has at most {MAX_PLAN_ID} characters", field="plan_id")
    first = _check_owners(owners, cases)
    if budget_line not in budget_lines:
        raise ValidationFailed(
            f"programme {first.programme_id} has no budget line '{budget_line}'",
            field="budget_line",
        )
    if not is_country_code(content.country):
        raise ValidationFailed(
            f"'{content.country}' is not an ISO 3166-1 alpha-2 country code", field="country"
        )
    check_items(content.items)
    components = grant_components(content.items)
    allotments = allot(components, [o.parts for o in owners])
    for n in range(len(owners)):
        if not any(a.amount for a in allotments if a.owner == n):
            raise ValidationFailed(
                f"owner {n} would receive nothing of this grant; give them fewer owners' parts "
                "or a larger grant",
                field=f"owners[{n}].parts",
            )
    for n, t in enumerate(content.tranches):
        if t.currency is not None and t.currency != currency:
            raise ValidationFailed(
                f"tranches are paid in {currency}, the programme's currency, not {t.currency}",
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
        raise ValidationFailed(f"a plan has 1 to {MAX_OWNERS} owners", field="owners")
    seen: set[tuple[str, str]] = set()
    first = cases[owners[0].case_id]
    for n, o in enumerate(owners):
        case = cases[o.case_id]
        if case.programme_id != first.programme_id:
            raise ValidationFailed(
                "every owner's case belongs to the same programme", field=f"owners[{n}].case_id"
            )
        if case.member(o.member_id) is None:
            raise ValidationFailed(
                f"case {o.case_id} has no member '{o.member_id}'", field=f"owners[{n}].member_id"
            )
        if (o.case_id, o.member_id) in seen:
            raise ValidationFailed("an owner is named twice", field=f"owners[{n}]")
        seen.add((o.case_id, o.member_id))
        if not 1 <= o.parts <= MAX_PARTS:
            raise ValidationFailed(
                f"an owner has 1 to {MAX_PARTS} parts", field=f"owners[{n}].parts"
            )
    return first


def check_items(
    items: tuple[ev.BudgetItem, ...], noun: str = "plan", cash_payee: str = "the owners"
) -> None:
    """1 to MAX_ITEMS positive items; in kind names its supplier, cash goes to `cash_payee`."""
    if not 1 <= len(items) <= MAX_ITEMS:
        raise ValidationFailed(f"a {noun} has 1 to {MAX_ITEMS} budget items", field="items")
    for n, item in enumerate(items):
        where = f"items[{n}]"
        if item.amount <= 0 or item.programme_amount <= 0:
            raise ValidationFailed("a budget item's amount is positive", field=f"{where}.amount")
        if item.form == Form.IN_KIND and blank(item.supplier):
            raise ValidationFailed(
                "an in-kind item names the supplier who is paid", field=f"{where}.supplier"
            )
        if item.form == Form.CASH and item.supplier:
            raise ValidationFailed(
                f"a cash item is paid to {cash_payee}, not a supplier", field=f"{where}.supplier"
            )


def check_milestones(
    milestones: tuple[ev.MilestoneSpec, ...],
    tranches: tuple[ev.TrancheSpec, ...],
    start: dt.date,
    noun: str = "plan",
) -> None:
    """Unique ids; each milestone requires evidence, is due after `start`, and each tranche is
    unlocked by exactly one milestone."""
    if not 1 <= len(milestones) <= 50:
        raise ValidationFailed(f"a {noun} has 1 to 50 milestones", field="milestones")
    tranche_ids = [
        check_id(t.tranche_id, f"tranches[{n}].tranche_id") for n, t in enumerate(tranches)
    ]
    if len(set(tranche_ids)) != len(tranche_ids):
        raise ValidationFailed("two tranches share an id", field="tranches")
    ids = [
        check_id(m.milestone_id, f"milestones[{n}].milestone_id") for n, m in enumerate(milestones)
    ]
    if len(set(ids)) != len(ids):
        raise ValidationFailed("two milestones share an id", field="milestones")
    unlocked = [m.unlocks for m in milestones if m.unlocks is not None]
    for n, m in enumerate(milestones):
        if not m.evidence:
            raise ValidationFailed(
                "a milestone names the evidence it requires", field=f"milestones[{n}].evidence"
            )
        if m.due_on < start:
            raise ValidationFailed(
                f"milestone {m.milestone_id} is due before the {noun} starts ({start})",
                field=f"milestones[{n}].due_on",
            )
        if m.unlocks is not None and m.unlocks not in tranche_ids:
            raise ValidationFailed(
                f"milestone {m.milestone_id} unlocks tranche '{m.unlocks}', which does not exist",
                field=f"milestones[{n}].unlocks",
            )
    for tranche_id in tranche_ids:
        if unlocked.count(tranche_id) != 1:
            raise ValidationFailed(
                f"tranche {tranche_id} must be unlocked by exactly one milestone "
                f"(it is by {unlocked.count(tranche_id)})",
                field="milestones",
            )


def owner_package_id(plan_id: str, owner: int) -> str:
    return f"{plan_id}-{owner + 1}"


def submit_plan(plan: BusinessPlan, cases: dict[str, Case]) -> list[ev.Event]:
    """Submit; each owner's package is drafted and submitted with it, carrying their share."""
    require(plan, (PlanStatus.DRAFT,), "submit")
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

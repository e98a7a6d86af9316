"""Use cases for business plans: one function per command, each one unit of work."""

from __future__ import annotations

import datetime as dt

import msgspec

from reintegrate import events as ev
from reintegrate.business import drafting, payments
from reintegrate.business import plans as bp
from reintegrate.business.drafting import PlanContent
from reintegrate.cases import Case
from reintegrate.errors import NotFound, ValidationFailed
from reintegrate.grants import disbursements as dis
from reintegrate.grants import packages as pk
from reintegrate.policy import policy_in_force
from reintegrate.policy_business import BusinessRules
from reintegrate.services.context import Actor, new_id, utc
from reintegrate.services.packages import booked, granted, unpaid
from reintegrate.services.programmes import load_case, policies
from reintegrate.services.recording import record
from reintegrate.services.tranches import Grants
from reintegrate.services.usage import requested_on_case
from reintegrate.store.base import EVERYWHERE, Store, UnitOfWork
from reintegrate.store.records import Lookup
from reintegrate.texts import Text


def load_plan(plans: Lookup[bp.BusinessPlan], plan_id: str, actor: Actor) -> bp.BusinessPlan:
    """The plan in the caller's scope (a unit of work's `plans`, or the API's read side)."""
    plan = plans.get(plan_id, actor.scope)
    if plan is None:
        raise NotFound(Text("no business plan {plan_id}", plan_id=plan_id), field="plan_id")
    return plan


PLANS = Grants(lambda uow, plan_id, actor: load_plan(uow.plans, plan_id, actor))
"""Business plans, as the use cases on any grant's milestones take them."""


def rules(uow: UnitOfWork, programme_id: str, today: dt.date) -> BusinessRules:
    """The business rules of the policy version in force today."""
    policy = policy_in_force(policies(uow, programme_id), today)
    return bp.rules_of(policy.business, programme_id)


def owner_cases(uow: UnitOfWork, case_ids: tuple[str, ...], actor: Actor) -> dict[str, Case]:
    """Every owner's case, each in the caller's scope (another office's answers 404)."""
    return {case_id: load_case(uow, case_id, actor) for case_id in case_ids}


def done(uow: UnitOfWork, plan_id: str, actor: Actor) -> bp.BusinessPlan:
    plan = load_plan(uow.plans, plan_id, actor)
    uow.commit()
    return plan


def draft_plan(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    *,
    owners: tuple[ev.Owner, ...],
    budget_line: str,
    content: PlanContent,
    plan_id: str | None = None,
) -> bp.BusinessPlan:
    """Draft a plan; budget items in other currencies are booked in the programme's today."""
    today = utc(now).date()
    with store.unit_of_work() as uow:
        first_owner = drafting.first_owner(owners)
        cases = owner_cases(uow, tuple(dict.fromkeys(o.case_id for o in owners)), actor)
        first = cases[first_owner.case_id]
        programme = uow.programme(first.programme_id)
        assert programme is not None
        rules(uow, programme.programme_id, today)  # the programme must fund business plans
        plan_id = plan_id or new_id("bp")
        if uow.plans.get(plan_id, EVERYWHERE) is not None:
            raise ValidationFailed(
                Text("business plan {plan_id} exists already", plan_id=plan_id), field="plan_id"
            )
        items = tuple(book_item(uow, i, programme.currency, today) for i in content.items)
        event = drafting.draft_plan(
            plan_id,
            cases=cases,
            owners=owners,
            budget_line=budget_line,
            budget_lines=set(programme.budget_lines),
            currency=programme.currency,
            content=msgspec.structs.replace(content, items=items),
        )
        record(uow, actor.user_id, utc(now), [event])
        return done(uow, plan_id, actor)


def book_item(uow: UnitOfWork, item: ev.BudgetItem, currency: str, today: dt.date) -> ev.BudgetItem:
    """A budget item with its amount booked in the programme `currency` at today's rate."""
    conversion = booked(uow, item.amount, item.currency, currency, today)
    return msgspec.structs.replace(
        item, programme_amount=conversion.target_minor, rate=conversion.rate
    )


def submit_plan(store: Store, actor: Actor, now: dt.datetime, plan_id: str) -> bp.BusinessPlan:
    with store.unit_of_work() as uow:
        plan = load_plan(uow.plans, plan_id, actor)
        cases = owner_cases(uow, plan.case_ids, actor)
        record(uow, actor.user_id, utc(now), drafting.submit_plan(plan, cases))
        return done(uow, plan_id, actor)


def assess_plan(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    plan_id: str,
    *,
    scores: dict[str, int],
    reasons: str,
) -> bp.BusinessPlan:
    today = utc(now).date()
    with store.unit_of_work() as uow:
        plan = load_plan(uow.plans, plan_id, actor)
        event = bp.assess(
            plan, actor.user_id, scores, reasons, rules(uow, plan.programme_id, today)
        )
        record(uow, actor.user_id, utc(now), [event])
        return done(uow, plan_id, actor)


def approve_plan(store: Store, actor: Actor, now: dt.datetime, plan_id: str) -> bp.BusinessPlan:
    """Approve: every owner's package is approved, drawing on that owner's caps."""
    today = utc(now).date()
    with store.unit_of_work() as uow:
        plan = load_plan(uow.plans, plan_id, actor)
        bp.check_approvable(plan, actor.user_id)
        cases = owner_cases(uow, plan.case_ids, actor)
        events: list[ev.Event] = []
        grants, shares = {}, {}
        for case_id, case in cases.items():
            grants[case_id], shares[case_id] = granted(uow, case, today, events)
        packages = owner_packages(uow, plan)
        events += payments.approve_plan(
            plan, actor.user_id, today, packages=packages, grants=grants, cash_shares=shares
        )
        record(uow, actor.user_id, utc(now), events)
        return done(uow, plan_id, actor)


def owner_packages(uow: UnitOfWork, plan: bp.BusinessPlan) -> list[pk.Package]:
    found = []
    for owner in plan.owners:
        if owner.package_id is not None:
            pkg = uow.packages.get(owner.package_id, EVERYWHERE)
            assert pkg is not None, f"the package of an owner exists ({owner.package_id})"
            found.append(pkg)
    return found


def activate_plan(store: Store, actor: Actor, now: dt.datetime, plan_id: str) -> bp.BusinessPlan:
    with store.unit_of_work() as uow:
        plan = load_plan(uow.plans, plan_id, actor)
        record(uow, actor.user_id, utc(now), [bp.activate(plan, utc(now).date())])
        return done(uow, plan_id, actor)


def end_plan(
    store: Store, actor: Actor, now: dt.datetime, plan_id: str, *, end: ev.PlanEnd, reason: str
) -> bp.BusinessPlan:
    """Complete, fail or abandon: each owner's package is closed and its unpaid part given
    back to the owner's caps and the budget line."""
    with store.unit_of_work() as uow:
        plan = load_plan(uow.plans, plan_id, actor)
        packages = owner_packages(uow, plan)
        left = {p.package_id: unpaid(uow, p) for p in packages}
        events = payments.end_plan(
            plan, end, reason, utc(now).date(), packages=packages, unpaid=left
        )
        record(uow, actor.user_id, utc(now), events)
        return done(uow, plan_id, actor)


def requested_on_cases(uow: UnitOfWork, plan: bp.BusinessPlan) -> dict[str, dis.Requested]:
    return {case_id: requested_on_case(uow, case_id) for case_id in plan.case_ids}

"""Paying a business plan: approval, tranche release, owners leaving, and the plan's end.

Each command returns the events it causes; the package and disbursement events among them
move the money through the ordinary ledger limits (owners' caps, the budget line).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reintegrate import events as ev
from reintegrate.business.plans import (
    FUNDED,
    BusinessPlan,
    PlanStatus,
    check_approvable,
    require,
    window_end,
)
from reintegrate.errors import InvalidTransition, NotFound, ValidationFailed
from reintegrate.grants import disbursements as dis
from reintegrate.grants import packages as pk
from reintegrate.money import allocate, book
from reintegrate.policy_business import BusinessRules
from reintegrate.reasons import stated_reason
from reintegrate.texts import Text
from reintegrate.tranches.release import check_releasable, split_tranche


def approve_plan(
    plan: BusinessPlan,
    actor: str,
    today: dt.date,
    *,
    packages: list[pk.Package],
    grants: dict[str, ev.EntitlementGranted],
    cash_shares: dict[str, Decimal | None],
) -> list[ev.Event]:
    """Approve a plan that passed its assessment: every owner's package is approved with it,
    each drawing on its own owner's caps (a limit that does not hold refuses the whole plan)."""
    check_approvable(plan, actor)
    approvals: list[ev.Event] = [
        pk.approve_package(p, actor, today, grants[p.case_id], cash_shares[p.case_id])
        for p in packages
    ]
    return [*approvals, ev.BusinessPlanApproved(plan_id=plan.plan_id, on=today)]


class Payment:
    """How a tranche is paid: the channel, and for goods the supplier's invoice."""

    def __init__(self, channel: dis.Channel, invoice_ref: str | None) -> None:
        self.channel, self.invoice_ref = channel, invoice_ref


def check_paying(plan: BusinessPlan, rules: BusinessRules, today: dt.date) -> None:
    """Tranches are paid while the plan is active, from its start to the end of its window."""
    require(plan, (PlanStatus.ACTIVE,), Text("pay a tranche of"))
    last = window_end(plan, rules)
    if not plan.start_date <= today <= last:
        raise pk.WindowClosed(
            Text(
                "tranches of business plan {plan_id} are paid from {start} to {last}; "
                "today is {today}",
                plan_id=plan.plan_id,
                start=plan.start_date,
                last=last,
                today=today,
            ),
            field="today",
            details={"from": plan.start_date.isoformat(), "to": last.isoformat()},
        )


def release_tranche(
    plan: BusinessPlan,
    tranche_id: str,
    *,
    today: dt.date,
    rules: BusinessRules,
    payment: Payment,
    packages: dict[str, pk.Package],
    grants: dict[str, ev.EntitlementGranted],
    already: dict[str, dis.Requested],
    new_id: list[str],
) -> list[ev.Event]:
    """Release a tranche once its milestone is verified: one disbursement per owner still
    owed something, split by what each is owed. `already` is each case's pending + paid."""
    check_paying(plan, rules, today)
    tranche = check_releasable(
        plan.milestones,
        plan.tranches,
        tranche_id,
        receipts_share=rules.receipts_share_value(),
        currency=plan.currency,
    )
    owed = [o.still_owed(tranche.component_id) for o in plan.owners]
    events: list[ev.Event] = []
    parts: list[ev.TranchePart] = []
    running = dict(already)
    for n, amount in enumerate(split_tranche(tranche.amount, owed)):
        if amount == 0:
            continue
        owner = plan.owners[n]
        assert owner.package_id is not None
        requested = dis.request_disbursement(
            new_id[n],
            packages[owner.package_id],
            component_id=tranche.component_id,
            channel=payment.channel,
            invoice_ref=payment.invoice_ref,
            conversion=book(amount, plan.currency, plan.currency, [], today),
            today=today,
            granted=grants.get(owner.case_id),
            already_requested=running.get(owner.case_id, dis.Requested()),
        )
        comp = packages[owner.package_id].require_component(tranche.component_id)
        running[owner.case_id] = running.get(owner.case_id, dis.Requested()).plus(amount, comp)
        events.append(requested)
        parts.append(
            ev.TranchePart(
                owner=n, package_id=owner.package_id, disbursement_id=new_id[n], amount=amount
            )
        )
    released = ev.TrancheReleased(
        plan_id=plan.plan_id, tranche_id=tranche_id, parts=tuple(parts), on=today
    )
    return [*events, released]


def owner_leaves(
    plan: BusinessPlan,
    owner: int,
    *,
    reallocate: bool,
    reason: str,
    packages: dict[str, pk.Package],
) -> list[ev.Event]:
    """An owner leaves a group business. What they were still owed goes to the other owners
    in proportion to their parts (`reallocate`), or back to their own caps, with the
    unreleased tranches shrinking by as much. Exact to the minor unit either way."""
    require(plan, FUNDED, Text("change the owners of"))
    if not 0 <= owner < len(plan.owners):
        raise NotFound(
            Text("business plan {plan_id} has no owner {owner}", plan_id=plan.plan_id, owner=owner),
            field="owner",
        )
    if plan.owners[owner].left:
        raise InvalidTransition(
            Text("owner {owner} left the business already", owner=owner), field="owner"
        )
    staying = [n for n, o in enumerate(plan.owners) if n != owner and not o.left]
    if not staying:
        raise InvalidTransition(
            Text("the last owner cannot leave; abandon the plan instead"), field="owner"
        )
    reason = stated_reason(reason)
    leaver = plan.owners[owner]
    owed = {c.component_id: leaver.still_owed(c.component_id) for c in plan.components}
    allotted = {(n, c): o.allotted.get(c, 0) for n, o in enumerate(plan.owners) for c in owed}
    events: list[ev.Event] = []
    assert leaver.package_id is not None
    leaving_pkg = packages[leaver.package_id]
    released = pk.draws_of(leaving_pkg, owed)
    if released:
        events.append(_released(leaving_pkg, released, reason))
    for c, amount in owed.items():
        allotted[owner, c] -= amount
    tranches = tuple(
        ev.TrancheSpec(tranche_id=t.tranche_id, component_id=t.component_id, amount=t.amount)
        for t in plan.tranches
    )
    if reallocate:
        events += _reallocate(plan, staying, owed, allotted, packages=packages, reason=reason)
    else:
        tranches = _shrink(plan, owed)
    allotments = tuple(
        ev.Allotment(owner=n, component_id=c, amount=amount)
        for (n, c), amount in sorted(allotted.items())
    )
    return [
        *events,
        ev.OwnerLeft(
            plan_id=plan.plan_id,
            owner=owner,
            reallocated=reallocate,
            tranches=tranches,
            allotments=allotments,
            reason=reason,
        ),
    ]


def _released(pkg: pk.Package, draws: tuple[ev.Draw, ...], reason: str) -> ev.ComponentsReleased:
    return ev.ComponentsReleased(
        package_id=pkg.package_id,
        case_id=pkg.case_id,
        programme_id=pkg.programme_id,
        budget_line=pkg.budget_line,
        released=draws,
        reason=reason.strip(),
    )


def _reallocate(
    plan: BusinessPlan,
    staying: list[int],
    owed: dict[str, int],
    allotted: dict[tuple[int, str], int],
    *,
    packages: dict[str, pk.Package],
    reason: str,
) -> list[ev.Event]:
    gains: dict[int, dict[str, int]] = {n: {} for n in staying}
    for c, amount in owed.items():
        if amount:
            shares = allocate(amount, [plan.owners[n].parts for n in staying])
            for n, share in zip(staying, shares, strict=True):
                gains[n][c] = share
                allotted[n, c] += share
    events: list[ev.Event] = []
    for n, more in gains.items():
        package_id = plan.owners[n].package_id
        assert package_id is not None
        pkg = packages[package_id]
        missing = [c for c, a in more.items() if a and pkg.component(c) is None]
        if missing:
            raise InvalidTransition(
                Text(
                    "owner {owner}'s package has no part {parts} to take over",
                    owner=n,
                    parts=", ".join(missing),
                ),
                field="owner",
            )
        draws = pk.draws_of(pkg, more)
        if draws:
            events.append(
                ev.ComponentsIncreased(
                    package_id=pkg.package_id,
                    case_id=pkg.case_id,
                    programme_id=pkg.programme_id,
                    budget_line=pkg.budget_line,
                    draws=draws,
                    reason=reason.strip(),
                )
            )
    return events


def _shrink(plan: BusinessPlan, owed: dict[str, int]) -> tuple[ev.TrancheSpec, ...]:
    """Unreleased tranches of each part give up the leaver's share, in proportion to their
    amounts (none goes below zero: a part's open tranches add up to what is still owed)."""
    amounts = {t.tranche_id: t.amount for t in plan.tranches}
    for c, amount in owed.items():
        open_ = [t for t in plan.tranches if t.component_id == c and not t.released]
        if amount and open_:
            cuts = allocate(amount, [t.amount for t in open_])
            for t, cut in zip(open_, cuts, strict=True):
                amounts[t.tranche_id] -= cut
    return tuple(
        ev.TrancheSpec(
            tranche_id=t.tranche_id, component_id=t.component_id, amount=amounts[t.tranche_id]
        )
        for t in plan.tranches
    )


def record_visit(plan: BusinessPlan, visit: ev.VisitRecorded, today: dt.date) -> ev.VisitRecorded:
    """A monitoring visit to a funded plan, between its start and today."""
    require(plan, FUNDED, Text("record a visit to"))
    if visit.on < plan.start_date:
        raise ValidationFailed(Text("a visit happens after the plan starts"), field="on")
    if visit.on > today:
        raise ValidationFailed(Text("a visit is recorded after it happened"), field="on")
    if visit.jobs_created < 0:
        raise ValidationFailed(Text("jobs created is not negative"), field="jobs_created")
    return visit


def end_plan(
    plan: BusinessPlan,
    end: ev.PlanEnd,
    reason: str,
    today: dt.date,
    *,
    packages: list[pk.Package],
    unpaid: dict[str, tuple[dict[str, int], int]],
) -> list[ev.Event]:
    """End a plan. Completed: every tranche released. Failed: a visit found it closed.
    Abandoned: at any point. Each owner's package is closed (or cancelled before approval):
    what was never paid goes back to the owner's caps and the budget line."""
    _check_end(plan, end)
    events: list[ev.Event] = []
    for p in packages:
        remaining, pending = unpaid[p.package_id]
        if p.status in pk.OPEN_FOR_PAYMENT:
            events.append(pk.close_package(p, remaining, pending))
        elif p.status in (pk.PackageStatus.DRAFT, pk.PackageStatus.SUBMITTED):
            events.append(pk.cancel_package(p, reason or end.value, remaining, pending))
    text = reason.strip() or end.value
    return [*events, ev.BusinessPlanEnded(plan_id=plan.plan_id, end=end, reason=text, on=today)]


def _check_end(plan: BusinessPlan, end: ev.PlanEnd) -> None:
    if end is ev.PlanEnd.COMPLETED:
        require(plan, (PlanStatus.ACTIVE,), Text("complete"))
        open_ = [t.tranche_id for t in plan.tranches if not t.released and t.amount > 0]
        if open_:
            raise InvalidTransition(
                Text("tranches {tranches} are not released yet", tranches=", ".join(open_)),
                field="tranches",
            )
    elif end is ev.PlanEnd.FAILED:
        require(plan, FUNDED, Text("mark as failed"))
        if not any(v.status is ev.VisitStatus.CLOSED for v in plan.visits):
            raise InvalidTransition(
                Text("a plan is marked failed after a monitoring visit found the business closed"),
                field="visits",
            )
    else:
        require(plan, (*_OPEN, *FUNDED), Text("abandon"))


_OPEN = (PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.ASSESSED)

"""Use cases for a running business plan: tranches paid to its owners, monitoring visits,
owners leaving (its milestones' evidence and verification: `services.tranches`)."""

from __future__ import annotations

import datetime as dt

from reintegrate import events as ev
from reintegrate.business import payments, repayment
from reintegrate.business import plans as bp
from reintegrate.grants.disbursements import Channel
from reintegrate.services.business import (
    done,
    load_plan,
    owner_packages,
    requested_on_cases,
    rules,
)
from reintegrate.services.context import Actor, new_id, utc
from reintegrate.services.recording import record
from reintegrate.services.usage import requested_on_case
from reintegrate.store.base import EVERYWHERE, Store


def release_tranche(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    plan_id: str,
    tranche_id: str,
    *,
    channel: Channel,
    invoice_ref: str | None = None,
) -> bp.BusinessPlan:
    """Release a verified milestone's tranche: one disbursement per owner still owed."""
    today = utc(now).date()
    with store.unit_of_work() as uow:
        plan = load_plan(uow.plans, plan_id, actor)
        packages = {p.package_id: p for p in owner_packages(uow, plan)}
        grants = {c: g for c in plan.case_ids if (g := uow.grant(c)) is not None}
        events = payments.release_tranche(
            plan,
            tranche_id,
            today=today,
            rules=rules(uow, plan.programme_id, today),
            payment=payments.Payment(channel, invoice_ref),
            packages=packages,
            grants=grants,
            already=requested_on_cases(uow, plan),
            new_id=[new_id("dsb") for _ in plan.owners],
        )
        record(uow, actor.user_id, utc(now), events)
        return done(uow, plan_id, actor)


def repay_tranche_part(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    plan_id: str,
    tranche_id: str,
    *,
    owner: int,
    channel: Channel,
    invoice_ref: str | None = None,
) -> bp.BusinessPlan:
    """Pay again an owner's part of a released tranche whose payment failed, came back or
    was reversed."""
    today = utc(now).date()
    with store.unit_of_work() as uow:
        plan = load_plan(uow.plans, plan_id, actor)
        part = repayment.tranche_part(plan, tranche_id, owner)
        last = uow.disbursements.get(part.disbursement_id, EVERYWHERE)
        package = uow.packages.get(part.package_id, EVERYWHERE)
        assert last is not None, "a released part has its payment"
        assert package is not None, "a released part has its owner's package"
        case_id = plan.owners[owner].case_id
        events = repayment.repay_part(
            plan,
            tranche_id,
            owner,
            today=today,
            rules=rules(uow, plan.programme_id, today),
            payment=payments.Payment(channel, invoice_ref),
            last=last,
            package=package,
            granted=uow.grant(case_id),
            already=requested_on_case(uow, case_id),
            new_id=new_id("dsb"),
        )
        record(uow, actor.user_id, utc(now), events)
        return done(uow, plan_id, actor)


def record_visit(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    plan_id: str,
    *,
    on: dt.date,
    status: ev.VisitStatus,
    revenue: ev.Sum | None,
    jobs_created: int,
    notes: str,
) -> bp.BusinessPlan:
    with store.unit_of_work() as uow:
        plan = load_plan(uow.plans, plan_id, actor)
        visit = ev.VisitRecorded(
            plan_id=plan_id,
            visit_id=new_id("vst"),
            on=on,
            status=status,
            revenue=revenue,
            jobs_created=jobs_created,
            notes=notes.strip(),
        )
        record(uow, actor.user_id, utc(now), [payments.record_visit(plan, visit, utc(now).date())])
        return done(uow, plan_id, actor)


def owner_leaves(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    plan_id: str,
    *,
    owner: int,
    reallocate: bool,
    reason: str,
) -> bp.BusinessPlan:
    with store.unit_of_work() as uow:
        plan = load_plan(uow.plans, plan_id, actor)
        packages = {p.package_id: p for p in owner_packages(uow, plan)}
        events = payments.owner_leaves(
            plan, owner, reallocate=reallocate, reason=reason, packages=packages
        )
        record(uow, actor.user_id, utc(now), events)
        return done(uow, plan_id, actor)

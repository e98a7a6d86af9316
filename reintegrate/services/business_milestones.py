"""Use cases for a business plan's milestones: evidence, verification, tranches, visits,
owners leaving."""

from __future__ import annotations

import datetime as dt

from reintegrate import events as ev
from reintegrate.business import evidence as files
from reintegrate.business import milestones as ms
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
from reintegrate.services.packages import booked
from reintegrate.services.recording import record
from reintegrate.services.usage import requested_on_case
from reintegrate.store.base import EVERYWHERE, Store, UnitOfWork


class EvidenceFile:
    """An uploaded file as received: its bytes and declared media type."""

    def __init__(self, content: bytes, media_type: str) -> None:
        self.content, self.media_type = content, media_type


def keep_evidence(
    uow: UnitOfWork,
    m: ms.Milestone,
    kind: ev.EvidenceKind,
    file: EvidenceFile,
    *,
    digest: str,
    proves: tuple[int | None, str, str],
    today: dt.date,
) -> tuple[str, int | None]:
    """Keep a checked file (`digest` from `check_file`) as evidence for milestone `m`: its
    media type, and what it proves spent, `proves` = (amount, its currency, programme
    currency), booked in the programme currency. A file seen before is refused."""
    files.refuse_duplicate(uow.evidence_file_known(digest), digest)
    amount, paid_in, currency = proves
    proven = None if amount is None else booked(uow, amount, paid_in, currency, today).target_minor
    ms.check_evidence(m, kind, proven)
    media_type = files.declared_type(file.media_type)
    uow.put_evidence_file(digest, media_type, file.content)
    return media_type, proven


def submit_evidence(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    plan_id: str,
    milestone_id: str,
    *,
    kind: ev.EvidenceKind,
    file: EvidenceFile,
    amount: int | None = None,
    currency: str | None = None,
) -> bp.BusinessPlan:
    """Keep a file as evidence for a milestone; a receipt's amount is booked in the
    programme currency. A bad or duplicate file is refused and nothing is kept."""
    digest = files.check_file(file.content, file.media_type)
    today = utc(now).date()
    with store.unit_of_work() as uow:
        plan = load_plan(uow, plan_id, actor)
        bp.require(plan, bp.TAKING_EVIDENCE, "add evidence to")
        m = ms.milestone(plan.milestones, milestone_id)
        proves = (amount, currency or plan.currency, plan.currency)
        media_type, proven = keep_evidence(
            uow, m, kind, file, digest=digest, proves=proves, today=today
        )
        event = ev.EvidenceSubmitted(
            plan_id=plan_id,
            milestone_id=milestone_id,
            evidence_id=new_id("evd"),
            kind=kind,
            file_hash=digest,
            media_type=media_type,
            size=len(file.content),
            on=today,
            amount=proven,
        )
        record(uow, actor.user_id, utc(now), [event])
        return done(uow, plan_id, actor)


def verify_milestone(
    store: Store, actor: Actor, now: dt.datetime, plan_id: str, milestone_id: str
) -> bp.BusinessPlan:
    today = utc(now).date()
    with store.unit_of_work() as uow:
        plan = load_plan(uow, plan_id, actor)
        bp.require(plan, bp.FUNDED, "verify a milestone of")
        ms.verify_milestone(ms.milestone(plan.milestones, milestone_id), actor.user_id, today)
        event = ev.MilestoneVerified(plan_id=plan_id, milestone_id=milestone_id, on=today)
        record(uow, actor.user_id, utc(now), [event])
        return done(uow, plan_id, actor)


def reject_milestone_evidence(
    store: Store,
    actor: Actor,
    now: dt.datetime,
    plan_id: str,
    milestone_id: str,
    *,
    reason: str,
) -> bp.BusinessPlan:
    with store.unit_of_work() as uow:
        plan = load_plan(uow, plan_id, actor)
        event = bp.reject_evidence(plan, milestone_id, actor.user_id, reason)
        record(uow, actor.user_id, utc(now), [event])
        return done(uow, plan_id, actor)


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
        plan = load_plan(uow, plan_id, actor)
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
        plan = load_plan(uow, plan_id, actor)
        part = repayment.tranche_part(plan, tranche_id, owner)
        last = uow.disbursement(part.disbursement_id, EVERYWHERE)
        package = uow.package(part.package_id, EVERYWHERE)
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
        plan = load_plan(uow, plan_id, actor)
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
        plan = load_plan(uow, plan_id, actor)
        packages = {p.package_id: p for p in owner_packages(uow, plan)}
        events = payments.owner_leaves(
            plan, owner, reallocate=reallocate, reason=reason, packages=packages
        )
        record(uow, actor.user_id, utc(now), events)
        return done(uow, plan_id, actor)

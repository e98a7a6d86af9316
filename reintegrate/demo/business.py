"""Business plans for the demo: one in every state, including a group business.

Built only through the use cases, like the rest of the demo: the owners are new households
returned to Senegal a month ago under the EU programme (whose policy has [business] rules),
and every step is dated `now`, after everything else in the demo journal.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter
from collections.abc import Callable
from decimal import Decimal

from reintegrate import events as ev
from reintegrate.business.drafting import PlanContent
from reintegrate.business.plans import PLAN_STATUS_WORDS, BusinessPlan, PlanStatus
from reintegrate.cases import Case, Member, ReturnType
from reintegrate.cases import Role as MemberRole
from reintegrate.demo.people import register_demo_household
from reintegrate.grants.disbursements import Channel
from reintegrate.kinds import Form
from reintegrate.services import business as bs
from reintegrate.services import business_milestones as bm
from reintegrate.services import packages as ps
from reintegrate.services import tranches
from reintegrate.services.context import Actor
from reintegrate.services.tranches import G, OneGrant
from reintegrate.store.base import Scope, Store
from reintegrate.texts import Text
from reintegrate.tranches.drafting import TrancheIn
from reintegrate.tranches.release import receipts_total

PROGRAMME = "eurp"
OFFICE = "dakar"
DAKAR = Scope(offices=frozenset({OFFICE}))
OFFICER = Actor("officer-dakar", DAKAR)
APPROVER = Actor("approver-dakar", DAKAR)
PAYER = Actor("finance-dakar", DAKAR)
CONFIRMER = Actor("treasurer-dakar", DAKAR)
STATES = tuple(PlanStatus)
SCORES = {"market": 4, "skills": 3, "viability": 4, "risk": 3}
WEAK = {"market": 2, "skills": 2, "viability": 1, "risk": 2}


def load_business_plans(store: Store, now: dt.datetime) -> Counter[Text]:
    """One plan in each state, and a group business of two households (active)."""
    outcomes: Counter[Text] = Counter()
    for n, state in enumerate(STATES, start=1):
        case = returnee_case(store, f"case-bp-{n:02d}", now)
        plan = _plan(store, f"bp-demo-{n:02d}", (case,), now)
        _walk(store, plan, state, now)
        outcomes[Text("business plan {status}", status=PLAN_STATUS_WORDS[state])] += 1
    group = tuple(returnee_case(store, f"case-bp-g{n}", now) for n in (1, 2))
    _walk(store, _plan(store, "bp-demo-group", group, now), "active", now)
    active = PLAN_STATUS_WORDS[PlanStatus.ACTIVE]
    outcomes[Text("business plan {status} (group of {owners})", status=active, owners=2)] += 1
    return outcomes


def returnee_case(store: Store, case_id: str, now: dt.datetime) -> Case:
    principal = Member(
        member_id="p",
        person_id=f"person-{case_id}",
        role=MemberRole.PRINCIPAL,
        nationality="SN",
        birth_year=1990,
    )
    case = Case(
        case_id=case_id,
        programme_id=PROGRAMME,
        office=OFFICE,
        country_of_return="SN",
        return_date=(now - dt.timedelta(days=30)).date(),
        return_type=ReturnType.ASSISTED_VOLUNTARY,
        members=(principal,),
    )
    return register_demo_household(store, OFFICER, now, case)


def _plan(store: Store, plan_id: str, owners: tuple[Case, ...], now: dt.datetime) -> str:
    start = now.date() - dt.timedelta(days=10)
    eur: Callable[[int], ev.Sum] = lambda amount: ev.Sum(amount=amount, currency="EUR")  # noqa: E731
    items = (
        _item("two sewing machines and a table", 90000, "dakar-tools-sarl"),
        _item("fabric stock", 40000, "tissus-pikine"),
        ev.BudgetItem(
            item="first month's rent",
            form=Form.CASH,
            amount=20000,
            currency="EUR",
            programme_amount=0,
        ),
    )
    milestones = (
        _milestone(
            "registered",
            "business registered",
            (ev.EvidenceKind.REGISTRATION_CERTIFICATE,),
            start,
            "machines",
        ),
        _milestone(
            "equipped",
            "equipment bought and in use",
            (ev.EvidenceKind.RECEIPT, ev.EvidenceKind.PHOTO),
            start,
            "fabric",
        ),
        _milestone(
            "open",
            "workshop open, monitoring visit",
            (ev.EvidenceKind.RECEIPT, ev.EvidenceKind.MONITORING_REPORT),
            start,
            "rent",
        ),
    )
    content = PlanContent(
        sector="tailoring",
        activity="tailoring workshop making school uniforms",
        country="SN",
        area="Pikine, Dakar",
        start_date=start,
        items=items,
        monthly_revenue=eur(60000),
        monthly_costs=eur(35000),
        own_contribution=eur(10000),
        risks=("power cuts", "school calendar makes demand seasonal"),
        milestones=milestones,
        tranches=(
            TrancheIn(tranche_id="machines", component_id="kind-1", share=Decimal(1)),
            TrancheIn(tranche_id="fabric", component_id="kind-2", share=Decimal(1)),
            TrancheIn(tranche_id="rent", component_id="cash", share=Decimal(1)),
        ),
    )
    shares = tuple(ev.Owner(case_id=c.case_id, member_id="p", parts=1) for c in owners)
    bs.draft_plan(
        store,
        OFFICER,
        now,
        owners=shares,
        budget_line="individual",
        content=content,
        plan_id=plan_id,
    )
    return plan_id


def _item(name: str, amount: int, supplier: str) -> ev.BudgetItem:
    return ev.BudgetItem(
        item=name,
        form=Form.IN_KIND,
        amount=amount,
        currency="EUR",
        programme_amount=0,
        supplier=supplier,
    )


def _milestone(
    milestone_id: str, title: str, kinds: tuple[ev.EvidenceKind, ...], start: dt.date, unlocks: str
) -> ev.MilestoneSpec:
    return ev.MilestoneSpec(
        milestone_id=milestone_id,
        title=title,
        evidence=kinds,
        due_on=start + dt.timedelta(days=60),
        unlocks=unlocks,
    )


def _walk(store: Store, plan_id: str, state: str, now: dt.datetime) -> None:
    """Take a drafted plan to `state` through the use cases."""
    if state == "draft":
        return
    bs.submit_plan(store, OFFICER, now, plan_id)
    if state == "submitted":
        return
    weak = state == "assessed"
    bs.assess_plan(
        store, APPROVER, now, plan_id, scores=WEAK if weak else SCORES, reasons="demo assessment"
    )
    if state in ("assessed",):
        return
    if state == "abandoned":
        bs.end_plan(
            store, APPROVER, now, plan_id, end=ev.PlanEnd.ABANDONED, reason="owner found a job"
        )
        return
    bs.approve_plan(store, APPROVER, now, plan_id)
    if state == "approved":
        return
    bs.activate_plan(store, APPROVER, now, plan_id)
    _pay(store, plan_id, "registered", "machines", now)
    if state == "failed":
        _visit(store, plan_id, ev.VisitStatus.CLOSED, now)
        bs.end_plan(store, APPROVER, now, plan_id, end=ev.PlanEnd.FAILED, reason="workshop closed")
    elif state == "completed":
        _pay(store, plan_id, "equipped", "fabric", now)
        _pay(store, plan_id, "open", "rent", now)
        _visit(store, plan_id, ev.VisitStatus.OPERATING, now)
        bs.end_plan(store, APPROVER, now, plan_id, end=ev.PlanEnd.COMPLETED, reason="")


def _pay(store: Store, plan_id: str, milestone_id: str, tranche_id: str, now: dt.datetime) -> None:
    """Evidence for the milestone, its verification, the tranche's release and payment."""
    plan = bs_plan(store, plan_id)
    prove_milestone(store, bs.PLANS.one(plan_id), plan, milestone_id, now)
    tranche = plan.tranche(tranche_id)
    cash = tranche.component_id == "cash"
    plan = bm.release_tranche(
        store,
        PAYER,
        now,
        plan_id,
        tranche_id,
        channel=Channel.MOBILE_MONEY if cash else Channel.SUPPLIER_TRANSFER,
        invoice_ref=None if cash else f"INV-{plan_id}-{tranche_id}",
    )
    for part in plan.tranche(tranche_id).parts:
        ps.approve_disbursement(store, APPROVER, now, part.disbursement_id)
        ps.confirm_disbursement(store, CONFIRMER, now, part.disbursement_id, "PRV-OK")


def bs_plan(store: Store, plan_id: str) -> BusinessPlan:
    with store.unit_of_work() as uow:
        return bs.load_plan(uow.plans, plan_id, OFFICER)


def _visit(store: Store, plan_id: str, status: ev.VisitStatus, now: dt.datetime) -> None:
    bm.record_visit(
        store,
        OFFICER,
        now,
        plan_id,
        on=now.date(),
        status=status,
        revenue=ev.Sum(amount=45000, currency="EUR")
        if status is not ev.VisitStatus.CLOSED
        else None,
        jobs_created=2 if status is not ev.VisitStatus.CLOSED else 0,
        notes="demo visit",
    )


def prove_milestone(
    store: Store, one: OneGrant[G], grant: G, milestone_id: str, now: dt.datetime
) -> None:
    """Every piece of evidence the milestone requires (receipts for what was released and not
    yet proven), then its verification by someone else."""
    spec = next(m for m in grant.milestones if m.milestone_id == milestone_id)
    unproven = sum(t.amount for t in grant.tranches if t.released) - receipts_total(
        grant.milestones
    )
    for kind in spec.required:
        tranches.submit_evidence(
            store,
            OFFICER,
            now,
            one,
            milestone_id,
            kind=kind,
            file=tranches.EvidenceFile(
                evidence_file(grant.grant_id, milestone_id, kind), "application/pdf"
            ),
            amount=(unproven or None) if kind in ev.PAYMENT_PROOFS else None,
        )
    tranches.verify_milestone(store, APPROVER, now, one, milestone_id)


def evidence_file(grant_id: str, milestone_id: str, kind: ev.EvidenceKind) -> bytes:
    """A small, distinct PDF-looking file per piece of evidence (the same file twice is a
    duplicate and refused)."""
    tag = hashlib.sha256(f"{grant_id}/{milestone_id}/{kind}".encode()).hexdigest()
    return f"%PDF-1.7\n% demo evidence {tag}\n%%EOF\n".encode()

"""Business plans for tests: a programme funding them, owners, and a plan's content."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reintegrate import events as ev
from reintegrate.business.drafting import PlanContent
from reintegrate.business.plans import BusinessPlan
from reintegrate.kinds import Form
from reintegrate.services import business as bs
from reintegrate.services.context import Actor
from reintegrate.store.base import Scope, Store
from reintegrate.tranches.drafting import TrancheIn
from tests.builders import OFFICE, RETURNED, at

AUTHOR = Actor("officer-1", Scope(offices=frozenset({OFFICE})))
ASSESSOR = Actor("assessor-1", Scope(offices=frozenset({OFFICE})))
APPROVER = Actor("approver-1", Scope(offices=frozenset({OFFICE})))
VERIFIER = Actor("verifier-1", Scope(offices=frozenset({OFFICE})))
PAYER = Actor("finance-1")
SUPPLIER = "dakar-tools-sarl"
START = RETURNED + dt.timedelta(days=20)
DAY = at(START + dt.timedelta(days=1))
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"%" * 64

SCORES = {"market": 4, "skills": 3, "viability": 4, "risk": 3}


def item(
    name: str, amount: int, form: Form = Form.IN_KIND, supplier: str | None = SUPPLIER
) -> ev.BudgetItem:
    return ev.BudgetItem(
        item=name,
        form=form,
        amount=amount,
        currency="EUR",
        programme_amount=0,
        supplier=supplier if form == Form.IN_KIND else None,
    )


def eur(amount: int) -> ev.Sum:
    return ev.Sum(amount=amount, currency="EUR")


def content(
    *,
    items: tuple[ev.BudgetItem, ...] = (item("sewing machines", 120000),),
    tranches: tuple[TrancheIn, ...] | None = None,
    milestones: tuple[ev.MilestoneSpec, ...] | None = None,
) -> PlanContent:
    """A tailoring workshop bought in kind from one supplier, paid in two tranches (60/40):
    the first after the business is registered, the second after receipts and a visit."""
    return PlanContent(
        sector="tailoring",
        activity="a tailoring workshop making school uniforms",
        country="SN",
        area="Pikine, Dakar",
        start_date=START,
        items=items,
        monthly_revenue=eur(60000),
        monthly_costs=eur(35000),
        own_contribution=eur(10000),
        risks=("power cuts",),
        milestones=milestones
        or (
            ev.MilestoneSpec(
                milestone_id="registered",
                title="business registered",
                evidence=(ev.EvidenceKind.REGISTRATION_CERTIFICATE,),
                due_on=START + dt.timedelta(days=30),
                unlocks="t1",
            ),
            ev.MilestoneSpec(
                milestone_id="equipped",
                title="equipment bought and in use",
                evidence=(ev.EvidenceKind.RECEIPT, ev.EvidenceKind.MONITORING_REPORT),
                due_on=START + dt.timedelta(days=90),
                unlocks="t2",
            ),
        ),
        tranches=tranches
        or (
            TrancheIn(tranche_id="t1", component_id="kind-1", share=Decimal("0.6")),
            TrancheIn(tranche_id="t2", component_id="kind-1", share=Decimal("0.4")),
        ),
    )


def draft(
    store: Store,
    owners: tuple[ev.Owner, ...],
    plan_content: PlanContent | None = None,
    plan_id: str = "bp-1",
) -> BusinessPlan:
    return bs.draft_plan(
        store,
        AUTHOR,
        DAY,
        owners=owners,
        budget_line="individual",
        content=plan_content or content(),
        plan_id=plan_id,
    )


def approved(store: Store, owners: tuple[ev.Owner, ...], plan_id: str = "bp-1") -> BusinessPlan:
    draft(store, owners, plan_id=plan_id)
    bs.submit_plan(store, AUTHOR, DAY, plan_id)
    bs.assess_plan(store, ASSESSOR, DAY, plan_id, scores=SCORES, reasons="sound plan")
    return bs.approve_plan(store, APPROVER, DAY, plan_id)


def owner(case_id: str, parts: int = 1, member_id: str = "p") -> ev.Owner:
    return ev.Owner(case_id=case_id, member_id=member_id, parts=parts)

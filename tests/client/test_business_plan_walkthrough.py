"""The README's business plan, from draft to its last tranche, redone through the client on
the demo data: evidence uploaded as files, each tranche released once its milestone is
verified, every owner's part paid, the plan completed; and the refusals the README names."""

from __future__ import annotations

import datetime as dt
from typing import Any

import msgspec
import pytest

from api import schemas as s
from api import schemas_business as sb
from reintegrate.client import Client, Upload
from reintegrate.client.problem_types import EvidenceDuplicate, MilestoneNotVerified
from reintegrate.events import EvidenceKind
from reintegrate.grants.disbursements import Channel
from tests.client import walkthrough as w
from tests.client.conftest import Demo

TO_THE_SUPPLIER = Channel.SUPPLIER_TRANSFER


def eur(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "EUR"}


def plan_body(first: str, second: str) -> sb.PlanCreate:
    """The tailoring workshop: 1,200 EUR of machines and fabric, owned two parts to one."""
    today = dt.datetime.now(dt.UTC).date()
    later = (today + dt.timedelta(days=60)).isoformat()
    body: dict[str, Any] = {
        "owners": [
            {"case_id": first, "member_id": "m1", "parts": 2},
            {"case_id": second, "member_id": "m1", "parts": 1},
        ],
        "budget_line": "individual", "sector": "tailoring", "country": "SN", "area": "Pikine",
        "activity": "a workshop making school uniforms", "start_date": today.isoformat(),
        "items": [{"item": "sewing machines and fabric", "form": "in_kind",
                   "supplier": "Atelier Ndiaye", "amount": eur("1200.00")}],
        "monthly_revenue": eur("600.00"), "monthly_costs": eur("350.00"),
        "own_contribution": eur("100.00"), "risks": ["power cuts"],
        "milestones": [
            {"milestone_id": "registered", "title": "business registered", "due_on": later,
             "evidence": ["registration_certificate"], "unlocks": "t1"},
            {"milestone_id": "equipped", "title": "equipment bought and in use", "due_on": later,
             "evidence": ["receipt", "monitoring_report"], "unlocks": "t2"},
        ],
        "tranches": [{"tranche_id": "t1", "component_id": "kind-1", "share": "0.6"},
                     {"tranche_id": "t2", "component_id": "kind-1", "share": "0.4"}],
    }  # fmt: skip
    return msgspec.convert(body, sb.PlanCreate)


ASSESSMENT = sb.AssessmentIn(
    reasons="a known market",
    scores=[
        sb.ScoreIn(criterion="market", score=4),
        sb.ScoreIn(criterion="skills", score=3),
        sb.ScoreIn(criterion="viability", score=4),
        sb.ScoreIn(criterion="risk", score=3),
    ],
)


def pdf(what: str, plan_id: str) -> Upload:
    return Upload(f"{what}.pdf", f"%PDF-1.7\n% {what} {plan_id}\n".encode(), "application/pdf")


def returnee(officer: Client) -> str:
    """A new person and their household of one; its case id."""
    person = officer.register_person(w.person("Ousmane", 1992)).person_id
    return officer.register_case(w.household(person)).case_id


def pay(plan: sb.BusinessPlanView, tranche: int, approver: Client, treasurer: Client) -> None:
    for part in plan.tranches[tranche].parts:
        approver.approve_disbursement(part.disbursement_id)
        treasurer.confirm_disbursement(part.disbursement_id, s.ConfirmationIn(provider_ref="BK-1"))


def test_the_readme_business_plan_runs_through_the_client(demo_server: Demo) -> None:
    with demo_server.client("officer-dakar") as officer:
        approver = officer.as_user(demo_server.tokens["approver-dakar"])
        finance = officer.as_user(demo_server.tokens["finance-dakar"])
        treasurer = officer.as_user(demo_server.tokens["treasurer-dakar"])

        plan_id = officer.draft_plan(plan_body(returnee(officer), returnee(officer))).plan_id
        assert officer.submit_business_plan(plan_id).status == "submitted"
        assessed = approver.assess_business_plan(plan_id, ASSESSMENT).assessment
        assert assessed is not None
        assert assessed.weighted == "3.60"
        assert approver.approve_business_plan(plan_id).status == "approved"
        assert approver.activate_business_plan(plan_id).status == "active"

        certificate = pdf("certificate", plan_id)
        kind = EvidenceKind.REGISTRATION_CERTIFICATE
        officer.submit_business_plan_evidence(plan_id, "registered", certificate, kind)
        with pytest.raises(EvidenceDuplicate):
            officer.submit_business_plan_evidence(plan_id, "registered", certificate, kind)
        approver.verify_business_plan_milestone(plan_id, "registered")
        release = sb.ReleaseIn(channel=TO_THE_SUPPLIER, invoice_ref="AN-2291")
        plan = finance.release_business_plan_tranche(plan_id, "t1", release)
        assert plan.tranches[0].parts[0].amount.amount == "480.00"
        pay(plan, 0, approver, treasurer)

        release = sb.ReleaseIn(channel=TO_THE_SUPPLIER, invoice_ref="AN-2304")
        with pytest.raises(MilestoneNotVerified):
            finance.release_business_plan_tranche(plan_id, "t2", release)
        receipt = pdf("receipt", plan_id)
        officer.submit_business_plan_evidence(
            plan_id, "equipped", receipt, EvidenceKind.RECEIPT, amount="720.00", currency="EUR"
        )
        visit = pdf("visit", plan_id)
        officer.submit_business_plan_evidence(
            plan_id, "equipped", visit, EvidenceKind.MONITORING_REPORT
        )
        approver.verify_business_plan_milestone(plan_id, "equipped")
        plan = finance.release_business_plan_tranche(plan_id, "t2", release)
        assert plan.tranches[1].parts[1].amount.amount == "160.00"
        pay(plan, 1, approver, treasurer)

        assert approver.complete_business_plan(plan_id).status == "completed"

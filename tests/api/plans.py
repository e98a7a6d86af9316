"""Business plans for the API tests: request bodies, evidence uploads, and the plans of the
world in every state a route starts from.

A tailoring workshop: sewing machines bought in kind from one supplier, paid in two tranches
(60 % once the business is registered, 40 % once equipped, with receipts and a monitoring
report). The world's plans belong to one dakar household whose principal and five adult
dependants own them (a dependant's in-kind entitlement, 1,000.00 EUR, covers a 900.00 plan).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PLAN_START = dt.date(2025, 5, 20)
SUPPLIER = "dakar-tools-sarl"
SCORES = {"market": 4, "skills": 3, "viability": 4, "risk": 3}
"""Passes the EU policy's [business] pass mark (weighted 3.6 of 5, the mark 3)."""


@dataclass(frozen=True)
class FilePart:
    """A file in a multipart/form-data body: `call` sends a dict holding one as a form."""

    content: bytes
    media_type: str
    filename: str = "evidence"


def pdf(label: str) -> FilePart:
    """A PDF whose content (hence hash) is unique to `label`."""
    return FilePart(f"%PDF-1.7\n% {label}\n".encode(), "application/pdf", f"{label}.pdf")


def png(label: str) -> FilePart:
    return FilePart(b"\x89PNG\r\n\x1a\n" + label.encode(), "image/png", f"{label}.png")


def upload(kind: str, file: FilePart, amount: str | None = None) -> dict[str, Any]:
    """An evidence upload; a receipt's amount is in EUR."""
    body: dict[str, Any] = {"kind": kind, "file": file}
    if amount is not None:
        body |= {"amount": amount, "currency": "EUR"}
    return body


def eur(amount: str) -> dict[str, str]:
    return {"amount": amount, "currency": "EUR"}


def plan_body(
    *owners: tuple[str, str, int], amount: str = "900.00", start: dt.date = PLAN_START
) -> dict[str, Any]:
    """A plan owned by (case id, member id, parts) each; `amount` of goods in kind."""
    return {
        "owners": [{"case_id": c, "member_id": m, "parts": parts} for c, m, parts in owners],
        "budget_line": "individual",
        "sector": "tailoring",
        "activity": "a tailoring workshop making school uniforms",
        "country": "SN",
        "area": "Pikine, Dakar",
        "start_date": start.isoformat(),
        "items": [
            {
                "item": "sewing machines",
                "form": "in_kind",
                "amount": eur(amount),
                "supplier": SUPPLIER,
            }
        ],
        "monthly_revenue": eur("600.00"),
        "monthly_costs": eur("350.00"),
        "own_contribution": eur("100.00"),
        "risks": ["power cuts"],
        "milestones": [
            {
                "milestone_id": "registered",
                "title": "business registered",
                "evidence": ["registration_certificate"],
                "due_on": (start + dt.timedelta(days=31)).isoformat(),
                "unlocks": "t1",
            },
            {
                "milestone_id": "equipped",
                "title": "equipment bought and in use",
                "evidence": ["receipt", "monitoring_report"],
                "due_on": (start + dt.timedelta(days=92)).isoformat(),
                "unlocks": "t2",
            },
        ],
        "tranches": [
            {"tranche_id": "t1", "component_id": "kind-1", "share": "0.6"},
            {"tranche_id": "t2", "component_id": "kind-1", "share": "0.4"},
        ],
    }


def assessment(scores: dict[str, int] | None = None) -> dict[str, Any]:
    shown = scores or SCORES
    return {
        "scores": [{"criterion": c, "score": n} for c, n in shown.items()],
        "reasons": "a known market and a trained tailor",
    }


RELEASE = {"channel": "supplier_transfer", "invoice_ref": "INV-2025-001"}


def household_body(office: str, case_body: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    """A household of a principal and five adult dependants (a1...a5); `case_body` registers
    its persons."""
    body = case_body(office, dependants=5, dependant_birth_year=1990)
    for n, member in enumerate(body["members"][1:], start=1):
        member |= {"member_id": f"a{n}"}
    return body


Post = Callable[[str, str, Any], dict[str, Any]]
"""(user, path, body) -> the successful answer's body."""


@dataclass(frozen=True)
class PlanIds:
    business_case: str
    draft_plan: str
    submitted_plan: str
    assessed_plan: str
    approved_plan: str
    active_plan: str
    """A group business (p 2 parts, a4 1 part): `registered` verified, its tranche t1 not
    released; `equipped` with a receipt and a monitoring report pending."""
    finished_plan: str
    """Every tranche released and paid, and a visit that found the business closed."""
    repayable_plan: str
    """Active, owner p alone (p also owns part of the active plan): t1 released, and its
    payment failed."""


class PlanSteps:
    """Drives plans through their steps over the API, each as a user allowed to take it."""

    def __init__(self, post: Post) -> None:
        self.post = post
        self.answer: dict[str, Any] = {}
        """The last step's answer."""

    def draft(self, *owners: tuple[str, str, int]) -> str:
        plan: str = self.post("officer", "/business-plans", plan_body(*owners))["plan_id"]
        return plan

    def step(self, plan_id: str, name: str, body: Any = None, who: str = "approver") -> str:
        self.answer = self.post(who, f"/business-plans/{plan_id}/{name}", body)
        return plan_id

    def submitted(self, plan_id: str) -> str:
        return self.step(plan_id, "submission", who="officer")

    def assessed(self, plan_id: str) -> str:
        return self.step(self.submitted(plan_id), "assessment", assessment())

    def approved(self, plan_id: str) -> str:
        return self.step(self.assessed(plan_id), "approval")

    def active(self, plan_id: str) -> str:
        return self.step(self.approved(plan_id), "activation")

    def evidence(self, plan_id: str, milestone: str, body: dict[str, Any]) -> None:
        self.step(plan_id, f"milestones/{milestone}/evidence", body, who="officer")

    def verified(self, plan_id: str, milestone: str) -> None:
        self.step(plan_id, f"milestones/{milestone}/verification")

    def released(self, plan_id: str, tranche: str) -> list[str]:
        """Release (as an officer); the tranche's disbursements, one per owner."""
        self.step(plan_id, f"tranches/{tranche}/release", RELEASE, who="officer")
        shown = next(t for t in self.answer["tranches"] if t["tranche_id"] == tranche)
        return [part["disbursement_id"] for part in shown["parts"]]

    def paid(self, plan_id: str, tranche: str) -> None:
        """Release a tranche and pay it: approved by an approver, confirmed by finance."""
        for disbursement in self.released(plan_id, tranche):
            self.post("approver", f"/disbursements/{disbursement}/approval", None)
            body = {"provider_ref": f"bank-{disbursement}"}
            self.post("finance", f"/disbursements/{disbursement}/confirmation", body)


def repayable(steps: PlanSteps, household: str) -> str:
    """An active plan of p whose first tranche's payment failed."""
    plan = steps.active(steps.draft((household, "p", 1)))
    steps.evidence(plan, "registered", upload("registration_certificate", pdf("repay-reg")))
    steps.verified(plan, "registered")
    (disbursement,) = steps.released(plan, "t1")
    steps.post("approver", f"/disbursements/{disbursement}/approval", None)
    failure = {"reason": "the supplier's account is closed"}
    steps.post("finance", f"/disbursements/{disbursement}/failure", failure)
    return plan


def build_plans(post: Post, household: str) -> PlanIds:
    """The world's plans, all owned by members of `household`."""
    steps = PlanSteps(post)
    active = steps.active(steps.draft((household, "p", 2), (household, "a4", 1)))
    steps.evidence(active, "registered", upload("registration_certificate", pdf("active-reg")))
    steps.verified(active, "registered")
    steps.evidence(active, "equipped", upload("monitoring_report", png("active-visit")))
    steps.evidence(active, "equipped", upload("receipt", pdf("active-receipt"), "500.00"))
    finished = steps.active(steps.draft((household, "a5", 1)))
    steps.evidence(finished, "registered", upload("registration_certificate", pdf("done-reg")))
    steps.verified(finished, "registered")
    steps.paid(finished, "t1")
    steps.evidence(finished, "equipped", upload("monitoring_report", png("done-visit")))
    steps.evidence(finished, "equipped", upload("receipt", pdf("done-receipt"), "540.00"))
    steps.verified(finished, "equipped")
    steps.paid(finished, "t2")
    closed = {"on": "2025-06-01", "status": "closed", "jobs_created": 0, "notes": "shut"}
    steps.step(finished, "visits", closed, who="officer")
    return PlanIds(
        repayable_plan=repayable(steps, household),
        business_case=household,
        draft_plan=steps.draft((household, "a1", 1)),
        submitted_plan=steps.submitted(steps.draft((household, "a1", 1))),
        assessed_plan=steps.assessed(steps.draft((household, "a2", 1))),
        approved_plan=steps.approved(steps.draft((household, "a3", 1))),
        active_plan=active,
        finished_plan=finished,
    )

"""Community projects for the API tests: request bodies, and the projects of the world in
every state a route starts from.

A market garden in Dakar's region: seeds and tools paid in cash to a local partner in two
tranches (half once the plot is cleared, half once the first crop is planted, with a receipt
and a monitoring report), and a solar pump bought in kind from a supplier, paid once it
waters. 300.00 EUR for one returnee and three young people of the district: 75.00 each, which
the EU policy counts against the returnee's caps. The world's projects all have the business
household's principal as their returnee (whose caps have room for them).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from tests.api.plans import Post, eur, pdf, png, upload

PROJECT_START = dt.date(2025, 5, 20)
PARTNER = "dakar-garden-cooperative"
PUMP_SUPPLIER = "sahel-pumps-sarl"


def participants(*returnees: tuple[str, str], community: int = 3) -> dict[str, Any]:
    """Returnees as (case id, member id), and `community` members counted as women and men
    aged 18-35."""
    women = (community + 1) // 2
    counts = [
        {"sex": "female", "age_band": "18-35", "count": women},
        {"sex": "male", "age_band": "18-35", "count": community - women},
    ]
    return {
        "returnees": [{"case_id": c, "member_id": m} for c, m in returnees],
        "counts": [c for c in counts if c["count"]],
    }


def _milestone(start: dt.date, name: str, title: str, days: int, unlocks: str, *kinds: str) -> Any:
    due = start + dt.timedelta(days=days)
    return {
        "milestone_id": name,
        "title": title,
        "evidence": list(kinds),
        "due_on": due.isoformat(),
        "unlocks": unlocks,
    }


def project_body(
    *returnees: tuple[str, str],
    community: int = 3,
    cash: str = "120.00",
    pump: str = "180.00",
    start: dt.date = PROJECT_START,
) -> dict[str, Any]:
    """A project of `returnees`, as (case id, member id), and `community` members."""
    return {
        "budget_line": "individual",
        "community": {"country": "SN", "area": "SN-DK"},
        "kind": "new_community_project",
        "description": "a market garden shared by returnees and young people of the district",
        "partner": PARTNER,
        "dimensions": ["economic", "social"],
        "starts_on": start.isoformat(),
        "ends_on": (start + dt.timedelta(days=300)).isoformat(),
        "participants": participants(*returnees, community=community),
        "items": [
            {"item": "seeds and tools", "form": "cash", "amount": eur(cash)},
            {
                "item": "solar pump",
                "form": "in_kind",
                "amount": eur(pump),
                "supplier": PUMP_SUPPLIER,
            },
        ],
        "milestones": [
            _milestone(start, "cleared", "plot cleared and fenced", 30, "c1", "photo"),
            _milestone(
                start, "planted", "first crop planted", 90, "c2", "receipt", "monitoring_report"
            ),
            _milestone(start, "pumping", "pump installed and watering", 60, "k1", "photo"),
        ],
        "tranches": [
            {"tranche_id": "c1", "component_id": "cash", "share": "0.5"},
            {"tranche_id": "c2", "component_id": "cash", "share": "0.5"},
            {"tranche_id": "k1", "component_id": "kind-1", "share": "1"},
        ],
    }


OUTCOMES = {
    "returnees_reached": 1,
    "community_reached": 3,
    "jobs_created": 2,
    "services_created": 1,
}


RELEASE = {"payout": {"iban": "FR7630006000011234567890189", "bic": "BNPAFRPP"}}
"""A tranche's release: the payee's bank account (a test IBAN)."""


@dataclass(frozen=True)
class ProjectIds:
    draft_project: str
    submitted_project: str
    approved_project: str
    """`cleared` verified; nothing released yet."""
    active_project: str
    """`cleared` verified and c1 released by the officer (its payment `pending_payment` in
    flight); `planted` with a receipt and a monitoring report pending, from the officer."""
    pending_payment: str
    finished_project: str
    """Every tranche released and paid."""


class ProjectSteps:
    """Drives projects through their steps over the API, each as a user allowed to take it."""

    def __init__(self, post: Post) -> None:
        self.post = post
        self.answer: dict[str, Any] = {}
        """The last step's answer."""

    def draft(self, *returnees: tuple[str, str]) -> str:
        self.answer = self.post("officer", "/community-projects", project_body(*returnees))
        project: str = self.answer["project_id"]
        return project

    def step(self, project_id: str, name: str, body: Any = None, who: str = "approver") -> str:
        self.answer = self.post(who, f"/community-projects/{project_id}/{name}", body)
        return project_id

    def submitted(self, project_id: str) -> str:
        return self.step(project_id, "submission", who="officer")

    def approved(self, project_id: str) -> str:
        return self.step(self.submitted(project_id), "approval")

    def evidence(self, project_id: str, milestone: str, body: dict[str, Any]) -> None:
        self.step(project_id, f"milestones/{milestone}/evidence", body, who="officer")

    def verified(self, project_id: str, milestone: str, *evidence: dict[str, Any]) -> str:
        for body in evidence:
            self.evidence(project_id, milestone, body)
        return self.step(project_id, f"milestones/{milestone}/verification")

    def released(self, project_id: str, tranche: str) -> str:
        """Release (as an officer); the id of the disbursement it put in flight."""
        self.step(project_id, f"tranches/{tranche}/release", RELEASE, who="officer")
        payment: str = self.answer["payments"][-1]["payment_id"]
        return payment

    def settled(self, payment: str) -> None:
        """A disbursement in flight approved (by an approver) and confirmed paid (by finance)."""
        self.post("approver", f"/disbursements/{payment}/approval", None)
        body = {"provider_ref": f"bank-{payment}"}
        self.post("finance", f"/disbursements/{payment}/confirmation", body)

    def paid(self, project_id: str, tranche: str) -> None:
        """Release a tranche and record its payment as paid."""
        self.settled(self.released(project_id, tranche))


def finished(steps: ProjectSteps, returnee: tuple[str, str]) -> str:
    project = steps.approved(steps.draft(returnee))
    steps.verified(project, "cleared", upload("photo", png("garden-done-cleared")))
    steps.paid(project, "c1")
    receipt = upload("receipt", pdf("garden-done-seeds"), "120.00")
    steps.verified(project, "planted", receipt, upload("monitoring_report", pdf("garden-done")))
    steps.paid(project, "c2")
    steps.verified(project, "pumping", upload("photo", png("garden-done-pump")))
    steps.paid(project, "k1")
    return project


def build_projects(post: Post, household: str) -> ProjectIds:
    """The world's projects, each with the principal of `household` as its returnee."""
    steps = ProjectSteps(post)
    returnee = (household, "p")
    approved = steps.approved(steps.draft(returnee))
    steps.verified(approved, "cleared", upload("photo", png("garden-approved-cleared")))
    active = steps.approved(steps.draft(returnee))
    steps.verified(active, "cleared", upload("photo", png("garden-active-cleared")))
    payment = steps.released(active, "c1")
    steps.evidence(active, "planted", upload("receipt", pdf("garden-active-seeds"), "60.00"))
    steps.evidence(active, "planted", upload("monitoring_report", png("garden-active-visit")))
    return ProjectIds(
        draft_project=steps.draft(returnee),
        submitted_project=steps.submitted(steps.draft(returnee)),
        approved_project=approved,
        active_project=active,
        pending_payment=payment,
        finished_project=finished(steps, returnee),
    )

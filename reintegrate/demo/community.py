"""Community projects for the demo: one in every state.

Each is a market garden in Dakar (ISO 3166-2 SN-DK) run by a local cooperative with two
returnees (new households, as for the business plans) and six community members counted by
sex and age band; built only through the use cases, every step dated `now`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal

from reintegrate import events as ev
from reintegrate.adapters.identifiers import LibraryIdentifierChecks
from reintegrate.community.drafting import ProjectContent
from reintegrate.community.projects import PROJECT_STATUS_WORDS, ProjectStatus
from reintegrate.demo.business import (
    APPROVER,
    CONFIRMER,
    OFFICER,
    PAYER,
    prove_milestone,
    returnee_case,
)
from reintegrate.kinds import Dimension, Form
from reintegrate.people.records import BankAccount
from reintegrate.services import community as cs
from reintegrate.services import community_activities as ca
from reintegrate.services import packages as ps
from reintegrate.store.base import Store
from reintegrate.texts import Text
from reintegrate.tranches.drafting import TrancheIn

DAKAR_DISTRICT = ev.Community(country="SN", area="SN-DK")
STATES = tuple(ProjectStatus)


def load_community_projects(store: Store, now: dt.datetime) -> Counter[Text]:
    """One project in each state."""
    outcomes: Counter[Text] = Counter()
    for n, state in enumerate(STATES, start=1):
        cases = [returnee_case(store, f"case-cp-{n:02d}{x}", now) for x in "ab"]
        project_id = f"cp-demo-{n:02d}"
        cs.draft_project(
            store,
            OFFICER,
            now,
            budget_line="individual",
            content=project_content(now.date(), DAKAR_DISTRICT),
            participants=_participants(tuple(c.case_id for c in cases)),
            project_id=project_id,
        )
        _walk(store, project_id, state, now)
        outcomes[Text("community project {status}", status=PROJECT_STATUS_WORDS[state])] += 1
    return outcomes


def _participants(case_ids: tuple[str, ...]) -> ev.Participants:
    counts = (
        ev.MemberCount(sex=ev.CountedSex.FEMALE, age_band="18-35", count=3),
        ev.MemberCount(sex=ev.CountedSex.MALE, age_band="18-35", count=2),
        ev.MemberCount(sex=ev.CountedSex.FEMALE, age_band="36+", count=1),
    )
    returnees = tuple(ev.ReturneeParticipant(case_id=c, member_id="p") for c in case_ids)
    return ev.Participants(returnees=returnees, counts=counts)


def project_content(today: dt.date, community: ev.Community) -> ProjectContent:
    """A market garden in `community`, started ten days before `today`, paid in two
    tranches (a pump in kind, inputs in cash) each unlocked by a verified milestone."""
    start = today - dt.timedelta(days=10)

    def item(name: str, amount: int, supplier: str | None) -> ev.BudgetItem:
        form = Form.IN_KIND if supplier else Form.CASH
        return ev.BudgetItem(
            item=name,
            form=form,
            amount=amount,
            currency="EUR",
            programme_amount=0,
            supplier=supplier,
        )

    def milestone(
        milestone_id: str, title: str, kinds: tuple[ev.EvidenceKind, ...], unlocks: str
    ) -> ev.MilestoneSpec:
        return ev.MilestoneSpec(
            milestone_id=milestone_id,
            title=title,
            evidence=kinds,
            due_on=start + dt.timedelta(days=60),
            unlocks=unlocks,
        )

    return ProjectContent(
        community=community,
        kind=ev.ProjectKind.NEW_COMMUNITY_PROJECT,
        description="a market garden shared by returnees and young people of the district",
        partner="pikine-garden-cooperative",
        dimensions=(Dimension.ECONOMIC, Dimension.SOCIAL),
        starts_on=start,
        ends_on=start + dt.timedelta(days=365),
        items=(
            item("seeds, tools and training", 80000, None),
            item("solar pump and drip lines", 120000, "sahel-pumps-sarl"),
        ),
        milestones=(
            milestone("cleared", "plot cleared and fenced", (ev.EvidenceKind.PHOTO,), "pump"),
            milestone(
                "planted",
                "first crop planted",
                (ev.EvidenceKind.RECEIPT, ev.EvidenceKind.MONITORING_REPORT),
                "inputs",
            ),
        ),
        tranches=(
            TrancheIn(tranche_id="pump", component_id="kind-1", share=Decimal(1)),
            TrancheIn(tranche_id="inputs", component_id="cash", share=Decimal(1)),
        ),
    )


def _walk(store: Store, project_id: str, state: str, now: dt.datetime) -> None:
    """Take a drafted project to `state` through the use cases."""
    if state == "draft":
        return
    cs.submit_project(store, OFFICER, now, project_id)
    if state == "rejected":
        cs.reject_project(store, APPROVER, now, project_id, reason="the plot has no water rights")
    if state in ("submitted", "rejected"):
        return
    cs.approve_project(store, APPROVER, now, project_id)
    if state == "approved":
        return
    _pay(store, project_id, "cleared", "pump", now)
    ca.report_outcomes(
        store,
        OFFICER,
        now,
        project_id,
        "cleared",
        returnees_reached=2,
        community_reached=6,
        jobs_created=3,
        services_created=0,
    )
    if state == "abandoned":
        ca.close_project(store, APPROVER, now, project_id, end=ev.ProjectEnd.ABANDONED)
    elif state == "completed":
        _pay(store, project_id, "planted", "inputs", now)
        ca.close_project(store, APPROVER, now, project_id, end=ev.ProjectEnd.COMPLETED)


CHECKS = LibraryIdentifierChecks()
PARTNER_ACCOUNT = BankAccount(iban="FR7630006000011234567890189", bic="BNPAFRPP")
"""Where the demo's tranches are paid (a test IBAN: the partner's, or a supplier's)."""


def _pay(
    store: Store, project_id: str, milestone_id: str, tranche_id: str, now: dt.datetime
) -> None:
    """Evidence for the milestone, its verification, the tranche's release and payment."""
    with store.unit_of_work() as uow:
        project = cs.load_project(uow.projects, project_id, OFFICER)
    prove_milestone(store, cs.PROJECTS.one(project_id), project, milestone_id, now)
    project = ca.release_tranche(
        store, PAYER, now, project_id, tranche_id, payout=PARTNER_ACCOUNT, checks=CHECKS
    )
    sent = project.payments[-1].payment_id
    ps.approve_disbursement(store, APPROVER, now, sent)
    ps.confirm_disbursement(store, CONFIRMER, now, sent, f"PRV-{project_id}-{tranche_id}")

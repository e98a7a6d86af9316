"""Community projects for tests: a market garden in Niamey, run by a local partner with
returnees and members of their community."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from reintegrate import events as ev
from reintegrate.adapters.identifiers import LibraryIdentifierChecks
from reintegrate.community.drafting import ProjectContent
from reintegrate.community.projects import CommunityProject
from reintegrate.kinds import Dimension, Form
from reintegrate.people.records import BankAccount
from reintegrate.services import community as cs
from reintegrate.services import community_activities as ca
from reintegrate.services import packages as ps
from reintegrate.services.context import Actor
from reintegrate.store.base import Store
from reintegrate.tranches.drafting import TrancheIn
from tests.business.plan_builders import APPROVER, AUTHOR, DAY, PAYER, START, item

PARTNER = "niamey-garden-cooperative"
PUMP_SUPPLIER = "sahel-pumps-sarl"
PAYEE_ACCOUNT = BankAccount(iban="FR7630006000011234567890189", bic="BNPAFRPP")
"""The account a tranche is paid into (a test IBAN)."""
CHECKS = LibraryIdentifierChecks()


def release(
    store: Store, actor: Actor, tranche_id: str, project_id: str = "cp-1"
) -> CommunityProject:
    """Release a tranche into `PAYEE_ACCOUNT`: the project with its new payment in flight."""
    return ca.release_tranche(
        store, actor, DAY, project_id, tranche_id, payout=PAYEE_ACCOUNT, checks=CHECKS
    )


def pay(store: Store, disbursement_id: str, provider_ref: str) -> None:
    """A tranche's payment approved, then confirmed paid by a third person."""
    ps.approve_disbursement(store, APPROVER, DAY, disbursement_id)
    ps.confirm_disbursement(store, PAYER, DAY, disbursement_id, provider_ref)


def returnee(case_id: str, member_id: str = "p") -> ev.ReturneeParticipant:
    return ev.ReturneeParticipant(case_id=case_id, member_id=member_id)


def participants(*returnees: ev.ReturneeParticipant, community: int = 4) -> ev.Participants:
    """`returnees` and `community` members counted as women and men aged 18-35."""
    women = community // 2
    counts = [
        ev.MemberCount(sex=ev.CountedSex.FEMALE, age_band="18-35", count=women),
        ev.MemberCount(sex=ev.CountedSex.MALE, age_band="18-35", count=community - women),
    ]
    return ev.Participants(returnees=returnees, counts=tuple(c for c in counts if c.count))


def project_content(
    *,
    cash: int = 60000,
    pump: int = 90000,
    milestones: tuple[ev.MilestoneSpec, ...] | None = None,
) -> ProjectContent:
    """Seeds and tools in cash to the partner, and a solar pump bought in kind; the pump is
    paid once installed, the cash in two tranches (half when the plot is cleared)."""
    return ProjectContent(
        community=ev.Community(country="NE", area="NE-8"),
        kind=ev.ProjectKind.NEW_COMMUNITY_PROJECT,
        description="a market garden shared by returnees and young people of the district",
        partner=PARTNER,
        dimensions=(Dimension.ECONOMIC, Dimension.SOCIAL),
        starts_on=START,
        ends_on=START + dt.timedelta(days=300),
        items=(
            item("seeds and tools", cash, form=Form.CASH),
            item("solar pump", pump, supplier=PUMP_SUPPLIER),
        ),
        milestones=milestones
        or (
            ev.MilestoneSpec(
                milestone_id="cleared",
                title="plot cleared and fenced",
                evidence=(ev.EvidenceKind.PHOTO,),
                due_on=START + dt.timedelta(days=30),
                unlocks="c1",
            ),
            ev.MilestoneSpec(
                milestone_id="planted",
                title="first crop planted",
                evidence=(ev.EvidenceKind.RECEIPT, ev.EvidenceKind.MONITORING_REPORT),
                due_on=START + dt.timedelta(days=90),
                unlocks="c2",
            ),
            ev.MilestoneSpec(
                milestone_id="pumping",
                title="pump installed and watering",
                evidence=(ev.EvidenceKind.PHOTO,),
                due_on=START + dt.timedelta(days=60),
                unlocks="k1",
            ),
        ),
        tranches=(
            TrancheIn(tranche_id="c1", component_id="cash", share=Decimal("0.5")),
            TrancheIn(tranche_id="c2", component_id="cash", share=Decimal("0.5")),
            TrancheIn(tranche_id="k1", component_id="kind-1", share=Decimal("1")),
        ),
    )


def draft_project(
    store: Store,
    who: ev.Participants,
    content: ProjectContent | None = None,
    project_id: str = "cp-1",
) -> CommunityProject:
    return cs.draft_project(
        store,
        AUTHOR,
        DAY,
        budget_line="individual",
        content=content or project_content(),
        participants=who,
        project_id=project_id,
    )


def approved_project(
    store: Store, who: ev.Participants, project_id: str = "cp-1"
) -> CommunityProject:
    draft_project(store, who, project_id=project_id)
    cs.submit_project(store, AUTHOR, DAY, project_id)
    return cs.approve_project(store, APPROVER, DAY, project_id)

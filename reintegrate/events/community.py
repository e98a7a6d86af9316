"""Events of community-based projects: drafting, participants, approval, tranches paid to the
implementing partner or suppliers, outcomes, and the end (evidence and milestones:
`events.tranches`).

A project's envelope is drawn from a programme budget line when it is approved. Each returnee
taking part has a per-capita share of it; when the policy counts that share against the
returnee's individual caps, the share is drawn from them too (and given back when it shrinks),
so the events carry the shares and the postings follow from the events alone.
Community members who are not returnees carry no personal data: a pseudonymous id, or only
counts by sex and age band.
"""

from __future__ import annotations

import datetime as dt
import enum

import msgspec

from reintegrate.events.core import _Event
from reintegrate.events.tranches import BudgetItem, MilestoneSpec, PlanComponent, TrancheSpec
from reintegrate.kinds import Dimension
from reintegrate.notes import Note, Text


class ProjectKind(enum.StrEnum):
    COLLECTIVE = "collective"
    """Returnees set up a project together."""
    NEW_COMMUNITY_PROJECT = "new_community_project"
    """A new project of returnees and members of the community they come back to."""
    JOINING_EXISTING = "joining_existing"
    """Returnees join a project the community already runs."""


class CountedSex(enum.StrEnum):
    """The sex of community members counted as participants (no "unknown": each is counted)."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


class ProjectEnd(enum.StrEnum):
    COMPLETED = "completed"
    ABANDONED = "abandoned"


class PaymentOutcome(enum.StrEnum):
    PAID = "paid"
    FAILED = "failed"


class Community(msgspec.Struct, frozen=True, kw_only=True):
    country: str
    """ISO 3166-1 alpha-2."""
    area: str
    """ISO 3166-2 subdivision of `country` (e.g. NE-8, Niamey)."""


class ReturneeParticipant(msgspec.Struct, frozen=True, kw_only=True):
    case_id: str
    member_id: str


class MemberCount(msgspec.Struct, frozen=True, kw_only=True):
    sex: CountedSex
    age_band: str
    count: int


class Participants(msgspec.Struct, frozen=True, kw_only=True):
    returnees: tuple[ReturneeParticipant, ...] = ()
    members: tuple[str, ...] = ()
    """Community members by pseudonymous id (when the policy records them so)."""
    counts: tuple[MemberCount, ...] = ()
    """Community members as counts (when the policy records them so)."""

    @property
    def community_members(self) -> int:
        return len(self.members) + sum(c.count for c in self.counts)

    @property
    def total(self) -> int:
        return len(self.returnees) + self.community_members


class CountedShare(msgspec.Struct, frozen=True, kw_only=True):
    """A returnee's per-capita share of a project, counted against their caps."""

    case_id: str
    member_id: str
    amount: int


class CommunityProjectDrafted(_Event, frozen=True):
    project_id: str
    programme_id: str
    office: str
    budget_line: str
    currency: str
    community: Community
    kind: ProjectKind
    description: Text
    partner: str
    dimensions: tuple[Dimension, ...]
    starts_on: dt.date
    ends_on: dt.date
    participants: Participants
    items: tuple[BudgetItem, ...]
    components: tuple[PlanComponent, ...]
    milestones: tuple[MilestoneSpec, ...]
    tranches: tuple[TrancheSpec, ...]


class CommunityProjectSubmitted(_Event, frozen=True):
    project_id: str


class CommunityProjectRejected(_Event, frozen=True):
    project_id: str
    reason: Text


class CommunityProjectApproved(_Event, frozen=True):
    """The envelope leaves the budget line; counted shares leave the returnees' caps."""

    project_id: str
    programme_id: str
    budget_line: str
    envelope: int
    counted: tuple[CountedShare, ...]
    on: dt.date


class ParticipantsChanged(_Event, frozen=True):
    """The new participants; for an approved project, the counted shares drawn or given back."""

    project_id: str
    programme_id: str
    participants: Participants
    draws: tuple[CountedShare, ...] = ()
    releases: tuple[CountedShare, ...] = ()


class ProjectTrancheReleased(_Event, frozen=True):
    """A tranche is sent to its payee: the partner (cash) or a supplier (in-kind goods)."""

    project_id: str
    programme_id: str
    tranche_id: str
    payment_id: str
    payee: str | Note
    amount: int
    on: dt.date


class ProjectPaymentSettled(_Event, frozen=True):
    """The provider confirmed a tranche's payment, or it failed (the tranche may go again)."""

    project_id: str
    programme_id: str
    payment_id: str
    outcome: PaymentOutcome
    amount: int
    on: dt.date
    provider_ref: str | None = None


class OutcomesReported(_Event, frozen=True):
    project_id: str
    milestone_id: str
    returnees_reached: int
    community_reached: int
    jobs_created: int
    services_created: int
    on: dt.date


class CommunityProjectClosed(_Event, frozen=True):
    """What was never paid goes back to the budget line; counted shares shrink to the value
    actually delivered."""

    project_id: str
    programme_id: str
    budget_line: str
    end: ProjectEnd
    unspent: int
    releases: tuple[CountedShare, ...]
    on: dt.date


class ProjectDisbursementRequested(_Event, frozen=True):
    """A tranche released as an ordinary disbursement (batched, exported, matched and
    applied like any other): paid to its payee, the partner (cash) or a supplier (goods in
    kind), into the account `payout`, a sealed text (`community.payouts`). Journals written
    before hold `ProjectTrancheReleased` instead, settled by `ProjectPaymentSettled`."""

    disbursement_id: str
    project_id: str
    programme_id: str
    tranche_id: str
    component_id: str
    channel: str
    payee: str | Note
    payout: Text
    amount: int
    currency: str
    """The programme's: a project is paid in its programme's currency."""
    on: dt.date


class ProjectDisbursementPaid(_Event, frozen=True):
    """A project's disbursement confirmed paid: what was in flight is paid."""

    disbursement_id: str
    project_id: str
    programme_id: str
    amount: int
    on: dt.date
    provider_ref: str | None = None


class ProjectDisbursementFailed(_Event, frozen=True):
    """A project's disbursement not delivered (`returned`: the provider sent the money back):
    the amount is left to pay again and its tranche may be released anew."""

    disbursement_id: str
    project_id: str
    programme_id: str
    amount: int
    reason: Text
    returned: bool = False


class ProjectDisbursementReversed(_Event, frozen=True):
    """A confirmed payment of a project undone: left to pay again, its tranche unreleased."""

    disbursement_id: str
    project_id: str
    programme_id: str
    amount: int
    reason: Text

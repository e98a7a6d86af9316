"""Request and response bodies of /community-projects: one msgspec Struct per operation, with
limits on every string and list (the upper bounds are the domain's own limits).

Money is `{"amount": "1500.00", "currency": "EUR"}`, as everywhere in this API. Budget items,
milestones and tranches are written and shown as for every grant (`api.schemas_tranches`);
community members who are not returnees appear only as pseudonymous ids or as counts by sex
and age band.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

from api.schemas import Code, Id, In, Label, MoneyOut, Out
from api.schemas_people import BankAccountIn
from api.schemas_tranches import (
    GrantComponentView,
    ItemIn,
    ItemView,
    MilestoneIn,
    MilestoneView,
    TrancheIn,
)
from reintegrate.community.drafting import MAX_COUNT, MAX_MEMBER_IDS, MAX_RETURNEES
from reintegrate.community.projects import PaymentStatus, ProjectStatus
from reintegrate.events import CountedSex, ProjectKind
from reintegrate.kinds import Dimension
from reintegrate.tranches.drafting import MAX_ITEMS
from reintegrate.tranches.milestones import MAX_MILESTONES

Area = Annotated[
    str,
    msgspec.Meta(
        min_length=4, max_length=6, pattern=r"^[A-Z]{2}-[A-Z0-9]{1,3}$", examples=["NE-8"]
    ),
]
"""An ISO 3166-2 subdivision code."""
AgeBand = Annotated[
    str,
    msgspec.Meta(min_length=1, max_length=16, pattern=r"^[A-Za-z0-9_.+-]+$", examples=["18-35"]),
]
Reached = Annotated[int, msgspec.Meta(ge=0, le=1_000_000)]
MAX_GROUPS = len(CountedSex) * 12
"""Counts by (sex, age band): a policy has at most 12 age bands."""


class CommunityIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    country: Code
    """ISO 3166-1 alpha-2."""
    area: Area
    """ISO 3166-2 subdivision of `country`."""


class ReturneeIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    case_id: Id
    member_id: Id


class MemberCountIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    sex: CountedSex
    age_band: AgeBand
    """One of the policy's age bands."""
    count: Annotated[int, msgspec.Meta(ge=1, le=MAX_COUNT)]


class ParticipantsIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """Returnees (members of cases of the caller's offices) and community members who are not
    returnees: by pseudonymous id or as counts, as the programme's policy records them."""

    returnees: Annotated[list[ReturneeIn], msgspec.Meta(min_length=1, max_length=MAX_RETURNEES)]
    members: Annotated[list[Id], msgspec.Meta(max_length=MAX_MEMBER_IDS)] = msgspec.field(
        default_factory=list
    )
    counts: Annotated[list[MemberCountIn], msgspec.Meta(max_length=MAX_GROUPS)] = msgspec.field(
        default_factory=list
    )


class ProjectCreate(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    budget_line: Id
    community: CommunityIn
    kind: ProjectKind
    description: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]
    partner: Label
    """The implementing partner, paid the cash tranches."""
    dimensions: Annotated[list[Dimension], msgspec.Meta(min_length=1, max_length=len(Dimension))]
    starts_on: dt.date
    ends_on: dt.date
    participants: ParticipantsIn
    items: Annotated[list[ItemIn], msgspec.Meta(min_length=1, max_length=MAX_ITEMS)]
    milestones: Annotated[list[MilestoneIn], msgspec.Meta(min_length=1, max_length=MAX_MILESTONES)]
    tranches: Annotated[list[TrancheIn], msgspec.Meta(min_length=1, max_length=MAX_MILESTONES)]


class TrancheReleaseIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    payout: BankAccountIn
    """The payee's bank account: an IBAN (with its BIC where known), or a bank and a local
    account number. Kept sealed; a batch's file is the only place it is written."""


class OutcomesIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    returnees_reached: Reached
    community_reached: Reached
    jobs_created: Reached
    services_created: Reached


class CommunityView(Out, frozen=True, kw_only=True):
    country: str
    area: str


class ReturneeView(Out, frozen=True, kw_only=True):
    case_id: str
    member_id: str


class MemberCountView(Out, frozen=True, kw_only=True):
    sex: CountedSex
    age_band: str
    count: int


class ParticipantsView(Out, frozen=True, kw_only=True):
    returnees: list[ReturneeView]
    members: list[str]
    """Community members by pseudonymous id."""
    counts: list[MemberCountView]
    community_members: int
    total: int


class ProjectTrancheView(Out, frozen=True, kw_only=True):
    tranche_id: str
    component_id: str
    amount: MoneyOut
    released: bool
    released_on: dt.date | None


class ProjectPaymentView(Out, frozen=True, kw_only=True):
    payment_id: str
    tranche_id: str
    payee: str
    """The implementing partner (cash) or the supplier (goods in kind)."""
    amount: MoneyOut
    status: PaymentStatus
    released_on: dt.date
    released_by: str
    settled_on: dt.date | None
    provider_ref: str | None


class CountedShareView(Out, frozen=True, kw_only=True):
    """A returnee's per-capita share of the project, counted against their caps."""

    case_id: str
    member_id: str
    amount: MoneyOut


class OutcomeView(Out, frozen=True, kw_only=True):
    milestone_id: str
    returnees_reached: int
    community_reached: int
    jobs_created: int
    services_created: int
    on: dt.date
    reported_by: str


class CommunityProjectView(Out, frozen=True, kw_only=True):
    project_id: str
    programme_id: str
    office: str
    budget_line: str
    status: ProjectStatus
    community: CommunityView
    kind: ProjectKind
    description: str
    partner: str
    dimensions: list[Dimension]
    starts_on: dt.date
    ends_on: dt.date
    participants: ParticipantsView
    items: list[ItemView]
    envelope: MoneyOut
    components: list[GrantComponentView]
    milestones: list[MilestoneView]
    tranches: list[ProjectTrancheView]
    payments: list[ProjectPaymentView]
    counts_against_caps: bool
    counted: list[CountedShareView]
    outcomes: list[OutcomeView]
    paid: MoneyOut
    pending: MoneyOut
    """In flight to the partner or a supplier."""
    remaining: MoneyOut
    """Of the envelope, neither paid nor in flight (once the project has ended, this went
    back to the budget line)."""
    drafted_by: str
    submitted_by: str | None
    decided_by: str | None
    decided_on: dt.date | None
    rejection_reason: str | None
    ended_on: dt.date | None
    version: int


class CommunityProjectPage(Out, frozen=True, kw_only=True):
    items: list[CommunityProjectView]
    next_cursor: str | None

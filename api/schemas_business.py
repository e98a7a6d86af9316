"""Request and response bodies of /business-plans: one msgspec Struct per operation, with
limits on every string and list (the upper bounds are the domain's own limits).

Money is `{"amount": "1500.00", "currency": "EUR"}`, as everywhere in this API.

Budget items, milestones, evidence and tranches are written and shown as for every grant paid
in tranches (`api.schemas_tranches`).
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

from api.schemas import (
    Code,
    Id,
    In,
    Label,
    Money,
    MoneyOut,
    Out,
    Reason,
)
from api.schemas_tranches import (
    GrantComponentView,
    ItemIn,
    ItemView,
    MilestoneIn,
    MilestoneView,
    TrancheIn,
)
from reintegrate.business.drafting import MAX_PARTS
from reintegrate.business.plans import MAX_OWNERS, PlanStatus
from reintegrate.events import VisitStatus
from reintegrate.grants.disbursements import Channel
from reintegrate.tranches.drafting import MAX_ITEMS
from reintegrate.tranches.milestones import MAX_MILESTONES

Text = Annotated[str, msgspec.Meta(max_length=2000)]
Criterion = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
Score = Annotated[int, msgspec.Meta(ge=0, le=1000)]


class OwnerIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    case_id: Id
    member_id: Id
    parts: Annotated[int, msgspec.Meta(ge=1, le=MAX_PARTS)] = 1


class PlanCreate(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    owners: Annotated[list[OwnerIn], msgspec.Meta(min_length=1, max_length=MAX_OWNERS)]
    budget_line: Id
    sector: Label
    activity: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]
    country: Code
    area: Label
    start_date: dt.date
    items: Annotated[list[ItemIn], msgspec.Meta(min_length=1, max_length=MAX_ITEMS)]
    monthly_revenue: Money
    monthly_costs: Money
    own_contribution: Money
    risks: Annotated[list[Reason], msgspec.Meta(max_length=20)] = msgspec.field(
        default_factory=list
    )
    milestones: Annotated[list[MilestoneIn], msgspec.Meta(min_length=1, max_length=MAX_MILESTONES)]
    tranches: Annotated[list[TrancheIn], msgspec.Meta(min_length=1, max_length=MAX_MILESTONES)]


class ScoreIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    criterion: Criterion
    score: Score


class AssessmentIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    scores: Annotated[list[ScoreIn], msgspec.Meta(min_length=1, max_length=50)]
    """A score for every criterion of the policy's [business] rules, each once."""
    reasons: Annotated[str, msgspec.Meta(min_length=1, max_length=2000)]


class ReleaseIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    channel: Channel
    invoice_ref: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] | None = None
    """The supplier's invoice, for a tranche of goods in kind."""


class VisitIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    on: dt.date
    status: VisitStatus
    revenue: Money | None = None
    jobs_created: Annotated[int, msgspec.Meta(ge=0, le=100_000)] = 0
    notes: Text = ""


class DepartureIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    reallocate: bool
    """True: the other owners take over what the leaver was still owed; false: it goes back
    to the leaver's caps and the unreleased tranches shrink."""
    reason: Reason


class ShareView(Out, frozen=True, kw_only=True):
    component_id: str
    allotted: MoneyOut
    still_owed: MoneyOut


class OwnerView(Out, frozen=True, kw_only=True):
    owner: int
    """The owner's position in the plan, as in /owners/{owner}/departure."""
    case_id: str
    member_id: str
    parts: int
    package_id: str | None
    shares: list[ShareView]
    left: bool


class TranchePartView(Out, frozen=True, kw_only=True):
    owner: int
    package_id: str
    disbursement_id: str
    amount: MoneyOut


class TrancheView(Out, frozen=True, kw_only=True):
    tranche_id: str
    component_id: str
    amount: MoneyOut
    released_on: dt.date | None
    parts: list[TranchePartView]


class ScoreView(Out, frozen=True, kw_only=True):
    criterion: str
    score: int


class AssessmentView(Out, frozen=True, kw_only=True):
    scores: list[ScoreView]
    weighted: str
    pass_mark: str
    passed: bool
    reasons: str
    assessed_by: str


class VisitView(Out, frozen=True, kw_only=True):
    visit_id: str
    on: dt.date
    status: VisitStatus
    revenue: MoneyOut | None
    jobs_created: int
    notes: str
    visited_by: str


class BusinessPlanView(Out, frozen=True, kw_only=True):
    plan_id: str
    programme_id: str
    office: str
    budget_line: str
    status: PlanStatus
    sector: str
    activity: str
    country: str
    area: str
    start_date: dt.date
    grant: MoneyOut
    owners: list[OwnerView]
    items: list[ItemView]
    components: list[GrantComponentView]
    monthly_revenue: MoneyOut
    monthly_costs: MoneyOut
    own_contribution: MoneyOut
    risks: list[str]
    milestones: list[MilestoneView]
    tranches: list[TrancheView]
    assessment: AssessmentView | None
    visits: list[VisitView]
    drafted_by: str
    submitted_by: str | None
    approved_by: str | None
    approved_on: dt.date | None
    activated_on: dt.date | None
    end_reason: str | None
    version: int


class BusinessPlanPage(Out, frozen=True, kw_only=True):
    items: list[BusinessPlanView]
    next_cursor: str | None

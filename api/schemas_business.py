"""Request and response bodies of /business-plans: one msgspec Struct per operation, with
limits on every string and list (the upper bounds are the domain's own limits).

Money is `{"amount": "1500.00", "currency": "EUR"}`, as everywhere in this API.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec
from litestar.datastructures import UploadFile

from api.schemas import (
    AmountText,
    Code,
    CurrencyCode,
    FxRateView,
    Id,
    In,
    Label,
    Money,
    MoneyOut,
    Out,
    Reason,
)
from reintegrate.business.drafting import MAX_ITEMS, MAX_PARTS
from reintegrate.business.milestones import (
    MAX_MILESTONES,
    EvidenceStatus,
)
from reintegrate.business.plans import MAX_OWNERS, PlanStatus
from reintegrate.events import EvidenceKind, VisitStatus
from reintegrate.grants.disbursements import Channel
from reintegrate.kinds import Form

Text = Annotated[str, msgspec.Meta(max_length=2000)]
ShareText = Annotated[
    str,
    msgspec.Meta(
        min_length=1, max_length=8, pattern=r"^(0(\.\d{1,6})?|1(\.0{1,6})?)$", examples=["0.6"]
    ),
]
"""A share of a grant part, from 0 to 1 with at most six decimals."""
Criterion = Annotated[str, msgspec.Meta(min_length=1, max_length=64)]
Score = Annotated[int, msgspec.Meta(ge=0, le=1000)]


class OwnerIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    case_id: Id
    member_id: Id
    parts: Annotated[int, msgspec.Meta(ge=1, le=MAX_PARTS)] = 1


class ItemIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    item: Label
    form: Form
    amount: Money
    supplier: Label | None = None
    """Who is paid for an in-kind item (a cash item names none)."""


class MilestoneIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    milestone_id: Id
    title: Label
    evidence: Annotated[list[EvidenceKind], msgspec.Meta(min_length=1, max_length=10)]
    due_on: dt.date
    unlocks: Id | None = None
    """The tranche this milestone unlocks once verified."""


class TrancheIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A tranche of one grant part (`cash`, `kind-1`...): an amount in the programme's
    currency, or a share of the part (all tranches of a part the same way)."""

    tranche_id: Id
    component_id: Id
    amount: Money | None = None
    share: ShareText | None = None


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


class EvidenceUpload(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """multipart/form-data: the file (PDF, JPEG or PNG, its part's Content-Type its media
    type), its kind, and for a receipt or an invoice the amount it proves with its currency."""

    file: UploadFile
    kind: EvidenceKind
    amount: AmountText | msgspec.UnsetType = msgspec.UNSET
    currency: CurrencyCode | msgspec.UnsetType = msgspec.UNSET
    """(A form has no null: a field left out is unset.)"""


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


class ItemView(Out, frozen=True, kw_only=True):
    item: str
    form: Form
    amount: MoneyOut
    programme_amount: MoneyOut
    rate: FxRateView | None
    supplier: str | None


class ComponentView(Out, frozen=True, kw_only=True):
    component_id: str
    form: Form
    amount: MoneyOut
    supplier: str | None


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


class EvidenceView(Out, frozen=True, kw_only=True):
    evidence_id: str
    kind: EvidenceKind
    file_hash: str
    media_type: str
    size: int
    amount: MoneyOut | None
    status: EvidenceStatus
    submitted_by: str
    submitted_on: dt.date
    reason: str | None


class MilestoneView(Out, frozen=True, kw_only=True):
    milestone_id: str
    title: str
    required: list[EvidenceKind]
    due_on: dt.date
    unlocks: str | None
    evidence: list[EvidenceView]
    verified_by: str | None
    verified_on: dt.date | None


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
    components: list[ComponentView]
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

"""Request and response bodies: one msgspec Struct per operation, with limits on everything.

Money is `{"amount": "1500.00", "currency": "EUR"}`: the amount a decimal string, never a
JSON number. Unknown fields are refused.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import msgspec

from api.schemas_journal import JournalEvent
from reintegrate.cases import ReturnType, Role
from reintegrate.grants.disbursements import Channel, DisbursementStatus
from reintegrate.grants.packages import PackageStatus
from reintegrate.kinds import Category, Dimension, Form
from reintegrate.people.records import PersonStatus
from reintegrate.reasons import MAX_REASON

Id = Annotated[
    str, msgspec.Meta(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
]
Code = Annotated[str, msgspec.Meta(min_length=2, max_length=2, pattern=r"^[A-Z]{2}$")]
CurrencyCode = Annotated[str, msgspec.Meta(min_length=3, max_length=3, pattern=r"^[A-Z]{3}$")]
Label = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]
Reason = Annotated[str, msgspec.Meta(min_length=1, max_length=MAX_REASON)]
AmountText = Annotated[
    str,
    msgspec.Meta(
        min_length=1, max_length=22, pattern=r"^\d{1,15}(\.\d{1,6})?$", examples=["1500.00"]
    ),
]
RateText = Annotated[
    str, msgspec.Meta(min_length=1, max_length=25, pattern=r"^\d{1,12}(\.\d{1,12})?$")
]
Year = Annotated[int, msgspec.Meta(ge=1900, le=2200)]


class In(msgspec.Struct, forbid_unknown_fields=True, frozen=True, kw_only=True):
    pass


class Out(msgspec.Struct, frozen=True, kw_only=True):
    pass


class Money(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    amount: AmountText
    currency: CurrencyCode


class MoneyOut(Out, frozen=True, kw_only=True):
    amount: str
    currency: str


class BudgetLineIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    code: Id
    label: Label
    amount: AmountText


class ProgrammeCreate(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    programme_id: Id
    name: Label
    currency: CurrencyCode
    budget_lines: Annotated[list[BudgetLineIn], msgspec.Meta(min_length=1, max_length=50)]


class BudgetLineView(Out, frozen=True, kw_only=True):
    code: str
    available: MoneyOut
    committed: MoneyOut


class ProgrammeView(Out, frozen=True, kw_only=True):
    programme_id: str
    name: str
    currency: str
    budget_lines: list[BudgetLineView]
    policy_versions: list[str]


class ProgrammeList(Out, frozen=True, kw_only=True):
    items: list[ProgrammeView]


class AdoptedPolicyView(Out, frozen=True, kw_only=True):
    programme_id: str
    version: str
    effective_from: dt.date


class FxRateCreate(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    base: CurrencyCode
    quote: CurrencyCode
    rate: RateText
    source: Label
    valid_from: dt.date


class FxRateView(Out, frozen=True, kw_only=True):
    base: str
    quote: str
    rate: str
    source: str
    valid_from: dt.date


class FxRateList(Out, frozen=True, kw_only=True):
    items: list[FxRateView]


class MemberIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    """A member: a registered person (POST /persons) in a role of this household."""

    member_id: Id
    person_id: Id
    role: Role


class CaseCreate(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    programme_id: Id
    office: Id
    country_of_return: Code
    return_date: dt.date
    return_type: ReturnType
    members: Annotated[list[MemberIn], msgspec.Meta(min_length=1, max_length=30)]
    arrived_in_host_on: dt.date | None = None
    """When the principal arrived in the host country: only the months of stay it gives are
    kept. Give this or `stay_months`, where the policy has stay factors."""
    stay_months: Annotated[int, msgspec.Meta(ge=0, le=1200)] | None = None
    """The stay in the host country in whole months, when the arrival date is not known."""


class MemberView(Out, frozen=True, kw_only=True):
    """A member by pseudonymous ids: what the person's record holds is at /persons."""

    member_id: str
    person_id: str
    role: Role
    person_status: PersonStatus
    """`erased` once the person's data was erased."""


class CaseView(Out, frozen=True, kw_only=True):
    case_id: str
    programme_id: str
    office: str
    country_of_return: str
    return_date: dt.date
    return_type: ReturnType
    members: list[MemberView]
    version: int
    stay_months: int | None
    """Whole months of stay in the host country; null where not recorded."""


class CasePage(Out, frozen=True, kw_only=True):
    items: list[CaseView]
    next_cursor: str | None


class ComponentIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    member_id: Id
    form: Form
    category: Category
    dimension: Dimension | None = None
    amount: Money
    supplier: Label | None = None
    description: Annotated[str, msgspec.Meta(max_length=500)] = ""


class PackageCreate(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    budget_line: Id
    components: Annotated[list[ComponentIn], msgspec.Meta(min_length=1, max_length=50)]


class ComponentView(Out, frozen=True, kw_only=True):
    component_id: str
    member_id: str
    form: str
    category: str
    dimension: str
    amount: MoneyOut
    supplier: str | None
    description: str
    remaining: MoneyOut
    pending: MoneyOut
    paid: MoneyOut


class PackageView(Out, frozen=True, kw_only=True):
    package_id: str
    case_id: str
    programme_id: str
    office: str
    budget_line: str
    status: PackageStatus
    total: MoneyOut
    components: list[ComponentView]
    drafted_by: str
    submitted_by: str | None
    approved_by: str | None
    approved_on: dt.date | None
    policy_version: str | None
    reason: str | None
    version: int


class PackageList(Out, frozen=True, kw_only=True):
    items: list[PackageView]


class PackagePage(Out, frozen=True, kw_only=True):
    items: list[PackageView]
    next_cursor: str | None


class ReasonIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    reason: Reason


class DisbursementCreate(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    component_id: Id
    amount: Money
    channel: Channel
    invoice_ref: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] | None = None


class ConfirmationIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    provider_ref: Annotated[str, msgspec.Meta(min_length=1, max_length=100)] | None = None


class FailureIn(In, frozen=True, kw_only=True, forbid_unknown_fields=True):
    reason: Reason
    returned: bool = False


class DisbursementView(Out, frozen=True, kw_only=True):
    disbursement_id: str
    package_id: str
    """Empty for a payment of a community project's tranche (`project_id`)."""
    component_id: str
    """The package's component, or the part of the project that the tranche pays."""
    case_id: str
    """Empty for a payment of a community project's tranche."""
    status: DisbursementStatus
    channel: Channel
    payee: str
    invoice_ref: str | None
    amount: MoneyOut
    programme_amount: MoneyOut
    """What the payment is booked at in the programme currency: its exact value at `rate`,
    rounded up to the minor unit, so that rounding never lets payments creep over a cap."""
    programme_amount_exact: str | None
    """The exact value at `rate`, before that rounding (to 10 decimals where it does not end
    sooner); null for a payment in the programme currency."""
    rate: FxRateView | None
    requested_on: dt.date
    requested_by: str
    approved_by: str | None
    confirmed_by: str | None
    provider_ref: str | None
    reason: str | None
    version: int
    project_id: str | None = None
    """The community project whose tranche this pays (paid by bank transfer into the
    payee's sealed account, which no view shows)."""
    tranche_id: str | None = None


class DisbursementPage(Out, frozen=True, kw_only=True):
    items: list[DisbursementView]
    next_cursor: str | None


class DisbursementList(Out, frozen=True, kw_only=True):
    items: list[DisbursementView]


class LineView(Out, frozen=True, kw_only=True):
    label: str
    amount: MoneyOut
    cash: MoneyOut
    stage: str
    reason: str


class PersonEntitlementView(Out, frozen=True, kw_only=True):
    member_id: str
    role: str
    age: int
    age_band: str | None
    lines: list[LineView]
    top_ups: list[LineView]
    excluded: str | None
    total: MoneyOut
    cash: MoneyOut
    """Most of `total` this person may get in cash; the rest only in kind."""
    in_kind_only: MoneyOut
    """What of `total` may be paid in kind only (`total` - `cash`)."""
    cash_reason: str
    use: PersonUseView | None = None
    """Once the case is granted: the person's limits as granted, with what approved packages
    (and counted community shares) use of them."""


class PersonUseView(Out, frozen=True, kw_only=True):
    total: MoneyOut
    used: MoneyOut
    left: MoneyOut
    """What is left of `total`: all of it may still be approved in kind."""
    cash: MoneyOut | None
    """The person's cash limit; null for cases granted before cash was limited per person."""
    cash_used: MoneyOut
    cash_left: MoneyOut | None
    """What may still be approved in cash: left of `cash`, within `left`."""
    in_kind_used: MoneyOut


class StageView(Out, frozen=True, kw_only=True):
    stage: str
    opens_on: dt.date
    amount: MoneyOut
    """What this stage adds to what may be paid."""
    cash: MoneyOut
    """Of `amount`, the cash parts of the stage's lines (within `amount`)."""
    cumulative: MoneyOut
    cash_cumulative: MoneyOut
    """What this stage and the earlier ones allow in cash (the sum of their `cash`), within the
    cash ceiling: cash is not paid early on a later stage's cash lines, nor on an earlier
    stage's in-kind lines."""
    persons: dict[str, MoneyOut]
    """What this stage and the earlier ones allow each member, within their total."""
    persons_cash: dict[str, MoneyOut]
    """Of that, what each member may be paid in cash, within their cash limit."""
    use: StageUseView | None = None
    """Once the case is granted: what payments asked or paid use of the stage as granted,
    earliest stage first."""


class StageUseView(Out, frozen=True, kw_only=True):
    opened: bool
    """Whether the stage is open on the day asked (`as_of`)."""
    amount: MoneyOut
    used: MoneyOut
    left: MoneyOut
    cash: MoneyOut | None
    """What the stage adds in cash; null for cases granted before cash was limited per stage."""
    cash_used: MoneyOut
    cash_left: MoneyOut | None


class CapView(Out, frozen=True, kw_only=True):
    limit: str
    """The cap's name in English, the same in every language (as a refusal's `limit`)."""
    label: str
    """The cap's name in the caller's language."""
    size: MoneyOut
    used: MoneyOut
    remaining: MoneyOut
    individual: MoneyOut
    """Of `used`, what the case's own packages take."""
    community: MoneyOut
    """Of `used`, what community projects' per-capita shares take."""


class CommunityShareView(Out, frozen=True, kw_only=True):
    project_id: str
    member_id: str
    amount: MoneyOut


class EntitlementView(Out, frozen=True, kw_only=True):
    case_id: str
    programme_id: str
    policy_version: str
    as_of: dt.date
    granted: bool
    eligible: bool
    reasons: list[str]
    country_category: str | None
    persons: list[PersonEntitlementView]
    household_add_ons: list[LineView]
    before_household_cap: MoneyOut
    household_cap: MoneyOut | None
    top_ups: MoneyOut
    total: MoneyOut
    cash_ceiling: MoneyOut
    cash_ceiling_reason: str
    window_end: dt.date
    stages: list[StageView]
    caps: list[CapView]
    community_shares: list[CommunityShareView]
    """Each member's per-capita share of a community project counted against their caps."""


class JournalEntryView(Out, frozen=True, kw_only=True):
    seq: int
    at: dt.datetime
    actor: str
    type: str
    event: JournalEvent
    """The event as it was hashed: its `type` says which event struct it is."""
    prev_hash: str
    hash: str


class JournalPage(Out, frozen=True, kw_only=True):
    items: list[JournalEntryView]
    next_cursor: str | None


class Problem(Out, frozen=True, kw_only=True, omit_defaults=True):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    field: str | None = None
    limit: str | None = None
    size: str | None = None
    used: str | None = None
    requested: str | None = None
    currency: str | None = None

"""Events of programmes, cases, packages and disbursements.

Events carry ids and amounts (integer minor units), never personal data: people are named
by their case-local `member_id`. Each event is self-contained, so that the ledger postings
and the projections can be rebuilt from the journal alone.
"""

from __future__ import annotations

import datetime as dt

import msgspec

from reintegrate.cases import ReturnType, Role
from reintegrate.kinds import Category, Dimension, Form
from reintegrate.money import FxRate
from reintegrate.notes import Note, Text


class _Event(msgspec.Struct, frozen=True, kw_only=True, tag=True):
    pass


class BudgetLine(msgspec.Struct, frozen=True, kw_only=True):
    code: str
    label: str
    amount: int


class ProgrammeCreated(_Event, frozen=True):
    programme_id: str
    name: str
    currency: str
    budget_lines: tuple[BudgetLine, ...]


class BudgetLineFunded(_Event, frozen=True):
    programme_id: str
    line: str
    amount: int


class PolicyAdopted(_Event, frozen=True):
    programme_id: str
    version: str
    effective_from: dt.date
    document: bytes
    """The policy as canonical JSON."""


class FxRateRecorded(_Event, frozen=True):
    rate: FxRate


class MemberRef(msgspec.Struct, frozen=True, kw_only=True, omit_defaults=True):
    member_id: str
    role: Role
    person_id: str | None = None
    """The registered person (left out of the JSON when absent: cases registered before the
    person registry hash as they did)."""


class CaseRegistered(_Event, frozen=True):
    case_id: str
    programme_id: str
    office: str
    country_of_return: str
    return_date: dt.date
    return_type: ReturnType
    members: tuple[MemberRef, ...]
    stay_months: int | None = None


class GrantStage(msgspec.Struct, frozen=True, kw_only=True):
    stage: str
    opens_on: dt.date
    cumulative: int
    cash_cumulative: int | None = None
    """What this stage and the earlier ones open in cash; None in grants made before cash was
    limited per stage (their cash is bounded by the caps only)."""
    persons: dict[str, int] | None = None
    """What this stage and the earlier ones open for each member; None in grants made before
    stages were limited per person."""
    persons_cash: dict[str, int] | None = None
    """Of that, what each member may be paid in cash."""


class EntitlementGranted(_Event, frozen=True):
    """The caps of a case, fixed at its first approval under the policy version then in force."""

    case_id: str
    programme_id: str
    policy_version: str
    as_of: dt.date
    household: int
    cash: int
    persons: dict[str, int]
    stages: tuple[GrantStage, ...]
    window_end: dt.date
    persons_cash: dict[str, int] | None = None
    """Each member's cash limit; None in grants made before cash was limited per person (their
    members' cash is bounded by the household's cash ceiling only)."""


class EntitlementRevised(_Event, frozen=True):
    """The caps of a granted case recomputed, under the version and day they were granted
    on, after a correction of a member's person record; each cap moves by the difference."""

    case_id: str
    programme_id: str
    person_id: str
    household: int
    cash: int
    persons: dict[str, int]
    stages: tuple[GrantStage, ...]
    previous_household: int
    previous_cash: int
    previous_persons: dict[str, int]
    persons_cash: dict[str, int] | None = None
    previous_persons_cash: dict[str, int] | None = None


class ComponentSpec(msgspec.Struct, frozen=True, kw_only=True):
    component_id: str
    member_id: str
    form: Form
    category: Category
    dimension: Dimension
    amount: int
    supplier: Text | None = None
    description: Text = ""


class PackageDrafted(_Event, frozen=True, omit_defaults=True):
    package_id: str
    case_id: str
    programme_id: str
    office: str
    budget_line: str
    currency: str
    components: tuple[ComponentSpec, ...]
    plan_id: str | None = None
    """The business plan whose grant this package carries (its owner's share), if any.
    Left out of the JSON when absent, so entries written before plans existed hash alike."""


class PackageSubmitted(_Event, frozen=True):
    package_id: str


class Draw(msgspec.Struct, frozen=True, kw_only=True):
    """An amount of one component drawn from (or released back to) the caps."""

    component_id: str
    member_id: str
    cash: bool
    amount: int
    person_cash: bool = False
    """Whether a cash draw also draws on the member's own cash limit (every package of a
    case granted with limits per person; False in journals written before them)."""


class PackageApproved(_Event, frozen=True):
    package_id: str
    case_id: str
    programme_id: str
    budget_line: str
    policy_version: str
    on: dt.date
    draws: tuple[Draw, ...]


class PackageRejected(_Event, frozen=True):
    package_id: str
    reason: Text


class PackageCancelled(_Event, frozen=True):
    package_id: str
    case_id: str
    programme_id: str
    budget_line: str
    reason: Text
    released: tuple[Draw, ...] = ()


class PackageClosed(_Event, frozen=True):
    package_id: str
    case_id: str
    programme_id: str
    budget_line: str
    released: tuple[Draw, ...] = ()


class DisbursementRequested(_Event, frozen=True):
    disbursement_id: str
    package_id: str
    component_id: str
    case_id: str
    programme_id: str
    channel: str
    payee: str | Note
    invoice_ref: Text | None
    amount: int
    currency: str
    programme_amount: int
    rate: FxRate | None
    on: dt.date


class DisbursementApproved(_Event, frozen=True):
    disbursement_id: str


class DisbursementPaid(_Event, frozen=True):
    disbursement_id: str
    package_id: str
    component_id: str
    programme_id: str
    amount: int
    on: dt.date
    provider_ref: str | None = None


class DisbursementFailed(_Event, frozen=True):
    """Not delivered (`returned` when the provider sent the money back)."""

    disbursement_id: str
    package_id: str
    component_id: str
    programme_id: str
    amount: int
    reason: Text
    returned: bool = False


class DisbursementReversed(_Event, frozen=True):
    """A confirmed payment undone: the money came back or the confirmation was wrong."""

    disbursement_id: str
    package_id: str
    component_id: str
    programme_id: str
    amount: int
    reason: Text


class ComponentsIncreased(_Event, frozen=True):
    """More of some components of an approved package: its caps and budget line give it up
    (a group business's owner taking over a departing owner's share)."""

    package_id: str
    case_id: str
    programme_id: str
    budget_line: str
    draws: tuple[Draw, ...]
    reason: Text


class ComponentsReleased(_Event, frozen=True):
    """Less of some components of an approved package: the amounts go back to its caps and
    budget line (a business plan's unreleased tranches cancelled, an owner leaving)."""

    package_id: str
    case_id: str
    programme_id: str
    budget_line: str
    released: tuple[Draw, ...]
    reason: Text

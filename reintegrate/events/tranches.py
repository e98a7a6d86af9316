"""Events of milestone-gated tranches, the same for every grant paid in tranches (a business
plan or a community project): what its budget, milestones and tranches are when drafted, and
the evidence submitted for a milestone, its verification or the rejection of that evidence.

An event names its grant by kind and id (`grant`, `grant_id`), so one set of events serves
both kinds of grant. Journals written before keep their own event types for the same facts;
`reintegrate.events.legacy` reads those as these.
"""

from __future__ import annotations

import datetime as dt
import enum

import msgspec

from reintegrate.events.core import _Event
from reintegrate.kinds import Form
from reintegrate.money import FxRate
from reintegrate.notes import Text


class GrantKind(enum.StrEnum):
    """The kinds of grant paid in tranches against verified milestones."""

    BUSINESS_PLAN = "business_plan"
    COMMUNITY_PROJECT = "community_project"


class EvidenceKind(enum.StrEnum):
    RECEIPT = "receipt"
    INVOICE = "invoice"
    PHOTO = "photo"
    REGISTRATION_CERTIFICATE = "registration_certificate"
    MONITORING_REPORT = "monitoring_report"


PAYMENT_PROOFS = (EvidenceKind.RECEIPT, EvidenceKind.INVOICE)
"""Evidence that carries the amount it proves was spent."""


class BudgetItem(msgspec.Struct, frozen=True, kw_only=True):
    item: Text
    form: Form
    amount: int
    currency: str
    programme_amount: int
    """The amount in the programme currency, booked at `rate` (rounded up) when drafted."""
    rate: FxRate | None = None
    supplier: Text | None = None


class MilestoneSpec(msgspec.Struct, frozen=True, kw_only=True):
    milestone_id: str
    title: Text
    evidence: tuple[EvidenceKind, ...]
    due_on: dt.date
    unlocks: str | None = None
    """The tranche this milestone unlocks once verified, if any."""


class TrancheSpec(msgspec.Struct, frozen=True, kw_only=True):
    tranche_id: str
    component_id: str
    """Which part of the grant it pays: the cash, or the in-kind goods of one supplier."""
    amount: int


class PlanComponent(msgspec.Struct, frozen=True, kw_only=True):
    """One part of a grant: its cash, or the in-kind goods of one supplier. A business plan
    pays it from the component of the same id in each owner's package."""

    component_id: str
    form: Form
    amount: int
    supplier: Text | None = None


class GrantEvidenceSubmitted(_Event, frozen=True):
    grant: GrantKind
    grant_id: str
    milestone_id: str
    evidence_id: str
    kind: EvidenceKind
    file_hash: str
    media_type: str
    size: int
    on: dt.date
    amount: int | None = None
    """For a receipt or an invoice: what it proves was spent, in the programme currency."""


class GrantMilestoneVerified(_Event, frozen=True):
    """The milestone's pending evidence is accepted; the tranche it unlocks may be paid."""

    grant: GrantKind
    grant_id: str
    milestone_id: str
    on: dt.date


class GrantMilestoneRejected(_Event, frozen=True):
    """The milestone's pending evidence is refused; new evidence must be submitted."""

    grant: GrantKind
    grant_id: str
    milestone_id: str
    reason: Text


MilestoneEvent = GrantEvidenceSubmitted | GrantMilestoneVerified | GrantMilestoneRejected

"""Events of business plans: drafting, assessment, approval, tranches, monitoring visits,
owners leaving, and the plan's end (evidence and milestones: `events.tranches`).

A plan's money moves through its owners' packages (one per owner, drafted when the plan is
submitted): the package events recorded beside these draw and give back the caps.
"""

from __future__ import annotations

import datetime as dt
import enum

import msgspec

from reintegrate.events.core import _Event
from reintegrate.events.tranches import BudgetItem, MilestoneSpec, PlanComponent, TrancheSpec
from reintegrate.notes import Text


class VisitStatus(enum.StrEnum):
    OPERATING = "operating"
    STRUGGLING = "struggling"
    CLOSED = "closed"


class PlanEnd(enum.StrEnum):
    COMPLETED = "completed"
    FAILED = "failed"
    ABANDONED = "abandoned"


class Sum(msgspec.Struct, frozen=True, kw_only=True):
    """An amount in minor units of a currency (revenue, costs, own contribution)."""

    amount: int
    currency: str


class Owner(msgspec.Struct, frozen=True, kw_only=True):
    """A returnee owning the business: a member of a case, with a number of parts."""

    case_id: str
    member_id: str
    parts: int


class Allotment(msgspec.Struct, frozen=True, kw_only=True):
    """How much of one part of the grant one owner receives."""

    owner: int
    """The owner's position in the plan."""
    component_id: str
    amount: int


class BusinessPlanDrafted(_Event, frozen=True):
    plan_id: str
    programme_id: str
    office: str
    budget_line: str
    currency: str
    owners: tuple[Owner, ...]
    sector: str
    activity: Text
    country: str
    area: Text
    start_date: dt.date
    items: tuple[BudgetItem, ...]
    components: tuple[PlanComponent, ...]
    allotments: tuple[Allotment, ...]
    monthly_revenue: Sum
    monthly_costs: Sum
    own_contribution: Sum
    risks: tuple[Text, ...]
    milestones: tuple[MilestoneSpec, ...]
    tranches: tuple[TrancheSpec, ...]


class BusinessPlanSubmitted(_Event, frozen=True):
    plan_id: str
    packages: tuple[str, ...]
    """The owners' packages drafted with it, in the order of the owners."""


class Score(msgspec.Struct, frozen=True, kw_only=True):
    criterion: str
    score: int


class BusinessPlanAssessed(_Event, frozen=True):
    plan_id: str
    scores: tuple[Score, ...]
    weighted: str
    """The weighted score, a decimal string out of the policy's maximum."""
    pass_mark: str
    passed: bool
    reasons: Text


class BusinessPlanApproved(_Event, frozen=True):
    plan_id: str
    on: dt.date


class BusinessPlanActivated(_Event, frozen=True):
    plan_id: str
    on: dt.date


class TranchePart(msgspec.Struct, frozen=True, kw_only=True):
    owner: int
    """The owner's position in the plan."""
    package_id: str
    disbursement_id: str
    amount: int


class TrancheReleased(_Event, frozen=True):
    plan_id: str
    tranche_id: str
    parts: tuple[TranchePart, ...]
    on: dt.date


class TranchePartRepaid(_Event, frozen=True):
    """An owner's part of a released tranche is asked for again, its payment having failed,
    come back or been reversed; `disbursement_id` is the new payment."""

    plan_id: str
    tranche_id: str
    owner: int
    replaces: str
    disbursement_id: str


class VisitRecorded(_Event, frozen=True):
    plan_id: str
    visit_id: str
    on: dt.date
    status: VisitStatus
    revenue: Sum | None
    jobs_created: int
    notes: Text


class OwnerLeft(_Event, frozen=True):
    """An owner leaves a group business; their unreleased share is reallocated to the other
    owners (`reallocated` true) or given back to their caps, and the tranches shrink."""

    plan_id: str
    owner: int
    reallocated: bool
    tranches: tuple[TrancheSpec, ...]
    """Every tranche's amount after the departure (released ones unchanged)."""
    allotments: tuple[Allotment, ...]
    """Every owner's allotment after the departure (the leaver's: what was released)."""
    reason: Text


class BusinessPlanEnded(_Event, frozen=True):
    plan_id: str
    end: PlanEnd
    reason: Text
    on: dt.date

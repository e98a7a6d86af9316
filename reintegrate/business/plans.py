"""Business plans: a returnee's (or a group's) microbusiness and the grant that starts it.

draft -> submitted -> assessed -> approved -> active -> completed | failed | abandoned.
The grant is made of parts (`PlanComponent`): the cash, and the in-kind goods of each
supplier. Each owner is allotted a share of every part in proportion to their `parts`; the
allotments add up to the grant exactly. When the plan is submitted each owner gets a package
carrying their allotment; approving the plan approves those packages, so the grant draws on
each owner's entitlement, household cap, cash ceiling and the budget line like any package.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from decimal import Decimal
from typing import ClassVar

import msgspec

from reintegrate import events as ev
from reintegrate.entitlement import add_months
from reintegrate.errors import (
    DomainError,
    InvalidTransition,
    ValidationFailed,
)
from reintegrate.four_eyes import require_another_person
from reintegrate.money import allocate
from reintegrate.notes import Text as FreeText
from reintegrate.policy_business import BusinessRules
from reintegrate.texts import Text
from reintegrate.tranches.grant import STEP_WORDS, Step
from reintegrate.tranches.milestones import Milestone
from reintegrate.tranches.release import Tranche, tranche

MAX_OWNERS = 20


class NoBusinessRules(DomainError):
    type = "no-business-rules"


class AssessmentFailed(DomainError):
    type = "assessment-failed"


class PlanStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    ASSESSED = "assessed"
    APPROVED = "approved"
    ACTIVE = "active"
    COMPLETED = "completed"
    FAILED = "failed"
    ABANDONED = "abandoned"


PLAN_STATUS_WORDS: Mapping[PlanStatus, Text] = {
    PlanStatus.DRAFT: Text("draft"),
    PlanStatus.SUBMITTED: Text("submitted"),
    PlanStatus.ASSESSED: Text("assessed"),
    PlanStatus.APPROVED: Text("approved"),
    PlanStatus.ACTIVE: Text("active"),
    PlanStatus.COMPLETED: Text("completed"),
    PlanStatus.FAILED: Text("failed"),
    PlanStatus.ABANDONED: Text("abandoned"),
}
"""A business plan's status as said in a sentence."""

ENDED = (PlanStatus.COMPLETED, PlanStatus.FAILED, PlanStatus.ABANDONED)
FUNDED = (PlanStatus.APPROVED, PlanStatus.ACTIVE)
TAKING_EVIDENCE = (PlanStatus.SUBMITTED, PlanStatus.ASSESSED, *FUNDED)
"""While evidence may be added to a plan's milestones and decided on (never once it ended)."""


class OwnerState(msgspec.Struct, frozen=True, kw_only=True):
    case_id: str
    member_id: str
    parts: int
    package_id: str | None = None
    allotted: dict[str, int] = msgspec.field(default_factory=dict)
    """Per grant part (component id): what this owner receives in all."""
    tranched: dict[str, int] = msgspec.field(default_factory=dict)
    """Per grant part: what released tranches have asked to pay this owner so far."""
    left: bool = False

    def still_owed(self, component_id: str) -> int:
        return self.allotted.get(component_id, 0) - self.tranched.get(component_id, 0)


class Assessment(msgspec.Struct, frozen=True, kw_only=True):
    scores: tuple[ev.Score, ...]
    weighted: str
    pass_mark: str
    passed: bool
    reasons: FreeText
    assessed_by: str


class Visit(msgspec.Struct, frozen=True, kw_only=True):
    visit_id: str
    on: dt.date
    status: ev.VisitStatus
    revenue: ev.Sum | None
    jobs_created: int
    notes: FreeText
    visited_by: str


class BusinessPlan(msgspec.Struct, frozen=True, kw_only=True):
    plan_id: str
    programme_id: str
    office: str
    budget_line: str
    currency: str
    owners: tuple[OwnerState, ...]
    sector: str
    activity: FreeText
    country: str
    area: FreeText
    start_date: dt.date
    items: tuple[ev.BudgetItem, ...]
    components: tuple[ev.PlanComponent, ...]
    monthly_revenue: ev.Sum
    monthly_costs: ev.Sum
    own_contribution: ev.Sum
    risks: tuple[FreeText, ...]
    milestones: tuple[Milestone, ...]
    tranches: tuple[Tranche, ...]
    status: PlanStatus
    drafted_by: str
    submitted_by: str | None = None
    assessment: Assessment | None = None
    approved_by: str | None = None
    approved_on: dt.date | None = None
    activated_on: dt.date | None = None
    visits: tuple[Visit, ...] = ()
    end_reason: FreeText | None = None
    version: int = 1

    @property
    def grant(self) -> int:
        return sum(c.amount for c in self.components)

    @property
    def case_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(o.case_id for o in self.owners))

    def tranche(self, tranche_id: str) -> Tranche:
        return tranche(self.tranches, tranche_id)

    grant_kind: ClassVar[ev.GrantKind] = ev.GrantKind.BUSINESS_PLAN

    @property
    def grant_id(self) -> str:
        return self.plan_id

    def require_open(self, step: Step) -> None:
        """Evidence is taken from submission to the end; milestones are verified once funded."""
        require(self, FUNDED if step is Step.VERIFY else TAKING_EVIDENCE, STEP_WORDS[step])


def require(plan: BusinessPlan, allowed: tuple[PlanStatus, ...], action: Text) -> None:
    if plan.status not in allowed:
        raise InvalidTransition(
            Text(
                "cannot {action} business plan {plan_id}: it is {status}",
                action=action,
                plan_id=plan.plan_id,
                status=PLAN_STATUS_WORDS[plan.status],
            ),
            field="status",
            details={"status": plan.status.value, "allowed": [s.value for s in allowed]},
        )


def rules_of(rules: BusinessRules | None, programme_id: str) -> BusinessRules:
    if rules is None:
        raise NoBusinessRules(
            Text(
                "the policy in force for programme {programme_id} has no [business] rules: "
                "it funds no business plans",
                programme_id=programme_id,
            ),
            field="programme_id",
        )
    return rules


def allot(components: tuple[ev.PlanComponent, ...], parts: list[int]) -> tuple[ev.Allotment, ...]:
    """Every owner's share of every grant part, by largest remainder: exact to the minor unit."""
    return tuple(
        ev.Allotment(owner=owner, component_id=c.component_id, amount=amount)
        for c in components
        for owner, amount in enumerate(allocate(c.amount, parts))
    )


def scores_by_criterion(scores: list[tuple[str, int]]) -> dict[str, int]:
    """Scores given as (criterion, score) pairs, each criterion once."""
    found: dict[str, int] = {}
    for n, (criterion, score) in enumerate(scores):
        if criterion in found:
            raise ValidationFailed(
                Text("criterion '{criterion}' is scored twice", criterion=criterion),
                field=f"scores[{n}].criterion",
            )
        found[criterion] = score
    return found


def assess(
    plan: BusinessPlan,
    actor: str,
    scores: dict[str, int],
    reasons: str,
    rules: BusinessRules,
) -> ev.BusinessPlanAssessed:
    """Score every criterion of the policy; the assessor is neither author nor submitter."""
    require(plan, (PlanStatus.SUBMITTED,), Text("assess"))
    require_another_person(
        actor,
        (plan.drafted_by, plan.submitted_by),
        did=Text("drafted or submitted business plan {plan_id}", plan_id=plan.plan_id),
        cannot=Text("assess it"),
    )
    names = {c.name for c in rules.criteria}
    unknown = sorted(set(scores) - names)
    missing = sorted(names - set(scores))
    if unknown or missing:
        raise ValidationFailed(
            Text(
                "score every criterion of the policy once: missing {missing}, unknown {unknown}",
                missing=", ".join(missing) if missing else Text("none"),
                unknown=", ".join(unknown) if unknown else Text("none"),
            ),
            field="scores",
            details={"missing": missing, "unknown": unknown},
        )
    for name, score in scores.items():
        if not 0 <= score <= rules.max_score:
            raise ValidationFailed(
                Text(
                    "score of '{name}' is {score}; scores run from 0 to {most}",
                    name=name,
                    score=score,
                    most=rules.max_score,
                ),
                field=f"scores.{name}",
            )
    if not reasons.strip():
        raise ValidationFailed(Text("an assessment states its reasons"), field="reasons")
    total_weight = sum(c.weight for c in rules.criteria)
    weighted = Decimal(sum(c.weight * scores[c.name] for c in rules.criteria)) / total_weight
    weighted = weighted.quantize(Decimal("0.01"))
    return ev.BusinessPlanAssessed(
        plan_id=plan.plan_id,
        scores=tuple(ev.Score(criterion=c.name, score=scores[c.name]) for c in rules.criteria),
        weighted=str(weighted),
        pass_mark=rules.pass_mark,
        passed=weighted >= rules.pass_mark_value(),
        reasons=reasons.strip(),
    )


def check_approvable(plan: BusinessPlan, actor: str) -> None:
    require(plan, (PlanStatus.ASSESSED,), Text("approve"))
    assert plan.assessment is not None
    if not plan.assessment.passed:
        raise AssessmentFailed(
            Text(
                "business plan {plan_id} scored {score}, below the pass mark {pass_mark}",
                plan_id=plan.plan_id,
                score=Decimal(plan.assessment.weighted),
                pass_mark=Decimal(plan.assessment.pass_mark),
            ),
            field="assessment",
        )
    require_another_person(
        actor,
        (plan.drafted_by, plan.submitted_by),
        did=Text("drafted or submitted business plan {plan_id}", plan_id=plan.plan_id),
        cannot=Text("approve it"),
    )


def activate(plan: BusinessPlan, today: dt.date) -> ev.BusinessPlanActivated:
    require(plan, (PlanStatus.APPROVED,), Text("activate"))
    return ev.BusinessPlanActivated(plan_id=plan.plan_id, on=today)


def window_end(plan: BusinessPlan, rules: BusinessRules) -> dt.date:
    """The last day a tranche of the plan may be released."""
    return add_months(plan.start_date, rules.window_months)

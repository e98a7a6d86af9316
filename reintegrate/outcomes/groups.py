"""How a person's assistance is classified for the evidence: one group per axis.

The facts come from the records of the case the survey is about (the person's case in the
programme with the survey's return date): its packages' components, its members' shares in
community projects, the business plans its packages belong to, the respondent's record.

- form: cash_only, in_kind_only, mixed, none (the components of granted packages)
- level: individual, community, both, none (granted packages; shares in approved projects)
- business_plan: none, active, completed, failed (the plans the case's packages belong to)
- vulnerability: vulnerable, not_vulnerable, unknown (the respondent's record)
- time_since_return: 0-5, 6-11, 12-23, 24+ (whole months from return to answer)
"""

from __future__ import annotations

import datetime as dt
import enum

import msgspec

from reintegrate.business.plans import PlanStatus
from reintegrate.community.projects import ProjectStatus
from reintegrate.grants.packages import PackageStatus
from reintegrate.kinds import Form


class Axis(enum.StrEnum):
    FORM = "form"
    LEVEL = "level"
    BUSINESS_PLAN = "business_plan"
    VULNERABILITY = "vulnerability"
    TIME_SINCE_RETURN = "time_since_return"


class AssistanceForm(enum.StrEnum):
    CASH_ONLY = "cash_only"
    IN_KIND_ONLY = "in_kind_only"
    MIXED = "mixed"
    NONE = "none"


class Level(enum.StrEnum):
    INDIVIDUAL = "individual"
    COMMUNITY = "community"
    BOTH = "both"
    NONE = "none"


class PlanOutcome(enum.StrEnum):
    NONE = "none"
    ACTIVE = "active"
    COMPLETED = "completed"
    FAILED = "failed"


class Vulnerable(enum.StrEnum):
    VULNERABLE = "vulnerable"
    NOT_VULNERABLE = "not_vulnerable"
    UNKNOWN = "unknown"


class SinceReturn(enum.StrEnum):
    UNDER_6 = "0-5"
    UNDER_12 = "6-11"
    UNDER_24 = "12-23"
    LATER = "24+"


GROUPS: dict[Axis, tuple[str, ...]] = {
    Axis.FORM: tuple(AssistanceForm),
    Axis.LEVEL: tuple(Level),
    Axis.BUSINESS_PLAN: tuple(PlanOutcome),
    Axis.VULNERABILITY: tuple(Vulnerable),
    Axis.TIME_SINCE_RETURN: tuple(SinceReturn),
}
"""Every group of each axis, in the order they are shown: every one is always answered."""

GRANTED = frozenset({PackageStatus.APPROVED, PackageStatus.ACTIVE, PackageStatus.CLOSED})
"""A package's assistance counts once it was approved (closed packages were paid out)."""
JOINED = frozenset({ProjectStatus.APPROVED, ProjectStatus.ACTIVE, ProjectStatus.COMPLETED})
"""A share in a community project counts once the project was approved."""


class CaseAssistance(msgspec.Struct, frozen=True, kw_only=True):
    """What the records say of the assistance of the case a survey is about."""

    components: tuple[tuple[PackageStatus, Form], ...] = ()
    """Each package component's package status and form."""
    projects: tuple[ProjectStatus, ...] = ()
    """The status of each community project a member of the case has a share in."""
    plans: tuple[PlanStatus, ...] = ()
    """The status of each business plan a package of the case belongs to."""
    vulnerable: bool | None = None
    """Whether the respondent's record lists a vulnerability; None when it cannot be read."""


def form_of(assistance: CaseAssistance) -> AssistanceForm:
    forms = {form for status, form in assistance.components if status in GRANTED}
    if forms == {Form.CASH}:
        return AssistanceForm.CASH_ONLY
    if forms == {Form.IN_KIND}:
        return AssistanceForm.IN_KIND_ONLY
    return AssistanceForm.MIXED if forms else AssistanceForm.NONE


def level_of(assistance: CaseAssistance) -> Level:
    individual = any(status in GRANTED for status, _ in assistance.components)
    community = any(status in JOINED for status in assistance.projects)
    if individual and community:
        return Level.BOTH
    if individual:
        return Level.INDIVIDUAL
    return Level.COMMUNITY if community else Level.NONE


def plan_outcome_of(assistance: CaseAssistance) -> PlanOutcome:
    """A completed plan first, then a failed or abandoned one, then one funded and running;
    a plan never approved (draft, submitted, assessed) is none."""
    statuses = set(assistance.plans)
    if PlanStatus.COMPLETED in statuses:
        return PlanOutcome.COMPLETED
    if statuses & {PlanStatus.FAILED, PlanStatus.ABANDONED}:
        return PlanOutcome.FAILED
    if statuses & {PlanStatus.APPROVED, PlanStatus.ACTIVE}:
        return PlanOutcome.ACTIVE
    return PlanOutcome.NONE


def vulnerability_of(assistance: CaseAssistance) -> Vulnerable:
    if assistance.vulnerable is None:
        return Vulnerable.UNKNOWN
    return Vulnerable.VULNERABLE if assistance.vulnerable else Vulnerable.NOT_VULNERABLE


def months_between(returned_on: dt.date, answered_on: dt.date) -> int:
    """Whole months from the return to the answer (a month is complete on the same day)."""
    months = (answered_on.year - returned_on.year) * 12 + answered_on.month - returned_on.month
    return max(0, months - (answered_on.day < returned_on.day))


def since_return(returned_on: dt.date, answered_on: dt.date) -> SinceReturn:
    months = months_between(returned_on, answered_on)
    if months < 6:
        return SinceReturn.UNDER_6
    if months < 12:
        return SinceReturn.UNDER_12
    return SinceReturn.UNDER_24 if months < 24 else SinceReturn.LATER


def groups_of(
    assistance: CaseAssistance, returned_on: dt.date, answered_on: dt.date
) -> dict[Axis, str]:
    """The group of a response on every axis."""
    return {
        Axis.FORM: form_of(assistance),
        Axis.LEVEL: level_of(assistance),
        Axis.BUSINESS_PLAN: plan_outcome_of(assistance),
        Axis.VULNERABILITY: vulnerability_of(assistance),
        Axis.TIME_SINCE_RETURN: since_return(returned_on, answered_on),
    }


def cohort_of(returned_on: dt.date) -> str:
    """The cohort of a return: its month, `YYYY-MM`."""
    return f"{returned_on.year:04d}-{returned_on.month:02d}"

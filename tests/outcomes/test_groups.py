"""Each response's assistance is classified on five axes from its case's records."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import msgspec
import pytest

from reintegrate.business.plans import PlanStatus as P
from reintegrate.community.projects import ProjectStatus as C
from reintegrate.errors import ValidationFailed
from reintegrate.grants.packages import PackageStatus as S
from reintegrate.kinds import Form
from reintegrate.outcomes.groups import (
    CaseAssistance,
    form_of,
    level_of,
    months_between,
    plan_outcome_of,
    since_return,
    vulnerability_of,
)
from reintegrate.outcomes.observations import Facts, of_response
from tests.outcomes.builders import response


@pytest.mark.parametrize(
    ("components", "form"),
    [
        ((), "none"),
        (((S.APPROVED, Form.CASH),), "cash_only"),
        (((S.CLOSED, Form.CASH), (S.ACTIVE, Form.CASH)), "cash_only"),
        (((S.ACTIVE, Form.IN_KIND),), "in_kind_only"),
        (((S.ACTIVE, Form.IN_KIND), (S.APPROVED, Form.CASH)), "mixed"),
        (((S.ACTIVE, Form.IN_KIND), (S.DRAFT, Form.CASH)), "in_kind_only"),
        (((S.REJECTED, Form.CASH), (S.CANCELLED, Form.IN_KIND)), "none"),
        (((S.SUBMITTED, Form.CASH),), "none"),
    ],
)
def test_the_form_counts_only_granted_packages(
    components: tuple[tuple[S, Form], ...], form: str
) -> None:
    assert form_of(CaseAssistance(components=components)) == form


@pytest.mark.parametrize(
    ("components", "projects", "level"),
    [
        ((), (), "none"),
        (((S.ACTIVE, Form.CASH),), (), "individual"),
        ((), (C.APPROVED,), "community"),
        ((), (C.COMPLETED,), "community"),
        (((S.CLOSED, Form.IN_KIND),), (C.ACTIVE,), "both"),
        (((S.DRAFT, Form.CASH),), (C.DRAFT, C.REJECTED, C.SUBMITTED), "none"),
        (((S.APPROVED, Form.CASH),), (C.ABANDONED,), "individual"),
    ],
)
def test_the_level_says_whether_help_went_to_the_household_the_community_or_both(
    components: tuple[tuple[S, Form], ...], projects: tuple[C, ...], level: str
) -> None:
    assert level_of(CaseAssistance(components=components, projects=projects)) == level


@pytest.mark.parametrize(
    ("plans", "outcome"),
    [
        ((), "none"),
        ((P.DRAFT, P.SUBMITTED, P.ASSESSED), "none"),
        ((P.APPROVED,), "active"),
        ((P.ACTIVE,), "active"),
        ((P.COMPLETED,), "completed"),
        ((P.FAILED,), "failed"),
        ((P.ABANDONED,), "failed"),
        ((P.FAILED, P.ACTIVE), "failed"),
        ((P.FAILED, P.COMPLETED), "completed"),
    ],
)
def test_the_business_plan_outcome_prefers_completion_then_failure_then_running(
    plans: tuple[P, ...], outcome: str
) -> None:
    assert plan_outcome_of(CaseAssistance(plans=plans)) == outcome


def test_vulnerability_is_unknown_when_the_record_cannot_be_read() -> None:
    assert vulnerability_of(CaseAssistance(vulnerable=True)) == "vulnerable"
    assert vulnerability_of(CaseAssistance(vulnerable=False)) == "not_vulnerable"
    assert vulnerability_of(CaseAssistance()) == "unknown"


@pytest.mark.parametrize(
    ("returned", "answered", "months", "bucket"),
    [
        ("2024-01-31", "2024-07-30", 5, "0-5"),
        ("2024-01-31", "2024-07-31", 6, "6-11"),
        ("2024-03-15", "2025-03-14", 11, "6-11"),
        ("2024-03-15", "2025-03-15", 12, "12-23"),
        ("2024-03-15", "2026-03-15", 24, "24+"),
        ("2024-03-15", "2024-03-01", 0, "0-5"),
    ],
)
def test_time_since_return_counts_whole_months(
    returned: str, answered: str, months: int, bucket: str
) -> None:
    on, at = dt.date.fromisoformat(returned), dt.date.fromisoformat(answered)
    assert months_between(on, at) == months
    assert since_return(on, at) == bucket


def test_a_dimension_named_like_the_composite_score_is_refused() -> None:
    answer = msgspec.structs.replace(
        response(1, person="p-1"), dimensions={"composite": Decimal("0.5")}
    )
    with pytest.raises(ValidationFailed, match="may not be called 'composite'"):
        of_response(answer, Facts(assistance=CaseAssistance(), returned_again=False))

"""How far a programme's follow-ups have got, step by step: every follow-up fallen due is
exactly one of reached, declined, tried without reaching the returnee, overdue or waiting."""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from reintegrate.entitlement import add_months
from reintegrate.surveys.completion import CaseFollowUps, completion
from reintegrate.surveys.plan import FollowUpStep, MonitoringPlan
from reintegrate.surveys.records import FollowUpRecord
from reintegrate.surveys.schedule import Mode, Outcome

PLAN = MonitoringPlan(
    follow_ups=tuple(FollowUpStep(months=m, instrument="iom-rss") for m in (3, 6, 12)),
    grace_days=30,
)
TODAY = dt.date(2026, 12, 6)


def _tried(case: str, number: int, outcome: Outcome) -> FollowUpRecord:
    return FollowUpRecord(
        follow_up_id=f"fu-{case}-{number}-{outcome}",
        case_id=case,
        programme_id="eurp",
        office="dakar",
        number=number,
        on=TODAY,
        mode=Mode.PHONE,
        outcome=outcome,
        by="officer",
    )


def _case(returned_on: dt.date, *tried: tuple[int, Outcome]) -> CaseFollowUps:
    attempts = [_tried(str(returned_on), n, o) for n, o in tried]
    return CaseFollowUps(plan=PLAN, returned_on=returned_on, attempts=attempts)


def test_each_step_counts_its_follow_ups_fallen_due_by_what_became_of_them() -> None:
    cases = [
        _case(dt.date(2026, 1, 5), (1, Outcome.REACHED), (2, Outcome.DECLINED)),
        _case(dt.date(2026, 2, 5), (1, Outcome.UNREACHABLE), (1, Outcome.REACHED)),
        _case(dt.date(2026, 3, 5), (1, Outcome.UNREACHABLE)),
        _case(dt.date(2026, 4, 5)),  # 3 months: 5 July, overdue; 6 months: 5 Oct, overdue
        _case(dt.date(2026, 8, 20)),  # 3 months: 20 Nov, within its grace
        _case(dt.date(2026, 11, 1)),  # nothing due yet
    ]

    three, six = completion(cases, TODAY)

    assert (three.number, three.months, three.due) == (1, 3, 5)
    assert (three.reached, three.declined, three.unreachable) == (2, 0, 1)
    assert (three.overdue, three.waiting) == (1, 1)
    assert (six.months, six.due, six.declined, six.overdue) == (6, 4, 1, 3)


@given(
    st.lists(
        st.tuples(
            st.dates(dt.date(2023, 1, 1), TODAY),
            st.lists(st.tuples(st.integers(1, 3), st.sampled_from(list(Outcome))), max_size=4),
        ),
        max_size=20,
    )
)
def test_every_follow_up_fallen_due_is_counted_once(
    drawn: list[tuple[dt.date, list[tuple[int, Outcome]]]],
) -> None:
    steps = completion([_case(returned, *tried) for returned, tried in drawn], TODAY)

    for step in steps:
        parts = (step.reached, step.declined, step.unreachable, step.overdue, step.waiting)
        assert sum(parts) == step.due
    due = sum(1 for r, _ in drawn for m in (3, 6, 12) if add_months(r, m) <= TODAY)
    assert sum(s.due for s in steps) == due

"""Follow-ups fall due months after the return, are overdue after the plan's grace, and are
done when the returnee was reached or declined (declining is their right)."""

from __future__ import annotations

import datetime as dt

import pytest

from reintegrate.entitlement import add_months
from reintegrate.errors import InvalidTransition, ValidationFailed
from reintegrate.surveys.answering import check_answerable
from reintegrate.surveys.plan import FollowUpStep, MonitoringPlan, validate_monitoring
from reintegrate.surveys.records import FollowUpRecord
from reintegrate.surveys.schedule import (
    DONE,
    Mode,
    Outcome,
    check_follow_up,
    open_follow_ups,
    schedule,
)

PLAN = MonitoringPlan(
    follow_ups=tuple(FollowUpStep(months=m, instrument="iom-rss") for m in (3, 6, 12)),
    grace_days=30,
)
RETURNED = dt.date(2025, 11, 30)


def test_follow_ups_fall_due_months_after_return_on_the_months_last_day_if_shorter() -> None:
    due = schedule(PLAN, RETURNED, dt.date(2025, 12, 1))
    assert [d.due_on for d in due] == [
        dt.date(2026, 2, 28),
        dt.date(2026, 5, 30),
        dt.date(2026, 11, 30),
    ]
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)


def test_a_follow_up_is_overdue_only_after_the_grace_days() -> None:
    on_last_day = open_follow_ups(PLAN, RETURNED, set(), dt.date(2026, 3, 30))
    after = open_follow_ups(PLAN, RETURNED, set(), dt.date(2026, 3, 31))
    assert [(d.number, d.overdue) for d in on_last_day] == [(1, False)]
    assert [(d.number, d.overdue) for d in after] == [(1, True)]


def test_a_done_follow_up_is_no_longer_listed() -> None:
    assert [d.number for d in open_follow_ups(PLAN, RETURNED, {1}, dt.date(2026, 6, 1))] == [2]


def test_declining_counts_as_done_and_unreachable_does_not() -> None:
    assert Outcome.DECLINED in DONE
    assert Outcome.UNREACHABLE not in DONE


def test_a_done_follow_up_cannot_be_recorded_again() -> None:
    with pytest.raises(InvalidTransition):
        check_follow_up(
            PLAN, RETURNED, 1, on=dt.date(2026, 3, 1), done={1}, today=dt.date(2026, 3, 2)
        )


def test_a_follow_up_outside_the_plan_or_dated_in_the_future_is_refused() -> None:
    with pytest.raises(ValidationFailed) as outside:
        check_follow_up(
            PLAN, RETURNED, 4, on=dt.date(2026, 3, 1), done=set(), today=dt.date(2026, 3, 2)
        )
    assert outside.value.field == "number"
    with pytest.raises(ValidationFailed) as future:
        check_follow_up(
            PLAN, RETURNED, 1, on=dt.date(2026, 3, 3), done=set(), today=dt.date(2026, 3, 2)
        )
    assert future.value.field == "on"


def test_follow_ups_in_a_plan_must_come_in_increasing_months() -> None:
    plan = MonitoringPlan(
        follow_ups=(
            FollowUpStep(months=6, instrument="iom-rss"),
            FollowUpStep(months=3, instrument="iom-rss"),
        )
    )
    problems = validate_monitoring(plan)
    assert [p.field for p in problems] == ["$.monitoring.follow_ups[1].months"]


def _follow_up(outcome: Outcome) -> FollowUpRecord:
    return FollowUpRecord(
        follow_up_id="fu-1",
        case_id="c1",
        programme_id="eurp",
        office="dakar",
        number=1,
        on=dt.date(2026, 3, 1),
        mode=Mode.PHONE,
        outcome=outcome,
        by="officer-1",
    )


def test_only_a_follow_up_that_reached_the_returnee_takes_answers_and_only_once() -> None:
    today = dt.date(2026, 3, 2)
    for outcome in (Outcome.DECLINED, Outcome.UNREACHABLE):
        with pytest.raises(InvalidTransition):
            check_answerable(_follow_up(outcome), answered=False, answered_on=today, today=today)
    with pytest.raises(InvalidTransition):
        check_answerable(_follow_up(Outcome.REACHED), answered=True, answered_on=today, today=today)
    check_answerable(_follow_up(Outcome.REACHED), answered=False, answered_on=today, today=today)


def test_answers_dated_before_their_follow_up_are_refused_naming_the_date() -> None:
    with pytest.raises(ValidationFailed) as refused:
        check_answerable(
            _follow_up(Outcome.REACHED),
            answered=False,
            answered_on=dt.date(2026, 2, 28),
            today=dt.date(2026, 3, 2),
        )
    assert refused.value.field == "answered_on"

"""How far the follow-ups of a programme's cases have got: for each step of the monitoring
plan (the 3-month follow-up, the 6-month one...), how many have fallen due, and of those how
many reached the returnee, were declined (the returnee's right: a follow-up done), were tried
without reaching them (still open, to be tried again), are overdue, or are still within their
time. The five are disjoint and sum to those fallen due."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

import msgspec

from reintegrate.surveys.plan import MonitoringPlan
from reintegrate.surveys.records import FollowUpRecord
from reintegrate.surveys.schedule import Outcome, schedule


class StepCompletion(msgspec.Struct, kw_only=True):
    number: int
    months: int
    due: int = 0
    reached: int = 0
    declined: int = 0
    unreachable: int = 0
    """Tried, the returnee not reached, and not done since."""
    overdue: int = 0
    """Not tried, past the due date by more than the plan's grace."""
    waiting: int = 0
    """Not tried, still within its time."""


class CaseFollowUps(msgspec.Struct, frozen=True, kw_only=True):
    """A case's plan, return date and every attempt recorded on it."""

    plan: MonitoringPlan
    returned_on: dt.date
    attempts: Sequence[FollowUpRecord]


def completion(cases: Iterable[CaseFollowUps], today: dt.date) -> list[StepCompletion]:
    """Each step's follow-ups fallen due by `today`, in the order of the plan's steps (steps
    are matched by number; the months are the first plan's that names the step)."""
    steps: dict[int, StepCompletion] = {}
    for case in cases:
        for due in schedule(case.plan, case.returned_on, today):
            if due.due_on > today:
                continue
            step = steps.setdefault(
                due.number, StepCompletion(number=due.number, months=due.months)
            )
            step.due += 1
            outcomes = {a.outcome for a in case.attempts if a.number == due.number}
            if Outcome.REACHED in outcomes:
                step.reached += 1
            elif Outcome.DECLINED in outcomes:
                step.declined += 1
            elif Outcome.UNREACHABLE in outcomes:
                step.unreachable += 1
            elif due.overdue:
                step.overdue += 1
            else:
                step.waiting += 1
    return [steps[number] for number in sorted(steps)]

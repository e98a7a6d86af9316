"""When a case's follow-ups fall due, which are overdue, and whether one may be recorded.

Follow-up number n (1, 2...) of a case falls due its plan's `months` after the return date
(the same day of the month, or the month's last day). It is done once the returnee was
reached or declined: declining is the returnee's right, and counts as done, not as a failed
follow-up. An attempt that found them unreachable leaves it open: another attempt may follow.
A follow-up not done `grace_days` after its due date is overdue.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Collection, Mapping

import msgspec

from reintegrate.entitlement import add_months
from reintegrate.errors import InvalidTransition, ValidationFailed
from reintegrate.surveys.plan import MonitoringPlan
from reintegrate.texts import Text


class Mode(enum.StrEnum):
    VISIT = "visit"
    PHONE = "phone"


class Outcome(enum.StrEnum):
    REACHED = "reached"
    DECLINED = "declined"
    """The returnee chose not to take part: their right, and a done follow-up."""
    UNREACHABLE = "unreachable"


OUTCOME_WORDS: Mapping[Outcome, Text] = {
    Outcome.REACHED: Text("reached"),
    Outcome.DECLINED: Text("declined"),
    Outcome.UNREACHABLE: Text("unreachable"),
}
"""A follow-up's outcome as said of the returnee in a sentence."""

DONE = frozenset({Outcome.REACHED, Outcome.DECLINED})
"""The outcomes that close a follow-up."""


class Due(msgspec.Struct, frozen=True, kw_only=True):
    number: int
    months: int
    instrument: str
    due_on: dt.date
    overdue: bool


def schedule(plan: MonitoringPlan, returned_on: dt.date, today: dt.date) -> list[Due]:
    """Every follow-up of a case that returned on `returned_on`, as seen on `today`."""
    found = []
    for number, step in enumerate(plan.follow_ups, start=1):
        due_on = add_months(returned_on, step.months)
        overdue = today > due_on + dt.timedelta(days=plan.grace_days)
        found.append(
            Due(
                number=number,
                months=step.months,
                instrument=step.instrument,
                due_on=due_on,
                overdue=overdue,
            )
        )
    return found


def open_follow_ups(
    plan: MonitoringPlan, returned_on: dt.date, done: Collection[int], today: dt.date
) -> list[Due]:
    """The follow-ups of a case due by `today` and not done (numbers in `done` are)."""
    return [
        d for d in schedule(plan, returned_on, today) if d.due_on <= today and d.number not in done
    ]


def check_follow_up(
    plan: MonitoringPlan,
    returned_on: dt.date,
    number: int,
    *,
    on: dt.date,
    done: Collection[int],
    today: dt.date,
) -> Due:
    """The follow-up `number` that an attempt on `on` records: it must be in the plan, not
    done yet, and the attempt neither before the return nor after `today`."""
    if not 1 <= number <= len(plan.follow_ups):
        raise ValidationFailed(
            Text(
                "follow-up {number} is not in the plan, which has {count}",
                number=number,
                count=len(plan.follow_ups),
            ),
            field="number",
        )
    if number in done:
        raise InvalidTransition(
            Text("follow-up {number} of the case is already done", number=number), field="number"
        )
    if on < returned_on or on > today:
        raise ValidationFailed(
            Text(
                "the follow-up's date {on} must be from the return date ({returned_on}) "
                "to today ({today})",
                on=on,
                returned_on=returned_on,
                today=today,
            ),
            field="on",
        )
    return schedule(plan, returned_on, today)[number - 1]

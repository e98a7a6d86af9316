"""The `[monitoring]` part of a programme's policy: the follow-ups after return.

- `follow_ups`: each follow-up's months after the return date and the instrument it uses
  (by id; the latest version adopted when the answers are given);
- `grace_days`: how long after its due date a follow-up not yet done counts as overdue.
"""

from __future__ import annotations

from typing import Annotated

import msgspec

from reintegrate import texts
from reintegrate.policy_base import Name, Problem, _Strict


class FollowUpStep(_Strict, frozen=True, kw_only=True):
    months: Annotated[int, msgspec.Meta(ge=1, le=120)]
    instrument: Name


class MonitoringPlan(_Strict, frozen=True, kw_only=True):
    follow_ups: Annotated[tuple[FollowUpStep, ...], msgspec.Meta(max_length=24)]
    grace_days: Annotated[int, msgspec.Meta(ge=0, le=365)] = 30


def validate_monitoring(plan: MonitoringPlan) -> list[Problem]:
    """Every problem of a monitoring plan: at least one follow-up, in increasing months."""
    if not plan.follow_ups:
        needed = texts.Text("a monitoring plan needs a follow-up")
        return [Problem("$.monitoring.follow_ups", needed)]
    problems: list[Problem] = []
    for i in range(1, len(plan.follow_ups)):
        before, step = plan.follow_ups[i - 1], plan.follow_ups[i]
        if step.months <= before.months:
            problems.append(
                Problem(
                    f"$.monitoring.follow_ups[{i}].months",
                    texts.Text(
                        "{months} months is not after the follow-up before it ({before} months)",
                        months=step.months,
                        before=before.months,
                    ),
                )
            )
    return problems

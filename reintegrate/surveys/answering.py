"""When a follow-up takes answers: only one that reached the returnee, only once, dated
from the follow-up's date to today."""

from __future__ import annotations

import datetime as dt

from reintegrate.errors import InvalidTransition, ValidationFailed
from reintegrate.surveys.records import FollowUpRecord
from reintegrate.surveys.schedule import Outcome


def check_answerable(
    follow_up: FollowUpRecord, *, answered: bool, answered_on: dt.date, today: dt.date
) -> None:
    """Refuse answers to `follow_up` (`answered`: it has some already) dated `answered_on`."""
    if follow_up.outcome is not Outcome.REACHED:
        raise InvalidTransition(
            f"follow-up {follow_up.follow_up_id} found the returnee {follow_up.outcome.value}: "
            "only a follow-up that reached them has answers",
            field="follow_up_id",
        )
    if answered:
        raise InvalidTransition(
            f"follow-up {follow_up.follow_up_id} already has its answers", field="follow_up_id"
        )
    if not follow_up.on <= answered_on <= today:
        raise ValidationFailed(
            f"answers dated {answered_on} must be from the follow-up's date "
            f"({follow_up.on}) to today ({today})",
            field="answered_on",
        )

"""When a follow-up takes answers: only one that reached the returnee, only once, dated
from the follow-up's date to today."""

from __future__ import annotations

import datetime as dt

from reintegrate.errors import InvalidTransition, ValidationFailed
from reintegrate.surveys.records import FollowUpRecord
from reintegrate.surveys.schedule import OUTCOME_WORDS, Outcome
from reintegrate.texts import Text


def check_answerable(
    follow_up: FollowUpRecord, *, answered: bool, answered_on: dt.date, today: dt.date
) -> None:
    """Refuse answers to `follow_up` (`answered`: it has some already) dated `answered_on`."""
    if follow_up.outcome is not Outcome.REACHED:
        raise InvalidTransition(
            Text(
                "follow-up {follow_up_id} found the returnee {outcome}: only a follow-up that "
                "reached them has answers",
                follow_up_id=follow_up.follow_up_id,
                outcome=OUTCOME_WORDS[follow_up.outcome],
            ),
            field="follow_up_id",
        )
    if answered:
        raise InvalidTransition(
            Text(
                "follow-up {follow_up_id} already has its answers",
                follow_up_id=follow_up.follow_up_id,
            ),
            field="follow_up_id",
        )
    if not follow_up.on <= answered_on <= today:
        raise ValidationFailed(
            Text(
                "answers dated {answered_on} must be from the follow-up's date ({on}) "
                "to today ({today})",
                answered_on=answered_on,
                on=follow_up.on,
                today=today,
            ),
            field="answered_on",
        )
